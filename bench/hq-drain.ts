/**
 * The drain benches of bench/hq.ts: one terminal's real outbox of 10,000 sales (made by the lane
 * service) sent by the real uploader over loopback into HQ on SQLite (its own process) — side by
 * side with PouchDB replicating the same sales; where the drain's time goes, stage by stage; and
 * the same backlog after an outage of the link: HQ's return → backlog empty.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { openDatabase, type Db } from '../core/db';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { enroll, loadHqLink } from '../core/sync/link';
import { OutboxRepo } from '../core/sync/repo';
import { Uploader } from '../core/sync/uploader';
import { sqliteSql } from '../hq/sql';
import { demoDb, openDemoLane } from '../test/helpers/demo-lane';
import { run } from '../test/helpers/lane';
import { ingestLoad } from './hq-ingest';
import { drainBreakdown } from './hq-drain-profile';
import { drainFloor } from './hq-drain-floor';
import { ADMIN, cpuMsOf, ownCpuMs, readyLine, startHq } from './hq-process';
import { table } from './table';

const DRAIN = 10_000;
/** PouchDB's replication batch size (ours: the uploader's defaults, 1,000 sales or 3 MB). */
const POUCH_BATCH = Number(process.env.KASSA_BENCH_POUCH_BATCH ?? 500);
const WARM_UP = 1_000;
const BENCH_DIR = resolve('.bench');

/** A lane database whose outbox holds 10,000 sales of 5 lines, made once through the lane service. */
export function drainSource(): string {
  const file = join(BENCH_DIR, `outbox-signed-${DRAIN}.db`);
  if (existsSync(file)) return file;
  mkdirSync(BENCH_DIR, { recursive: true });
  const db = demoDb(BENCH_DIR, `outbox-signed-${DRAIN}.tmp.db`);
  const lane = openDemoLane(db);
  const codes = [DEMO_ITEMS.milk, DEMO_ITEMS.filmjolk, DEMO_ITEMS.butter, DEMO_ITEMS.bread, DEMO_ITEMS.newspaper].map((i) => i.codes[0]!);
  for (let i = 0; i < DRAIN; i++) {
    for (const c of codes) run(lane, { cmd: 'scan', code: c });
    run(lane, { cmd: 'tenderCash' });
    run(lane, { cmd: 'complete' });
  }
  db.close();
  copyFileSync(join(BENCH_DIR, `outbox-signed-${DRAIN}.tmp.db`), file);
  rmSync(join(BENCH_DIR, `outbox-signed-${DRAIN}.tmp.db`), { force: true });
  return file;
}

