/**
 * HQ benchmarks; HQ runs as its own process (as in production), terminals are this process.
 *  1. Ingest: 100 terminals upload sales of 5 lines concurrently in signed batches (the uploader's
 *     default of 500), into HQ on embedded SQLite and on PostgreSQL. Sustained sales/s.
 *  2. Drain: one terminal's real outbox of 10,000 sales (made by the lane service) sent by the real
 *     uploader over loopback into HQ on SQLite.
 *  3. Side by side: the same 10,000 sales replicated with PouchDB (leveldb) to a PouchDB server
 *     (express-pouchdb, its own process) over loopback, batch size 500 — each sale a PouchDB
 *     document holding the sale as an object (how one would use PouchDB), already in the local
 *     database before the clock starts, as ours are already in the outbox.
 *
 *   npx tsx bench/hq.ts   (KASSA_BENCH_HQ_SALES: sales per terminal in 1, default 1000;
 *                          KASSA_BENCH_HQ_DRAIN_ONLY=1: only 2 and 3; KASSA_BENCH_HQ_INGEST_ONLY=1: only 1;
 *                          KASSA_BENCH_HQ_BACKEND=sqlite|postgres: 1 on that backend only)
 */
import { table } from './table';
import { ingestLoad } from './hq-ingest';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { openDatabase } from '../core/db';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { enroll, loadHqLink } from '../core/sync/link';
import { Uploader } from '../core/sync/uploader';
import { postgresSql, sqliteSql, type Sql } from '../hq/sql';
import { demoDb, openDemoLane } from '../test/helpers/demo-lane';
import { run } from '../test/helpers/lane';

const TERMINALS = 100;
const PER_TERMINAL = Number(process.env.KASSA_BENCH_HQ_SALES ?? 1000);
const SKIP_INGEST = process.env.KASSA_BENCH_HQ_DRAIN_ONLY === '1';
const SKIP_DRAIN = process.env.KASSA_BENCH_HQ_INGEST_ONLY === '1';
const BACKEND = process.env.KASSA_BENCH_HQ_BACKEND ?? 'both';
if (!['both', 'sqlite', 'postgres'].includes(BACKEND)) throw new Error(`KASSA_BENCH_HQ_BACKEND: sqlite or postgres, not ${BACKEND}`);
const BATCH = 500;
const DRAIN = 10_000;
const PG_URL = process.env.KASSA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN = 'bench-admin-token-0123456789abcdef';
const BENCH_DIR = resolve('.bench');

