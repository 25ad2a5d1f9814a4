/**
 * The piece of the journal chain a batch of sales carries to HQ (protocol/hq.ts, checked by
 * hq/chain.ts): each sale's own entry, and every entry between the previous sale's entry and the
 * batch's last sale — so HQ can follow the chain, unbroken, from what it already holds.
 */
import type { ChainLink, EntryChain } from '../../protocol/hq';
import type { Db } from '../db';

/** A journal entry's row as read for a piece (the journal's columns; core/peers/copies.ts holds peers' entries in the same shape). */
export interface EntryRow {
  seq: number;
  at: string;
  kind: string;
  ref: string | null;
  /** Null for a sale's or return's entry: its body is the outbox row's payload, read with the batch. */
  body: string | null;
  prev_hash: string;
  hash: string;
  signature: string | null;
  key_id: string | null;
}

/** At most this many entries before a terminal's very first sale are sent (HQ takes the chain from there). */
const MAX_LEAD = 40_000;

/** A journal row's chain fields, as a batch carries them. */
export const chainOf = (r: EntryRow): EntryChain => ({ seq: r.seq, at: r.at, kind: r.kind, ref: r.ref, prevHash: r.prev_hash, hash: r.hash, signature: r.signature, keyId: r.key_id });

export class ChainReader {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      saleEntry: db.prepare<[number], { journal_seq: number | null }>('SELECT journal_seq FROM sale WHERE sequence = ?'),
      firstEntry: db.prepare<[], { seq: number | null }>('SELECT min(seq) AS seq FROM journal'),
      range: db.prepare<[number, number], EntryRow>(
        "SELECT seq, at, kind, ref, CASE WHEN kind IN ('sale.completed', 'sale.return') THEN NULL ELSE body END AS body, prev_hash, hash, signature, key_id FROM journal WHERE seq >= ? AND seq <= ? ORDER BY seq",
      ),
      body: db.prepare<[number], { body: string }>('SELECT body FROM journal WHERE seq = ?'),
    };
  }

  /**
   * For outbox rows in sequence order (each with its sale's journal entry number): the sales'
   * entries by sequence, and the links between. A row whose entry is gone is sent without one (HQ
   * quarantines it: it cannot be checked).
   */
  piece(rows: ReadonlyArray<{ sequence: number; journal_seq: number | null }>): { entries: Map<number, EntryChain>; links: ChainLink[] } {
    const entries = new Map<number, EntryChain>();
    const links: ChainLink[] = [];
    const first = rows[0];
    const lastSeq = Math.max(0, ...rows.map((r) => r.journal_seq ?? 0));
    if (!first || lastSeq === 0) return { entries, links };
    const before = first.sequence > 1 ? this.s.saleEntry.get(first.sequence - 1)?.journal_seq : null;
    const from = before ? before + 1 : Math.max(this.s.firstEntry.get()?.seq ?? 1, lastSeq - MAX_LEAD + 1);
    const bySeq = new Map(rows.filter((r) => r.journal_seq !== null).map((r) => [r.journal_seq!, r.sequence]));
    for (const e of this.s.range.iterate(from, lastSeq)) {
      const sequence = bySeq.get(e.seq);
      if (sequence !== undefined) entries.set(sequence, chainOf(e));
      // A sale's entry that is no row of this batch (none should be): sent whole, body and all.
      else links.push({ ...chainOf(e), body: e.body ?? this.s.body.get(e.seq)!.body });
    }
    return { entries, links };
  }
}
