/**
 * A batch's new sales stored with a few set-based statements, not one statement per sale: on
 * PostgreSQL one statement (hq/pg-ingest.ts), on SQLite multi-row inserts — chunks of 256, 128 … 1
 * rows, so a handful of statements, each prepared once, serve every batch size (256 rows × 11 values
 * is well under SQLite's 32,766 parameters). A sale that conflicts (stored before, or its sequence or
 * sale id taken) is skipped here; ingest looks at those one by one (hq/store.ts).
 */
import type { SalesBatch } from '../protocol/hq';
import { insertBatchPg } from './pg-ingest';
import type { Sql } from './sql';

/** Inserts the new sales of a batch (sequences distinct); returns the sequences it inserted. Duplicates and conflicts are skipped. */
export function insertNewSales(q: Sql, terminalId: string, sales: SalesBatch['sales'], now: Date): Promise<Set<number>> {
  return q.dialect === 'postgres' ? insertBatchPg(q, terminalId, sales, now) : insertBatchSqlite(q, terminalId, sales, now);
}

const COLUMNS = ['sale_id', 'terminal_id', 'sequence', 'kind', 'business_date', 'total', 'created_at', 'received_at', 'body', 'journal_seq', 'journal_hash'] as const;
const CHUNK = 256;
/** The statement for n rows, made once (the same text each time: prepared once by hq/sql.ts). */
const statements = new Map<number, string>();

function insertOf(rows: number): string {
  let text = statements.get(rows);
  if (!text) {
    const values = Array.from({ length: rows }, (_, r) => `(${COLUMNS.map((_c, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ');
    statements.set(rows, (text = `INSERT INTO sale (${COLUMNS.join(', ')}) VALUES ${values} ON CONFLICT DO NOTHING RETURNING sequence`));
  }
  return text;
}

/** SQLite: the sale table holds both unique keys (sale id; terminal and sequence), so one insert per row. */
async function insertBatchSqlite(q: Sql, terminalId: string, sales: SalesBatch['sales'], now: Date): Promise<Set<number>> {
  const at = now.toISOString();
  const inserted = new Set<number>();
  for (let i = 0; i < sales.length; ) {
    let n = CHUNK;
    while (n > sales.length - i) n >>= 1;
    const values: unknown[] = [];
    for (let k = i; k < i + n; k++) {
      const s = sales[k]!;
      values.push(s.saleId, terminalId, s.sequence, s.kind, s.businessDate, s.total, s.createdAt, at, s.body, s.entry?.seq ?? null, s.entry?.hash ?? null);
    }
    for (const r of await q.query<{ sequence: number }>(insertOf(n), values)) inserted.add(Number(r.sequence));
    i += n;
  }
  return inserted;
}
