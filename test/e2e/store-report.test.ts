/**
 * The store report in Chromium (issue 19, "X for the whole store"): the demo store's lane holds
 * verified copies of two other tills' sales — fed the very batches their uploaders make, as a peer
 * sends them — and HQ is nowhere. The cashier sells, opens the menu and asks for the store report:
 * one row per lane (this till's own, the two peers' with when they were last heard), the store's
 * total, in the store's money; readable at 1280×800, 1024×768 and 1080×1920.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../core/catalog/demo';
import { PeerCopies } from '../../core/peers/copies';
import { MONDAY } from '../helpers/clock';
import { sellMilkForCash } from '../helpers/lane';
import { batchOf, peerTill, returnFirstLine, sellButterByCard } from '../helpers/peer-tills';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium, printCoreLogOnFailure, recordConsole, seriousA11y, startDemo, type Demo } from './harness';
import { kr, LanePage, norm, typeAsPerson } from './pages';

const tmp = tempDir('kassa-e2e-store-');
let demo: Demo;
let browser: Browser;
let page: Page;
/** What the two peers sold: lane 2 (cash, card, a return), lane 3 (cash). */
const peers = { two: { sales: 0, returned: 0, card: 0 }, three: { sales: 0, returned: 0 } };
/** The receipt of lane 2's first sale: returned on lane 2 and, while the two could not see each other, on lane 3 too. */
let twice = '';

printCoreLogOnFailure(() => demo, () => page);

beforeAll(async () => {
  const db = openDatabase(join(tmp.dir, 'kassa.db'));
  generateCatalog(db, {});
  // Two other tills of the store sold this Monday; this till holds their copies (no HQ, no roster).
  const two = peerTill(tmp.dir, '2');
  const sold = sellMilkForCash(two.lane);
  peers.two.card = await sellButterByCard(two.lane);
  const heard = new Date(MONDAY);
  // Lane 3 holds lane 2's two sales; then the two lose sight of each other and both take back the milk of the first.
  const three = peerTill(tmp.dir, '3', MONDAY, true);
  expect(new PeerCopies(three.db).ingest('T-2', two.key, batchOf(two, heard), heard)).toMatchObject({ accepted: 2 });
  peers.two.returned = returnFirstLine(two.lane, sold).refund;
  peers.three.returned = returnFirstLine(three.lane, sold).refund;
  twice = `R${sold.replace(/-/g, '')}`;
  sellMilkForCash(three.lane);
  sellMilkForCash(three.lane);
  const copies = new PeerCopies(db);
  expect(copies.ingest('T-2', two.key, batchOf(two, heard), heard)).toMatchObject({ accepted: 3 });
  expect(copies.ingest('T-3', three.key, batchOf(three, heard), heard)).toMatchObject({ accepted: 3 });
  peers.two.sales = 1700 + peers.two.card;
  peers.three.sales = 2 * 1700;
  for (const t of [two, three]) {
    t.lane.dispose();
    t.db.close();
  }
  db.close();

  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir });
  browser = await launchChromium();
  page = recordConsole(await browser.newPage({ viewport: { width: 1280, height: 800 }, bypassCSP: true }));
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});

const cell = async (row: string, n: number) => norm(await page.getByTestId(row).locator('td').nth(n).textContent());
/** The report's table ends inside its panel and the window (runs in the page: a string, as this file is type-checked without the DOM library). */
const FITS = `(() => { const el = document.querySelector('[data-testid="store-report"]'); const t = el.querySelector('table').getBoundingClientRect();
  return t.right <= el.getBoundingClientRect().right + 1 && t.right <= innerWidth + 1 && document.documentElement.scrollWidth <= innerWidth; })()`;
const current = async (row: string) => norm(await page.getByTestId(`${row}-current`).textContent());

