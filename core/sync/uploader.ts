/**
 * Sends the outbox to HQ in batches, in order, whenever the network allows: marks what HQ
 * acknowledges, quarantines rows HQ rejects for good (with the reason, so they never block the
 * queue), retries 5xx with exponential backoff and jitter, and resumes from the last
 * acknowledgement after a restart. Selling never waits for it.
 *
 * When HQ cannot be reached at all (a network error or a timeout), no batch goes out on the backoff:
 * HQ is probed cheaply instead (GET /v1/health, a short timeout) every `probeMs`. Once a probe fails
 * the link counts as down and the first probe HQ answers again sends the next batch at once — so a
 * backlog starts moving within about `probeMs` of HQ's return, however long the outage was (a batch
 * sent into a dead link would hang until its timeout; the backoff would have grown to a minute).
 * If HQ answers the first probe, the batch failed on its own (a reset, a hung request): the
 * backoff times the next one, as for 5xx.
 *
 * The same uploader sends to a peer terminal of the store (issue 19: one protocol, two kinds of
 * receiver): `feed` is what it reads and where it records the receiver's answers (core/sync/feed.ts),
 * `receiver` where it sends — the same signed requests, with the terminal's own enrolled key, to the
 * same paths (/v1/sales, /v1/health) at the peer's address. Without them it is HQ's uploader.
 */
import { SalesAckSchema, type SalesAck } from '../../protocol/hq';
import type { Db } from '../db';
import { HqRequestError, probeHq, signedPostJson, type HqLink } from './link';
import { commitLight } from '../db/durability';
import { crashPoint } from '../faults';
import { systemClock } from '../clock';
import { Backoff } from '../../common/backoff';
import type { OutboxRow } from './repo';
import { ChainReader } from './chain';
import { encodeBatch, salesRequest } from './encode';
import { HqFeed, type SaleFeed } from './feed';
import type { RemoteSent, SyncStatus, UploaderOptions } from './uploader-options';
import { performance } from 'node:perf_hooks';
import { yieldToLane } from '../busy';

export type { SyncStatus, UploaderOptions };

/** Journal entries after the last sale sent to a peer in one batch at most (core/peers/feed.ts `tail`). */
const TAIL_LIMIT = 500;

/** One request's worth of the feed: the rows it carries (their sequences), encoded; `full` if more rows may follow it right away. */
interface Batch {
  rows: ReadonlyArray<Pick<OutboxRow, 'sequence'>>;
  /** Empty when it was built and sent elsewhere (`remote`). */
  body: Buffer;
  at: string;
  full: boolean;
  /** How long reading and encoding it took (ms): a paced uploader leaves the lane as long again. */
  encodeMs?: number;
}

export class Uploader {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private stopped = true;
  private readonly backoff: Backoff;
  private online = false;
  private lastError: string | null = null;
  /** Rows HQ refused for good: counted once at start, then kept as they are added (status is read every second). */
  private quarantined: number;
  /** After HQ refused a whole batch as invalid: send one row at a time up to here, to find the bad one. */
  private singleThrough = 0;
  private readonly feed: SaleFeed;
  /** The link the requests are signed with, pointed at the receiver. */
  private readonly link: HqLink;
  /** How log lines start: `sync:` for HQ, `sync to <receiver>:` for another. */
  private readonly logAs: string;
  private readonly chain: Pick<ChainReader, 'piece'>;
  /** Probing HQ after a network failure: the next probe's timer (null: not probing). */
  private probeTimer: NodeJS.Timeout | null = null;
  /** A probe failed since the last network failure (HQ is out of reach): the first probe answered sends the next batch at once. */
  private linkDown = false;

  constructor(
    private readonly db: Db,
    link: HqLink,
    private readonly opts: UploaderOptions = {},
  ) {
    this.link = opts.receiver ? { ...link, hqUrl: opts.receiver.url } : link;
    this.logAs = opts.receiver ? `sync to ${opts.receiver.name}:` : 'sync:';
    this.backoff = new Backoff({ minMs: opts.minBackoffMs ?? 500, maxMs: opts.maxBackoffMs ?? 60_000, jitter: 0.5 });
    this.feed = opts.feed ?? new HqFeed(db);
    const feed = this.feed;
    this.chain = feed.piece ? { piece: (rows) => feed.piece!(rows) } : new ChainReader(db);
    this.quarantined = this.feed.setAsideCount();
  }

