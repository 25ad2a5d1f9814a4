/**
 * HQ's sales on PostgreSQL: the sale table's monthly partitions, made on first use (one CREATE per
 * month and process, however many ingests wait on it), and a batch's new sales inserted in one
 * set-based statement, its text arrays sent in the binary format (hq/sql.ts pgTextArray).
 */
import type { SalesBatch } from '../protocol/hq';
import { pgTextArray, type Sql } from './sql';

export class SalePartitions {
  /** Months whose sale partition exists or is being made. */
  private readonly made = new Map<string, Promise<void>>();

  ensure(q: Sql, businessDate: string): Promise<void> {
    if (q.dialect !== 'postgres') return Promise.resolve();
    const month = businessDate.slice(0, 7);
    let made = this.made.get(month);
    if (!made) {
      made = this.createPartition(q, month);
      this.made.set(month, made);
      made.catch(() => this.made.delete(month)); // tried again by the next ingest of that month
    }
    return made;
  }

  private async createPartition(q: Sql, month: string): Promise<void> {
    const [y, m] = month.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
    const name = `sale_${month.replace('-', '_')}`;
    try {
      await q.query(`CREATE TABLE IF NOT EXISTS ${name} PARTITION OF sale FOR VALUES FROM ('${month}-01') TO ('${next}')`);
    } catch (err) {
      // another HQ process made it at the same moment
      if (!/already exists/.test(String((err as Error).message))) throw err;
    }
  }
}

/** Inserts new sales of a batch at once (unnest); returns the sequences it inserted. Duplicates and conflicts are skipped. */
export async function insertBatchPg(q: Sql, terminalId: string, sales: SalesBatch['sales'], now: Date): Promise<Set<number>> {
  const rows = await q.query<{ sequence: number }>(
    `WITH input AS (
       SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], $10::bigint[], $11::text[]) AS i(sequence, sale_id, kind, business_date, total, created_at, body, journal_seq, journal_hash)
     ), seq AS (
       INSERT INTO sale_seq (terminal_id, sequence, sale_id, business_date, journal_seq, journal_hash)
       SELECT $1, sequence, sale_id, business_date, journal_seq, journal_hash FROM input
       ON CONFLICT DO NOTHING
       RETURNING sequence
     ), ins AS (
       INSERT INTO sale (sale_id, terminal_id, sequence, kind, business_date, total, created_at, received_at, body)
       SELECT i.sale_id, $1, i.sequence, i.kind, i.business_date::date, i.total, i.created_at, $9, i.body FROM input i JOIN seq USING (sequence)
       RETURNING sequence
     )
     SELECT sequence FROM ins`,
    [
      terminalId,
      sales.map((s) => s.sequence),
      pgTextArray(sales.map((s) => s.saleId)),
      pgTextArray(sales.map((s) => s.kind)),
      pgTextArray(sales.map((s) => s.businessDate)),
      sales.map((s) => s.total),
      pgTextArray(sales.map((s) => s.createdAt)),
      pgTextArray(sales.map((s) => s.body)),
      now.toISOString(),
      sales.map((s) => s.entry?.seq ?? null),
      pgTextArray(sales.map((s) => s.entry?.hash ?? null)),
    ],
  );
  return new Set(rows.map((r) => Number(r.sequence)));
}

