/**
 * A card payment the terminal could not confirm, open before a supervisor (issue 18.9): what the
 * lane shows of it and what it holds ("not charged" needs a second supervisor until the terminal
 * has answered). It is kept in SQLite (card_decision, one row) so a core that restarts — a crash,
 * SIGKILL, a power cut — comes back with the same decision open and keeps asking the terminal.
 * Persist, then show: a decision that opens or changes is written (fsynced) before the screens are
 * told; the transaction that settles the attempt (the terminal's answer, or a supervisor's
 * resolvePayment) deletes it with the rest of what it commits.
 */
import type { Db } from '../db';

/** A payment whose outcome the terminal could not confirm, for a supervisor (see Snapshot['payment']['decision']). */
export type Decision = { attemptId: string; reason: string; terminalReceipt: string[]; terminalAnswered: boolean; unreachableSince: string | null };

type Row = { attempt_id: string; reason: string; terminal_receipt: string; terminal_answered: number; unreachable_since: string | null };

export class OpenDecision {
  /** The decision open now (null: none). */
  current: Decision | null = null;
  private readonly s;

  constructor(private readonly db: Db) {
    this.s = {
      get: db.prepare<[], Row>('SELECT attempt_id, reason, terminal_receipt, terminal_answered, unreachable_since FROM card_decision WHERE id = 1'),
      put: db.prepare(
        `INSERT INTO card_decision (id, attempt_id, reason, terminal_receipt, terminal_answered, unreachable_since, updated_at) VALUES (1, @attemptId, @reason, @receipt, @answered, @unreachableSince, @at)
         ON CONFLICT (id) DO UPDATE SET attempt_id = excluded.attempt_id, reason = excluded.reason, terminal_receipt = excluded.terminal_receipt,
           terminal_answered = excluded.terminal_answered, unreachable_since = excluded.unreachable_since, updated_at = excluded.updated_at`,
      ),
      clear: db.prepare('DELETE FROM card_decision'),
    };
  }

  /**
   * After a restart: the decision kept for the card attempt still open (`attemptId`, null: none).
   * A row of another attempt is stale (the attempt was settled in a transaction that predates this
   * table's row, or never opened one) and goes.
   */
  restore(attemptId: string | null): Decision | null {
    const r = this.s.get.get();
    if (!r) return null;
    if (r.attempt_id !== attemptId) {
      this.s.clear.run();
      return null;
    }
    const receipt: unknown = JSON.parse(r.terminal_receipt);
    this.current = {
      attemptId: r.attempt_id,
      reason: r.reason,
      terminalReceipt: Array.isArray(receipt) ? receipt.filter((l): l is string => typeof l === 'string') : [],
      terminalAnswered: r.terminal_answered === 1,
      unreachableSince: r.unreachable_since,
    };
    return this.current;
  }

  /** Opens or updates the decision: written first (one transaction, nothing written when nothing changed), then it is the one shown. */
  set(d: Decision, at: string): void {
    if (JSON.stringify(d) === JSON.stringify(this.current)) return;
    this.db.transaction(() => {
      this.s.put.run({ attemptId: d.attemptId, reason: d.reason, receipt: JSON.stringify(d.terminalReceipt), answered: d.terminalAnswered ? 1 : 0, unreachableSince: d.unreachableSince, at });
    })();
    this.current = d;
  }

  /** Inside the transaction that settles the attempt: the kept decision goes with it (the screens are told after the commit, by `closed`). */
  settle(): void {
    this.s.clear.run();
  }

  /** The settling transaction committed: no decision is shown any more. */
  closed(): void {
    this.current = null;
  }
}
