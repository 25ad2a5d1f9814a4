/**
 * What happened at the lane, in store IT's log: every journal entry that committed, as one line
 * (sales, payments and declines, reports, sign-ins, approvals, drawer, help calls, device tests).
 * Lines are written once their transaction has committed (an entry rolled back with its command
 * is never logged); money is written as the store's receipts write it. The log redacts as always.
 */
import type { Db } from '../db';
import type { Journal, JournalEntry } from '../journal';
import type { Profile } from '../../protocol/terminal';
import { receiptMoney } from '../receipt/text';

type Body = Record<string, unknown>;

/** Kinds too frequent or too detailed for the log (each card terminal message, signer probes). */
const QUIET = new Set(['payment.step']);

/** One line for a journal entry, or null for the quiet kinds. */
export function journalLogLine(e: Pick<JournalEntry, 'seq' | 'kind' | 'ref' | 'body'>, profile: Profile): string | null {
  if (QUIET.has(e.kind)) return null;
  let b: Body = {};
  try {
    const parsed: unknown = JSON.parse(e.body);
    if (parsed && typeof parsed === 'object') b = parsed as Body;
  } catch {
    // not an object: the kind alone
  }
  const money = (v: unknown) => (typeof v === 'number' ? `${receiptMoney(v, profile)} ${profile.currency}` : '?');
  const who = typeof b.operator === 'string' ? ` by ${b.operator}` : '';
  const head = `journal #${e.seq} ${e.kind}`;
  switch (e.kind) {
    case 'sale.completed':
    case 'sale.training': {
      const totals = (b.totals ?? {}) as Body;
      const tenders = Array.isArray(b.tenders) ? (b.tenders as Body[]).map((t) => `${String(t.kind)} ${money(t.amount)}`).join(', ') : '';
      const lines = Array.isArray(b.lines) ? b.lines.length : 0;
      return `${head}: sale ${String(b.sequence ?? '(training)')}, ${lines} line(s), ${money(totals.due)} paid ${tenders}${who}`;
    }
    case 'sale.return':
      return `${head}: return of ${money(b.amount ?? (b.totals as Body | undefined)?.total)}${who}`;
    case 'payment.approved':
      return `${head}: card payment approved, ${money(b.amount)}${b.offline ? ' (offline)' : ''}`;
    case 'payment.declined':
      return `${head}: card payment declined, ${money(b.amount)} (${String(b.reason ?? 'no reason')})`;
    case 'report.z':
    case 'report.x':
      return `${head}: ${e.kind === 'report.z' ? 'Z' : 'X'} report, ${typeof b.sales === 'object' && b.sales ? String((b.sales as Body).count) : '?'} sale(s)${who}`;
    case 'till.opened':
      return `${head}: till opened with a float of ${money(b.floatTotal)}${who}`;
    case 'approval':
      return `${head}: ${String(b.action)} approved by ${String(b.approvedBy)}${who}`;
    case 'item.notFound':
      return `${head}: item not found (${String(b.code)})${who}`;
    default:
      return `${head}${e.ref ? ` ${e.ref}` : ''}${who}`;
  }
}

/** Logs each committed journal entry (checked after its transaction: present with the same hash). */
export function logJournal(db: Db, journal: Journal, profile: Profile, log: (line: string) => void): void {
  const committed = db.prepare<[number, string], { one: number }>('SELECT 1 AS one FROM journal WHERE seq = ? AND hash = ?');
  let pending: JournalEntry[] = [];
  journal.onAppend((entry) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(entry);
  });
  function flush(): void {
    const entries = pending;
    pending = [];
    for (const e of entries) {
      if (!db.open || !committed.get(e.seq, e.hash)) continue;
      const line = journalLogLine(e, profile);
      if (line) log(line);
    }
  }
}
