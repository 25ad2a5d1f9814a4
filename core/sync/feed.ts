/**
 * What the uploader sends and where it records how far a receiver got: a feed of the terminal's
 * sales in upload sequence, with that receiver's watermark, the sales it refused for good and its
 * attempts. One uploader, two kinds of receiver: HQ reads the outbox (this file's `HqFeed`); a peer
 * terminal of the store reads the sales themselves (core/peers/feed.ts `PeerFeed`).
 *
 * The uploader calls the recording methods inside one transaction of its own (one per answer).
 */
import type { ChainLink, EntryChain } from '../../protocol/hq';
import type { Db } from '../db';
import { OutboxRepo, type OutboxRow } from './repo';

export interface SaleFeed {
  /** Up to `limit` sales after sequence `after`, in sequence order, each with its payload and its journal entry number. */
  batch(after: number, limit: number): OutboxRow[];
  /** The piece of journal chain sent with `rows`, where the sales are not this terminal's own (a peer's copy); absent: this terminal's journal. */
  piece?(rows: ReadonlyArray<Pick<OutboxRow, 'sequence' | 'journal_seq'>>): { entries: Map<number, EntryChain>; links: ChainLink[] };
  /** How many sales wait after sequence `after` for this receiver, and when the oldest of them was made. */
  backlogAfter(after: number): { n: number; oldest: string | null };
  /** Every sale up to this sequence is held by the receiver (or set aside for it). */
  ackedThrough(): number;
  /** The receiver holds every sale through `through` (never moves down). */
  ack(through: number): void;
  /**
   * The receiver holds less than it once acknowledged (a peer till wiped and reflashed: its copy is
   * gone): send again from `through`. Only where the sales are kept for every receiver (a peer's feed;
   * HQ's outbox has dropped what HQ acknowledged).
   */
  rewind?(through: number): void;
  /** Whether this sale is set aside for this receiver (HQ's feed: a receiver that never stores it holds less than the watermark). */
  isSetAside?(sequence: number): boolean;
  /**
   * A peer's feed: the journal entries after the last one the receiver holds, once every sale is
   * sent (core/peers/feed.ts); null when there are none. HQ's feed has none (HQ takes sales' pieces only).
   */
  tail?(limit: number, maxBytes: number): { links: ChainLink[]; through: number; more: boolean } | null;
  /** The receiver took the tail through this entry. */
  tailSent?(through: number): void;
  /** The receiver acknowledged (from, through]: what the feed kept only for it may go (HQ's outbox compacts; a peer's feed keeps the sales). */
  delivered(from: number, through: number): void;
  /** The receiver refuses this sale for good: set aside for this receiver with the reason; 1 if it was not set aside before. */
  setAside(sequence: number, reason: string, at: string): number;
  /** How many sales are set aside for this receiver. */
  setAsideCount(): number;
  /** When the receiver last took a batch (null: never). */
  lastSuccess(): string | null;
  /** Records an attempt: its time, the success time (null: keep the last) and the error (null: none). */
  saveAttempt(a: { success: string | null; error: string | null; attempt: string }): void;
}

/** HQ's feed: the outbox, compacted as HQ acknowledges it, and its quarantine. */
export class HqFeed implements SaleFeed {
  private readonly outbox: OutboxRepo;

  constructor(db: Db) {
    this.outbox = new OutboxRepo(db);
  }

  batch(after: number, limit: number): OutboxRow[] {
    return this.outbox.batch(after, limit);
  }

  backlogAfter(after: number): { n: number; oldest: string | null } {
    return this.outbox.backlogAfter(after);
  }

  ackedThrough(): number {
    return this.outbox.ackedThrough();
  }

  ack(through: number): void {
    this.outbox.ack(through);
  }

  delivered(from: number, through: number): void {
    this.outbox.compact(from, through);
  }

  /** HQ holds less than it acknowledged (restored from an older backup): the sales after `through` are put back in the outbox from the sales themselves. */
  rewind(through: number): void {
    this.outbox.rewind(through);
  }

  isSetAside(sequence: number): boolean {
    return this.outbox.isQuarantined(sequence);
  }

  setAside(sequence: number, reason: string, at: string): number {
    return this.outbox.quarantine(sequence, reason, at);
  }

  setAsideCount(): number {
    return this.outbox.quarantinedCount();
  }

  lastSuccess(): string | null {
    return this.outbox.lastSuccess();
  }

  saveAttempt(a: { success: string | null; error: string | null; attempt: string }): void {
    this.outbox.saveAttempt(a);
  }
}
