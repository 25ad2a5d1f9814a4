/**
 * Sends the outbox to HQ in batches, in order, whenever the network allows: marks what HQ
 * acknowledges, quarantines rows HQ rejects for good (with the reason, so they never block the
 * queue), retries network errors and 5xx with exponential backoff and jitter, and resumes from the
 * last acknowledgement after a restart. Selling never waits for it.
 */
import { SalesAckSchema, type SaleUpload } from '../../protocol/hq';
import type { Db } from '../db';
import { HqRequestError, signedPost, type HqLink } from './link';
import { crashPoint } from '../faults';

export interface UploaderOptions {
  batchSize?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Pause between batches while there is nothing to send (ms). */
  idleMs?: number;
  softwareVersion?: string;
  /** How long one request may take before it counts as a network failure (ms). */
  timeoutMs?: number;
  fetchFn?: typeof fetch;
  log?: (line: string) => void;
  now?: () => Date;
}

export interface SyncStatus {
  online: boolean;
  backlog: number;
  oldestUnsentAt: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  quarantined: number;
}

export class Uploader {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private backoff: number;
  private online = false;
  private lastError: string | null = null;
  /** After HQ refused a whole batch as invalid: send one row at a time up to here, to find the bad one. */
  private singleThrough = 0;
  private readonly stmts;

  constructor(
    private readonly db: Db,
    private readonly link: HqLink,
    private readonly opts: UploaderOptions = {},
  ) {
    this.backoff = opts.minBackoffMs ?? 500;
    this.stmts = {
      batch: db.prepare<[number], { sequence: number; sale_id: string; kind: string; payload: string; created_at: string; business_date: string; total: number }>(
        `SELECT o.sequence, o.sale_id, o.kind, o.payload, o.created_at, s.business_date, s.total
         FROM outbox o JOIN sale s ON s.sale_id = o.sale_id
         WHERE o.acked_at IS NULL ORDER BY o.sequence LIMIT ?`,
      ),
      backlog: db.prepare<[], { n: number; oldest: string | null }>('SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE acked_at IS NULL'),
      backlogAfter: db.prepare<[number], { n: number; oldest: string | null }>('SELECT count(*) AS n, min(created_at) AS oldest FROM outbox WHERE acked_at IS NULL AND sequence > ?'),
      ack: db.prepare('UPDATE outbox SET acked_at = ? WHERE sequence <= ? AND acked_at IS NULL'),
      quarantine: db.prepare('INSERT OR IGNORE INTO outbox_quarantine (sequence, reason, at) VALUES (?, ?, ?)'),
      quarantined: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM outbox_quarantine'),
      state: db.prepare<[], { last_success: string | null }>('SELECT last_success FROM sync_state WHERE id = 1'),
      saveState: db.prepare(
        `INSERT INTO sync_state (id, last_success, last_error, last_attempt) VALUES (1, @success, @error, @attempt)
         ON CONFLICT (id) DO UPDATE SET last_success = COALESCE(@success, last_success), last_error = @error, last_attempt = @attempt`,
      ),
    };
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  status(): SyncStatus {
    const b = this.stmts.backlog.get()!;
    return { online: this.online, backlog: b.n, oldestUnsentAt: b.oldest, lastSuccess: this.stmts.state.get()?.last_success ?? null, lastError: this.lastError, quarantined: this.stmts.quarantined.get()!.n };
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** A new sale is in the outbox: try now (even while backing off — the network may be back). */
  poke(): void {
    if (!this.running && !this.stopped) this.schedule(0);
  }

  /** Sends until the outbox is empty or HQ cannot be reached; resolves when it stops trying. */
  async drain(): Promise<void> {
    while (await this.sendBatch()) {
      // keep going
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.running || this.stopped) return;
    this.running = true;
    let more = false;
    let failed = false;
    try {
      more = await this.sendBatch();
    } catch {
      failed = true;
    } finally {
      this.running = false;
    }
    if (failed || !this.online) {
      const delay = this.backoff * (0.5 + Math.random());
      this.backoff = Math.min(this.backoff * 2, this.opts.maxBackoffMs ?? 60_000);
      this.schedule(delay);
    } else this.schedule(more ? 0 : (this.opts.idleMs ?? 2_000));
  }

  /** One batch; true if there may be more to send right away. */
  async sendBatch(): Promise<boolean> {
    const first = this.stmts.batch.all(1)[0];
    if (!first) return false;
    const rows = first.sequence <= this.singleThrough ? [first] : this.stmts.batch.all(this.opts.batchSize ?? 500);
    // What will still wait on the terminal once HQ has this batch.
    const after = this.stmts.backlogAfter.get(rows[rows.length - 1]!.sequence)!;
    const sales: SaleUpload[] = rows.map((r) => ({ sequence: r.sequence, saleId: r.sale_id, kind: r.kind === 'return' ? 'return' : 'sale', businessDate: r.business_date, total: r.total, createdAt: r.created_at, body: r.payload }));
    const attempt = this.now().toISOString();
    let ack;
    try {
      const answer = await signedPost(this.link, '/v1/sales', { clock: attempt, softwareVersion: this.opts.softwareVersion ?? '0.1.0', backlog: { count: after.n, oldestAt: after.oldest }, sales }, this.opts.fetchFn, this.opts.timeoutMs ?? 15_000);
      ack = SalesAckSchema.parse(answer);
      crashPoint('sync.afterSend'); // HQ has the batch, the terminal has not marked it: a resend must be harmless
    } catch (err) {
      const e = err instanceof HqRequestError ? err : new HqRequestError(0, 'BAD_RESPONSE', err instanceof Error ? err.message : String(err));
      this.online = e.status > 0 && e.status < 500;
      this.lastError = `${e.code}: ${e.message}`;
      this.stmts.saveState.run({ success: null, error: this.lastError, attempt });
      this.opts.log?.(`sync: ${this.lastError}`);
      if (e.status >= 400 && e.status < 500 && e.code === 'INVALID' && rows.length === 1) {
        // HQ refuses this one row outright: quarantine it so it never blocks the queue.
        this.db.transaction(() => {
          this.stmts.quarantine.run(rows[0]!.sequence, e.message, attempt);
          this.stmts.ack.run(attempt, rows[0]!.sequence);
        })();
        return true;
      }
      if (e.status >= 400 && e.status < 500 && e.code === 'INVALID') {
        this.singleThrough = rows[rows.length - 1]!.sequence;
        return true;
      }
      throw e;
    }
    this.db.transaction(() => {
      for (const r of ack.rejected) this.stmts.quarantine.run(r.sequence, r.reason, attempt);
      this.stmts.ack.run(attempt, ack.ackedThrough);
      this.stmts.saveState.run({ success: attempt, error: null, attempt });
    })();
    this.online = true;
    this.lastError = null;
    this.backoff = this.opts.minBackoffMs ?? 500;
    return rows.length === (this.opts.batchSize ?? 500) || ack.ackedThrough >= rows[rows.length - 1]!.sequence ? this.stmts.backlog.get()!.n > 0 : false;
  }
}
