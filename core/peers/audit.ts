/**
 * Each entry's own signature in the store peers' copies, checked after the batch was kept
 * (migration 0027). A batch is taken as HQ takes one (core/peers/copies.ts: hashes, chain, join,
 * the piece's last signature — which vouches for every hash before it, so nothing in a copy can
 * be other than the peer wrote it; and the request that brought it is signed over its body). The
 * entries' own signatures matter when a copy is handed on — a reflashed till's verifier checks each
 * one (core/peers/recover.ts) — so they are checked too, but off the catch-up's path: a step at a
 * time while the lane is idle (core/peers/sync.ts). One that does not verify is an alert on that
 * peer's row for store IT; the audit goes on past it.
 */
import { entrySignatureValid, JournalKeys } from '../../protocol/journal-chain-check';
import type { Db } from '../db';
import { copiesDb } from '../db/copies-file';

export class CopyAudit {
  private readonly s;
  private readonly keys = new JournalKeys();

  /** `lane`: the lane's database; the copies are read and written in their own file (core/db/copies-file.ts). */
  /** Alerts written so far (an entry that did not verify). */
  private alerts = 0;

  constructor(lane: Db) {
    const db = copiesDb(lane);
    this.s = {
      behind: db.prepare<[], { terminal_id: string; audited_seq: number }>('SELECT terminal_id, audited_seq FROM peer_head WHERE audited_seq < chain_seq ORDER BY terminal_id'),
      entries: db.prepare<[string, number, number], { seq: number; hash: string; signature: string | null; key_id: string | null }>(
        'SELECT seq, hash, signature, key_id FROM peer_entry WHERE terminal_id = ? AND seq > ? ORDER BY seq LIMIT ?',
      ),
      advance: db.prepare('UPDATE peer_head SET audited_seq = max(audited_seq, ?) WHERE terminal_id = ?'),
      alert: db.prepare('UPDATE peer_head SET alert = ?, alert_at = ? WHERE terminal_id = ?'),
    };
  }

  /**
   * Checks up to `max` entries of the copies not yet checked; `keysOf` gives a peer's journal keys
   * (the roster's, retired ones too), null when the roster has none. Returns how many it checked.
   */
  step(keysOf: (terminalId: string) => readonly string[] | null, max: number, at: string): number {
    let checked = 0;
    for (const head of this.s.behind.all()) {
      const raw = keysOf(head.terminal_id);
      if (!raw?.length || checked >= max) continue;
      const ring = raw.map((k) => this.keys.key(k));
      const rows = this.s.entries.all(head.terminal_id, head.audited_seq, max - checked);
      for (const e of rows) {
        // Unsigned entries were taken only inside the peer's signer outages (checked as the batch came).
        if (e.signature === null) continue;
        const key = ring.find((k) => k.keyId === e.key_id);
        if (!key || !entrySignatureValid({ hash: e.hash, signature: e.signature }, key)) {
          this.alerts++;
          this.s.alert.run(`journal entry ${e.seq}'s signature does not verify with the terminal's journal key (found checking the copy)`, at, head.terminal_id);
        }
      }
      checked += rows.length;
      const last = rows.at(-1);
      if (last) this.s.advance.run(last.seq, head.terminal_id);
    }
    return checked;
  }

  /** A step (`step`) with each peer's journal keys by terminal id: how many entries it checked, and whether it found one that does not verify. */
  stepWith(keys: Readonly<Record<string, readonly string[]>>, max: number, at: string): { checked: number; alerted: boolean } {
    const before = this.alerts;
    const checked = this.step((id) => keys[id] ?? null, max, at);
    return { checked, alerted: this.alerts !== before };
  }
}
