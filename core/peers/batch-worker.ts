/**
 * The store-peer batch worker's own thread (started by core/peers/batch-host.ts), with a read-only
 * connection of its own to the lane's file (WAL: it never waits for the lane, nor the lane for it),
 * and the only writable one to the copies' file beside it (core/db/copies-file.ts). Both ways:
 * - sending: it reads a peer's next batch of this till's sales, encodes it with the piece of journal
 *   it belongs to, signs and posts it to the peer, and hands back only the sales' sequences and the
 *   peer's answer. What the answer means is recorded on the lane's thread (core/sync/uploader.ts), so
 *   a worker that dies loses nothing: the watermark never moved for a batch it did not report;
 * - receiving: it reads a peer's batch (JSON, the protocol's schema), checks it against the copy held
 *   and keeps it (PeerCopies.ingest), committed before it answers: the lane's thread acknowledges only
 *   what the copies' file holds. Each copied entry's own signature is checked here too (CopyAudit), a
 *   step when the lane's thread asks (it knows when the lane is idle).
 *
 * It writes nothing of the lane's, and reads no clock: each request carries the time it is made at.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { SalesAckSchema } from '../../protocol/hq';
import { crashPoint } from '../faults';
import { ChainReader } from '../sync/chain';
import { encodeBatch, type BatchShape, type EncodedBatch } from '../sync/encode';
import { HqRequestError, signedPostJson } from '../sync/link';
import type { RemoteSent } from '../sync/uploader-options';
import type { Db } from '../db';
import { closeCopies } from '../db/copies-file';
import { CopyAudit } from './audit';
import { PeerCopies } from './copies';
import { PeerFeed } from './feed';
import { NO_JOURNAL_KEY, parseBatch, type KeepResult } from './server';
import { pinnedFetch } from './tls';

/** What the lane's thread asks for: one batch to one peer … */
export interface BatchRequest {
  id: number;
  kind: 'send';
  peerId: string;
  /** The peer's base URL and the path its batches go to. */
  url: string;
  /** Its request key as the roster gives it: the TLS connection is to its holder only (core/peers/tls.ts). */
  peerKey: string;
  salesPath: string;
  /** This till's identity as its link holds it (its requests are signed with this key). */
  link: { terminalId: string; storeId: string; laneId: string; privateKey: KeyObject };
  after: number;
  limit: number;
  at: string;
  shape: BatchShape;
  timeoutMs: number;
}

/** … or one batch from a peer read, checked and kept (its signed request was checked already) … */
export interface KeepRequest {
  id: number;
  kind: 'keep';
  terminalId: string;
  /** Its journal keys as the roster gives them, oldest first (none: not known yet, nothing is kept). */
  journalKeys: string[];
  body: Uint8Array;
  /** When it was received (its last contact). */
  at: string;
}

/** … or a step of the check of the copied entries' own signatures (core/peers/audit.ts). */
export interface AuditRequest {
  id: number;
  kind: 'audit';
  /** Each peer's journal keys by terminal id, as the roster gives them (oldest first). */
  keys: Record<string, string[]>;
  max: number;
  at: string;
}

export type WorkRequest = BatchRequest | KeepRequest | AuditRequest;

/** A step of the audit: entries checked, and whether a peer's alert changed. */
export interface Audited {
  checked: number;
  alerted: boolean;
}

/** The answer: the batch sent and the peer's answer (null: nothing to send); the batch received and kept; the audit's step; or why it could not be done. */
export type BatchReply = { id: number; sent: RemoteSent | null } | { id: number; kept: KeepResult } | { id: number; audited: Audited } | { id: number; failed: string };

/** What the worker does, over a connection: also run on the lane's own, should no worker start (core/peers/batch-host.ts). */
export class BatchWork {
  private readonly chain;
  private readonly feeds = new Map<string, PeerFeed>();
  private readonly copies;
  private readonly audit;
  /** One pinned connection pool per peer key. */
  private readonly fetches = new Map<string, typeof fetch>();
  /** Per peer, its next batch, built while the last was on its way (`ahead`). */
  private readonly next = new Map<string, { after: number; limit: number; batch: EncodedBatch }>();

  /**
   * `ahead`: while a batch is on its way, the next one is built (a catch-up then waits on one round
   * trip at a time, not also on building each batch); on the worker only — on the lane's thread it
   * would hold the lane's event loop while the peer works.
   */
  constructor(
    private readonly db: Db,
    private readonly ahead = false,
  ) {
    this.chain = new ChainReader(db);
    this.copies = new PeerCopies(db);
    this.audit = new CopyAudit(db);
  }

