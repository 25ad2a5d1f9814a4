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
import { readEntry, type JournalKind, type JournalRecord } from '../journal/kinds';
import { JournalRepo } from '../journal/repo';

/** Kinds too frequent or too detailed for the log (each card terminal message, signer probes). */
const QUIET: ReadonlySet<string> = new Set<JournalKind>(['payment.step']);

/** The entry's body as its kind's (core/journal/kinds.ts); null for an unknown kind or a body that is not a JSON object. */
function typed(e: Pick<JournalEntry, 'kind' | 'body'>): JournalRecord | null {
  try {
    const r = readEntry(e);
    return r && r.body && typeof r.body === 'object' ? r : null;
  } catch {
    return null; // not JSON: the kind alone
  }
}

/** One line for a journal entry, or null for the quiet kinds. */
export function journalLogLine(e: Pick<JournalEntry, 'seq' | 'kind' | 'ref' | 'body'>, profile: Profile): string | null {
  if (QUIET.has(e.kind)) return null;
  const r = typed(e);
  // Older or partial bodies may lack a field: money and names say '?' then rather than fail.
  const money = (v: unknown) => (typeof v === 'number' ? `${receiptMoney(v, profile)} ${profile.currency}` : '?');
  const operator = r && 'operator' in r.body ? r.body.operator : undefined;
  const who = typeof operator === 'string' ? ` by ${operator}` : '';
  const head = `journal #${e.seq} ${e.kind}`;
  switch (r?.kind) {
    case 'sale.completed':
    case 'sale.training': {
      const b = r.body;
      const tenders = Array.isArray(b.tenders) ? b.tenders.map((t) => `${String(t.kind)} ${money(t.amount)}`).join(', ') : '';
      const lines = Array.isArray(b.lines) ? b.lines.length : 0;
      return `${head}: sale ${String(b.sequence ?? '(training)')}, ${lines} line(s), ${money(b.totals?.due)} paid ${tenders}${who}`;
    }
    case 'sale.return':
      return `${head}: return of ${money(r.body.refund)}${who}`;
    case 'payment.approved':
      return `${head}: card payment approved, ${money(r.body.amount)}${r.body.offline ? ' (offline)' : ''}`;
    case 'payment.declined':
      return `${head}: card payment declined, ${money(r.body.amount)} (${String(r.body.reason ?? 'no reason')})`;
    case 'report.z':
    case 'report.x':
      return `${head}: ${r.kind === 'report.z' ? 'Z' : 'X'} report, ${typeof r.body.sales === 'object' && r.body.sales ? String(r.body.sales.count) : '?'} sale(s)${who}`;
    case 'till.opened':
      return `${head}: till opened with a float of ${money(r.body.floatTotal)}${who}`;
    case 'approval':
      return `${head}: ${String(r.body.action)} approved by ${String(r.body.approvedBy)}${who}`;
    case 'item.notFound':
      return `${head}: item not found (${String(r.body.code)})${who}`;
    default:
      return `${head}${e.ref ? ` ${e.ref}` : ''}${who}`;
  }
}

/** Logs each committed journal entry (checked after its transaction: present with the same hash). */
export function logJournal(db: Db, journal: Journal, profile: Profile, log: (line: string) => void): void {
  const stored = new JournalRepo(db);
  let pending: JournalEntry[] = [];
  journal.onAppend((entry) => {
    if (pending.length === 0) setImmediate(flush);
    pending.push(entry);
  });
  function flush(): void {
    const entries = pending;
    pending = [];
    for (const e of entries) {
      if (!db.open || !stored.isCommitted(e.seq, e.hash)) continue;
      const line = journalLogLine(e, profile);
      if (line) log(line);
    }
  }
}
