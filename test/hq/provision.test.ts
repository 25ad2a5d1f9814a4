/**
 * Store IT's path, with real processes: `npm run hq` (embedded SQLite), a token issued by HQ,
 * `npm run provision` enrolling a terminal, then the core selling and replicating to HQ on its own;
 * HQ killed and restarted meanwhile — selling goes on, the backlog drains, every sale once.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { sqliteSql } from '../../hq/sql';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../helpers/core-process';
import { demoDb } from '../helpers/demo-lane';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

const tmp = tempDir('kassa-provision-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

async function startHq(db: string, port = 0): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['dist/hq/main.js', '--db', db, '--port', String(port)], { env: { ...process.env, KASSA_HQ_ADMIN_TOKEN: 'staff-token-0123456789abcdef' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const ready = await new Promise<number>((res, rej) => {
    const t = setTimeout(() => rej(new Error('hq not ready')), 15_000);
    createInterface({ input: child.stdout! }).on('line', (l) => {
      try {
        const r = JSON.parse(l) as { kassaHq?: string; port?: number };
        if (r.kassaHq === 'ready') {
          clearTimeout(t);
          res(r.port!);
        }
      } catch {
        // not the ready line
      }
    });
  });
  return { child, port: ready };
}

describe('provisioning and replication with real processes', () => {
  it('enrolls with a token from HQ, sells, and replicates every sale once across an HQ restart', async () => {
    const hqDb = join(tmp.dir, 'hq.db');
    let hq = await startHq(hqDb);
    const token = spawnSync(process.execPath, ['dist/hq/main.js', '--db', hqDb, '--issue-token', 'store-9:3'], { encoding: 'utf8' }).stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const laneDb = join(tmp.dir, 'lane.db');
    demoDb(tmp.dir, 'lane.db').close();
    const p = spawnSync(process.execPath, ['dist/core/provision.js', '--hq', `http://127.0.0.1:${hq.port}`, '--token', token, '--db', laneDb], { encoding: 'utf8' });
    expect(p.stderr).toBe('');
    expect(p.stdout).toMatch(/enrolled as T-[\w-]+ \(store store-9, lane 3\)[\s\S]*ready to sell/);
    const again = spawnSync(process.execPath, ['dist/core/provision.js', '--hq', `http://127.0.0.1:${hq.port}`, '--token', token, '--db', laneDb], { encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already used/);

    const core = await startCoreProcess(laneDb);
    const client = await ApiClient.connect(core.port, core.token);
    const sell = async () => {
      await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
      await client.send({ cmd: 'tenderCash' });
      expect((await client.send({ cmd: 'complete' })).type).toBe('ack');
    };
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await client.send({ cmd: 'openTill', float: [] });
    for (let i = 0; i < 5; i++) await sell();
    await until('replicated', () => client.snapshot?.sync?.backlog === 0 && client.snapshot.sync.online, 20_000);
    // HQ goes away: selling goes on, the backlog grows and is shown.
    hq.child.kill('SIGKILL');
    for (let i = 0; i < 5; i++) await sell();
    await until('offline seen', () => client.snapshot?.sync?.online === false && client.snapshot.sync.backlog > 0, 30_000);
    hq = await startHq(hqDb, hq.port);
    await until('drained after restart', () => client.snapshot?.sync?.backlog === 0 && client.snapshot.sync.online, 90_000);
    const sql = sqliteSql(hqDb);
    const [{ n, s }] = (await sql.query<{ n: number; s: number }>('SELECT count(*) AS n, count(DISTINCT sale_id) AS s FROM sale')) as [{ n: number; s: number }];
    await sql.close();
    expect([n, s]).toEqual([10, 10]);
    client.close();
    await stopCoreProcess(core);
    hq.child.kill('SIGTERM');
  });
});
