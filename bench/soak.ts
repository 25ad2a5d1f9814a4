/**
 * A lane's long life: sales one after another over the Terminal API against the real core process
 * (the demo store: demo catalog, simulated ESC/POS printer attached, every receipt printed), a Z
 * report and a new till day every 1,000 sales. Per window of sales it prints the p50/p99 of
 * scan → ack, complete → ack and ping → ack, the core's RSS and the database's size per sale; at
 * the end the ratio of the last window's p99 to the first's and scan → committed in-process on the
 * database as it is after all those sales.
 *
 *   npm run build && npx tsx bench/soak.ts
 *   KASSA_SOAK_SALES=50000 KASSA_SOAK_WINDOW=5000 KASSA_SOAK_Z=1000 (defaults)
 *
 * Targets (issue 14): last/first p99 ≤ 1.2; scan → committed p99 ≤ 2 ms at 50,000 sales;
 * RSS ≤ 200 MB at every window; database ≤ 4 KB per sale after retention.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CommandSchema, type Command, type CommandBody, type ServerMessage } from '../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../test/helpers/core-process';
import { openDatabase } from '../core/db';
import { startCheckpointer } from '../core/db/checkpointer';
import { Catalog } from '../core/catalog/repo';
import { LaneService } from '../core/lane/host';
import { PROFILES } from '../core/profile';
import { clockFrom, systemClock } from '../core/clock';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { table } from './table';
import { randomBytes } from 'node:crypto';
import { enroll } from '../core/sync/link';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const SALES = Number(process.env.KASSA_SOAK_SALES ?? 50_000);
const WINDOW = Number(process.env.KASSA_SOAK_WINDOW ?? 5_000);
const Z_EVERY = Number(process.env.KASSA_SOAK_Z ?? 1_000);
const MONDAY = '2026-11-23T08:00:00+01:00';
const DIR = resolve('.bench/soak');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const f = (n: number) => n.toFixed(2);

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/** The database file itself (the WAL beside it is bounded by journal_size_limit and reported apart). */
const fileBytes = (path: string) => (existsSync(path) ? statSync(path).size : 0);

async function ok(api: ApiClient, cmd: CommandBody): Promise<{ ms: number; msg: ServerMessage }> {
  const t0 = performance.now();
  const msg = await api.send(cmd);
  const ms = performance.now() - t0;
  if (msg.type !== 'ack') throw new Error(`${cmd.cmd} refused: ${JSON.stringify(msg)}`);
  return { ms, msg };
}

