/**
 * The till's side of its TSE. A sale's transaction is started when its first line is recorded
 * (AEAO zu §146a: the business process starts with the first line), queued off the scan's commit
 * (core/fiscal/tse/starts.ts), and finished at completion in the sale's transaction; a sale whose
 * start has not been answered (the TSE was out, or slow) is started and finished at completion.
 * What the TSE answered is stored with the sale; a TSE that fails does not stop
 * the sale (AEAO zu §146a: sell on, the receipt says so, the failure is recorded). The first
 * failure opens an outage (journalled, alerted); the next sale the TSE signs closes it (journalled
 * with how many sales went unsigned), and a transaction the TSE started but could not finish is
 * then finished as aborted (AVBelegabbruch), so the TSE holds no open transaction of this till.
 */
import type { Db } from '../../db';
import type { Journal } from '../../journal';
import type { TseMark } from '../../receipt/tse-block';
import { PROCESS_TYPE_RECEIPT, TseError, tseTransaction, type TseLogResult, type TsePort, type TseTransaction } from './port';
import { receiptProcessData, type ReceiptForTse } from './process-data';
import { tseRepo } from './repo';
import { TseStarts, type StartsLane } from './starts';
import { recordKassenmeldung, type Kassenmeldung } from './kassenmeldung';

/** The TSE as the lane's snapshot shows it (and HQ's alert reads it). */
export interface TseView {
  clientId: string;
  serialNumber: string | null;
  state: 'ok' | 'outage';
  outageSince: string | null;
  reason: string | null;
  unsignedSales: number;
  meldung: Kassenmeldung | null;
}

