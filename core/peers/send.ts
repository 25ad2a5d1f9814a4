/**
 * The uploader for one peer terminal of the store: this terminal's own sales (PeerFeed) to the
 * peer's address, over the same signed batch protocol as to HQ, signed with the terminal's own
 * enrolled key (the peer checks it against the store roster), addressed to that peer (`?to=`, under
 * the signature: a till at the wrong address refuses it). One batch in flight: with two, the next
 * built while the peer checks the last, a 10,000-sale catch-up took ~1.7 s instead of ~2 s but held
 * the selling lane's event loop so that a scan waited ~430 ms at the median (bench/peers.ts) — that
 * was when batches were built on the lane's thread; now the batch worker builds the next one while
 * the last is on its way, and posts it once that one is answered (core/peers/batch-worker.ts). The
 * peer's listener takes one sender's batches in the order they came anyway (core/peers/server.ts).
 */
import type { Db } from '../db';
import type { HqLink } from '../sync/link';
import { Uploader, type UploaderOptions } from '../sync/uploader';
import type { PeerBatchWorker } from './batch-host';
import { PeerFeed } from './feed';
import { pinnedFetch } from './tls';

export interface PeerAddress {
  /** The peer's terminal id (as enrolled at HQ): its watermark is kept under it. */
  terminalId: string;
  /** Its base URL, e.g. https://10.0.0.12:7443 (it answers /v1/sales and /v1/health). */
  url: string;
  /** Its request key as the roster gives it (raw Ed25519, base64url): the TLS connection is to its holder only (core/peers/tls.ts). */
  key: string;
}

/**
 * `link`: this terminal's HQ link (its id and enrolled key sign every request). `worker`: where its
 * batches are built and sent (core/peers/batch-host.ts), off the lane's thread; absent: on it.
 */
export function peerUploader(
  db: Db,
  link: HqLink,
  peer: PeerAddress,
  opts: Omit<UploaderOptions, 'feed' | 'receiver' | 'inFlight' | 'remote'> = {},
  worker?: PeerBatchWorker,
): { uploader: Uploader; feed: PeerFeed } {
  const feed = new PeerFeed(db, peer.terminalId);
  // A peer is on the store's LAN: after a failure it is tried again within seconds, not HQ's minute.
  // Batches of 100 sales: building one held the selling till's event loop ~3 ms, not the ~35 ms of
  // HQ's 1,000 (bench/peers.ts: a catch-up of 10,000 sales took scan p99 to ~500 ms with 1,000, ~37 ms
  // with 100); built on the batch worker now, they also keep each check on the receiving till short.
  // A till busy with its own sales (a commit's fsync on a loaded disk) may take seconds to answer: it
  // is probed with 5 s to spare, not HQ's 1.5 s, so a slow answer is not taken for a peer that is gone.
  // Paced while the lane is at work (core/busy.ts): between batches the lane gets the event loop for as long as recording each took.
  const o = { maxBackoffMs: 10_000, probeTimeoutMs: 5_000, batchSize: 100, maxBatchBytes: 400_000, pace: true, ...opts };
  const salesPath = `/v1/sales?to=${encodeURIComponent(peer.terminalId)}`;
  const remote = worker?.sender({
    peerId: peer.terminalId, url: peer.url, peerKey: peer.key, salesPath, link, timeoutMs: o.timeoutMs ?? 15_000,
    shape: { batchSize: o.batchSize, maxBatchBytes: o.maxBatchBytes, softwareVersion: o.softwareVersion ?? '0.1.0' },
  });
  const uploader = new Uploader(db, link, { fetchFn: pinnedFetch(peer.key), ...o, feed, receiver: { url: peer.url, name: `peer ${peer.terminalId}`, salesPath }, inFlight: 1, ...(remote ? { remote } : {}) });
  return { uploader, feed };
}
