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
  };
  return {
    insert: (payload: SuspendPayload, at: string, operator: string | null) => void s.insert.run(payload.suspendId, at, operator, JSON.stringify(payload)),
    byId: (id: string) => s.byId.get(id),
    open: () => s.open.all(),
    markResumed: (id: string, at: string, saleId: string) => void s.markResumed.run(at, saleId, id),
  };
}

export type SuspendRepo = ReturnType<typeof suspendRepo>;
