/**
 * The durable print queue's table (`print_job`, migrations 0012, 0016, 0018, 0020): a job per key,
 * its state, the sale it belongs to (receipts and copies), and its bytes until the printer printed
 * them (then only their SHA-256 stays). Retention of printed rows at a Z is the till day's (core/till).
 */
import type { Db } from '../db';

export type PrintJobKind = 'receipt' | 'copy' | 'return' | 'slip' | 'report';
/**
 * queued → sending (bytes going out, the printer has not confirmed) → printed (it confirmed).
 * A job the printer may or may not have printed (the link dropped, or the core died, before it
 * confirmed) is uncertain; once the lane made a COPY of its sale it is settled.
 */
export type PrintJobState = 'queued' | 'sending' | 'printed' | 'uncertain' | 'settled';

export class PrintJobRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      insert: db.prepare(
        "INSERT OR IGNORE INTO print_job (job_key, kind, created_at, bytes, bytes_sha256, state, sale_id) VALUES (?, ?, ?, ?, ?, 'queued', ?)",
      ),
      next: db.prepare<[], { job_key: string; bytes: Buffer }>("SELECT job_key, bytes FROM print_job WHERE state = 'queued' ORDER BY created_at, job_key LIMIT 1"),
      mark: db.prepare('UPDATE print_job SET state = ?, sent_at = ? WHERE job_key = ?'),
      // The printer confirmed the job: its bytes are not needed again (a reprint is a COPY made anew).
      printed: db.prepare("UPDATE print_job SET state = 'printed', bytes = X'' WHERE job_key = ? AND state = 'sending'"),
      // Start-up: a job still going out when the core stopped may or may not have printed.
      unconfirmed: db.prepare("UPDATE print_job SET state = 'uncertain' WHERE state = 'sending'"),
      // A COPY of the sale was made: its uncertain jobs are answered (their bytes are not sent again).
      settle: db.prepare("UPDATE print_job SET state = 'settled', bytes = X'' WHERE sale_id = ? AND state = 'uncertain'"),
      // Both counts read only their partial indexes: bounded by what waits, not by what was printed.
      counts: db.prepare<[], { queued: number; uncertain: number }>(
        "SELECT (SELECT count(*) FROM print_job WHERE state = 'queued') AS queued, (SELECT count(*) FROM print_job WHERE state = 'uncertain') AS uncertain",
      ),
      uncertainSale: db.prepare<[], { sale_id: string }>(
        "SELECT sale_id FROM print_job WHERE state = 'uncertain' AND sale_id IS NOT NULL ORDER BY created_at, job_key LIMIT 1",
      ),
    };
  }

  /** A new queued job (nothing when a job with this key exists). */
  insert(jobKey: string, kind: PrintJobKind, at: string, bytes: Buffer, sha256: string, saleId: string | null): void {
    this.s.insert.run(jobKey, kind, at, bytes, sha256, saleId);
  }

  /** The oldest queued job. */
  next(): { jobKey: string; bytes: Buffer } | null {
    const r = this.s.next.get();
    return r ? { jobKey: r.job_key, bytes: r.bytes } : null;
  }

  /** Moves a job to `state`; `sentAt` is when it went out (null: back in the queue). */
  mark(jobKey: string, state: 'queued' | 'sending' | 'uncertain', sentAt: string | null): void {
    this.s.mark.run(state, sentAt, jobKey);
  }

  /** The printer confirmed a job: it is printed, its bytes go, their hash stays. */
  printed(jobKey: string): void {
    this.s.printed.run(jobKey);
  }

  /** Jobs left 'sending' by a core that stopped become 'uncertain'; how many. */
  unconfirmedToUncertain(): number {
    return this.s.unconfirmed.run().changes;
  }

  /** The uncertain jobs of a sale are settled (a COPY of it was made). */
  settle(saleId: string): number {
    return this.s.settle.run(saleId).changes;
  }

  counts(): { queued: number; uncertain: number } {
    return this.s.counts.get()!;
  }

  /** The sale of the oldest uncertain receipt or copy job (the lane offers its COPY), or null. */
  uncertainSale(): string | null {
    return this.s.uncertainSale.get()?.sale_id ?? null;
  }
}
