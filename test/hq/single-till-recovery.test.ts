/**
 * A store with one till has no peers to get a wiped till's past back from (issue 19.3, "or HQ"):
 * with real processes — `npm run hq`, `npm run provision`, the lane core — the till sells, its disk
 * is wiped, it is provisioned again with a reflash token and gets its sales back from HQ
 * (core/peers/recover-hq.ts). Then its journal verifies (entries through HQ's head are HQ's record),
 * a receipt sold before the wipe is returned on it, its next sale continues the sequence, and HQ
 * takes the new sales on the same terminal with no fork. And an HQ answer that does not add up
 * (a sale missing, a head that is not the last sale's) is refused with nothing kept.
 */
import { execFile, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { openDatabase } from '../../core/db';
import { recoverFromHq } from '../../core/peers/recover-hq';
import { RecoveryError } from '../../core/peers/recover-store';
import { RecoveryPending } from '../../core/peers/recovery-pending';
import { loadHqLink } from '../../core/sync/link';
import { sqliteSql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import type { RecoveryPage } from '../../protocol/hq-recovery';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { demoDb } from '../helpers/demo-lane';
import { startHqProcess } from '../helpers/hq-process';
import { tempDir } from '../helpers/tmp';
import { untilAsync } from '../helpers/wait';

const tmp = tempDir('kassa-hq-recovery-');
const children: ChildProcess[] = [];
const cores: CoreProcess[] = [];
afterAll(async () => {
  for (const c of cores) await stopCoreProcess(c).catch(() => undefined);
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

const ROOT = join(__dirname, '../..');
const run = (cmd: string, args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) => {
    execFile(cmd, args, { cwd: ROOT }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
  });

async function sellMilk(client: ApiClient): Promise<string> {
  await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
  await client.send({ cmd: 'tenderCash' });
  expect((await client.send({ cmd: 'complete' })).type).toBe('ack');
  return client.snapshot!.lastSale!.saleId;
}

describe('a one-till store: the wiped till gets its past back from HQ', () => {
  const hqDb = join(tmp.dir, 'hq.db');
  const laneDb = join(tmp.dir, 'lane.db');
  let hqUrl = '';
  let terminalId = '';
  let firstSale = '';
  const hqTerminal = async () => {
    const sql = sqliteSql(hqDb);
    try {
      return (await new HqStore(sql).terminal(terminalId))!;
    } finally {
      await sql.close();
    }
  };
  const token = (...extra: string[]) => spawnSync(process.execPath, ['dist/hq/main.js', '--db', hqDb, '--issue-token', 'solo:1', ...extra], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();

  it('sells three sales that reach HQ, then loses its disk', async () => {
    hqUrl = `http://127.0.0.1:${(await startHqProcess(hqDb, children)).port}`;
    demoDb(tmp.dir, 'lane.db').close();
    const p = await run(process.execPath, ['dist/core/provision.js', `--hq=${hqUrl}`, `--token=${token()}`, `--db=${laneDb}`]);
    expect(p.code, p.out).toBe(0);
    terminalId = /enrolled as (T-[\w-]+)/.exec(p.out)![1]!;
    const core = await startCoreProcess(laneDb, [], 20_000, { KASSA_SYNC_TIMEOUT_MS: '15000' });
    cores.push(core);
    const client = await ApiClient.connect(core.port, core.token);
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await client.send({ cmd: 'openTill', float: [] });
    firstSale = await sellMilk(client);
    await sellMilk(client);
    await sellMilk(client);
    await untilAsync('HQ holds the three sales', async () => Number((await hqTerminal()).acked_through) === 3, 40_000);
    client.close();
    await stopCoreProcess(core);
    rmSync(laneDb, { force: true });
    rmSync(`${laneDb}-wal`, { force: true });
    rmSync(`${laneDb}-shm`, { force: true });
  }, 90_000);

  it('provisioned again with a reflash token, it takes its sales from HQ and sells on from HQ’s head', async () => {
    demoDb(tmp.dir, 'lane.db').close();
    const p = await run(process.execPath, ['dist/core/provision.js', `--hq=${hqUrl}`, `--token=${token('--reflash')}`, `--db=${laneDb}`]);
    expect(p.code, p.out).toBe(0);
    expect(p.out).toContain('the store has no other till: getting its sales back from HQ');
    const head = await hqTerminal();
    expect(p.out).toMatch(new RegExp(`recovered 3 sales from HQ in [\\d.]+ s; the journal continues at entry ${Number(head.chain_seq) + 1} after HQ's entry ${head.chain_seq}; the till is closed: count the drawer and open it`));
    expect(p.out).toContain('ready to sell');
    const verified = await run(process.execPath, ['--import', 'tsx', 'scripts/journal-verify.ts', laneDb]);
    expect(verified.code, verified.out).toBe(0);
    expect(verified.out).toMatch(new RegExp(`^OK: .*\\(entries 1–${head.chain_seq} are HQ's record: this till was recovered from HQ\\)`));

    const core = await startCoreProcess(laneDb, [], 20_000, { KASSA_SYNC_TIMEOUT_MS: '15000' });
    cores.push(core);
    const client = await ApiClient.connect(core.port, core.token);
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    // The till day did not come back from HQ: the cashier opens the till.
    expect(await client.send({ cmd: 'openTill', float: [] })).toMatchObject({ type: 'ack' });
    const receipt = `R${firstSale.replace(/-/g, '')}`;
    const found = await client.send({ cmd: 'findSale', receiptCode: receipt });
    expect(found.type, JSON.stringify(found)).toBe('ack');
    const line = (found as { result: { lines: Array<{ lineId: string; name: string; returnable: number }> } }).result.lines[0]!;
    expect(line).toMatchObject({ name: DEMO_ITEMS.milk.name, returnable: 1 });
    expect(await client.send({ cmd: 'returnLines', receiptCode: receipt, lines: [{ lineId: line.lineId, quantity: 1 }], reason: 'Fel vara' })).toMatchObject({ type: 'ack' });
    await sellMilk(client);
    const db = new Database(laneDb, { readonly: true });
    try {
      expect(db.prepare('SELECT sequence FROM sale ORDER BY sequence').all()).toEqual([1, 2, 3, 4, 5].map((sequence) => ({ sequence })));
    } finally {
      db.close();
    }
    await untilAsync('HQ holds the sales after the wipe', async () => Number((await hqTerminal()).acked_through) === 5, 40_000);
    const t = await hqTerminal();
    expect(t.chain_alert).toBeNull();
    expect(Number(t.rejected_count)).toBe(0);
    expect(t.recovered_at).not.toBeNull();
    client.close();
    // Returned once is returned: the same line again is refused.
    const again = await ApiClient.connect(core.port, core.token);
    const refound = await again.send({ cmd: 'findSale', receiptCode: receipt });
    expect((refound as { result: { lines: Array<{ returnable: number }> } }).result.lines[0]!.returnable).toBe(0);
    again.close();
  }, 120_000);

  it('an HQ answer that does not add up is refused, and nothing is kept', async () => {
    // A till reflashed once more, for real (its link's key signs the requests HQ answers below)…
    demoDb(tmp.dir, 'again.db').close();
    const p = await run(process.execPath, ['dist/core/provision.js', `--hq=${hqUrl}`, `--token=${token('--reflash')}`, `--db=${join(tmp.dir, 'again.db')}`]);
    expect(p.code, p.out).toBe(0);
    const source = openDatabase(join(tmp.dir, 'again.db'));
    const link = loadHqLink(source)!;
    source.close();
    // …and an empty database recovering with that link from HQ's answers, altered in flight.
    demoDb(tmp.dir, 'fresh.db').close();
    const fresh = openDatabase(join(tmp.dir, 'fresh.db'));
    const reflash = { previousJournalKeys: [], hqAckedThrough: 5, chainSeq: 0, chainHash: null, roster: { body: '', signature: '' } } as never;
    const alter = (change: (p: RecoveryPage) => void): typeof fetch => async (input, init) => {
      const res = await fetch(input, init);
      const page = (await res.json()) as RecoveryPage;
      change(page);
      return new Response(JSON.stringify(page), { status: res.status, headers: { 'content-type': 'application/json' } });
    };
    const log = () => {};
    await expect(recoverFromHq(fresh, link, reflash, { now: () => new Date(), log, fetchFn: alter((pg) => void pg.sales.splice(1, 1)) })).rejects.toThrow(RecoveryError);
    await expect(recoverFromHq(fresh, link, reflash, { now: () => new Date(), log, fetchFn: alter((pg) => void pg.sales.splice(1, 1)) })).rejects.toThrow(/jump from 1 to 3/);
    await expect(recoverFromHq(fresh, link, reflash, { now: () => new Date(), log, fetchFn: alter((pg) => void (pg.chainSeq += 1)) })).rejects.toThrow(/is not the head HQ checked|HQ took more sales/);
    await expect(recoverFromHq(fresh, link, reflash, { now: () => new Date(), log, fetchFn: alter((pg) => void (pg.terminalId = 'T-other')) })).rejects.toThrow(/answered with the sales of T-other/);
    expect(fresh.prepare('SELECT (SELECT count(*) FROM sale) + (SELECT count(*) FROM journal) AS n').get()).toEqual({ n: 0 });
    expect(new RecoveryPending(fresh).get()).toBeNull();
    fresh.close();
  }, 60_000);
});
