/**
 * What this terminal sends a peer terminal of its store (issue 19): its OWN sales, by their upload
 * sequence, read from `sale` and the journal where each body is kept — not from the outbox, which
 * drops a row once HQ acknowledged it: a peer still gets every sale. The peer's watermark, its
 * attempts and the sales it refused for good are kept per peer (`peer_send`, `peer_send_refused`,
 * migration 0023); a sale one peer refuses is skipped for that peer only, and HQ's outbox quarantine
 * is never touched.
 *
 * The Uploader (core/sync/uploader.ts) reads it and records the peer's answers into it; see
 * `peerUploader` (core/peers/send.ts).
 *
 * Its journal after its last sale (issue 19.4: a basket parked after the last sale, resumed on
 * another lane by its slip number) reaches a peer as a "tail" (`tail`): once every sale is sent, the
 * entries after the last one the peer holds, as a batch of `links` only (one unbroken, signed piece,
 * checked as any). What was sent so is kept per peer (`peer_send.tail_seq`, migration 0026); the
 * next sale's piece carries those entries again and the peer keeps only what is new.
 */
import type { ChainLink } from '../../protocol/hq';
import { SALE_ENTRY_KINDS } from '../../protocol/journal-chain-check';
import type { Db } from '../db';
import { SALE_BODY, SALE_ENTRY_SEQ, SALE_KIND } from '../db/sale-body';
import { chainOf, type EntryRow } from '../sync/chain';
import type { SaleFeed } from '../sync/feed';
import type { OutboxRow } from '../sync/repo';

/**
 * The sales after a sequence as the outbox would have them (OUTBOX_BATCH_SQL): the kind from the
 * sale's journal entry, or from its own body where the journal no longer has the entry.
 */
const PEER_BATCH_SQL = `SELECT s.sequence, s.sale_id, ${SALE_KIND} AS kind,
    ${SALE_BODY} AS payload, s.completed_at AS created_at, s.business_date, s.total, ${SALE_ENTRY_SEQ} AS journal_seq
  FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq
  WHERE s.sequence > ? ORDER BY s.sequence LIMIT ?`;

/** A tail to send: its entries (with their bodies), the last one's seq, and whether more follow. */
export interface Tail {
  links: ChainLink[];
  through: number;
  more: boolean;
}

/** One peer's sending state as stored. */
export interface PeerSendState {
  peerId: string;
  ackedThrough: number;
  lastSuccess: string | null;
  lastAttempt: string | null;
  lastError: string | null;
  /** Sales this peer refused for good. */
  quarantined: number;
}

export class PeerFeed implements SaleFeed {
  private readonly s;

  constructor(
    db: Db,
    readonly peerId: string,
  ) {
    this.s = {
      batch: db.prepare<[number, number], OutboxRow>(PEER_BATCH_SQL),
      // Sale sequences have no gaps (they are the outbox's).
      backlogAfter: db.prepare<[{ after: number }], { n: number; oldest: string | null }>(
        'SELECT max(0, (SELECT coalesce(max(sequence), 0) FROM sale) - @after) AS n, (SELECT completed_at FROM sale WHERE sequence > @after ORDER BY sequence LIMIT 1) AS oldest',
      ),
      state: db.prepare<[string], { acked_through: number; last_success: string | null; last_attempt: string | null; last_error: string | null; quarantined: number }>(
        'SELECT acked_through, last_success, last_attempt, last_error, quarantined FROM peer_send WHERE peer_id = ?',
      ),
      ack: db.prepare('INSERT INTO peer_send (peer_id, acked_through) VALUES (@peer, @through) ON CONFLICT (peer_id) DO UPDATE SET acked_through = max(acked_through, excluded.acked_through)'),
      rewind: db.prepare('UPDATE peer_send SET acked_through = min(acked_through, @through), tail_seq = 0 WHERE peer_id = @peer'),
      tailSeq: db.prepare<[string], { tail_seq: number }>('SELECT tail_seq FROM peer_send WHERE peer_id = ?'),
      tailSent: db.prepare('INSERT INTO peer_send (peer_id, tail_seq) VALUES (@peer, @seq) ON CONFLICT (peer_id) DO UPDATE SET tail_seq = max(tail_seq, excluded.tail_seq)'),
      saleEntry: db.prepare<[number], { seq: number | null }>(`SELECT ${SALE_ENTRY_SEQ} AS seq FROM sale s WHERE s.sequence = ?`),
      lastEntry: db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM journal'),
      entriesFrom: db.prepare<[number, number], EntryRow>('SELECT seq, at, kind, ref, body, prev_hash, hash, signature, key_id FROM journal WHERE seq >= ? ORDER BY seq LIMIT ?'),
      refuse: db.prepare('INSERT OR IGNORE INTO peer_send_refused (peer_id, sequence, reason, at) VALUES (?, ?, ?, ?)'),
      countRefused: db.prepare('INSERT INTO peer_send (peer_id, quarantined) VALUES (?, 1) ON CONFLICT (peer_id) DO UPDATE SET quarantined = quarantined + 1'),
      refused: db.prepare<[string], { sequence: number; reason: string; at: string }>('SELECT sequence, reason, at FROM peer_send_refused WHERE peer_id = ? ORDER BY sequence'),
      saveAttempt: db.prepare(
        `INSERT INTO peer_send (peer_id, last_success, last_error, last_attempt) VALUES (@peer, @success, @error, @attempt)
         ON CONFLICT (peer_id) DO UPDATE SET last_success = COALESCE(@success, last_success), last_error = @error, last_attempt = @attempt`,
      ),
    };
  }

