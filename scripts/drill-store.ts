/**
 * The store drill (issue 19): three tills of one store — real core processes, each listening for
 * its peers — and HQ (SQLite, its own server) behind the fault proxy. HQ goes out of reach, every
 * till sells, lane 3 is wiped (SIGKILL, its data deleted), HQ comes back: the other two send lane
 * 3's sales on its behalf. Then lane 3 is provisioned again with a reflash token (`npm run
 * provision`, a child process, into an empty database): it recovers its journal from its peers,
 * sells on from the next sequence, and HQ takes its new sales on the same chain. Prints a table
 * (sales per till, at HQ, on each peer, sent by a peer, recovered; times from HQ's return until HQ
 * holds every sale and to recover) and exits non-zero on any loss, duplicate, fork, refused sale,
 * copy or journal that does not verify.
 *
 *   npm run drill:store [-- --sales=20]
 */
import { execFile } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import Database from 'better-sqlite3';
import { table } from '../bench/table';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { PeerCopies } from '../core/peers/copies';
import { enroll } from '../core/sync/link';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../test/helpers/core-process';
import { demoDb } from '../test/helpers/demo-lane';
import { sqliteHqBehindProxy } from '../test/helpers/hq-backends';
import { tempDir } from '../test/helpers/tmp';
import { until, untilAsync } from '../test/helpers/wait';

interface Till {
  lane: string;
  file: string;
  terminalId: string;
  core: CoreProcess;
  client: ApiClient;
  sold: number;
}

const ENV = { KASSA_CATALOG_POLL_MS: '500', KASSA_SYNC_TIMEOUT_MS: '2000', KASSA_PEER_RELAY_GRACE_MS: '0' };

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { sales: { type: 'string', default: '20' } } });
  const perTill = Number(values.sales);
  if (!Number.isInteger(perTill) || perTill < 1 || perTill > 10_000) throw new Error('--sales takes a whole number 1–10000');
  const tmp = tempDir('kassa-drill-store-');
  const hq = await sqliteHqBehindProxy(tmp.dir, 'drill-staff-token-0123456789');
  const tills: Till[] = [];
  const problems: string[] = [];
  try {
    for (const lane of ['1', '2', '3']) {
      const db = demoDb(tmp.dir, `lane-${lane}.db`);
      const { terminalId } = await enroll(db, hq.url, await hq.store.createEnrollmentToken('drill', lane), '0.1.0');
      db.close();
      const file = join(tmp.dir, `lane-${lane}.db`);
      const core = await startCoreProcess(file, ['--lane', lane, '--store-id', 'drill', '--peer-listen', '127.0.0.1:0'], 30_000, ENV);
      tills.push({ lane, file, terminalId, core, client: await ApiClient.connect(core.port, core.token), sold: 0 });
    }
    for (const t of tills) await until(`lane ${t.lane} knows its peers`, () => (t.client.snapshot?.peers ?? []).filter((p) => p.address !== null).length === 2, 30_000);
    console.log('three tills enrolled, each knows the other two; HQ goes out of reach');

    hq.proxy.mode = 'reset';
    for (const t of tills) {
      await t.client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
      await t.client.send({ cmd: 'openTill', float: [] });
      for (let i = 0; i < perTill; i++) {
        await t.client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
        await t.client.send({ cmd: 'tenderCash' });
        if ((await t.client.send({ cmd: 'complete' })).type === 'ack') t.sold++;
      }
    }
    for (const t of tills) await until(`lane ${t.lane}'s peers hold its sales`, () => tills.filter((o) => o !== t).every((o) => (o.client.snapshot?.peers ?? []).some((p) => p.terminalId === t.terminalId && p.held === t.sold)), 60_000);
    const held = heldCopies(tills, await journalKeys(hq.store, tills), problems);
    console.log(`each till sold ${perTill}; every till holds the others' sales; lane 3 is wiped`);

    const lost = tills[2]!;
    await stopCoreProcess(lost.core, 'SIGKILL');
    for (const f of readdirSync(tmp.dir).filter((f) => f.startsWith('lane-3.db'))) rmSync(join(tmp.dir, f));
    const back = performance.now();
    hq.proxy.mode = 'pass';
    const atHq = async () => new Map((await hq.sql.query<{ terminal_id: string; n: number; d: number }>('SELECT terminal_id, count(*) AS n, count(DISTINCT sale_id) AS d FROM sale GROUP BY terminal_id')).map((r) => [r.terminal_id, { n: Number(r.n), d: Number(r.d) }]));
    await untilAsync('every sale at HQ', async () => {
      const m = await atHq();
      return tills.every((t) => m.get(t.terminalId)?.n === t.sold);
    }, 120_000).catch((e: Error) => problems.push(e.message));
    const seconds = (performance.now() - back) / 1000;
    const final = await atHq();
    const relayed = (await hq.store.terminal(lost.terminalId))?.relayed_by ?? null;
    table('The store drill: three tills, HQ out of reach, lane 3 wiped before HQ is back', tills.map((t) => {
      const h = final.get(t.terminalId) ?? { n: 0, d: 0 };
      if (h.n !== t.sold) problems.push(`lane ${t.lane}: sold ${t.sold}, HQ holds ${h.n}`);
      if (h.d !== h.n) problems.push(`lane ${t.lane}: ${h.n - h.d} duplicate(s) at HQ`);
      const row: Record<string, string | number> = { till: `lane ${t.lane}${t === lost ? ' (wiped)' : ''}`, sold: t.sold, 'at HQ': h.n };
      for (const o of tills) row[`held by lane ${o.lane}`] = o === t ? '—' : (held.get(`${o.lane}:${t.lane}`) ?? 0);
      row['sent by a peer'] = t === lost ? (relayed ? `yes (${tills.find((o) => o.terminalId === relayed)?.lane ?? relayed})` : 'no') : '—';
      return row;
    }));
    if (!relayed) problems.push('lane 3’s sales were not sent by a peer');
    const recovered = await reflash(hq, lost, tmp.dir, perTill, problems);
    table('Times', [{ 'HQ back → every sale at HQ (s)': seconds.toFixed(2), 'provisioned again → recovered (s)': recovered.seconds.toFixed(2), 'sales recovered': recovered.sales, 'sold after recovery': recovered.soldAfter, 'HQ holds lane 3': recovered.atHq }]);
  } finally {
    for (const t of tills) await stopCoreProcess(t.core);
    await hq.close();
    tmp.cleanup();
  }
  for (const p of problems) console.error(`PROBLEM: ${p}`);
  console.log(problems.length ? `drill FAILED (${problems.length} problem(s))` : 'drill passed: no sale lost, none twice, no fork');
  return problems.length ? 1 : 0;
}