  private now(): Date {
    return (this.opts.now ?? systemClock)();
  }

  status(): SyncStatus {
    const acked = this.feed.ackedThrough();
    const b = this.feed.backlogAfter(acked);
    return { online: this.online, backlog: b.n, oldestUnsentAt: b.oldest, lastSuccess: this.feed.lastSuccess(), lastError: this.lastError, quarantined: this.quarantined, ackedThrough: acked };
  }

  private backlog(): { n: number; oldest: string | null } {
    return this.feed.backlogAfter(this.feed.ackedThrough());
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.stopProbing();
  }

  /** A new sale is in the outbox: try now (even while backing off — the network may be back; while HQ is being probed, the probe decides). */
  poke(): void {
    if (!this.running && !this.stopped && !this.probeTimer) this.schedule(0);
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
    let failure: unknown = null;
    try {
      more = await this.sendBatch();
    } catch (err) {
      failure = err ?? new Error('failed');
    } finally {
      this.running = false;
    }
    if (this.stopped) return;
    if (failure instanceof HqRequestError && failure.code === 'NETWORK') {
      // HQ out of reach: the probes time the next batch (none goes into a link that may be dead).
      this.startProbing();
      return;
    }
    this.stopProbing();
    if (failure || !this.online) this.schedule(this.backoff.next());
    else this.schedule(more ? 0 : (this.opts.idleMs ?? 2_000));
  }

  private startProbing(): void {
    if (this.probeTimer) return;
    this.probeTimer = setTimeout(() => void this.probe(), this.opts.probeMs ?? 2_000);
    this.probeTimer.unref();
  }

  private stopProbing(): void {
    if (this.probeTimer) clearTimeout(this.probeTimer);
    this.probeTimer = null;
    this.linkDown = false;
  }

