/**
 * HQ's fleet page with a chain's history behind it: 1,000 terminals and (default) 10 million sales
 * generated straight into each backend (SQLite and PostgreSQL), their counters set as ingest keeps
 * them; then GET /v1/fleet 200 times. The page reads one row per terminal, so its time must not
 * depend on how many sales HQ holds (target p99 ≤ 100 ms). Ingest too: 20 terminals upload 2,500
 * signed sales each into the empty database and again into the loaded one (target: within 20 %).
 *
 *   npx tsx bench/hq-fleet.ts   (KASSA_FLEET_SALES, default 10,000,000; KASSA_FLEET_TERMINALS, default 1,000;
 *                               KASSA_FLEET_BACKENDS=PostgreSQL or SQLite for one)
 */
import { performance } from 'node:perf_hooks';
import { join, resolve } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { buildHqServer } from '../hq/server';
import { migrate, type Sql } from '../hq/sql';
import { HqStore } from '../hq/store';
import { hqBackends } from '../test/helpers/hq-backends';
import { table } from './table';
import { ingestLoad } from './hq-ingest';

const SALES = Number(process.env.KASSA_FLEET_SALES ?? 10_000_000);
const TERMINALS = Number(process.env.KASSA_FLEET_TERMINALS ?? 1_000);
const ADMIN = 'fleet-bench-admin-token-0123456789';
const INGEST_TERMINALS = 20;
const INGEST_SALES = 2_500;
const DIR = resolve('.bench/hq-fleet');

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? 0;

async function load(sql: Sql): Promise<number> {
  const t0 = performance.now();
  const per = Math.ceil(SALES / TERMINALS);
  if (sql.dialect === 'postgres') {
    await sql.query(`INSERT INTO terminal (terminal_id, store_id, lane_id, public_key, enrolled_at, acked_through, max_sequence, sales_count)
      SELECT 'T-' || t, 'store-' || (t / 10), (t % 10)::text, 'key-' || t, '2026-01-01T00:00:00Z', ${per}, ${per}, ${per} FROM generate_series(0, ${TERMINALS - 1}) t`);
    // Twelve business months, one partition each (as ingest makes them).
    for (let m = 1; m <= 12; m++) {
      const from = `2026-${String(m).padStart(2, '0')}-01`;
      const to = m === 12 ? '2027-01-01' : `2026-${String(m + 1).padStart(2, '0')}-01`;
      await sql.query(`CREATE TABLE IF NOT EXISTS sale_2026_${String(m).padStart(2, '0')} PARTITION OF sale FOR VALUES FROM ('${from}') TO ('${to}')`);
    }
    await sql.query(`INSERT INTO sale_seq (terminal_id, sequence, sale_id, business_date)
      SELECT 'T-' || (i % ${TERMINALS}), i / ${TERMINALS} + 1, 's-' || i, '2026-01-01'::date + (i % 365) FROM generate_series(0, ${SALES - 1}) i`);
    await sql.query(`INSERT INTO sale (sale_id, terminal_id, sequence, kind, business_date, total, created_at, received_at, body)
      SELECT 's-' || i, 'T-' || (i % ${TERMINALS}), i / ${TERMINALS} + 1, 'sale', '2026-01-01'::date + (i % 365), 1000, '2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z', '{}' FROM generate_series(0, ${SALES - 1}) i`);
    // A year of sales arrives over a year: by the time a batch comes its pages are long written and
    // vacuumed. Do that now, or the loaded database's ingest would pay for the load itself
    // (autovacuum starts on 10 million fresh rows; the checkpoint writes them).
    await sql.query('VACUUM (ANALYZE)');
    await sql.query('CHECKPOINT');
  } else {
    await sql.query(`WITH RECURSIVE t(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM t WHERE n < ${TERMINALS - 1})
      INSERT INTO terminal (terminal_id, store_id, lane_id, public_key, enrolled_at, acked_through, max_sequence, sales_count)
      SELECT 'T-' || n, 'store-' || (n / 10), CAST(n % 10 AS TEXT), 'key-' || n, '2026-01-01T00:00:00Z', ${per}, ${per}, ${per} FROM t`);
    await sql.query(`WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM s WHERE i < ${SALES - 1})
      INSERT INTO sale (terminal_id, sequence, sale_id, kind, business_date, total, created_at, received_at, body)
      SELECT 'T-' || (i % ${TERMINALS}), i / ${TERMINALS} + 1, 's-' || i, 'sale', date('2026-01-01', '+' || (i % 365) || ' days'), 1000, '2026-01-01T10:00:00Z', '2026-01-01T10:00:01Z', '{}' FROM s`);
    await sql.query('ANALYZE');
    // The same for SQLite: the load's write-ahead log copied back before ingest is measured.
    await sql.query('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return (performance.now() - t0) / 1000;
}

async function main(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const rows: Array<Record<string, string | number>> = [];
  // KASSA_FLEET_BACKENDS=PostgreSQL (or SQLite): one backend only.
  const only = process.env.KASSA_FLEET_BACKENDS?.split(',');
  for (const backend of hqBackends(DIR, 'fleet.db').filter((b) => !only || only.includes(b.name))) {
    const sql = await backend.open();
    try {
      await migrate(sql, resolve('migrations/hq'));
      const app = await buildHqServer({ store: new HqStore(sql), adminToken: ADMIN });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      const ingest = (store: string) => ingestLoad({ url: base, admin: ADMIN, store, terminals: INGEST_TERMINALS, perTerminal: INGEST_SALES, batch: 500 });
      await ingest('warm-up');
      const emptyS = await ingest('empty');
      const loadS = await load(sql);
      const loadedS = await ingest('loaded');
      const url = `${base}/v1/fleet`;
      const times: number[] = [];
      let shown = 0;
      for (let i = 0; i < 220; i++) {
        const t0 = performance.now();
        const body = (await (await fetch(url, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { terminals: Array<{ sales: number }> };
        if (i >= 20) times.push(performance.now() - t0); // the first 20 warm up
        shown = body.terminals.reduce((a, t) => a + t.sales, 0);
      }
      await app.close();
      const perS = (secs: number) => Math.round((INGEST_TERMINALS * INGEST_SALES) / secs);
      rows.push({
        backend: backend.name,
        terminals: TERMINALS,
        'sales at HQ': shown,
        'load s': loadS.toFixed(0),
        'fleet p50 ms': pct(times, 50).toFixed(1),
        'fleet p99 ms': pct(times, 99).toFixed(1),
        'target p99': '≤ 100',
        'ingest sales/s empty': perS(emptyS),
        'ingest sales/s loaded': perS(loadedS),
        'loaded/empty': (emptyS / loadedS).toFixed(2),
        'target': '≥ 0.8',
      });
      console.log(JSON.stringify(rows[rows.length - 1]));
    } finally {
      await sql.close();
      await backend.cleanup();
    }
  }
  table(`GET /v1/fleet with ${TERMINALS} terminals and ${SALES.toLocaleString('en')} sales at HQ`, rows);
  rmSync(join(DIR), { recursive: true, force: true });
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
