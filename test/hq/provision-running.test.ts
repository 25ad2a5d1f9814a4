/**
 * Provisioning a lane that is already running, with real processes: the core starts on its own
 * (no HQ link) and sells; store IT runs `npm run provision` on the same database while it runs;
 * within a round the lane checks in at HQ, uploads the sales it made before and after, and sells at
 * the catalog provisioning installed — without a restart. Provisioned again (a new token, a new
 * key), the running lane switches to its new identity.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../helpers/core-process';
import { demoDb } from '../helpers/demo-lane';
import { HQ_STAFF_TOKEN, startHqProcess } from '../helpers/hq-process';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

const tmp = tempDir('kassa-provision-running-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

interface FleetRow {
  terminal_id: string;
  lane_id: string;
  checkin_at: string | null;
  sales: number;
  catalog_version: number | null;
}

/** The documented provisioning command, as store IT runs it (its own process, the lane's database). */
function provision(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['dist/core/provision.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((res) => child.on('exit', (code) => res({ code, stdout, stderr })));
}

describe('provisioning a lane while it runs', () => {
  it('starts checking in and uploading within a round, without a restart', async () => {
    const hqDb = join(tmp.dir, 'hq.db');
    const hq = await startHqProcess(hqDb, children);
    const hqUrl = `http://127.0.0.1:${hq.port}`;
    const fleet = async () => ((await (await fetch(`${hqUrl}/v1/fleet`, { headers: { authorization: `Bearer ${HQ_STAFF_TOKEN}` } })).json()) as { terminals: FleetRow[] }).terminals;
    const issue = () => {
      const r = spawnSync(process.execPath, ['dist/hq/main.js', '--db', hqDb, '--issue-token', 'store-5:2'], { encoding: 'utf8' });
      expect(r.stdout.trim(), r.stderr).toMatch(/^[A-Za-z0-9_-]{20,}$/);
      return r.stdout.trim();
    };
    const milk = DEMO_ITEMS.milk.codes[0]!;
    writeFileSync(join(tmp.dir, 'catalog.json'), JSON.stringify({ vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }], departments: [{ id: 'mejeri', name: 'Mejeri' }], items: [{ id: 'milk', name: 'Mjölk HQ', department: 'mejeri', vat: 'food', price: 15.5, barcodes: [milk] }] }));
    const pub = spawnSync(process.execPath, ['dist/hq/publish.js', '--db', hqDb, '--key', join(tmp.dir, 'key.pem'), '--catalog', join(tmp.dir, 'catalog.json')], { encoding: 'utf8' });
    const catalogKey = /provision --catalog-key=([A-Za-z0-9_-]{43})/.exec(pub.stdout)![1]!;

    // The lane runs on its own: no HQ link, its own (demo) catalog. Check-ins every 5 minutes, as shipped.
    const laneDb = join(tmp.dir, 'lane.db');
    demoDb(tmp.dir, 'lane.db').close();
    const core = await startCoreProcess(laneDb, [], 20_000, { KASSA_CATALOG_POLL_MS: '300000' });
    const client = await ApiClient.connect(core.port, core.token);
    const sell = async () => {
      await client.send({ cmd: 'scan', code: milk, source: 'scanner' });
      const price = client.snapshot!.checkout!.lines[0]!.unitPrice;
      await client.send({ cmd: 'tenderCash' });
      expect((await client.send({ cmd: 'complete' })).type).toBe('ack');
      return price;
    };
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await client.send({ cmd: 'openTill', float: [] });
    const before = await sell();
    await sell();
    expect(client.snapshot!.sync).toBeNull();
    expect(core.stderr.join('\n')).toMatch(/not provisioned for HQ/);

    // Store IT provisions it while it runs.
    const p = await provision(['--hq', hqUrl, '--token', issue(), '--catalog-key', catalogKey, '--db', laneDb]);
    expect(`${p.stdout}${p.stderr}`).toMatch(/enrolled as (T-[\w-]+)[\s\S]*ready to sell\n$/);
    expect(p.code).toBe(0);
    const terminalId = /enrolled as (T-[\w-]+)/.exec(p.stdout)![1]!;
    const provisionedAt = performance.now();
    // Within a round (the link is looked for every 2 s), long before the 5-minute check-in: it
    // checks in, and the two sales made before provisioning reach HQ.
    await until('replicating', () => client.snapshot?.sync?.online === true && client.snapshot.sync.backlog === 0, 15_000);
    let row: FleetRow | undefined;
    for (let i = 0; i < 50 && !(row && row.sales === 2 && row.checkin_at); i++) {
      row = (await fleet()).find((t) => t.terminal_id === terminalId);
      if (!(row && row.sales === 2 && row.checkin_at)) await new Promise((r) => setTimeout(r, 200));
    }
    expect(row).toMatchObject({ terminal_id: terminalId, lane_id: '2', sales: 2, catalog_version: 1 });
    expect(row!.checkin_at).not.toBeNull();
    expect(performance.now() - provisionedAt).toBeLessThan(15_000); // a round is 2 s; slack for a loaded machine
    expect(core.stderr.join('\n')).toMatch(new RegExp(`replicating to HQ .* as ${terminalId} \\(provisioned while running\\)`));
    // It sells at the catalog provisioning installed, and the sale goes to HQ by itself.
    expect(before).not.toBe(1550);
    expect(await sell()).toBe(1550);
    expect(client.snapshot!.catalog).toMatchObject({ version: 1 });
    await until('third sale uploaded', () => client.snapshot?.sync?.backlog === 0, 10_000);

    // Provisioned again (a new token, a new key): the running lane switches to its new identity.
    const again = await provision(['--hq', hqUrl, '--token', issue(), '--db', laneDb]);
    expect(again.code).toBe(0);
    const second = /enrolled as (T-[\w-]+)/.exec(again.stdout)![1]!;
    expect(second).not.toBe(terminalId);
    await sell();
    let rows: FleetRow[] = [];
    for (let i = 0; i < 50 && !rows.find((t) => t.terminal_id === second && t.checkin_at && t.sales > 0); i++) {
      await new Promise((r) => setTimeout(r, 200));
      rows = await fleet();
    }
    expect(rows.find((t) => t.terminal_id === second)).toMatchObject({ checkin_at: expect.any(String) });
    expect(core.stderr.join('\n')).toMatch(new RegExp(`provisioned again: replicating to HQ .* as ${second} \\(was ${terminalId}\\)`));
    client.close();
    await stopCoreProcess(core);
    hq.child.kill('SIGTERM');
  });
});