  batch(after: number, limit: number): OutboxRow[] {
    return this.s.batch.all(after, limit);
  }

  backlogAfter(after: number): { n: number; oldest: string | null } {
    return this.s.backlogAfter.get({ after })!;
  }

  ackedThrough(): number {
    return this.s.state.get(this.peerId)?.acked_through ?? 0;
  }

  ack(through: number): void {
    this.s.ack.run({ peer: this.peerId, through });
  }

  rewind(through: number): void {
    this.s.rewind.run({ peer: this.peerId, through });
  }

  /**
   * The entries after the last one this peer holds (its last acknowledged sale's, or the last tail
   * it took), up to `limit` entries and about `maxBytes`, ending before any sale's own entry (the sale goes in its own batch); null
   * when there are none (checked with two indexed reads), or when they cannot make one piece with
   * what the peer holds (the journal was archived past them: the next sale's piece goes instead).
   * Called only once every sale is acknowledged.
   */
  tail(limit: number, maxBytes: number): Tail | null {
    const acked = this.ackedThrough();
    const sent = this.s.tailSeq.get(this.peerId)?.tail_seq ?? 0;
    const held = Math.max(sent, acked > 0 ? (this.s.saleEntry.get(acked)?.seq ?? 0) : 0);
    if ((this.s.lastEntry.get()?.seq ?? 0) <= held) return null;
    const links: ChainLink[] = [];
    let bytes = 256;
    const rows = this.s.entriesFrom.all(held + 1, limit + 1);
    for (const r of rows.slice(0, limit)) {
      if (r.seq !== held + 1 + links.length || SALE_ENTRY_KINDS.has(r.kind) || r.body === null) break;
      bytes += r.body.length + 400;
      if (links.length && bytes > maxBytes) break;
      links.push({ ...chainOf(r), body: r.body });
    }
    const last = links.at(-1);
    if (!last) return null;
    const next = rows[links.length];
    return { links, through: last.seq, more: next !== undefined && !SALE_ENTRY_KINDS.has(next.kind) };
  }

  /** The peer took the tail through this entry. */
  tailSent(through: number): void {
    this.s.tailSent.run({ peer: this.peerId, seq: through });
  }

  /** The sales stay: they are this terminal's own, and other receivers (HQ, other peers) read them too. */
  delivered(): void {}

  setAside(sequence: number, reason: string, at: string): number {
    const added = this.s.refuse.run(this.peerId, sequence, reason, at).changes;
    if (added) this.s.countRefused.run(this.peerId);
    return added;
  }

  setAsideCount(): number {
    return this.s.state.get(this.peerId)?.quarantined ?? 0;
  }

  lastSuccess(): string | null {
    return this.s.state.get(this.peerId)?.last_success ?? null;
  }

  saveAttempt(a: { success: string | null; error: string | null; attempt: string }): void {
    this.s.saveAttempt.run({ peer: this.peerId, ...a });
  }

  /** This peer's state as stored (before anything was sent: all zero). */
  state(): PeerSendState {
    const r = this.s.state.get(this.peerId);
    return { peerId: this.peerId, ackedThrough: r?.acked_through ?? 0, lastSuccess: r?.last_success ?? null, lastAttempt: r?.last_attempt ?? null, lastError: r?.last_error ?? null, quarantined: r?.quarantined ?? 0 };
  }

  /** The sales this peer refused for good, with its reasons, in sequence order. */
  refused(): Array<{ sequence: number; reason: string; at: string }> {
    return this.s.refused.all(this.peerId);
  }
}
