/**
 * Germany: a sale's TSE transaction starts when its first line is recorded (AEAO zu §146a: the
 * business process begins there), and a basket that ends without a sale is finished as aborted
 * (AVBelegabbruch). Neither may slow a scan: the lane's commit only queues the call, and the queue
 * runs on the event loop after it, one job at a time. A TSE that can be asked without waiting (the
 * simulator on its own thread, ./thread.ts) signs and writes while the lane handles the next scan,
 * and the answer is recorded when it comes (or when the sale completes: `settle`); one that answers
 * there and then runs its call on the lane's thread, one per turn. A start the TSE does not answer is logged
 * and forgotten — the sale is then started and finished at completion (core/fiscal/tse/till.ts),
 * where an outage is recorded as the law asks. The started transaction is kept in `tse_started`
 * (migration 0031) until the sale ends, written without its own fsync (as the basket's scans are,
 * core/db/durability.ts); one left by a till that stopped is aborted at restart, and so is one the
 * TSE holds open for this till that the till never recorded (a power cut before that flush).
 */
import type { Db } from '../../db';
import { totalsOf, type CheckoutContext } from '../../checkout/machines';
import { commitLight } from '../../db/durability';
import { askTse, PROCESS_TYPE_RECEIPT, settleTse, TseError, tseTransaction, type TseDone, type TseLogResult, type TsePort } from './port';
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

/** A queued job: it calls `next` once it is done (with what went wrong, if anything). */
type Job = (next: (err?: unknown) => void) => void;

