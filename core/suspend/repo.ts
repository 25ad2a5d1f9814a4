/** Parked baskets: written when parked, marked when resumed (once). */
import type { Db } from '../db';

export interface SuspendPayload {
  suspendId: string;
  storeId: string;
  laneId: string;
  member: string | null;
  items: Array<{ code: string; quantity: number; weightGrams: number | null }>;
}

export function suspendRepo(db: Db) {
  const s = {
    insert: db.prepare('INSERT INTO suspended_sale (suspend_id, created_at, operator, payload) VALUES (?, ?, ?, ?)'),
    byId: db.prepare<[string], { payload: string; resumed_at: string | null }>('SELECT payload, resumed_at FROM suspended_sale WHERE suspend_id = ?'),
    open: db.prepare<[], { suspend_id: string; created_at: string; operator: string | null; payload: string }>(
      'SELECT suspend_id, created_at, operator, payload FROM suspended_sale WHERE resumed_at IS NULL ORDER BY created_at DESC, suspend_id DESC LIMIT 50',
    ),
    markResumed: db.prepare('UPDATE suspended_sale SET resumed_at = ?, resumed_sale = ? WHERE suspend_id = ? AND resumed_at IS NULL'),
    // This till's own journal (the kind term repeats the partial index's: journal_basket, migration 0026).
    journaled: db.prepare<[string, string], { body: string }>(
      "SELECT body FROM journal WHERE json_extract(body, '$.suspendId') = ? AND kind IN ('sale.suspended', 'sale.resumed') AND kind = ? ORDER BY seq LIMIT 1",
    ),
  };
  return {
    insert: (payload: SuspendPayload, at: string, operator: string | null) => void s.insert.run(payload.suspendId, at, operator, JSON.stringify(payload)),
    byId: (id: string) => s.byId.get(id),
    open: () => s.open.all(),
    markResumed: (id: string, at: string, saleId: string) => void s.markResumed.run(at, saleId, id),
    /** The body of this till's `sale.suspended` entry for a basket (its row may be gone: a reflashed till keeps its journal only). */
    parkedEntry: (id: string) => s.journaled.get(id, 'sale.suspended')?.body ?? null,
    /** The body of this till's `sale.resumed` entry for a basket: taken up here, whichever lane parked it. */
    resumedEntry: (id: string) => s.journaled.get(id, 'sale.resumed')?.body ?? null,
  };
}

export type SuspendRepo = ReturnType<typeof suspendRepo>;
