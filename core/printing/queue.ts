/**
 * The durable print queue. Jobs are enqueued inside the transaction that makes them (a completed
 * sale and its receipt job commit together), and printed when the printer is ready. A job is
 * marked 'sent' before its bytes go out: the printer holds data through paper-out or an open
 * cover and prints it when the fault clears, so re-sending would print twice. If the link drops
 * while sending, the job becomes 'uncertain' and the lane offers a reprint marked COPY.
 * Once the printer has taken a job its bytes are dropped; the row keeps their SHA-256 and the outcome.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Db } from '../db';
import { systemClock, type Clock } from '../clock';
import { PrintJobRepo, type PrintJobKind } from './repo';

export interface PrinterPort {
  ready(): boolean;
  /** Rejects with an error named 'PrinterNotReached' when no byte went out (the job waits and goes again). */
  write(bytes: Uint8Array): Promise<void>;
  on(event: 'status', listener: (...args: unknown[]) => void): unknown;
}

export interface QueueEvents {
  changed: [{ queued: number; uncertain: number }];
  /** A job whose link dropped while it was sent: it may not have printed (the lane offers a COPY). */
  uncertain: [string];
}

export class PrintQueue extends EventEmitter<QueueEvents> {
  private readonly jobs: PrintJobRepo;
  private printer: PrinterPort | null = null;
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    db: Db,
    private readonly now: Clock = systemClock,
  ) {
    super();
    this.jobs = new PrintJobRepo(db);
  }

  /** Adds a job (idempotent on its key). Call inside the transaction that creates it. */
  enqueue(jobKey: string, kind: PrintJobKind, bytes: Uint8Array, at: string): void {
    this.jobs.insert(jobKey, kind, at, Buffer.from(bytes), createHash('sha256').update(bytes).digest('hex'));
    setImmediate(() => this.pump());
  }

  counts(): { queued: number; uncertain: number } {
    return this.jobs.counts();
  }

  attach(printer: PrinterPort, retryMs = 250): void {
    if (this.timer) clearInterval(this.timer);
    this.printer = printer;
    printer.on('status', () => this.pump());
    this.timer = setInterval(() => this.pump(), retryMs);
    this.pump();
  }

  /** Lets go of the printer (the devices restart with a new configuration); jobs wait for the next one. */
  detach(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.printer = null;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
  }

  /** Sends the oldest queued job if the printer is ready; one job at a time. */
  pump(): void {
    const printer = this.printer;
    if (this.stopped || this.busy || !printer || !printer.ready()) return;
    const job = this.jobs.next();
    if (!job) return;
    this.busy = true;
    this.jobs.mark(job.jobKey, 'sent', this.now().toISOString());
    printer
      .write(new Uint8Array(job.bytes))
      .then(() => {
        if (!this.stopped) this.jobs.printed(job.jobKey);
      })
      .catch((err: unknown) => {
        if (this.stopped) return;
        if (err instanceof Error && err.name === 'PrinterNotReached') {
          // Nothing went out: the job waits for the printer like any other.
          this.jobs.mark(job.jobKey, 'queued', null);
          return;
        }
        this.jobs.mark(job.jobKey, 'uncertain', this.now().toISOString());
        this.emit('uncertain', `print job ${job.jobKey} may not have printed (${err instanceof Error ? err.message : String(err)})`);
      })
      .finally(() => {
        this.busy = false;
        if (this.stopped) return;
        this.emit('changed', this.counts());
        setImmediate(() => this.pump());
      });
  }
}
