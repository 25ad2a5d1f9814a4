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
  private readonly stmts;
  private printer: PrinterPort | null = null;
  private busy = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    db: Db,
    private readonly now: Clock = systemClock,
  ) {
    super();
    this.stmts = {
      insert: db.prepare("INSERT OR IGNORE INTO print_job (job_key, kind, created_at, bytes, bytes_sha256, state) VALUES (?, ?, ?, ?, ?, 'queued')"),
      next: db.prepare<[], { job_key: string; bytes: Buffer }>("SELECT job_key, bytes FROM print_job WHERE state = 'queued' ORDER BY created_at, job_key LIMIT 1"),
      mark: db.prepare('UPDATE print_job SET state = ?, sent_at = ? WHERE job_key = ?'),
      // The printer took the job: its bytes are not needed again (a reprint is a COPY made anew).
      printed: db.prepare("UPDATE print_job SET bytes = X'' WHERE job_key = ? AND state = 'sent'"),
      // Both counts read only their partial indexes: bounded by what waits, not by what was printed.
      counts: db.prepare<[], { queued: number; uncertain: number }>(
        "SELECT (SELECT count(*) FROM print_job WHERE state = 'queued') AS queued, (SELECT count(*) FROM print_job WHERE state = 'uncertain') AS uncertain",
      ),
    };
  }

  /** Adds a job (idempotent on its key). Call inside the transaction that creates it. */
  enqueue(jobKey: string, kind: 'receipt' | 'copy' | 'return' | 'slip' | 'report', bytes: Uint8Array, at: string): void {
    this.stmts.insert.run(jobKey, kind, at, Buffer.from(bytes), createHash('sha256').update(bytes).digest('hex'));
    setImmediate(() => this.pump());
  }

  counts(): { queued: number; uncertain: number } {
    return this.stmts.counts.get()!;
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
    const job = this.stmts.next.get();
    if (!job) return;
    this.busy = true;
    this.stmts.mark.run('sent', this.now().toISOString(), job.job_key);
    printer
      .write(new Uint8Array(job.bytes))
      .then(() => {
        if (!this.stopped) this.stmts.printed.run(job.job_key);
      })
      .catch((err: unknown) => {
        if (this.stopped) return;
        if (err instanceof Error && err.name === 'PrinterNotReached') {
          // Nothing went out: the job waits for the printer like any other.
          this.stmts.mark.run('queued', null, job.job_key);
          return;
        }
        this.stmts.mark.run('uncertain', this.now().toISOString(), job.job_key);
        this.emit('uncertain', `print job ${job.job_key} may not have printed (${err instanceof Error ? err.message : String(err)})`);
      })
      .finally(() => {
        this.busy = false;
        if (this.stopped) return;
        this.emit('changed', this.counts());
        setImmediate(() => this.pump());
      });
  }
}