export class TseStarts {
  private readonly s: ReturnType<typeof tseRepo>;
  private readonly jobs: Job[] = [];
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
      this.enqueue((next) => this.abort(saleId, vat, next));
    }
    if (after && after !== before?.context.saleId) this.enqueue((next) => this.start(after, next));
  }

  /**
   * At start: transactions started for sales no longer open are aborted, and so are those the TSE
   * holds open for this till that the till has no record of; the open sale gets one if it has none.
   */
  recover(): void {
    const open = this.lane.openSale();
    for (const r of this.s.startedAll.all()) if (r.sale_id !== open) this.enqueue((next) => this.abort(r.sale_id, null, next));
    this.enqueue((next) => this.abortStrays(next));
    if (open) this.enqueue((next) => this.start(open, next));
  }

  /** Every answer the TSE gave to what was asked so far, recorded now (a sale about to complete sees its start). */
  settle(): void {
    try {
      settleTse(this.port);
    } catch (err) {
      this.lane.log(`TSE: ${reasonOf(err)} (the sale goes on; it is signed at completion)`); // a TSE never stops a sale
    }
  }

  /** Resolves once nothing is queued (a demo day before its Z, tests). */
  settled(): Promise<void> {
    return this.running ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }

  dispose(): void {
    this.disposed = true;
    this.jobs.length = 0;
  }

  private enqueue(job: Job): void {
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
    let done = false;
    const next = (err?: unknown) => {
      if (done) return;
      done = true;
      if (err) this.lane.log(`TSE: ${reasonOf(err)} (the sale goes on; it is signed at completion)`);
      setImmediate(() => this.drain());
    };
    try {
      job(next);
    } catch (err) {
      next(err);
    }
  }

  /** Asks the TSE; an answer that comes once the lane has closed its database is dropped. */
  private ask(call: Parameters<typeof askTse>[1], next: (err?: unknown) => void, then: (r: TseLogResult) => void): void {
    const done: TseDone = (err, r) => {
      if (err || !r) return next(err ?? new Error('no answer'));
      if (!this.db.open) return next();
      try {
        then(r);
      } catch (e) {
        next(e);
      }
    };
    askTse(this.port, call, done);
  }

  private start(saleId: string, next: (err?: unknown) => void): void {
    // Ended already (completed, cancelled) or started: nothing to start.
    if (this.lane.openSale() !== saleId || this.s.started.get(saleId) || this.s.bySale.get(saleId)) return next();
    this.ask({ op: 'start', clientId: this.clientId, processData: '', processType: PROCESS_TYPE_RECEIPT }, next, (r) => {
      // A sale completed before this answer was delivered was started anew at completion: this one is left over.
      if (this.s.bySale.get(saleId)) return this.finishStray(r.transactionNumber, next);
      // Recorded even if the basket ended meanwhile: its abort is queued behind this start and finishes it.
      const record = () => this.s.insertStarted.run(saleId, this.clientId, r.transactionNumber, r.logTime, this.lane.now().toISOString());
      // Delivered inside another commit (a blocking TSE call in it took this answer on the way): part of that one.
      if (this.db.inTransaction) record();
      else commitLight(this.db, record);
      next();
    });
  }

  /** Finishes a basket's transaction as AVBelegabbruch with its amounts (none known after a restart), started now if its start never ran. */
  private abort(saleId: string, vat: readonly VatRow[] | null, next: (err?: unknown) => void): void {
    if (this.s.bySale.get(saleId) || this.lane.openSale() === saleId) return next();
    const early = this.s.started.get(saleId);
    if (!early && !vat) return next();
    const processData = abortedData(vat, this.lane.currency);
    const finish = (start: Pick<TseLogResult, 'transactionNumber' | 'logTime'>) =>
      askTse(this.port, { op: 'finish', clientId: this.clientId, transactionNumber: start.transactionNumber, processData, processType: PROCESS_TYPE_RECEIPT }, (err, r) => {
        if (!this.db.open) return next();
        // Not open in the TSE any more: nothing is left to finish.
        if (err instanceof TseError && err.code === 'TSE_NO_SUCH_TRANSACTION') this.s.dropStarted.run(saleId);
        if (err || !r) return next(err);
        try {
          this.recordAbort(saleId, processData, start, r);
          next();
        } catch (e) {
          next(e);
        }
      });
    if (early) return finish({ transactionNumber: early.transaction_number, logTime: early.start_time });
    this.ask({ op: 'start', clientId: this.clientId, processData: '', processType: PROCESS_TYPE_RECEIPT }, next, finish);
  }

  private recordAbort(saleId: string, processData: string, start: Pick<TseLogResult, 'transactionNumber' | 'logTime'>, finish: TseLogResult): void {
    const tx = tseTransaction(this.port.info(), start, finish);
    const at = this.lane.now().toISOString();
    this.db.transaction(() => {
      this.s.insert.run({ saleId, clientId: this.clientId, processType: tx.processType, processData, serial: tx.serialNumber, transactionNumber: tx.transactionNumber, signatureCounter: tx.signatureCounter, startTime: tx.startTime, endTime: tx.endTime, signature: tx.signature, publicKey: tx.publicKey, outageId: null, at });
      this.s.dropStarted.run(saleId);
    })();
  }

  /** Transactions the TSE holds open for this till that the till never recorded (started, then the power went before the record was flushed): finished as aborted. */
  private abortStrays(next: (err?: unknown) => void): void {
    const open = this.port.openTransactions?.(this.clientId) ?? [];
    const known = new Set([...this.s.startedAll.all().map((r) => r.transaction_number), ...this.s.unfinished.all().map((r) => r.transaction_number)]);
    const strays = open.filter((n) => !known.has(n));
    const one = (i: number): void => (i < strays.length ? this.finishStray(strays[i]!, (err) => (err ? next(err) : one(i + 1))) : next());
    one(0);
  }

  /** A transaction no sale of this till will finish: finished as AVBelegabbruch without amounts, and logged. */
  private finishStray(transactionNumber: number, next: (err?: unknown) => void): void {
    askTse(this.port, { op: 'finish', clientId: this.clientId, transactionNumber, processData: ABORTED_EMPTY, processType: PROCESS_TYPE_RECEIPT }, (err) => {
      if (err) return next(err);
      this.lane.log(`TSE: transaction ${transactionNumber} was open in the TSE with no sale of this till to finish it; finished as AVBelegabbruch`);
      next();
    });
  }
}

/** The process data of an aborted basket: its amounts, or none (not known, or a rate DSFinV-K has no place for). */
function abortedData(vat: readonly VatRow[] | null, currency: string): string {
  if (!vat) return ABORTED_EMPTY;
  try {
    return receiptProcessData({ kind: 'AVBelegabbruch', vat, tenders: [], change: 0, currency });
  } catch (err) {
    if (!(err instanceof VatRateNotInDsfinvkError)) throw err;
    return ABORTED_EMPTY; // the abort is signed without amounts
  }
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? `${'code' in err ? `${String(err.code)}: ` : ''}${err.message}` : String(err);
}
