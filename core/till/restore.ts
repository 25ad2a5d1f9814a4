/**
 * The till day of a reflashed till, rebuilt from its recovered journal (core/peers/recover-store.ts):
 * every session opened (float, who, the entry it starts at), closed by a Z (count, expected, over or
 * short, Z number) and every cash movement — so the till that was open before the wipe is open again
 * with its float, and the day's X and Z (read from the journal from the session's first entry,
 * core/till/day.ts) count the sales made before the wipe.
 */
import type { TillReport } from '../../protocol/terminal';
import type { Db } from '../db';
import type { JournalBody } from '../journal/kinds';
import { tillRepo } from './repo';

type Movement = JournalBody<'cash.pickup'>;

/** Rebuilds sessions and movements from the entries (in order); the open session's id, or null. Call inside the transaction that keeps them. */
export function restoreTillDay(db: Db, entries: ReadonlyArray<{ seq: number; at: string; kind: string; ref: string | null; body: string }>): string | null {
  const repo = tillRepo(db);
  let open: string | null = null;
  for (const e of entries) {
    if (e.kind === 'till.opened') {
      const b = JSON.parse(e.body) as JournalBody<'till.opened'>;
      repo.insertSession(b.sessionId, e.at, b.operator, e.seq, b.floatTotal);
      open = b.sessionId;
    } else if (e.kind === 'report.z' && e.ref) {
      const b = JSON.parse(e.body) as TillReport;
      repo.closeSession(e.ref, e.at, b.operator, b.cash.counted ?? 0, b.cash.expected, b.cash.overShort, b.zNumber ?? 0);
      if (open === e.ref) open = null;
    } else if (['cash.pickup', 'cash.paidIn', 'cash.paidOut', 'cash.privateWithdrawal', 'cash.privateDeposit'].includes(e.kind) && e.ref) {
      const b = JSON.parse(e.body) as Movement;
      repo.insertMovement(e.ref, b.sessionId, e.kind.slice('cash.'.length), b.amount, b.reason, b.operator, b.approvedBy, e.at);
    }
  }
  return open;
}
