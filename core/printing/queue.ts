/**
 * The durable print queue. Jobs are enqueued inside the transaction that makes them (a completed
 * sale and its receipt job commit together), and printed when the printer is ready, one at a time:
 * queued → sending → printed. A job is 'sending' from before its first byte goes out until the
 * printer confirms it printed it (drivers/escpos/printer.ts: the process ID response, or a status
 * reply after the job); it is never sent twice, since the printer holds data through paper-out or
 * an open cover and prints it when the fault clears. If the link drops before the confirmation,
 * or the core dies (a job found 'sending' at start-up), the job is 'uncertain': the lane offers
 * "print again (marked COPY)" for its sale (reprintReceipt), which settles it — never silence,
 * never a silent double. Once printed a job's bytes are dropped; the row keeps their SHA-256.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../db';
import { systemClock, type Clock } from '../clock';
import { PrintJobRepo, type PrintJobKind } from './repo';

export interface PrinterPort {
  ready(): boolean;
  /**
   * Resolves when the printer confirmed it printed the bytes. Rejects with an error named
   * 'PrinterNotReached' when no byte went out (the job waits and goes again), with another when
   * the job may have printed; pending while the printer has not confirmed.
   */
  write(bytes: Uint8Array): Promise<void>;
  on(event: 'status', listener: (...args: unknown[]) => void): unknown;
}

export interface QueueEvents {
  changed: [{ queued: number; uncertain: number }];
  /** A job the printer did not confirm before the link dropped: it may not have printed (the lane offers a COPY). */
  uncertain: [string];
}

export class PrintQueue extends EventEmitter<QueueEvents> {
  private readonly jobs: PrintJobRepo;
  private printer: PrinterPort | null = null;
  /** The job going out (sending) and not yet confirmed. */
  private inFlight: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    db: Db,
    private readonly now: Clock = systemClock,
  ) {
    super();
    this.jobs = new PrintJobRepo(db);
    // Start-up (one queue per lane database): no job of this process is going out yet, so one
    // still 'sending' was cut off by a crash and may or may not have printed.
    this.jobs.unconfirmedToUncertain();
  }

  /**
   * Adds a job (idempotent on its key), with the sale it prints (a receipt or a copy) so that an
   * uncertain one can be answered with a COPY. Call inside the transaction that creates it.
   */
  enqueue(jobKey: string, kind: PrintJobKind, bytes: Uint8Array, at: string, saleId: string | null = null): void {
    this.jobs.insert(jobKey, kind, at, Buffer.from(bytes), createHash('sha256').update(bytes).digest('hex'), saleId);
    setImmediate(() => this.pump());
  }

  counts(): { queued: number; uncertain: number } {
    return this.jobs.counts();
  }

  /** The sale whose receipt may not have printed (the lane offers its COPY), or null. */
  uncertainSale(): string | null {
    return this.jobs.uncertainSale();
  }

  /** A COPY of the sale was made: its uncertain jobs are settled. Call inside that transaction. */
  settle(saleId: string): void {
    this.jobs.settle(saleId);
  }

  attach(printer: PrinterPort, retryMs = 250): void {
    if (this.timer) clearInterval(this.timer);
    this.printer = printer;
    printer.on('status', () => this.pump());
    this.timer = setInterval(() => this.pump(), retryMs);
    this.pump();
  }

  /**
   * Lets go of the printer (the devices restart with a new configuration); jobs wait for the next
   * one. A job it had not confirmed is uncertain.
   */
  detach(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.printer = null;
    this.abandon();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.abandon();
  }

  /** The job going out will not be confirmed to this queue: it may or may not have printed. */
  private abandon(): void {
    const key = this.inFlight;
    if (key === null) return;
    this.inFlight = null;
    this.jobs.mark(key, 'uncertain', this.now().toISOString());
  }

  /** Sends the oldest queued job if the printer is ready; one job at a time, until it is confirmed. */
  pump(): void {
    const printer = this.printer;
    if (this.stopped || this.inFlight !== null || !printer || !printer.ready()) return;
    const job = this.jobs.next();
    if (!job) return;
    const key = job.jobKey;
    this.inFlight = key;
    this.jobs.mark(key, 'sending', this.now().toISOString());
    // Settled only while this queue still waits for the job (not after detach or stop).
    const mine = () => this.inFlight === key && !this.stopped;
    printer
      .write(new Uint8Array(job.bytes))
      .then(() => {
        if (mine()) this.jobs.printed(key);
      })
      .catch((err: unknown) => {
        if (!mine()) return;
        if (err instanceof Error && err.name === 'PrinterNotReached') {
          // Nothing went out: the job waits for the printer like any other.
          this.jobs.mark(key, 'queued', null);
          return;
        }
        this.jobs.mark(key, 'uncertain', this.now().toISOString());
        this.emit('uncertain', `print job ${key} may not have printed (${err instanceof Error ? err.message : String(err)})`);
      })
      .finally(() => {
        if (this.inFlight !== key) return;
        this.inFlight = null;
        if (this.stopped) return;
        this.emit('changed', this.counts());
        setImmediate(() => this.pump());
      });
  }
}