describe('the store report in Chromium', () => {
  it("shows every lane's day from the copies this till holds, and the store's total", async () => {
    const lane = new LanePage(page);
    await page.goto(demo.url);
    await lane.signIn('1', '1111');
    await lane.openTill();
    // This till sells a milk for 20 kr cash.
    await lane.scan(DEMO_ITEMS.milk.codes[0]!);
    await expect.poll(() => page.getByTestId('line').count()).toBe(1);
    await typeAsPerson(page, '20');
    await page.keyboard.press('F10');
    await lane.finish();

    await lane.menu('store-report');
    await page.getByTestId('store-report').waitFor();
    expect(await page.getByTestId('store-report').locator('tbody tr').count()).toBe(3);
    // This till: one sale, no return, current by definition.
    expect(await cell('store-lane-1', 0)).toBe(norm(`${kr(1700)}1 kvitto`));
    expect(await cell('store-lane-1', 1)).toBe(norm('–0 kvitton'));
    expect(await current('store-lane-1')).toBe(norm('den här kassan'));
    // Lane 2 from its copy: two sales, one return, card and cash; heard when its batch came.
    expect(await cell('store-lane-2', 0)).toBe(norm(`${kr(peers.two.sales)}2 kvitton`));
    expect(await cell('store-lane-2', 1)).toBe(norm(`${kr(-peers.two.returned)}1 kvitto`));
    expect(await cell('store-lane-2', 2)).toBe(norm(kr(peers.two.sales - peers.two.returned)));
    expect(await cell('store-lane-2', 3)).toBe(norm(`Kort ${kr(peers.two.card)} Kontant ${kr(1700 - peers.two.returned)}`));
    expect(await current('store-lane-2')).toBe(norm('hörd 10:00'));
    expect(await cell('store-lane-3', 0)).toBe(norm(`${kr(peers.three.sales)}2 kvitton`));
    expect(await cell('store-lane-3', 1)).toBe(norm(`${kr(-peers.three.returned)}1 kvitto`));
    // The store: the lanes added up.
    const net = 1700 + peers.two.sales - peers.two.returned + peers.three.sales - peers.three.returned;
    expect(await cell('store-total', 0)).toBe(norm(`${kr(1700 + peers.two.sales + peers.three.sales)}5 kvitton`));
    expect(await cell('store-total', 2)).toBe(norm(kr(net)));
    // The milk of lane 2's first sale came back on lanes 2 and 3 while they were apart: the report says so.
    expect(norm(await page.getByTestId('store-conflicts').textContent())).toBe(norm(`⚠ Gjort två gånger medan kassorna inte såg varandra ${twice} · ${DEMO_ITEMS.milk.name}: såld 1, returnerad 2 (kassa 2, 3)`));
    expect(await seriousA11y(page, 'store report')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'store-report-1280x800.png') });

    for (const [width, height] of [[1024, 768], [1080, 1920]] as const) {
      await page.setViewportSize({ width, height });
      // Nothing of the table is cut off: it fits the panel it is in.
      const fits = (await page.evaluate(FITS)) as boolean;
      expect(fits, `${width}×${height}`).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, `store-report-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('goes to the day before and back by touch, and prints the report on the receipt printer', async () => {
    const subtitle = async () => norm(await page.getByTestId('store-report').locator('p').first().textContent());
    expect(await subtitle()).toContain(norm('Affärsdag 2026-11-23 · gjord'));
    // Today's report has no "next day": that day has not happened.
    expect(await page.getByTestId('store-report-next').count()).toBe(0);
    await page.getByTestId('store-report-previous').click();
    await expect.poll(subtitle).toContain(norm('Affärsdag 2026-11-22 · gjord'));
    // Sunday: nothing sold on any lane; the lanes are still listed.
    expect(await cell('store-lane-1', 0)).toBe(norm('–0 kvitton'));
    expect(await cell('store-total', 2)).toBe(norm(kr(0)));
    await page.screenshot({ path: join(ARTIFACTS, 'store-report-previous-day.png') });
    await page.getByTestId('store-report-next').click();
    await expect.poll(subtitle).toContain(norm('Affärsdag 2026-11-23 · gjord'));
    await page.getByTestId('store-report-print').click();
    // It goes to the (simulated) printer and is printed (the paper's text: test/core/peers/store-day.test.ts).
    const db = new Database(join(tmp.dir, 'kassa.db'), { readonly: true });
    try {
      const job = () => db.prepare<[], { state: string }>("SELECT state FROM print_job WHERE kind = 'report' AND job_key LIKE 'store:2026-11-23:%'").get();
      await expect.poll(() => job()?.state, { timeout: 15_000 }).toBe('printed');
    } finally {
      db.close();
    }
  });
});