  /** One probe; the next is timed from this one's start, so a probe that times out does not stretch the interval. */
  private async probe(): Promise<void> {
    this.probeTimer = setTimeout(() => void this.probe(), this.opts.probeMs ?? 2_000);
    this.probeTimer.unref();
    const up = await probeHq(this.link.hqUrl, this.opts.fetchFn, this.opts.probeTimeoutMs ?? 1_500);
    if (this.stopped || !this.probeTimer) return; // stopped, or a batch got through meanwhile
    if (!up) {
      this.linkDown = true;
      // No batch into a dead link: the probe that HQ answers starts the next one.
      if (this.timer && !this.running) clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    const wasDown = this.linkDown;
    this.stopProbing();
    if (wasDown) this.opts.log?.(`${this.logAs} ${this.opts.receiver?.name ?? 'HQ'} answers again; sending the backlog`);
    // Back after a probe failed: send now. HQ answered the first probe, so the batch failed on its
    // own (a reset, a hung request): the backoff times the next one, and its failure probes again.
    if (!this.running) this.schedule(wasDown ? 0 : this.backoff.next());
  }

  /**
   * One batch — and, while HQ works on it, the next ones too (several requests in flight; HQ's
   * acknowledgement is the highest contiguous sequence, so the order they land in does not
   * matter). True if there may be more to send right away.
   */
  async sendBatch(): Promise<boolean> {
    const watermark = this.feed.ackedThrough();
    const first = this.feed.batch(watermark, 1)[0];
    if (!first) return this.sendTail(watermark);
    if (first.sequence <= this.singleThrough) {
      const one = this.encode([first]);
      return this.settle(one, await this.post(one));
    }
    if (this.opts.remote) return this.sendRemote(watermark);
    // A sliding window: up to `inFlight` batches on the way, the next one posted as soon as the
    // oldest is answered; answers are recorded in order. Returns when the outbox is sent.
    const window: Array<{ batch: Batch; answer: ReturnType<Uploader['post']> }> = [];
    let after = watermark;
    let exhausted = false;
    const fill = () => {
      while (!exhausted && window.length < (this.opts.inFlight ?? 2)) {
        const reading = performance.now();
        const rows = this.feed.batch(after, this.opts.batchSize ?? 1_000);
        if (!rows.length) {
          exhausted = true;
          break;
        }
        const batch: Batch = this.encode(rows);
        window.push({ batch, answer: this.post(batch) });
        batch.encodeMs = performance.now() - reading; // reading, encoding, hashing and signing the request
        after = batch.rows[batch.rows.length - 1]!.sequence;
        if (!batch.full) exhausted = true;
      }
    };
    fill();
    let more = false;
    while (window.length) {
      const b = window.shift()!;
      const answer = await b.answer;
      const settling = performance.now();
      try {
        more = this.settle(b.batch, answer);
      } catch (err) {
        await Promise.all(window.map((x) => x.answer)); // never reject; those rows are sent again from the acknowledgement
        throw err;
      }
      if (this.singleThrough >= b.batch.rows[0]!.sequence) {
        // HQ refused this batch as invalid: the rest is sent again after the bad row is found.
        await Promise.all(window.map((x) => x.answer));
        return true;
      }
      if (this.opts.pace) await yieldToLane(performance.now() - settling + (b.batch.encodeMs ?? 0));
      fill();
    }
    return more;
  }

  /**
   * The same, each batch read, encoded, signed and posted off this thread (`remote`: a store peer's
   * batch worker); only the answer is recorded here — one batch at a time, as a peer takes them.
   */
  private async sendRemote(watermark: number): Promise<boolean> {
    let after = watermark;
    for (;;) {
      const at = this.now().toISOString();
      const sent = await this.opts.remote!.send(after, this.opts.batchSize ?? 1_000, at).catch((err: unknown) => {
        // The batch got no answer (its worker died, or could not read it): nothing is recorded as sent; the backoff times the next try.
        const e = new HqRequestError(0, 'WORKER', err instanceof Error ? err.message : String(err));
        if (!this.stopped) this.failed(e, at);
        throw e;
      });
      if (!sent) return false;
      const settling = performance.now();
      const batch: Batch = { rows: sent.sequences.map((sequence) => ({ sequence })), body: Buffer.alloc(0), at, full: sent.full };
      const more = this.settle(batch, remoteAnswer(sent.answer, at));
      if (this.singleThrough >= sent.sequences[0]! || !sent.full || this.stopped) return more;
      if (this.opts.pace) await yieldToLane(performance.now() - settling);
      after = sent.sequences[sent.sequences.length - 1]!;
    }
  }

  /** Every sale is sent: a peer's feed may have entries after the last one the peer holds (a basket parked after the last sale), sent as links only; true if more follow. */
  private async sendTail(watermark: number): Promise<boolean> {
    const tail = this.feed.tail?.(TAIL_LIMIT, this.opts.maxBatchBytes ?? 3_000_000);
    if (!tail) return false;
    const at = this.now().toISOString();
    const body = salesRequest({ clock: at, softwareVersion: this.opts.softwareVersion ?? '0.1.0', backlog: { count: 0, oldestAt: null }, links: tail.links }, []);
    const r = await this.post({ rows: [], body, at, full: false });
    try {
      if ('error' in r) {
        this.failed(r.error, at);
        throw r.error; // a network error probes, any other backs off: as for a batch of sales
      }
      if (r.ack.rejected.length === 0 && this.rewound(r.ack.ackedThrough, watermark, at)) return true;
      commitLight(this.db, () => this.db.transaction(() => {
        this.feed.tailSent!(tail.through);
        this.feed.saveAttempt({ success: at, error: null, attempt: at });
      })());
      this.answered();
      return tail.more;
    } finally {
      this.opts.onSettled?.();
    }
  }

  /** The request for as many of `rows` as fit in `maxBatchBytes` (at least one), encoded once. */
  private encode(rows: OutboxRow[]): Batch {
    const shape = { batchSize: this.opts.batchSize ?? 1_000, maxBatchBytes: this.opts.maxBatchBytes ?? 3_000_000, softwareVersion: this.opts.softwareVersion ?? '0.1.0' };
    return encodeBatch(this.feed, this.chain, rows, shape, this.now().toISOString());
  }

  private async post(batch: Batch): Promise<{ at: string; ack: SalesAck } | { at: string; error: HqRequestError }> {
    const { at } = batch;
    try {
      const answer = await signedPostJson(this.link, this.opts.receiver?.salesPath ?? '/v1/sales', batch.body, this.opts.fetchFn, this.opts.timeoutMs ?? 15_000);
      const ack = SalesAckSchema.parse(answer);
      crashPoint('sync.afterSend'); // HQ has the batch, the terminal has not marked it: a resend must be harmless
      return { at, ack };
    } catch (err) {
      return { at, error: err instanceof HqRequestError ? err : new HqRequestError(0, 'BAD_RESPONSE', err instanceof Error ? err.message : String(err)) };
    }
  }

  /** Records HQ's answer to one batch; throws on network errors and 5xx. */
  private settle(batch: Batch, r: { at: string; ack: SalesAck } | { at: string; error: HqRequestError }): boolean {
    try {
      return this.record(batch, r);
    } finally {
      this.opts.onSettled?.();
    }
  }

  /** The receiver answered: the link is up, and the backoff starts again. */
  private answered(): void {
    this.online = true;
    this.lastError = null;
    this.backoff.reset();
  }

  /**
   * The receiver holds sales only through `held`, less than the `said` it acknowledged before (a peer
   * wiped and reflashed, or a power cut took its copy back; HQ restored from an older backup): everything
   * after what it holds goes again. For HQ only below what it did acknowledge (two batches in flight
   * may be answered out of order) and not for a sale set aside for it (HQ never stores that one).
   */
  private rewound(held: number, said: number, attempt: string): boolean {
    if (!this.feed.rewind || held >= said || (!this.opts.receiver && (said > this.feed.ackedThrough() || this.feed.isSetAside?.(held + 1)))) return false;
    this.opts.log?.(`${this.logAs} holds sales only through ${held}, not ${said} as it said before: sending again from there`);
    this.db.transaction(() => {
      this.feed.rewind!(held);
      this.feed.saveAttempt({ success: attempt, error: null, attempt });
    })();
    this.answered();
    return true;
  }

  /** A request failed: the link's state, the attempt and the log say so. */
  private failed(e: HqRequestError, attempt: string): void {
    this.online = e.status > 0 && e.status < 500;
    this.lastError = `${e.code}: ${e.message}`;
    this.feed.saveAttempt({ success: null, error: this.lastError, attempt });
    this.opts.log?.(`${this.logAs} ${this.lastError}`);
  }

  private record(batch: Batch, r: { at: string; ack: SalesAck } | { at: string; error: HqRequestError }): boolean {
    const { rows } = batch;
    const attempt = r.at;
    if ('error' in r) {
      const e = r.error;
      this.failed(e, attempt);
      if (e.status >= 400 && e.status < 500 && e.code === 'INVALID' && rows.length === 1) {
        // HQ refuses this one row outright: quarantine it so it never blocks the queue.
        // The counter follows the rows only once they are committed.
        this.quarantined += this.db.transaction(() => {
          const added = this.feed.setAside(rows[0]!.sequence, e.message, attempt);
          this.feed.ack(rows[0]!.sequence);
          return added;
        })();
        return true;
      }
      if (e.status >= 400 && e.status < 500 && e.code === 'INVALID') {
        // Send one row at a time up to here, to find the bad one.
        this.singleThrough = Math.max(this.singleThrough, rows[rows.length - 1]!.sequence);
        return true;
      }
      throw e;
    }
    const { ack } = r;
    if (ack.rejected.length === 0 && this.rewound(ack.ackedThrough, rows[0]!.sequence - 1, attempt)) return true;
    // Without an fsync of its own: a power cut that takes this commit back only sends these rows
    // again, and HQ answers a resend as duplicates (the next durable commit — a sale — flushes it).
    this.quarantined += commitLight(this.db, () => this.db.transaction(() => {
      let added = 0;
      for (const x of ack.rejected) added += this.feed.setAside(x.sequence, x.reason, attempt);
      const from = this.feed.ackedThrough();
      // A peer answers for what it was sent, never more (an answer from whoever else holds its address moves nothing past that).
      const through = this.opts.receiver ? Math.min(ack.ackedThrough, rows[rows.length - 1]!.sequence) : ack.ackedThrough;
      this.feed.ack(through);
      this.feed.delivered(from, through);
      this.feed.saveAttempt({ success: attempt, error: null, attempt });
      return added;
    })());
    this.answered();
    return batch.full || ack.ackedThrough >= rows[rows.length - 1]!.sequence ? this.backlog().n > 0 : false;
  }
}

/** A remote batch's answer as the uploader records one (`at`: the time the batch was signed with). */
function remoteAnswer(answer: RemoteSent['answer'], at: string): { at: string; ack: SalesAck } | { at: string; error: HqRequestError } {
  return 'ack' in answer ? { at, ack: answer.ack } : { at, error: new HqRequestError(answer.error.status, answer.error.code, answer.error.message) };
}
