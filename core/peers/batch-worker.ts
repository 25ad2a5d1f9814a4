/**
 * The store-peer batch worker's own thread (started by core/peers/batch-host.ts): it reads a peer's
 * next batch of this till's sales from its own read-only connection (WAL: it never waits for the
 * lane, nor the lane for it), encodes it with the piece of journal it belongs to, signs and posts it
 * to the peer, and hands back only the sales' sequences and the peer's answer. What the answer means
 * is recorded on the lane's thread (core/sync/uploader.ts), so a worker that dies loses nothing: the
 * watermark never moved for a batch it did not report.
 *
 * It writes nothing, and reads no clock: each request carries the time the batch is signed with.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { SalesAckSchema } from '../../protocol/hq';
import { crashPoint } from '../faults';
import { ChainReader } from '../sync/chain';
import { encodeBatch, type BatchShape } from '../sync/encode';
import { HqRequestError, signedPostJson } from '../sync/link';
import type { RemoteSent } from '../sync/uploader-options';
import { PeerFeed } from './feed';

/** What the lane's thread asks for: one batch to one peer. */
export interface BatchRequest {
  id: number;
  peerId: string;
  /** The peer's base URL and the path its batches go to. */
  url: string;
  salesPath: string;
  /** This till's identity as its link holds it (its requests are signed with this key). */
  link: { terminalId: string; storeId: string; laneId: string; privateKey: KeyObject };
  after: number;
  limit: number;
  at: string;
  shape: BatchShape;
  timeoutMs: number;
}

/** The answer: the batch and the peer's answer; null: nothing to send; or why it could not be built at all. */
export type BatchReply = { id: number; sent: RemoteSent | null } | { id: number; failed: string };

function main(): void {
  const port = parentPort!;
  const db = new Database((workerData as { path: string }).path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const chain = new ChainReader(db);
  const feeds = new Map<string, PeerFeed>();
  const feedOf = (peerId: string) => feeds.get(peerId) ?? feeds.set(peerId, new PeerFeed(db, peerId)).get(peerId)!;

  const handle = async (r: BatchRequest): Promise<RemoteSent | null> => {
    const feed = feedOf(r.peerId);
    const rows = feed.batch(r.after, r.limit);
    if (!rows.length) return null;
    const batch = encodeBatch(feed, chain, rows, r.shape, r.at);
    const sequences = batch.rows.map((x) => x.sequence);
    const link = { ...r.link, hqUrl: r.url, now: () => new Date(r.at) };
    try {
      const ack = SalesAckSchema.parse(await signedPostJson(link, r.salesPath, batch.body, fetch, r.timeoutMs));
      crashPoint('sync.afterSend'); // the peer has the batch, the till has not marked it: a resend must be harmless
      return { sequences, full: batch.full, answer: { ack } };
    } catch (err) {
      const e = err instanceof HqRequestError ? err : new HqRequestError(0, 'BAD_RESPONSE', err instanceof Error ? err.message : String(err));
      return { sequences, full: batch.full, answer: { error: { status: e.status, code: e.code, message: e.message } } };
    }
  };

  port.on('message', (m: BatchRequest | 'stop') => {
    if (m === 'stop') {
      db.close();
      port.close();
      return;
    }
    void handle(m).then(
      (sent) => port.postMessage({ id: m.id, sent } satisfies BatchReply),
      (err: unknown) => port.postMessage({ id: m.id, failed: err instanceof Error ? err.message : String(err) } satisfies BatchReply),
    );
  });
}

main();
