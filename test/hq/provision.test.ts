/**
 * Store IT's path, with real processes: `npm run hq` (embedded SQLite), a catalog published with
 * `npm run hq:publish`, a token issued by HQ, `npm run provision` enrolling a terminal and pulling
 * the catalog, then the core selling at HQ's prices, taking a price change while it runs, and
 * replicating to HQ on its own; HQ killed and restarted meanwhile — selling goes on, the backlog
 * drains, every sale once.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { sqliteSql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { loadOrCreateCatalogKey } from '../../hq/catalog';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../helpers/core-process';
import { demoDb } from '../helpers/demo-lane';
import { startHqProcess } from '../helpers/hq-process';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

const tmp = tempDir('kassa-provision-');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  tmp.cleanup();
});

const startHq = (db: string, port = 0) => startHqProcess(db, children, port);

describe('provisioning and replication with real processes', () => {
  it('enrolls with a token from HQ, sells, and replicates every sale once across an HQ restart', async () => {
    const hqDb = join(tmp.dir, 'hq.db');
    let hq = await startHq(hqDb);
    const token = spawnSync(process.execPath, ['dist/hq/main.js', '--db', hqDb, '--issue-token', 'store-9:3'], { encoding: 'utf8' }).stdout.trim();
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // HQ's catalog: the demo milk at HQ's price, and a cheese.
    const milk = DEMO_ITEMS.milk.codes[0]!;
    const catalogFile = join(tmp.dir, 'catalog.json');
    writeFileSync(
      catalogFile,
      JSON.stringify({
        vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }],
        departments: [{ id: 'mejeri', name: 'Mejeri' }],
        items: [
          { id: 'milk', name: 'Mjölk HQ 1 l', department: 'mejeri', vat: 'food', price: 15.5, barcodes: [milk] },
          { id: 'cheese', name: 'Ost', department: 'mejeri', vat: 'food', unit: 'weight', price: 119, plu: '7001' },
        ],
      }),
    );
    const publish = (...args: string[]) => spawnSync(process.execPath, ['dist/hq/publish.js', '--db', hqDb, '--key', join(tmp.dir, 'catalog-key.pem'), ...args], { encoding: 'utf8' });
    const pub = publish('--catalog', catalogFile);
    expect(pub.stderr).toMatch(/made a new catalog signing key/);
    expect(pub.stdout).toMatch(/published version 1: 2 items/);
    const catalogKey = /provision --catalog-key=([A-Za-z0-9_-]{43})/.exec(pub.stdout)![1]!;
    const laneDb = join(tmp.dir, 'lane.db');
    demoDb(tmp.dir, 'lane.db').close();
    const p = spawnSync(process.execPath, ['dist/core/provision.js', '--hq', `http://127.0.0.1:${hq.port}`, '--token', token, '--catalog-key', catalogKey, '--db', laneDb], { encoding: 'utf8' });
    expect(p.stderr).toBe('');
    expect(p.stdout).toMatch(/enrolled as T-[\w-]+ \(store store-9, lane 3\)[\s\S]*catalog version 1 from HQ: 2 items\nready to sell/);
    const again = spawnSync(process.execPath, ['dist/core/provision.js', '--hq', `http://127.0.0.1:${hq.port}`, '--token', token, '--db', laneDb], { encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already used/);

    const core = await startCoreProcess(laneDb, [], 20_000, { KASSA_CATALOG_POLL_MS: '300' });
    const client = await ApiClient.connect(core.port, core.token);
    /** One cash sale of a milk; its unit price as scanned. */
    const sell = async () => {
      await client.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' });
      const price = client.snapshot!.checkout!.lines[0]!.unitPrice;
      await client.send({ cmd: 'tenderCash' });
      expect((await client.send({ cmd: 'complete' })).type).toBe('ack');
      return price;
    };
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await client.send({ cmd: 'openTill', float: [] });
    expect(await sell()).toBe(1550);
    // A price change at HQ reaches the running lane as a delta.
    writeFileSync(join(tmp.dir, 'prices.csv'), 'id,price\nmilk,16.90\n');
    expect(publish('--prices', join(tmp.dir, 'prices.csv')).stdout).toMatch(/published version 2: 2 items.*delta from 1 with 3 records/);
    await until('catalog version 2 in use', () => client.snapshot?.catalog?.version === 2, 20_000);
    expect(client.snapshot!.catalog).toMatchObject({ items: 2, stale: false, lastError: null });
    for (let i = 0; i < 4; i++) expect(await sell()).toBe(1690);
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
  it('a token and a catalog key that start with a dash work in both command forms, and hq:publish prints the form that always works', async () => {
    const hqDb = join(tmp.dir, 'hq-dash.db');
    const hq = await startHq(hqDb);
    // About one token and one key in 64 start with '-' (base64url): make ones that do.
    const sql = sqliteSql(hqDb);
    const store = new HqStore(sql);
    const dashTokens: string[] = [];
    for (let lane = 1; dashTokens.length < 2 && lane < 2_000; lane++) {
      const t = await store.createEnrollmentToken('store-dash', String(dashTokens.length + 1));
      if (t.startsWith('-')) dashTokens.push(t);
    }
    expect(dashTokens).toHaveLength(2);
    let keyFile = '';
    for (let i = 0; i < 2_000 && !keyFile; i++) {
      const path = join(tmp.dir, `dash-key-${i}.pem`);
      if (loadOrCreateCatalogKey(path).signer.publicKey.startsWith('-')) keyFile = path;
    }
    expect(keyFile).not.toBe('');
    const catalogFile = join(tmp.dir, 'dash-catalog.json');
    writeFileSync(catalogFile, JSON.stringify({ vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }], departments: [{ id: 'mejeri', name: 'Mejeri' }], items: [{ id: 'milk', name: 'Mjölk', department: 'mejeri', vat: 'food', price: 15.5, barcodes: [DEMO_ITEMS.milk.codes[0]!] }] }));
    const pub = spawnSync(process.execPath, ['dist/hq/publish.js', '--db', hqDb, '--key', keyFile, '--catalog', catalogFile], { encoding: 'utf8' });
    const printed = /provision --catalog-key=(\S+)\)/.exec(pub.stdout);
    expect(printed?.[1]).toMatch(/^-[A-Za-z0-9_-]{42}$/);
    const key = printed![1]!;
    const provision = (db: string, args: string[]) => spawnSync(process.execPath, ['dist/core/provision.js', ...args, '--db', db], { encoding: 'utf8' });
    // The form with a space, as a person types it …
    const a = provision(join(tmp.dir, 'dash-a.db'), ['--hq', `http://127.0.0.1:${hq.port}`, '--token', dashTokens[0]!, '--catalog-key', key]);
    expect(a.stderr).toBe('');
    expect(a.stdout).toMatch(/enrolled as T-[\w-]+ \(store store-dash, lane 1\)[\s\S]*ready to sell/);
    // … and the documented one.
    const b = provision(join(tmp.dir, 'dash-b.db'), [`--hq=http://127.0.0.1:${hq.port}`, `--token=${dashTokens[1]!}`, `--catalog-key=${key}`]);
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(/enrolled as T-[\w-]+ \(store store-dash, lane 2\)[\s\S]*ready to sell/);
    await sql.close();
  });
});