async function main(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const dbPath = join(DIR, 'kassa.db');
  // The lane replicates to an HQ (embedded SQLite) as a store's would, so what HQ acknowledged is
  // compacted as it goes (KASSA_SOAK_HQ=0: no HQ, the outbox keeps every sale).
  let hq: ChildProcess | null = null;
  if (process.env.KASSA_SOAK_HQ !== '0') {
    // HQ in its own process (dist/hq/main.js), so its work never delays this client's timings.
    const admin = randomBytes(24).toString('base64url');
    hq = spawn(process.execPath, ['dist/hq/main.js', '--db', join(DIR, 'hq.db'), '--port', '0', '--catalog-dir', join(DIR, 'hq-catalog')], {
      env: { ...process.env, KASSA_HQ_ADMIN_TOKEN: admin },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const port = await new Promise<number>((res, rej) => {
      createInterface({ input: hq!.stdout! }).on('line', (l) => {
        const m = /"port":(\d+)/.exec(l);
        if (m) res(Number(m[1]));
      });
      hq!.once('exit', (c) => rej(new Error(`HQ exited ${c}`)));
    });
    const url = `http://127.0.0.1:${port}`;
    const res = await fetch(`${url}/v1/admin/enrollment-tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ storeId: 'soak', laneId: '1' }) });
    const { token } = (await res.json()) as { token: string };
    const lane = openDatabase(dbPath);
    await enroll(lane, url, token, 'soak');
    lane.close();
  }
  // With HQ the lane keeps HQ's time (HQ refuses requests stamped far from its own); alone, a fixed Monday.
  const core = await startCoreProcess(dbPath, ['--demo', '--clock', hq ? systemClock().toISOString() : MONDAY], 60_000);
  const api = await ApiClient.connect(core.port, core.token);
  // Items without an age limit or a deposit, sold three to a sale.
  const codes = [DEMO_ITEMS.milk.codes[0]!, DEMO_ITEMS.filmjolk.codes[0]!, DEMO_ITEMS.bread.codes[0]!];
  const rows: Array<Record<string, string | number>> = [];
  const firstLast: number[] = [];
  let scanMs: number[] = [];
  let completeMs: number[] = [];
  let pingMs: number[] = [];
  const t0 = performance.now();
  let tw = performance.now();
  await ok(api, { cmd: 'signIn', operator: '7', pin: '7777' });
  await ok(api, { cmd: 'openTill', float: [] });
  for (let i = 1; i <= SALES; i++) {
    for (const code of codes) scanMs.push((await ok(api, { cmd: 'scan', code })).ms);
    await ok(api, { cmd: 'tenderCash' });
    completeMs.push((await ok(api, { cmd: 'complete', receipt: 'print' })).ms);
    pingMs.push((await ok(api, { cmd: 'ping' })).ms);
    if (i % Z_EVERY === 0) {
      const x = await ok(api, { cmd: 'xReport' });
      const expected = (x.msg.type === 'ack' && x.msg.result && 'expectedCash' in x.msg.result ? Number(x.msg.result.expectedCash) : 0) || 0;
      await ok(api, { cmd: 'closeTill', counted: expected > 0 ? [{ denomination: 100, count: Math.round(expected / 100) }] : [] });
      await ok(api, { cmd: 'signIn', operator: '7', pin: '7777' }).catch(() => undefined);
      await ok(api, { cmd: 'openTill', float: [] });
    }
    if (i % WINDOW === 0) {
      const s99 = pct(scanMs, 99);
      firstLast.push(Math.max(s99, pct(completeMs, 99), pct(pingMs, 99)));
      rows.push({
        sales: `${i - WINDOW + 1}–${i}`,
        'scan p50': f(pct(scanMs, 50)),
        'scan p99': f(s99),
        'complete p50': f(pct(completeMs, 50)),
        'complete p99': f(pct(completeMs, 99)),
        'ping p50': f(pct(pingMs, 50)),
        'ping p99': f(pct(pingMs, 99)),
        'sales/s': Math.round(WINDOW / ((performance.now() - tw) / 1000)),
        'RSS MB': rssMb(core.child.pid!),
        'db KB/sale': (fileBytes(dbPath) / 1024 / i).toFixed(1),
        'WAL MB': (fileBytes(`${dbPath}-wal`) / 1048576).toFixed(1),
      });
      console.log(JSON.stringify(rows[rows.length - 1]));
      scanMs = [];
      completeMs = [];
      pingMs = [];
      tw = performance.now();
    }
  }
  api.close();
  await stopCoreProcess(core);
  hq?.kill('SIGTERM');
  table(`soak: ${SALES} sales over the Terminal API (3 scans, cash, printed receipt, ping each; Z every ${Z_EVERY}), ms to ack`, rows);
  const ratio = firstLast.length > 1 ? firstLast[firstLast.length - 1]! / firstLast[0]! : 1;

  // scan → committed, in-process, on the database as the soak left it.
  const db = openDatabase(dbPath);
  db.pragma('wal_checkpoint(TRUNCATE)');
  const dbKbPerSale = (fileBytes(dbPath) / 1024 / SALES).toFixed(1);
  const checkpointer = startCheckpointer(db); // as the core runs: WAL checkpoints off the lane's thread
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 'demo-001', storeName: 'Soak', laneId: '1' }, { now: clockFrom(MONDAY) });
  let n = 0;
  const cmd = (c: CommandBody): Command => CommandSchema.parse({ ...c, id: `s${++n}` }) as Command;
  // The lane as the soak left it: signed in with an open till (each step refused if it is so already).
  for (const c of [{ cmd: 'signIn', operator: '7', pin: '7777' }, { cmd: 'openTill', float: [] }] as CommandBody[]) {
    try {
      s.handle(cmd(c));
    } catch {
      // already so
    }
  }
  const committed: number[] = [];
  for (let i = 0; i < 2_000; i++) {
    const c = cmd({ cmd: 'scan', code: codes[i % codes.length]! });
    const ts = performance.now();
    s.handle(c);
    committed.push(performance.now() - ts);
    if (i % 20 === 19) {
      s.handle(cmd({ cmd: 'tenderCash' }));
      s.handle(cmd({ cmd: 'complete', receipt: 'none' }));
    }
  }
  s.dispose();
  await checkpointer.stop();
  db.close();
  table('after the soak', [
    {
      sales: SALES,
      'minutes': ((performance.now() - t0) / 60_000).toFixed(1),
      'p99 last/first window': ratio.toFixed(2),
      'target ratio': '≤ 1.2',
      'scan → committed p99 (in-process)': f(pct(committed, 99)),
      'target ms': '≤ 2',
      'db KB/sale': dbKbPerSale,
      'target KB': '≤ 4',
    },
  ]);
}

void main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
