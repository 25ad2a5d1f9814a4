/**
 * How durable a commit is made (docs/retention.md, "Durability"). Every commit is atomic and survives
 * the process being killed (WAL). Against a power cut:
 * - money, the journal and what leaves the lane (tenders, completed sales, reports, the outbox, print
 *   jobs, approvals, card attempts) are fsynced before the command is answered (synchronous=FULL);
 * - an edit of the open basket that records nothing else (a scan, a quantity, a voided line) is
 *   committed without its own fsync (synchronous=NORMAL): the next durable commit — at the latest the
 *   sale's tender — flushes it with everything before it. A power cut can take back the last few
 *   scans of the basket in front of the cashier; never a payment, a sale or a journal entry.
 * A scan then costs no disk flush: on these machines the fsync was 40 % of a scan's time.
 */
import type { Db } from './index';

/** Commands that only edit the open basket; a commit of one is light unless it also records something. */
export const BASKET_EDITS: ReadonlySet<string> = new Set(['scan', 'setQuantity', 'voidLine', 'voidLast', 'subtotal', 'backToSale', 'memberCard', 'discount', 'overridePrice', 'openItem', 'returnDeposit']);

const statements = new WeakMap<Db, { light: { run(): unknown }; full: { run(): unknown } }>();

/** Runs one commit without its own fsync, then puts the connection back to fsyncing every commit. */
export function commitLight<T>(db: Db, commit: () => T): T {
  let s = statements.get(db);
  if (!s) {
    s = { light: db.prepare('PRAGMA synchronous = NORMAL'), full: db.prepare('PRAGMA synchronous = FULL') };
    statements.set(db, s);
  }
  s.light.run();
  try {
    return commit();
  } finally {
    s.full.run();
  }
}