async function readyLine<T>(child: ChildProcess, pick: (line: Record<string, unknown>) => T | undefined, what: string): Promise<T> {
  return new Promise<T>((res, rej) => {
    const t = setTimeout(() => rej(new Error(`${what} not ready`)), 30_000);
    child.on('exit', (code) => rej(new Error(`${what} exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (l) => {
      try {
        const v = pick(JSON.parse(l) as Record<string, unknown>);
        if (v !== undefined) {
          clearTimeout(t);
          res(v);
        }
      } catch {
        // not JSON
      }
    });
  });
}

/** HQ as its own process (`hq/main.ts` under tsx), on SQLite (`--db`) or PostgreSQL (`--pg`). */
async function startHq(args: string[]): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'hq/main.ts', '--port', '0', ...args], { env: { ...process.env, KASSA_HQ_ADMIN_TOKEN: ADMIN }, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await readyLine(child, (l) => (l.kassaHq === 'ready' ? Number(l.port) : undefined), 'HQ');
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((res) => {
        child.on('exit', () => res());
        child.kill('SIGTERM');
      }),
  };
}

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

/** A lane database whose outbox holds 10,000 sales of 5 lines, made once through the lane service. */
function drainSource(): string {
  const file = join(BENCH_DIR, `outbox-${DRAIN}.db`);
  if (existsSync(file)) return file;
  mkdirSync(BENCH_DIR, { recursive: true });
  const db = demoDb(BENCH_DIR, `outbox-${DRAIN}.tmp.db`);
  const lane = openDemoLane(db);
  const codes = [DEMO_ITEMS.milk, DEMO_ITEMS.filmjolk, DEMO_ITEMS.butter, DEMO_ITEMS.bread, DEMO_ITEMS.newspaper].map((i) => i.codes[0]!);
  for (let i = 0; i < DRAIN; i++) {
    for (const c of codes) run(lane, { cmd: 'scan', code: c });
    run(lane, { cmd: 'tenderCash' });
    run(lane, { cmd: 'complete' });
  }
  db.close();
  copyFileSync(join(BENCH_DIR, `outbox-${DRAIN}.tmp.db`), file);
  rmSync(join(BENCH_DIR, `outbox-${DRAIN}.tmp.db`), { force: true });
  return file;
}

interface PouchDb {
  bulkDocs(docs: unknown[]): Promise<unknown>;
  info(): Promise<{ doc_count: number }>;
  close(): Promise<void>;
}
type PouchCtor = (new (name: string) => PouchDb) & { replicate(from: PouchDb, to: string, opts: { batch_size: number; batches_limit?: number }): Promise<{ ok: boolean; docs_written: number }> };

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-hq-'));
  const rows: Array<Record<string, string | number>> = [];
  try {
    if (!SKIP_INGEST) await ingestBoth(dir, rows);
    if (!SKIP_DRAIN) await drainSideBySide(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestBoth(dir: string, rows: Array<Record<string, string | number>>): Promise<void> {
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

async function drainSideBySide(dir: string): Promise<void> {
  {

    // Drain one terminal's 10,000-sale backlog into HQ on SQLite, then the same sales with PouchDB.
    const source = drainSource();
    const laneFile = join(dir, 'lane.db');
    copyFileSync(source, laneFile);
    const hqFile = join(dir, 'hq-drain.db');
    const hq = await startHq(['--db', hqFile]);
    const db = openDatabase(laneFile);
    const token = (await (await fetch(`${hq.url}/v1/admin/enrollment-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ storeId: 'bench', laneId: 'drain' }) })).json()) as { token: string };
    await enroll(db, hq.url, token.token, 'bench');
    // HQ is a long-running service: warm it up with another terminal's 1,000 sales first (PouchDB's server too, below).
    await ingestLoad({ url: hq.url, admin: ADMIN, store: 'warm-up', terminals: 1, perTerminal: 2 * BATCH, batch: BATCH });
    const up = new Uploader(db, loadHqLink(db)!, { batchSize: BATCH });
    const backlog = up.status().backlog;
    const t0 = performance.now();
    await up.drain();
    const ours = (performance.now() - t0) / 1000;
    if (up.status().backlog !== 0) throw new Error(`drain left ${up.status().backlog} sales`);
    const hqSql = sqliteSql(hqFile);
    const stored = await count(hqSql);
    await hqSql.close();
    await hq.stop();
    if (backlog !== DRAIN || stored !== DRAIN + 2 * BATCH) throw new Error(`drain: backlog ${backlog}, HQ holds ${stored}`);
    const docs = db
      .prepare<[], { sequence: number; sale_id: string; kind: string; payload: string; created_at: string }>('SELECT sequence, sale_id, kind, payload, created_at FROM outbox ORDER BY sequence')
      .all()
      .map((r) => ({ _id: r.sale_id, sequence: r.sequence, kind: r.kind, createdAt: r.created_at, sale: JSON.parse(r.payload) as unknown }));
    db.close();

    const require = createRequire(import.meta.url);
    const PouchDB = require('pouchdb') as PouchCtor;
    const server = spawn(process.execPath, ['bench/pouchdb-server.mjs', join(dir, 'pouch-server')], { stdio: ['ignore', 'pipe', 'inherit'] });
    mkdirSync(join(dir, 'pouch-server'), { recursive: true });
    const port = await readyLine(server, (l) => (typeof l.port === 'number' ? l.port : undefined), 'PouchDB server');
    const warmLocal = new PouchDB(join(dir, 'pouch-warm'));
    await warmLocal.bulkDocs(docs.slice(0, 2 * BATCH).map((d) => ({ ...d, _id: `warm-${d._id}` })));
    await PouchDB.replicate(warmLocal, `http://127.0.0.1:${port}/warmup`, { batch_size: BATCH });
    await warmLocal.close();
    const local = new PouchDB(join(dir, 'pouch-local'));
    await local.bulkDocs(docs); // the terminal's side already holds the sales, as our outbox does
    const t1 = performance.now();
    const r = await PouchDB.replicate(local, `http://127.0.0.1:${port}/sales`, { batch_size: BATCH });
    const theirs = (performance.now() - t1) / 1000;
    const remote = new PouchDB(`http://127.0.0.1:${port}/sales`);
    const remoteCount = (await remote.info()).doc_count;
    await local.close();
    server.kill('SIGTERM');
    if (!r.ok || remoteCount !== DRAIN) throw new Error(`PouchDB replicated ${remoteCount} of ${DRAIN}`);
    table(`Drain of one terminal's ${DRAIN.toLocaleString('en')}-sale backlog over loopback, batch size ${BATCH}, both servers warmed up with 1,000 other sales (target ≤ 1 s; PouchDB / ours ≥ 5×)`, [
      { system: 'Kassa uploader → HQ on SQLite (own process)', sales: DRAIN, seconds: ours.toFixed(3), 'sales/s': Math.round(DRAIN / ours) },
      { system: 'PouchDB (leveldb) → express-pouchdb (own process)', sales: DRAIN, seconds: theirs.toFixed(3), 'sales/s': Math.round(DRAIN / theirs) },
      { system: 'PouchDB time / our time', sales: '', seconds: `${(theirs / ours).toFixed(1)}×`, 'sales/s': '' },
    ]);
  }
}

await main();
