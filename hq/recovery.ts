/**
 * A reflashed till with no store peer to ask gets its sales back from HQ (protocol/hq-recovery.ts,
 * core/peers/recover-hq.ts): a page of the terminal's own sales as stored, never past what HQ
 * acknowledged, with the chain head HQ checked. Both backends keep `sale_seq` (the sequence, the
 * journal entry's number and hash; a view over `sale` in SQLite) and `sale` (the document).
 */
import { RECOVERY_PAGE_LIMIT, type RecoveryPage } from '../protocol/hq-recovery';
import { HqError, type HqStore } from './store';

interface Row {
  sequence: number | string;
  sale_id: string;
  kind: 'sale' | 'return';
  business_date: string;
  total: number | string;
  created_at: string;
  body: string;
  journal_seq: number | string | null;
  journal_hash: string | null;
}

export async function recoveryPage(store: HqStore, terminalId: string, after: number, limit: number): Promise<RecoveryPage> {
  if (!Number.isSafeInteger(after) || after < 0 || !Number.isSafeInteger(limit) || limit < 0) throw new HqError(400, 'INVALID', 'after and limit are whole numbers ≥ 0');
  const t = await store.terminal(terminalId);
  if (!t) throw new HqError(404, 'NOT_FOUND', 'no such terminal');
  const acked = Number(t.acked_through);
  // (PostgreSQL's sale is partitioned by its DATE column; sale_seq keeps the date as text.)
  const day = store.sql.dialect === 'postgres' ? 'CAST(q.business_date AS DATE)' : 'q.business_date';
  const rows = await store.sql.query<Row>(
    `SELECT q.sequence, q.sale_id, s.kind, q.business_date, s.total, s.created_at, s.body, q.journal_seq, q.journal_hash
       FROM sale_seq q JOIN sale s ON s.sale_id = q.sale_id AND s.business_date = ${day}
      WHERE q.terminal_id = $1 AND q.sequence > $2 AND q.sequence <= $3 ORDER BY q.sequence LIMIT $4`,
    [terminalId, after, acked, Math.min(limit, RECOVERY_PAGE_LIMIT)],
  );
  const sales = rows.map((r) => {
    // Sales from before HQ checked chains (no entry recorded) cannot continue a chain: said, not skipped.
    if (r.journal_seq === null || r.journal_hash === null) throw new HqError(409, 'NO_CHAIN', `sale ${r.sequence} was stored without its journal entry: HQ cannot give this till's chain back`);
    return { sequence: Number(r.sequence), saleId: r.sale_id, kind: r.kind, businessDate: r.business_date, total: Number(r.total), createdAt: r.created_at, body: r.body, journalSeq: Number(r.journal_seq), journalHash: r.journal_hash };
  });
  return { terminalId, ackedThrough: acked, chainSeq: Number(t.chain_seq ?? 0), chainHash: t.chain_hash ?? null, sales };
}
