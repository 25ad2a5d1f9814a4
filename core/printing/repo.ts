/**
 * The durable print queue's table (`print_job`, migrations 0012, 0016, 0018): a job per key, its
 * state, and its bytes until the printer took them (then only their SHA-256 stays). Retention of
 * printed rows at a Z is the till day's (core/checkout).
 */
import type { Db } from '../db';

export type PrintJobKind = 'receipt' | 'copy' | 'return' | 'slip' | 'report';
export type PrintJobState = 'queued' | 'sent' | 'uncertain';

export class PrintJobRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
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

  /** A new queued job (nothing when a job with this key exists). */
  insert(jobKey: string, kind: PrintJobKind, at: string, bytes: Buffer, sha256: string): void {
    this.s.insert.run(jobKey, kind, at, bytes, sha256);
  }

  /** The oldest queued job. */
  next(): { jobKey: string; bytes: Buffer } | null {
    const r = this.s.next.get();
    return r ? { jobKey: r.job_key, bytes: r.bytes } : null;
  }

  /** Moves a job to `state`; `sentAt` is when it went out (null: back in the queue). */
  mark(jobKey: string, state: PrintJobState, sentAt: string | null): void {
    this.s.mark.run(state, sentAt, jobKey);
  }

  /** The printer took a sent job: its bytes go, their hash stays. */
  printed(jobKey: string): void {
    this.s.printed.run(jobKey);
  }

  counts(): { queued: number; uncertain: number } {
    return this.s.counts.get()!;
  }
}
