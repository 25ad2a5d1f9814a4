/**
 * HQ's fleet page in Chromium, as store IT uses it: the staff token typed (a wrong one refused),
 * then a summary of the lanes needing attention, those lanes first, the stale last contact
 * highlighted with how long ago, each lane's problems in words, and a healthy lane "active" last.
 * HQ and the lanes run on one clock the test sets: two days pass between enrolment and the look.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock';
import type { Db } from '../../core/db';
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
import { MONDAY } from '../helpers/clock';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = join(process.cwd(), 'test-artifacts');
const STAFF = 'fleet-staff-token-0123456789';
const tmp = tempDir('kassa-fleet-');
/** The colour of row `i`'s last contact, computed in the page (a string: this file is type-checked without the DOM library). */
const contactColor = (i: number) => `getComputedStyle(document.querySelectorAll('#fleet tbody tr')[${i}].querySelector('[data-col="last-contact"]')).color`;
const clock = new ManualClock(MONDAY);
let browser: Browser;
let sql: Sql;
let url: string;
let close: () => Promise<void>;

/** A lane with `sales` cash sales, enrolled at HQ as store-42 / `lane`, its sales uploaded. */
async function lane(store: HqStore, laneId: string, sales: number): Promise<{ db: Db; s: ReturnType<typeof openDemoLane> }> {
  const db = demoDb(tmp.dir, `lane-${laneId}.db`);
  const s = openDemoLane(db, { now: clock.now });
  for (let i = 0; i < sales; i++) {
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
  }
  await enroll(db, url, await store.createEnrollmentToken('store-42', laneId), '0.1.0', fetch, clock.now);
  if (sales) await new Uploader(db, loadHqLink(db, clock.now)!, { now: clock.now }).drain();
  return { db, s };
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  sql = sqliteSql(join(tmp.dir, 'hq.db'));
  await migrate(sql, join(__dirname, '../../migrations/hq'), clock.now);
  const store = new HqStore(sql, { now: clock.now });
  const catalogDir = join(tmp.dir, 'hq-catalog');
  const app = await buildHqServer({ store, adminToken: STAFF, catalogDir });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = () => app.close();
  const { signer } = loadOrCreateCatalogKey(join(tmp.dir, 'key.pem'));
  const catalog = (price: number) =>
    applyJsonInput(emptyContent(), JSON.stringify({ vatClasses: [{ id: 'food', name: 'Mat', rateBp: 1200 }], departments: [{ id: 'd', name: 'D' }], items: [{ id: 'milk', name: 'Mjölk', department: 'd', vat: 'food', price, barcodes: [DEMO_ITEMS.milk.codes[0]!] }] }), 'c.json');
  const checkIn = (db: Db, s: ReturnType<typeof openDemoLane>) => {
    pinCatalogKey(db, signer.publicKey, clock.now());
    return new CatalogUpdater(db, loadHqLink(db, clock.now)!, { now: clock.now, downloadPath: join(tmp.dir, 'dl'), report: () => checkinReport(s.snapshot()) }).check();
  };
  // Monday: lane 2 is enrolled and never heard of again. Lane 3 sells, takes catalog version 1 and
  // reports its printer down.
  await publishCatalog(store, catalogDir, signer, catalog(15));
  const quiet = await lane(store, '2', 0);
  const old = await lane(store, '3', 3);
  old.s.setDeviceStatus({ id: 'printer-1', kind: 'printer', connection: 'TCP 10.0.0.5:9100', state: 'offline', detail: 'not answering' });
  await checkIn(old.db, old.s);
  clock.advance(3600_000);
  await publishCatalog(store, catalogDir, signer, catalog(16));
  // Two days later lane 1 is installed and works: sales uploaded, newest catalog, no alerts.
  clock.advance(47 * 3600_000);
  const fine = await lane(store, '1', 2);
  await checkIn(fine.db, fine.s);
  for (const l of [quiet, old, fine]) {
    l.s.dispose();
    l.db.close();
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
});
afterAll(async () => {
  await browser?.close();
  await close?.();
  await sql?.close();
  tmp.cleanup();
});

describe('HQ fleet page', () => {
  it('asks for the staff token, then shows the lanes needing attention first, with a summary and the stale contact highlighted', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(url);
    // A wrong token, typed and sent with the button.
    await page.getByLabel('Staff token').click();
    await page.keyboard.type('wrong-token');
    await page.getByRole('button', { name: 'Show fleet' }).click();
    await expect.poll(async () => (await page.locator('#status').textContent()) ?? '').toMatch(/staff token required/);
    expect(await page.locator('#fleet').isVisible()).toBe(false);
    // The right one, typed and sent with Enter.
    await page.getByLabel('Staff token').click();
    await page.keyboard.type(STAFF);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#fleet tbody tr').count()).toBe(3);

    // What a person reads first: how many lanes need attention, and why.
    expect(await page.locator('#summary').textContent()).toBe('⚠ 2 lanes need attention: 2 stale, 1 with alerts, 1 no catalog, 1 old catalog, 1 never sold');
    // Problem lanes first, the healthy lane last.
    const rows = page.locator('#fleet tbody tr');
    const lanes = await rows.evaluateAll((trs) => trs.map((tr) => tr.children[1]!.textContent));
    expect(lanes).toEqual(['2', '3', '1']);
    const state = (i: number) => rows.nth(i).locator('td[data-col="state"]');
    expect(await state(0).textContent()).toBe('⚠ needs attentionnever in contact (enrolled 2 d ago)no catalog from HQ (v2 published)no sale since enrolment 2 d ago');
    expect(await state(1).textContent()).toBe('⚠ needs attentionno contact for 2 d1 open alertcatalog v1, v2 published 47 h ago');
    expect(await state(2).textContent()).toBe('✓ active');
    // The stale lane's last contact says how long ago, highlighted (red, with a warning sign); the healthy one's is not.
    const contact = (i: number) => rows.nth(i).locator('td[data-col="last-contact"]');
    expect(await contact(1).textContent()).toBe('⚠ 2 d ago');
    expect(await page.evaluate(contactColor(1))).toBe('rgb(170, 0, 0)');
    expect(await contact(0).textContent()).toBe('⚠ never');
    expect(await contact(2).textContent()).toBe('0 s ago');
    expect(await page.evaluate(contactColor(2))).toBe('rgb(17, 17, 17)');
    expect(await rows.nth(1).textContent()).toMatch(/printer-1 offline.*printer-1 \(printer\): not answering/);
    expect(await rows.nth(2).textContent()).toMatch(/^store-421✓ active0 s ago20nonev2–none0 s0\.1\.0T-[\w-]+journal head \d+:[0-9a-f]{12}…$/); // 2 sales, none waiting, no gaps, newest catalog, no devices, no alerts, clock right
    expect(await rows.nth(2).getAttribute('class')).toBeNull();

    await page.screenshot({ path: join(ARTIFACTS, 'hq-fleet.png') });
    await page.setViewportSize({ width: 1024, height: 768 });
    // At 1024 px the page and the table still fit: nothing to scroll sideways to.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1024);
    expect(await page.locator('.scroll').evaluate((d) => d.scrollWidth - d.clientWidth)).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'hq-fleet-1024.png') });
    expect(errors.filter((e) => !/401/.test(e))).toEqual([]);
    await page.close();
  });
});
