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
 */
import type { Db } from '../db';
import { SALE_BODY, SALE_ENTRY_SEQ } from '../db/sale-body';
import type { SaleFeed } from '../sync/feed';
import type { OutboxRow } from '../sync/repo';

/**
 * The sales after a sequence as the outbox would have them (OUTBOX_BATCH_SQL): the kind from the
 * sale's journal entry, or from its own body where the journal no longer has the entry.
 */
const PEER_BATCH_SQL = `SELECT s.sequence, s.sale_id,
    CASE WHEN j.kind IS NOT NULL THEN (CASE j.kind WHEN 'sale.return' THEN 'return' ELSE 'sale' END)
         WHEN json_extract(s.body, '$.type') = 'return' THEN 'return' ELSE 'sale' END AS kind,
    ${SALE_BODY} AS payload, s.completed_at AS created_at, s.business_date, s.total, ${SALE_ENTRY_SEQ} AS journal_seq
  FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq
  WHERE s.sequence > ? ORDER BY s.sequence LIMIT ?`;

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
      rewind: db.prepare('UPDATE peer_send SET acked_through = min(acked_through, @through) WHERE peer_id = @peer'),
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