  /** A peer's next batch of this till's sales, read, encoded, signed and posted; null: none to send. */
  async send(r: Omit<BatchRequest, 'id' | 'kind'>): Promise<RemoteSent | null> {
    const feed = this.feeds.get(r.peerId) ?? this.feeds.set(r.peerId, new PeerFeed(this.db, r.peerId)).get(r.peerId)!;
    const batch = this.batchAfter(feed, r);
    if (!batch) return null;
    const sequences = batch.rows.map((x) => x.sequence);
    const link = { ...r.link, hqUrl: r.url, now: () => new Date(r.at) };
    try {
      const pinned = this.fetches.get(r.peerKey) ?? this.fetches.set(r.peerKey, pinnedFetch(r.peerKey)).get(r.peerKey)!;
      const posting = signedPostJson(link, r.salesPath, batch.body, pinned, r.timeoutMs);
      // The uploader asks for the next batch (after this one's last sale) once this one is answered.
      if (this.ahead && batch.full) setImmediate(() => this.buildAhead(feed, r, sequences[sequences.length - 1]!));
      const ack = SalesAckSchema.parse(await posting);
      crashPoint('sync.afterSend'); // the peer has the batch, the till has not marked it: a resend must be harmless
      return { sequences, full: batch.full, answer: { ack } };
    } catch (err) {
      const e = err instanceof HqRequestError ? err : new HqRequestError(0, 'BAD_RESPONSE', err instanceof Error ? err.message : String(err));
      return { sequences, full: batch.full, answer: { error: { status: e.status, code: e.code, message: e.message } } };
    }
  }

  /** The batch after `r.after`: the one built ahead if it is that one (and was full: else more may have been sold since), else built now; null: none. */
  private batchAfter(feed: PeerFeed, r: Omit<BatchRequest, 'id' | 'kind'>): EncodedBatch | null {
    const built = this.next.get(r.peerId);
    this.next.delete(r.peerId);
    if (built && built.after === r.after && built.limit === r.limit && built.batch.full) return built.batch;
    const rows = feed.batch(r.after, r.limit);
    return rows.length ? encodeBatch(feed, this.chain, rows, r.shape, r.at) : null;
  }

  private buildAhead(feed: PeerFeed, r: Omit<BatchRequest, 'id' | 'kind'>, after: number): void {
    try {
      const rows = feed.batch(after, r.limit);
      if (rows.length) this.next.set(r.peerId, { after, limit: r.limit, batch: encodeBatch(feed, this.chain, rows, r.shape, r.at) });
    } catch {
      // Built again when it is asked for.
    }
  }

  /** A received batch read, checked against the copy and kept, committed (core/peers/copies.ts). */
  keep(r: Omit<KeepRequest, 'id' | 'kind'>): KeepResult {
    const parsed = parseBatch(Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
    if (!parsed.ok) return parsed;
    if (!r.journalKeys.length) return { ok: false, code: 'NO_JOURNAL_KEY', message: NO_JOURNAL_KEY };
    return { ok: true, ack: this.copies.ingest(r.terminalId, r.journalKeys, parsed.batch, new Date(r.at)) };
  }

  /** Checks up to `max` copied entries' own signatures (core/peers/audit.ts). */
  auditStep(r: Omit<AuditRequest, 'id' | 'kind'>): Audited {
    return this.audit.stepWith(r.keys, r.max, r.at);
  }
}

const failure = (err: unknown) => (err instanceof Error ? err.message : String(err));

function main(): void {
  const port = parentPort!;
  const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const work = new BatchWork(db, true);
  port.on('message', (m: WorkRequest | 'stop') => {
    if (m === 'stop') {
      closeCopies(db);
      db.close();
      port.close();
      return;
    }
    if (m.kind !== 'send') {
      let reply: BatchReply;
      try {
        reply = m.kind === 'keep' ? { id: m.id, kept: work.keep(m) } : { id: m.id, audited: work.auditStep(m) };
      } catch (err) {
        reply = { id: m.id, failed: failure(err) };
      }
      port.postMessage(reply);
      return;
    }
    void work.send(m).then(
      (sent) => port.postMessage({ id: m.id, sent } satisfies BatchReply),
      (err: unknown) => port.postMessage({ id: m.id, failed: failure(err) } satisfies BatchReply),
    );
  });
}

// Loaded as the worker (core/peers/batch-host.ts says so), not when the lane's thread imports BatchWork.
if (!isMainThread && (workerData as { peerBatchWorker?: boolean } | null)?.peerBatchWorker) main();