/** A copy of the 10,000-sale lane, enrolled at `url` (HQ's own address, or the link in front of it). */
export async function enrolledLane(dir: string, name: string, url: string, hqUrl = url): Promise<Db> {
  const file = join(dir, `${name}.db`);
  copyFileSync(drainSource(), file);
  const db = openDatabase(file);
  const token = (await (await fetch(`${hqUrl}/v1/admin/enrollment-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify({ storeId: 'bench', laneId: name }) })).json()) as { token: string };
  await enroll(db, url, token.token, 'bench');
  return db;
}

async function held(hqFile: string): Promise<number> {
  const sql = sqliteSql(hqFile);
  const n = Number((await sql.query<{ n: number }>('SELECT count(*) AS n FROM sale'))[0]!.n);
  await sql.close();
  return n;
}

interface PouchDb {
  bulkDocs(docs: unknown[]): Promise<unknown>;
  info(): Promise<{ doc_count: number }>;
  close(): Promise<void>;
}
type PouchCtor = (new (name: string) => PouchDb) & { replicate(from: PouchDb, to: string, opts: { batch_size: number; batches_limit?: number }): Promise<{ ok: boolean; docs_written: number }> };

/** What one side by side run took: seconds, and CPU ms of the sending process (this one) and of the server's. */
interface DrainCost {
  secs: number;
  client: number;
  server: number;
}

/** The 10,000 sales with PouchDB (leveldb) to a PouchDB server (express-pouchdb, its own process), already in the local database as ours are in the outbox. */
async function pouchDrain(dir: string, docs: Array<{ _id: string }>): Promise<DrainCost> {
  const require = createRequire(import.meta.url);
  const PouchDB = require('pouchdb') as PouchCtor;
  mkdirSync(join(dir, 'pouch-server'), { recursive: true });
  const server = spawn(process.execPath, ['bench/pouchdb-server.mjs', join(dir, 'pouch-server')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await readyLine(server, (l) => (typeof l.port === 'number' ? l.port : undefined), 'PouchDB server');
  const warmLocal = new PouchDB(join(dir, 'pouch-warm'));
  await warmLocal.bulkDocs(docs.slice(0, WARM_UP).map((d) => ({ ...d, _id: `warm-${d._id}` })));
  await PouchDB.replicate(warmLocal, `http://127.0.0.1:${port}/warmup`, { batch_size: POUCH_BATCH });
  await warmLocal.close();
  const local = new PouchDB(join(dir, 'pouch-local'));
  await local.bulkDocs(docs);
  const [c1, s1, t1] = [process.cpuUsage(), cpuMsOf(server.pid!), performance.now()];
  const r = await PouchDB.replicate(local, `http://127.0.0.1:${port}/sales`, { batch_size: POUCH_BATCH });
  const cost = { secs: (performance.now() - t1) / 1000, client: ownCpuMs(c1), server: cpuMsOf(server.pid!) - s1 };
  const remoteCount = (await new PouchDB(`http://127.0.0.1:${port}/sales`).info()).doc_count;
  await local.close();
  server.kill('SIGTERM');
  if (!r.ok || remoteCount !== DRAIN) throw new Error(`PouchDB replicated ${remoteCount} of ${DRAIN}`);
  return cost;
}

/** Drains one terminal's 10,000-sale backlog into HQ on SQLite, then the same sales with PouchDB. */
export async function drainSideBySide(dir: string): Promise<void> {
  const hqFile = join(dir, 'hq-drain.db');
  const hq = await startHq(['--db', hqFile]);
  const db = await enrolledLane(dir, 'drain', hq.url);
  // HQ is a long-running service: warm it up with another terminal's 1,000 sales first (PouchDB's server too, below).
  await ingestLoad({ url: hq.url, admin: ADMIN, store: 'warm-up', terminals: 1, perTerminal: WARM_UP, batch: 500 });
  // PouchDB's documents are read first: an acknowledged row leaves the outbox (retention).
  const docs = new OutboxRepo(db).batch(0, DRAIN).map((r) => ({ _id: r.sale_id, sequence: r.sequence, kind: r.kind, createdAt: r.created_at, sale: JSON.parse(r.payload) as unknown }));
  const up = new Uploader(db, loadHqLink(db)!);
  const backlog = up.status().backlog;
  const [c0, s0, t0] = [process.cpuUsage(), cpuMsOf(hq.pid), performance.now()];
  await up.drain();
  const ours = (performance.now() - t0) / 1000;
  const oursCpu = { client: ownCpuMs(c0), server: cpuMsOf(hq.pid) - s0 };
  if (up.status().backlog !== 0) throw new Error(`drain left ${up.status().backlog} sales`);
  db.close();
  await hq.stop();
  const stored = await held(hqFile);
  if (backlog !== DRAIN || stored !== DRAIN + WARM_UP) throw new Error(`drain: backlog ${backlog}, HQ holds ${stored}`);
  const pouch = await pouchDrain(dir, docs);
  const theirs = pouch.secs;
  const cpu = (c: { client: number; server: number }) => ({ 'CPU ms: sender': Math.round(c.client), 'CPU ms: server': Math.round(c.server) });
  table(`Drain of one terminal's ${DRAIN.toLocaleString('en')}-sale backlog over loopback (ours: batches of ≤ 1,000 sales / 3 MB, 2 in flight; PouchDB: batch size ${POUCH_BATCH}), both servers warmed up with 1,000 other sales (target ≤ 1 s; PouchDB / ours ≥ 10×); CPU: user + system of each process during the drain (a loaded machine stretches seconds more than CPU)`, [
    { system: 'Kassa uploader → HQ on SQLite (own process)', sales: DRAIN, seconds: ours.toFixed(3), 'sales/s': Math.round(DRAIN / ours), ...cpu(oursCpu) },
    { system: 'PouchDB (leveldb) → express-pouchdb (own process)', sales: DRAIN, seconds: theirs.toFixed(3), 'sales/s': Math.round(DRAIN / theirs), ...cpu(pouch) },
    { system: 'PouchDB / ours', sales: '', seconds: `${(theirs / ours).toFixed(1)}×`, 'sales/s': '', 'CPU ms: sender': `${(pouch.client / oursCpu.client).toFixed(1)}×`, 'CPU ms: server': `${(pouch.server / oursCpu.server).toFixed(1)}×` },
  ]);
  // What 10× would leave HQ, against the least any HQ that checks what it stores must do (same run).
  const floor = await drainFloor(drainSource(), dir);
  const least = floor.reduce((a, f) => a + f.ms, 0);
  table(`The least HQ must do with these ${DRAIN.toLocaleString('en')} sales, whatever the protocol (bench/hq-drain-floor.ts; best of 3, same run)`, [
    ...floor.map((f) => ({ stage: f.stage, ms: Math.round(f.ms) })),
    { stage: 'sum: the floor', ms: Math.round(least) },
    { stage: 'the whole drain may take this for PouchDB / ours ≥ 10× (PouchDB ÷ 10)', ms: Math.round((theirs * 1000) / 10) },
    { stage: 'our drain, end to end', ms: Math.round(ours * 1000) },
  ]);
}

/** Where the drain's time goes: each stage on its own over the same 10,000 sales (bench/hq-drain-profile.ts). */
export async function drainProfile(dir: string): Promise<void> {
  for (const batch of [500, 1_000]) {
    // The best of three for each stage (the machine may be shared).
    let stages: Array<{ stage: string; ms: number }> = [];
    for (let i = 0; i < 3; i++) {
      const run = await drainBreakdown(drainSource(), dir, batch);
      rmSync(join(dir, 'profile-hq.db'), { force: true });
      stages = i === 0 ? run : stages.map((s, k) => ({ stage: s.stage, ms: Math.min(s.ms, run[k]!.ms) }));
    }
    const sum = stages.reduce((a, s) => a + s.ms, 0);
    table(`Drain of ${DRAIN.toLocaleString('en')} sales, stage by stage in one process (best of 3), batches of ${batch} (the real drain overlaps the terminal's stages with HQ's)`, [
      ...stages.map((s) => ({ stage: s.stage, ms: Math.round(s.ms), share: `${Math.round((100 * s.ms) / sum)} %` })),
      { stage: 'sum', ms: Math.round(sum), share: '100 %' },
    ]);
  }
}

/**
 * The link to HQ down for `outageS` seconds (bench/link-gate.mjs swallows every packet, so requests
 * hang until their timeout, as on a dead WAN link) while the uploader runs as in the core, with its
 * defaults; then the link comes back. Measured: link back → first batch acknowledged, and link back
 * → backlog empty, in real time. HQ stays up and warm throughout (the link failed, not HQ). Once
 * the first probe has failed, the uploader's state is the same however long the outage lasts (no
 * batch in flight, no backoff pending, a probe every 2 s), so a shorter KASSA_BENCH_HQ_OUTAGE_S
 * (above the 15 s request timeout) measures the same; the table says which length was run.
 */
export async function outageRun(dir: string, outageS: number): Promise<void> {
  const hqFile = join(dir, 'hq-outage.db');
  const hq = await startHq(['--db', hqFile]);
  const gate = spawn(process.execPath, ['bench/link-gate.mjs', String(hq.port)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const gatePort = await readyLine(gate, (l) => (typeof l.port === 'number' ? l.port : undefined), 'link gate');
  const db = await enrolledLane(dir, 'outage', `http://127.0.0.1:${gatePort}`, hq.url);
  await ingestLoad({ url: hq.url, admin: ADMIN, store: 'warm-up', terminals: 1, perTerminal: WARM_UP, batch: 500 });
  const says = (cmd: 'down' | 'up') => new Promise<void>((res) => {
    void readyLine(gate, (l) => (l.down === (cmd === 'down') ? true : undefined), 'link gate').then(() => res());
    gate.stdin!.write(`${cmd}\n`);
  });
  await says('down');
  const tStart = performance.now();
  const up = new Uploader(db, loadHqLink(db)!, { log: process.env.KASSA_BENCH_HQ_LOG ? (l) => console.log(((performance.now() - tStart) / 1000).toFixed(2), l.slice(0, 120)) : () => {} });
  up.start();
  await new Promise((r) => setTimeout(r, outageS * 1000));
  const errorSeen = up.status().lastError;
  await says('up');
  const t0 = performance.now();
  if (process.env.KASSA_BENCH_HQ_LOG) console.log(((t0 - tStart) / 1000).toFixed(2), 'link up');
  let first = 0;
  await new Promise<void>((res) => {
    const t = setInterval(() => {
      const b = up.status().backlog;
      if (!first && b < DRAIN) first = performance.now();
      if (b === 0) {
        clearInterval(t);
        res();
      }
    }, 20);
  });
  const total = (performance.now() - t0) / 1000;
  up.stop();
  db.close();
  gate.kill('SIGTERM');
  await hq.stop();
  const stored = await held(hqFile);
  if (stored !== DRAIN + WARM_UP || !errorSeen) throw new Error(`outage: HQ holds ${stored}; the uploader saw ${errorSeen}`);
  table(`Link back → backlog empty: ${DRAIN.toLocaleString('en')} sales waiting, the link to HQ down for ${outageS} s (packets swallowed), no sales meanwhile; the uploader with the core's settings (probe every 2 s, 1.5 s timeout; backoff 0.5–60 s; 15 s request timeout) (target: drain starts ≤ 5 s after the link is back; backlog empty ≤ 1 s later)`, [
    { outage: `${outageS} s`, 'link back → first batch acknowledged (s)': ((first - t0) / 1000).toFixed(3), 'link back → backlog empty (s)': total.toFixed(3), 'first ack → empty (s)': (total - (first - t0) / 1000).toFixed(3) },
  ]);
}
