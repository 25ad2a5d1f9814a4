/**
 * A peer speaks for a lost till (issue 19): when HQ lacks sales of a store peer that this till holds
 * a verified copy of, and HQ has not heard from that peer for a while (its disk wiped, encrypted or
 * dead), this till sends them to HQ on its behalf — the same batches the peer would have sent, its
 * own entries and signatures, to `POST /v1/peers/<id>/sales`. HQ checks them against the peer's own
 * chain and journal key and answers duplicates for what it holds, so sales reach HQ exactly once
 * however many tills speak for the same one, and whether or not the peer also sends them itself.
 */
import type { ChainLink, EntryChain } from '../../protocol/hq';
import type { Db } from '../db';
import type { HqLink } from '../sync/link';
import type { OutboxRow } from '../sync/repo';
import { Uploader, type UploaderOptions } from '../sync/uploader';
import type { PeerCopies } from './copies';
import { PeerFeed } from './feed';
import type { Peer } from './roster';

/** What is sent to HQ for a peer: its sales from the copy, with their chain; the watermark kept as `relay:<id>`. */
export class RelayFeed extends PeerFeed {
  constructor(
    db: Db,
    private readonly copies: PeerCopies,
    readonly originId: string,
  ) {
    super(db, `relay:${originId}`);
  }

  override batch(after: number, limit: number): OutboxRow[] {
    return this.copies.sales(this.originId, after, limit);
  }

  override backlogAfter(after: number): { n: number; oldest: string | null } {
    return this.copies.backlogAfter(this.originId, after);
  }

  piece(rows: ReadonlyArray<Pick<OutboxRow, 'sequence' | 'journal_seq'>>): { entries: Map<number, EntryChain>; links: ChainLink[] } {
    return this.copies.piece(this.originId, rows);
  }
}

/** The uploader that sends a peer's held sales to HQ (one batch in flight), starting from what HQ said it holds. */
export function relayUploader(db: Db, link: HqLink, copies: PeerCopies, peer: Pick<Peer, 'terminalId' | 'laneId' | 'hqAckedThrough'>, opts: Omit<UploaderOptions, 'feed' | 'receiver' | 'inFlight'> = {}): Uploader {
  const feed = new RelayFeed(db, copies, peer.terminalId);
  feed.ack(peer.hqAckedThrough);
  return new Uploader(db, link, { ...opts, feed, receiver: { url: link.hqUrl, name: `HQ for lane ${peer.laneId}`, salesPath: `/v1/peers/${encodeURIComponent(peer.terminalId)}/sales` }, inFlight: 1 });
}

/**
 * Whether this till speaks for a peer now: it holds sales HQ lacks (by the roster HQ signed), and
 * HQ had not heard from the peer for `graceMs` when it signed the roster — a till that is only
 * slow to send its own is left to do so (were both to send, HQ would take each sale once anyway).
 */
export function shouldRelay(peer: Pick<Peer, 'hqAckedThrough' | 'lastContact'>, held: number, rosterIssuedAt: string, graceMs: number): boolean {
  if (held <= peer.hqAckedThrough) return false;
  if (peer.lastContact === null) return true;
  return Date.parse(rosterIssuedAt) - Date.parse(peer.lastContact) >= graceMs;
}
