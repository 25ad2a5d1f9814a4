/**
 * HQ benchmarks; HQ runs as its own process (as in production), terminals are this process.
 *  ingest: 100 terminals upload sales of 5 lines concurrently in signed batches of 500, into HQ on
 *     embedded SQLite and on PostgreSQL. Sustained sales/s.
 *  drain: one terminal's real outbox of 10,000 sales (made by the lane service) sent by the real
 *     uploader over loopback into HQ on SQLite; side by side, the same 10,000 sales replicated with
 *     PouchDB (leveldb) to a PouchDB server (express-pouchdb, its own process) over loopback — each
 *     sale a PouchDB document holding the sale as an object (how one would use PouchDB), already in
 *     the local database before the clock starts, as ours are already in the outbox.
 *  profile: where the drain's time goes, stage by stage (bench/hq-drain-profile.ts).
 *  outage: the same backlog after the link to HQ was down (default 5 minutes): link back → backlog empty.
 *
 *   npx tsx bench/hq.ts   (KASSA_BENCH_HQ_ONLY=ingest,drain,profile,outage: those only — default all;
 *                          KASSA_BENCH_HQ_DRAIN_ONLY=1: drain only; KASSA_BENCH_HQ_INGEST_ONLY=1: ingest only;
 *                          KASSA_BENCH_HQ_BACKEND=sqlite|postgres: ingest on that backend only;
 *                          KASSA_BENCH_HQ_SALES: sales per terminal in ingest, default 1000;
 *                          KASSA_BENCH_HQ_OUTAGE_S: the outage's length, default 300;
 *                          KASSA_BENCH_POUCH_BATCH: PouchDB's batch size, default 500)
 */
import { table } from './table';
import { ingestLoad } from './hq-ingest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { postgresSql, sqliteSql, type Sql } from '../hq/sql';
import { drainProfile, drainSideBySide, outageRun } from './hq-drain';
import { ADMIN, startHq } from './hq-process';

const TERMINALS = 100;
const PER_TERMINAL = Number(process.env.KASSA_BENCH_HQ_SALES ?? 1000);
const ONLY = new Set(
  (process.env.KASSA_BENCH_HQ_DRAIN_ONLY === '1' ? 'drain' : process.env.KASSA_BENCH_HQ_INGEST_ONLY === '1' ? 'ingest' : (process.env.KASSA_BENCH_HQ_ONLY ?? 'ingest,drain,profile,outage')).split(','),
);
const OUTAGE_S = Number(process.env.KASSA_BENCH_HQ_OUTAGE_S ?? 300);
const BACKEND = process.env.KASSA_BENCH_HQ_BACKEND ?? 'both';
if (!['both', 'sqlite', 'postgres'].includes(BACKEND)) throw new Error(`KASSA_BENCH_HQ_BACKEND: sqlite or postgres, not ${BACKEND}`);
const BATCH = 500;
const PG_URL = process.env.KASSA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

async function count(sql: Sql): Promise<number> {
  return Number((await sql.query<{ n: number }>('SELECT count(*) AS n FROM sale'))[0]!.n);
}

async function ingest(name: string, hqArgs: string[], sql: Sql): Promise<Record<string, string | number>> {
  const hq = await startHq(hqArgs);
  try {
    const secs = await ingestLoad({ url: hq.url, admin: ADMIN, store: 'bench', terminals: TERMINALS, perTerminal: PER_TERMINAL, batch: BATCH });
    const total = TERMINALS * PER_TERMINAL;
    const n = await count(sql);
    if (n !== total) throw new Error(`${name}: HQ holds ${n} sales, expected ${total}`);
    return { backend: name, terminals: TERMINALS, sales: total, 'batch size': BATCH, seconds: secs.toFixed(2), 'sales/s': Math.round(total / secs) };
  } finally {
    await hq.stop();
  }
}

async function ingestBoth(dir: string): Promise<void> {
  const rows: Array<Record<string, string | number>> = [];
  if (BACKEND !== 'postgres') {
    const lite = join(dir, 'hq.db');
    const liteSql = sqliteSql(lite);
    rows.push(await ingest('SQLite', ['--db', lite], liteSql));
    await liteSql.close();
  }
  if (BACKEND !== 'sqlite') {
    const schema = `kassa_bench_${randomBytes(3).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pgSql = postgresSql(PG_URL, schema);
    try {
      rows.push(await ingest('PostgreSQL', ['--pg', PG_URL, '--schema', schema, '--catalog-dir', join(dir, 'pg-catalog')], pgSql));
    } finally {
      await pgSql.close();
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  }
  table(`HQ ingest: ${TERMINALS} concurrent terminals, sales of 5 lines, signed requests over loopback, HQ in its own process (targets: PostgreSQL ≥ 20,000/s, SQLite ≥ 5,000/s)`, rows);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-hq-'));
  try {
    if (ONLY.has('ingest')) await ingestBoth(dir);
    if (ONLY.has('drain')) await drainSideBySide(dir);
    if (ONLY.has('profile')) await drainProfile(dir);
    if (ONLY.has('outage')) await outageRun(dir, OUTAGE_S);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