/**
 * Lane 3 provisioned again as store IT would (a reflash token, `npm run provision` into an empty
 * database): its journal back from its peers, `perTill` more sales, HQ holding all of them on the
 * same chain (no alert, nothing refused), and its whole journal verifying.
 */
async function reflash(hq: Awaited<ReturnType<typeof sqliteHqBehindProxy>>, lost: Till, dir: string, perTill: number, problems: string[]): Promise<{ seconds: number; sales: number; soldAfter: number; atHq: number }> {
  demoDb(dir, 'lane-3.db').close();
  const token = await hq.store.createEnrollmentToken('drill', '3', undefined, undefined, { reflash: true });
  const t0 = performance.now();
  const prov = await run(process.execPath, ['--import', 'tsx', 'core/provision.ts', `--hq=${hq.url}`, `--token=${token}`, `--db=${lost.file}`]);
  const seconds = (performance.now() - t0) / 1000;
  const sales = Number(/recovered (\d+) sales/.exec(prov.out)?.[1] ?? 0);
  if (prov.code !== 0) problems.push(`lane 3 could not be provisioned again: ${prov.out.trim().split('\n').slice(-3).join(' / ')}`);
  if (sales !== lost.sold) problems.push(`lane 3 recovered ${sales} sales, it had sold ${lost.sold}`);
  console.log(`lane 3 provisioned again: ${prov.out.trim().split('\n').filter((l) => /recovered|ready/.test(l)).join('; ')}`);
  const core = await startCoreProcess(lost.file, ['--lane', '3', '--store-id', 'drill', '--peer-listen', '127.0.0.1:0'], 30_000, ENV);
  const client = await ApiClient.connect(core.port, core.token);
  let soldAfter = 0;
  try {
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await client.send({ cmd: 'openTill', float: [] });
    for (let i = 0; i < perTill; i++) {
      await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
      await client.send({ cmd: 'tenderCash' });
      if ((await client.send({ cmd: 'complete' })).type === 'ack') soldAfter++;
    }
    const total = lost.sold + soldAfter;
    const atHq = async () => Number((await hq.sql.query<{ n: number }>('SELECT count(DISTINCT sale_id) AS n FROM sale WHERE terminal_id = $1', [lost.terminalId]))[0]!.n);
    await untilAsync('lane 3’s new sales at HQ', async () => (await atHq()) === total, 60_000).catch((e: Error) => problems.push(e.message));
    const t = (await hq.store.terminal(lost.terminalId))!;
    if (t.chain_alert) problems.push(`HQ flags lane 3's chain: ${t.chain_alert}`);
    if (Number(t.rejected_count) > 0) problems.push(`HQ refused ${t.rejected_count} of lane 3's sales`);
    const verified = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', lost.file]);
    if (verified.code !== 0) problems.push(`lane 3's journal does not verify: ${verified.out.trim()}`);
    return { seconds, sales, soldAfter, atHq: await atHq() };
  } finally {
    await stopCoreProcess(core);
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
  });
}

async function journalKeys(store: { terminal(id: string): Promise<{ journal_key: string | null } | null> }, tills: Till[]): Promise<Map<string, string>> {
  return new Map(await Promise.all(tills.map(async (t) => [t.terminalId, (await store.terminal(t.terminalId))!.journal_key!] as const)));
}

/** How many of each till's sales each other till holds (`holder:owner`), every copy verified whole. */
function heldCopies(tills: Till[], keys: Map<string, string>, problems: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tills) {
    const db = new Database(t.file, { readonly: true });
    try {
      const copies = new PeerCopies(db);
      for (const o of tills.filter((x) => x !== t)) {
        const v = copies.verifyAll(o.terminalId, keys.get(o.terminalId)!);
        if (!v.ok) problems.push(`lane ${t.lane}'s copy of lane ${o.lane}: ${v.reason}`);
        const seqs = copies.sales(o.terminalId, 0, 100_000).map((r) => r.sequence);
        if (new Set(seqs).size !== seqs.length) problems.push(`lane ${t.lane} holds lane ${o.lane}'s sales twice`);
        out.set(`${t.lane}:${o.lane}`, seqs.length);
      }
    } finally {
      db.close();
    }
  }
  return out;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`drill could not run: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
