/** HQ's fleet page in Chromium: staff token asked first, then terminals with backlog, gaps, catalog version, devices, alerts and state. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { enroll, loadHqLink } from '../../core/sync/link';
import { Uploader } from '../../core/sync/uploader';
import { CatalogUpdater, pinCatalogKey } from '../../core/sync/catalog';
import { checkinReport } from '../../core/sync/report';
import { applyJsonInput, emptyContent, loadOrCreateCatalogKey, publishCatalog } from '../../hq/catalog';
import { migrate, sqliteSql, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { buildHqServer } from '../../hq/server';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tmp = tempDir('kassa-fleet-');
let browser: Browser;
let sql: Sql;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  sql = sqliteSql(join(tmp.dir, 'hq.db'));
  await migrate(sql, join(__dirname, '../../migrations/hq'));
  const store = new HqStore(sql);
  const catalogDir = join(tmp.dir, 'hq-catalog');
  const app = await buildHqServer({ store, adminToken: 'fleet-staff-token-0123456789', catalogDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = () => app.close();
  // One lane that replicated, one enrolled lane that never sent anything.
  const db = demoDb(tmp.dir, 'a.db');
  const s = openDemoLane(db);
  for (let i = 0; i < 3; i++) {
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
  }
  await enroll(db, url, await store.createEnrollmentToken('store-42', '1'), '0.1.0-fleet');
  await new Uploader(db, loadHqLink(db)!).drain();
  // It checks in with catalog version 1 and a printer that is down; HQ has published version 2 since.
  const { signer } = loadOrCreateCatalogKey(join(tmp.dir, 'key.pem'));
  const catalog = (price: number) =>
    applyJsonInput(emptyContent(), JSON.stringify({ vatClasses: [{ id: 'food', name: 'Mat', rateBp: 1200 }], departments: [{ id: 'd', name: 'D' }], items: [{ id: 'milk', name: 'Mjölk', department: 'd', vat: 'food', price, barcodes: [DEMO_ITEMS.milk.codes[0]!] }] }), 'c.json');
  await publishCatalog(store, catalogDir, signer, catalog(15));
  pinCatalogKey(db, signer.publicKey);
  s.setDeviceStatus({ id: 'printer-1', kind: 'printer', connection: 'simulated', state: 'offline', detail: 'not answering' });
  await new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(tmp.dir, 'dl'), report: () => checkinReport(s.snapshot()) }).check();
  await publishCatalog(store, catalogDir, signer, catalog(16));
  const quiet = demoDb(tmp.dir, 'b.db');
  await enroll(quiet, url, await store.createEnrollmentToken('store-42', '2'), '0.1.0-fleet');
  db.close();
  quiet.close();
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
afterAll(async () => {
  await browser?.close();
  await close?.();
  await sql?.close();
  tmp.cleanup();
});

describe('HQ fleet page', () => {
  it('asks for the staff token, refuses a wrong one, then lists the terminals', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    await page.getByLabel('Staff token').fill('wrong-token');
    await page.getByRole('button', { name: 'Show fleet' }).click();
    await expect.poll(async () => (await page.locator('#status').textContent()) ?? '').toMatch(/staff token required/);
    await page.getByLabel('Staff token').fill('fleet-staff-token-0123456789');
    await page.getByRole('button', { name: 'Show fleet' }).click();
    await expect.poll(() => page.locator('#fleet tbody tr').count()).toBe(2);
    const rows = await page.locator('#fleet tbody tr').allTextContents();
    expect(rows[0]).toMatch(/store-421T-[\w-]+\d+ s ago3/); // lane 1: contacted, 3 sales at HQ
    expect(rows[0]).toMatch(/s ago30none.*0\.1\.0v1 \(behind v2\)printer-1 offline.*printer-1 \(printer\): not answeringactive$/); // nothing waiting, no gaps, software, catalog behind, device down, its alert
    expect(rows[1]).toMatch(/store-422T-[\w-]+never0.*0\.1\.0-fleet––noneactive$/); // lane 2: never contacted
    await page.screenshot({ path: join(process.cwd(), 'test-artifacts', 'hq-fleet.png') });
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    await page.close();
  });
});
