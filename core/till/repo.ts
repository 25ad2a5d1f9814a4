/** The till day's storage: sessions (float, Z), cash movements, and what a Z prunes. */
import type { Db } from '../db';

export interface TillSessionRow {
  session_id: string;
  opened_at: string;
  opened_by: string;
  open_seq: number;
  float_total: number;
}

export function tillRepo(db: Db) {
  const s = {
    openSession: db.prepare<[], TillSessionRow>('SELECT session_id, opened_at, opened_by, open_seq, float_total FROM till_session WHERE closed_at IS NULL'),
    insertSession: db.prepare('INSERT INTO till_session (session_id, opened_at, opened_by, open_seq, float_total) VALUES (?, ?, ?, ?, ?)'),
    closeSession: db.prepare('UPDATE till_session SET closed_at = ?, closed_by = ?, counted_total = ?, expected_cash = ?, over_short = ?, z_number = ? WHERE session_id = ?'),
    nextZ: db.prepare<[], { next: number }>('SELECT coalesce(max(z_number), 0) + 1 AS next FROM till_session'),
    insertMovement: db.prepare('INSERT INTO cash_movement (movement_id, session_id, kind, amount, reason, operator, approved_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    journalFrom: db.prepare<[number], { seq: number; kind: string; body: string }>('SELECT seq, kind, body FROM journal WHERE seq >= ? ORDER BY seq'),
    lastZ: db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'report.z' ORDER BY seq DESC LIMIT 1"),
    // Retention (docs/retention.md): a Z closes the day's command log …
    pruneCommandsThrough: db.prepare('DELETE FROM command_log WHERE version <= ?'),
    // … and a printed job's row (its hash and outcome) stays through the next day; at a Z those made
    // before the previous Z go (partial index print_job_done).
    printedBefore: db.prepare<[], { value: string }>("SELECT value FROM terminal_meta WHERE key = 'print_job.prune_before'"),
    setPrintedBefore: db.prepare("INSERT INTO terminal_meta (key, value) VALUES ('print_job.prune_before', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    prunePrinted: db.prepare("DELETE FROM print_job WHERE state IN ('printed', 'settled') AND created_at < ?"),
  };
  return {
    openSession: (): TillSessionRow | undefined => s.openSession.get(),
    insertSession: (id: string, at: string, by: string | null, openSeq: number, floatTotal: number) => void s.insertSession.run(id, at, by, openSeq, floatTotal),
    closeSession: (id: string, at: string, by: string | null, counted: number, expected: number | null, overShort: number | null, zNumber: number) =>
      void s.closeSession.run(at, by, counted, expected, overShort, zNumber, id),
    nextZ: (): number => s.nextZ.get()!.next,
    insertMovement: (id: string, sessionId: string, kind: string, amount: number, reason: string, by: string | null, approvedBy: string | null, at: string) =>
      void s.insertMovement.run(id, sessionId, kind, amount, reason, by, approvedBy, at),
    journalFrom: (seq: number) => s.journalFrom.all(seq),
    lastZBody: (): string | null => s.lastZ.get()?.body ?? null,
    /** What a Z leaves behind: the day's command log, and print jobs sent before the previous Z. */
    pruneAtZ(version: number, at: string): void {
      s.pruneCommandsThrough.run(version);
      const printedBefore = s.printedBefore.get()?.value;
      if (printedBefore) s.prunePrinted.run(printedBefore);
      s.setPrintedBefore.run(at);
    },
  };
}

export type TillRepo = ReturnType<typeof tillRepo>;
