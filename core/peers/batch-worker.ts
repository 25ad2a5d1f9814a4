/**
 * The store-peer batch worker's own thread (started by core/peers/batch-host.ts), with a read-only
 * connection of its own (WAL: it never waits for the lane, nor the lane for it). Both ways:
 * - sending: it reads a peer's next batch of this till's sales, encodes it with the piece of journal
 *   it belongs to, signs and posts it to the peer, and hands back only the sales' sequences and the
 *   peer's answer. What the answer means is recorded on the lane's thread (core/sync/uploader.ts), so
 *   a worker that dies loses nothing: the watermark never moved for a batch it did not report;
 * - receiving: it reads a peer's batch (JSON, the protocol's schema) and checks its piece of chain
 *   against the copy held (PeerCopies.precheck); the lane's thread keeps it, taking that verdict only
 *   if the copy still gives the check the same inputs.
 *
 * It writes nothing, and reads no clock: each request carries the time the batch is signed with.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { SalesAckSchema } from '../../protocol/hq';
import { crashPoint } from '../faults';
import { ChainReader } from '../sync/chain';
import { encodeBatch, type BatchShape } from '../sync/encode';
import { HqRequestError, signedPostJson } from '../sync/link';
import type { RemoteSent } from '../sync/uploader-options';
import type { Db } from '../db';
import { PeerCopies } from './copies';
import { PeerFeed } from './feed';
import { parseBatch, type ParsedBatch } from './server';
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

/** … or one batch from a peer read and checked (its signed request was checked already). */
export interface CheckRequest {
  id: number;
  kind: 'check';
  terminalId: string;
  /** Its journal keys as the roster gives them, oldest first. */
  journalKeys: string[];
  body: Uint8Array;
}

/** The answer: the batch sent and the peer's answer (null: nothing to send); the batch received as read; or why neither could be done. */
export type BatchReply = { id: number; sent: RemoteSent | null } | { id: number; parsed: ParsedBatch } | { id: number; failed: string };

/** What the worker does, over a connection: also run on the lane's own, should no worker start (core/peers/batch-host.ts). */
export class BatchWork {
  private readonly chain;
  private readonly feeds = new Map<string, PeerFeed>();
  private readonly copies;
  /** One pinned connection pool per peer key. */
  private readonly fetches = new Map<string, typeof fetch>();

  constructor(private readonly db: Db) {
    this.chain = new ChainReader(db);
    this.copies = new PeerCopies(db);
  }

  /** A peer's next batch of this till's sales, read, encoded, signed and posted; null: none to send. */
  async send(r: Omit<BatchRequest, 'id' | 'kind'>): Promise<RemoteSent | null> {
    const feed = this.feeds.get(r.peerId) ?? this.feeds.set(r.peerId, new PeerFeed(this.db, r.peerId)).get(r.peerId)!;
    const rows = feed.batch(r.after, r.limit);
    if (!rows.length) return null;
    const batch = encodeBatch(feed, this.chain, rows, r.shape, r.at);
    const sequences = batch.rows.map((x) => x.sequence);
    const link = { ...r.link, hqUrl: r.url, now: () => new Date(r.at) };
    try {
      const pinned = this.fetches.get(r.peerKey) ?? this.fetches.set(r.peerKey, pinnedFetch(r.peerKey)).get(r.peerKey)!;
      const ack = SalesAckSchema.parse(await signedPostJson(link, r.salesPath, batch.body, pinned, r.timeoutMs));
      crashPoint('sync.afterSend'); // the peer has the batch, the till has not marked it: a resend must be harmless
      return { sequences, full: batch.full, answer: { ack } };
    } catch (err) {
      const e = err instanceof HqRequestError ? err : new HqRequestError(0, 'BAD_RESPONSE', err instanceof Error ? err.message : String(err));
      return { sequences, full: batch.full, answer: { error: { status: e.status, code: e.code, message: e.message } } };
    }
  }

  /** A received batch read, and its chain checked against the copy as held now. */
  check(r: Omit<CheckRequest, 'id' | 'kind'>): ParsedBatch {
    const parsed = parseBatch(Buffer.from(r.body.buffer, r.body.byteOffset, r.body.byteLength));
    return parsed.ok ? { ...parsed, pre: this.copies.precheck(r.terminalId, r.journalKeys, parsed.batch) } : parsed;
  }
}

const failure = (err: unknown) => (err instanceof Error ? err.message : String(err));

function main(): void {
  const port = parentPort!;
  const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const work = new BatchWork(db);
  port.on('message', (m: BatchRequest | CheckRequest | 'stop') => {
    if (m === 'stop') {
      db.close();
      port.close();
      return;
    }
    if (m.kind === 'check') {
      let reply: BatchReply;
      try {
        reply = { id: m.id, parsed: work.check(m) };
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