/** A till's serial as a TSE client id: PrintableString, at most 30 characters. */
export function tseClientId(storeId: string, laneId: string): string {
  return `${storeId}-${laneId}`.replace(/[^A-Za-z0-9 '()+,\-./:=?]/g, '-').slice(0, 30);
}

const ABORTED = 'AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^';

export class TillTse {
  private readonly s: ReturnType<typeof tseRepo>;
  /** Starts (and aborts) of transactions, queued off the lane's commits. */
  readonly starts: TseStarts;
  private readonly meldungFor: (at: string) => Kassenmeldung;
  private meldung: Kassenmeldung | null = null;

  constructor(
    db: Db,
    private readonly port: TsePort,
    readonly clientId: string,
    private readonly journal: Journal,
    /** The lane's open sale, its currency, where a failure off the commit path is logged, and the store (the Kassenmeldung's). */
    lane: StartsLane & { storeName: string; location: string },
  ) {
    this.s = tseRepo(db);
    this.meldungFor = (at) => recordKassenmeldung(db, this.port.info(), { clientId, storeName: lane.storeName, location: lane.location }, at);
    this.noteMeldung(lane.now().toISOString());
    this.starts = new TseStarts(db, port, clientId, lane);
    this.starts.recover(); // (on the next turn) a transaction a stopped till left open is aborted; the open sale's is started
  }

  /**
   * Signs a completed sale (finishes the transaction its first line started, or starts and finishes
   * one now) and stores the answer with it; call inside the sale's transaction. Never throws for
   * the TSE's sake: a failure is an outage mark.
   */
  signSale(saleId: string, receipt: ReceiptForTse, at: string): TseMark {
    let processData = '';
    let started: Pick<TseLogResult, 'transactionNumber' | 'logTime'> | null = null;
    let tx: TseTransaction;
    const early = this.s.started.get(saleId);
    if (early) this.s.dropStarted.run(saleId); // from here tse_signature holds it (signed, or unfinished and aborted later)
    // Only what the TSE (and the process data for it) does is an outage; the till's own writes fail the sale as any write does.
    try {
      processData = receiptProcessData(receipt);
      this.abortUnfinished(at);
      started = early ? { transactionNumber: early.transaction_number, logTime: early.start_time } : this.port.startTransaction(this.clientId, '', PROCESS_TYPE_RECEIPT);
      tx = tseTransaction(this.port.info(), started, this.port.finishTransaction(this.clientId, started.transactionNumber, processData, PROCESS_TYPE_RECEIPT));
    } catch (err) {
      const reason = err instanceof Error ? `${'code' in err ? `${String(err.code)}: ` : ''}${err.message}` : String(err);
      const outage = this.outage(reason, at);
      this.s.countUnsigned.run(outage.id);
      this.s.insert.run({ saleId, clientId: this.clientId, processType: PROCESS_TYPE_RECEIPT, processData, serial: null, transactionNumber: started?.transactionNumber ?? null, signatureCounter: null, startTime: started?.logTime ?? null, endTime: null, signature: null, publicKey: null, outageId: outage.id, at });
      return { kind: 'outage', since: outage.since, reason };
    }
    this.recovered(at);
    this.s.insert.run({ saleId, clientId: this.clientId, processType: tx.processType, processData, serial: tx.serialNumber, transactionNumber: tx.transactionNumber, signatureCounter: tx.signatureCounter, startTime: tx.startTime, endTime: tx.endTime, signature: tx.signature, publicKey: tx.publicKey, outageId: null, at });
    return { kind: 'signed', tx };
  }

  /** The open outage, or a new one (journalled) from `at`. */
  private outage(reason: string, at: string): { id: number; since: string } {
    const open = this.s.openOutage.get();
    if (open) return { id: open.outage_id, since: open.started_at };
    const id = Number(this.s.startOutage.run(at, reason.slice(0, 300)).lastInsertRowid);
    this.journal.append('tse.outage', null, { clientId: this.clientId, outageId: id, reason: reason.slice(0, 300) }, at);
    return { id, since: at };
  }

  /** Transactions the TSE started and could not finish (it failed mid-sale) are finished as aborted, before the next one starts. */
  private abortUnfinished(at: string): void {
    for (const u of this.s.unfinished.all()) {
      try {
        this.port.finishTransaction(this.clientId, u.transaction_number, ABORTED, PROCESS_TYPE_RECEIPT);
      } catch (err) {
        // Not open in the TSE any more (finished by an earlier try whose sale was rolled back): nothing is left to finish.
        if (!(err instanceof TseError && err.code === 'TSE_NO_SUCH_TRANSACTION')) throw err;
      }
      this.s.aborted.run(at, u.sale_id);
    }
  }

  /** The Kassenmeldung of this till and TSE, recorded once the TSE answers (at start, else when it signs again). */
  private noteMeldung(at: string): void {
    if (this.meldung) return;
    try {
      this.meldung = this.meldungFor(at);
    } catch {
      this.meldung = null; // the TSE does not answer yet
    }
  }

  /** The TSE signed again: the open outage ends, journalled with the sales it left unsigned and the transactions finished as aborted. */
  private recovered(at: string): void {
    this.noteMeldung(at);
    const open = this.s.openOutage.get();
    if (!open) return;
    this.s.endOutage.run(at, open.outage_id);
    const aborted = this.s.abortedIn.all(open.outage_id).map((r) => r.transaction_number);
    this.journal.append('tse.recovered', null, { clientId: this.clientId, outageId: open.outage_id, since: open.started_at, unsignedSales: open.unsigned_sales, abortedTransactions: aborted }, at);
  }

  /** Whether a sale has a TSE signature (false: sold in an outage, or never seen). */
  signed(saleId: string): boolean {
    return Boolean(this.s.bySale.get(saleId)?.signature);
  }

  view(): TseView {
    const open = this.s.openOutage.get();
    let serialNumber: string | null = null;
    try {
      serialNumber = this.port.info().serialNumber;
    } catch {
      serialNumber = null;
    }
    return { clientId: this.clientId, serialNumber, state: open ? 'outage' : 'ok', outageSince: open?.started_at ?? null, reason: open?.reason ?? null, unsignedSales: open?.unsigned_sales ?? 0, meldung: this.meldung };
  }
}
