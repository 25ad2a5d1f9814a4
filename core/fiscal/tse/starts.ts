/**
 * Germany: a sale's TSE transaction starts when its first line is recorded (AEAO zu §146a: the
 * business process begins there), and a basket that ends without a sale is finished as aborted
 * (AVBelegabbruch). Neither may slow a scan: the lane's commit only queues the call, and the queue
 * runs on the event loop after it (one call per turn). A start the TSE does not answer is logged
 * and forgotten — the sale is then started and finished at completion (core/fiscal/tse/till.ts),
 * where an outage is recorded as the law asks. The started transaction is kept in `tse_started`
 * (migration 0031) until the sale ends; one left by a till that stopped is aborted at restart.
 */
import type { Db } from '../../db';
import { totalsOf, type CheckoutContext } from '../../checkout/machines';
import { PROCESS_TYPE_RECEIPT, TseError, tseTransaction, type TseLogResult, type TsePort } from './port';
import { receiptProcessData, VatRateNotInDsfinvkError } from './process-data';
import { tseRepo } from './repo';
import type { VatRow } from '../../../protocol/terminal';

const ABORTED_EMPTY = 'AVBelegabbruch^0.00_0.00_0.00_0.00_0.00^';

export interface StartsLane {
  /** The lane's open sale, if any. */
  openSale(): string | null;
  log(line: string): void;
  now(): Date;
  currency: string;
}

export class TseStarts {
  private readonly s: ReturnType<typeof tseRepo>;
  private readonly jobs: Array<() => void> = [];
  private running = false;
  private waiters: Array<() => void> = [];
  private disposed = false;

  constructor(
    private readonly db: Db,
    private readonly port: TsePort,
    private readonly clientId: string,
    private readonly lane: StartsLane,
  ) {
    this.s = tseRepo(db);
  }

  /**
   * After a commit: a sale that began (`after` is new) has its transaction started; one that ended
   * without completing (`before` neither open nor the completed sale) has it finished as aborted.
   */
  follow(before: { context: CheckoutContext } | null, after: string | null, completed: string | null): void {
    if (before && before.context.saleId !== after && before.context.saleId !== completed) {
      const { saleId } = before.context;
      const vat = totalsOf(before.context).vat;
      this.enqueue(() => this.abort(saleId, vat));
    }
    if (after && after !== before?.context.saleId) this.enqueue(() => this.start(after));
  }

  /** At start: transactions started for sales no longer open are aborted; the open sale gets one if it has none. */
  recover(): void {
    const open = this.lane.openSale();
    for (const r of this.s.startedAll.all()) if (r.sale_id !== open) this.enqueue(() => this.abort(r.sale_id, null));
    if (open) this.enqueue(() => this.start(open));
  }

  /** Resolves once nothing is queued (a demo day before its Z, tests). */
  settled(): Promise<void> {
    return this.running ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }

  dispose(): void {
    this.disposed = true;
    this.jobs.length = 0;
  }

  private enqueue(job: () => void): void {
    if (this.disposed) return;
    this.jobs.push(job);
    if (this.running) return;
    this.running = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    const job = this.disposed || !this.db.open ? undefined : this.jobs.shift();
    if (!job) {
      this.running = false;
      this.jobs.length = 0;
      for (const w of this.waiters.splice(0)) w();
      return;
    }
    try {
      job();
    } catch (err) {
      const reason = err instanceof Error ? `${'code' in err ? `${String(err.code)}: ` : ''}${err.message}` : String(err);
      this.lane.log(`TSE: ${reason} (the sale goes on; it is signed at completion)`);
    }
    setImmediate(() => this.drain());
  }

  private start(saleId: string): void {
    // Ended already (completed, cancelled) or started: nothing to start.
    if (this.lane.openSale() !== saleId || this.s.started.get(saleId) || this.s.bySale.get(saleId)) return;
    const r = this.port.startTransaction(this.clientId, '', PROCESS_TYPE_RECEIPT);
    this.s.insertStarted.run(saleId, this.clientId, r.transactionNumber, r.logTime, this.lane.now().toISOString());
  }

  /** Finishes a basket's transaction as AVBelegabbruch with its amounts (none known after a restart), started now if its start never ran. */
  private abort(saleId: string, vat: readonly VatRow[] | null): void {
    if (this.s.bySale.get(saleId) || this.lane.openSale() === saleId) return;
    const early = this.s.started.get(saleId);
    if (!early && !vat) return;
    let processData = ABORTED_EMPTY;
    try {
      if (vat) processData = receiptProcessData({ kind: 'AVBelegabbruch', vat, tenders: [], change: 0, currency: this.lane.currency });
    } catch (err) {
      if (!(err instanceof VatRateNotInDsfinvkError)) throw err; // a rate DSFinV-K has no place for: the abort is signed without amounts
    }
    const start: Pick<TseLogResult, 'transactionNumber' | 'logTime'> = early ? { transactionNumber: early.transaction_number, logTime: early.start_time } : this.port.startTransaction(this.clientId, '', PROCESS_TYPE_RECEIPT);
    let finish: TseLogResult;
    try {
      finish = this.port.finishTransaction(this.clientId, start.transactionNumber, processData, PROCESS_TYPE_RECEIPT);
    } catch (err) {
      // Not open in the TSE any more: nothing is left to finish.
      if (err instanceof TseError && err.code === 'TSE_NO_SUCH_TRANSACTION') this.s.dropStarted.run(saleId);
      throw err;
    }
    const tx = tseTransaction(this.port.info(), start, finish);
    const at = this.lane.now().toISOString();
    this.db.transaction(() => {
      this.s.insert.run({ saleId, clientId: this.clientId, processType: tx.processType, processData, serial: tx.serialNumber, transactionNumber: tx.transactionNumber, signatureCounter: tx.signatureCounter, startTime: tx.startTime, endTime: tx.endTime, signature: tx.signature, publicKey: tx.publicKey, outageId: null, at });
      this.s.dropStarted.run(saleId);
    })();
  }
}
