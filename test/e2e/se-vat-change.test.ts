/**
 * Sweden's food VAT cut (12 % → 6 % on 1 April 2026) through the Z-dagrapport, in Chromium as the
 * store works it: the same demo till sells a litre of milk on 31 March and closes the day, then on
 * 1 April (the core restarted on the next day's clock, the till opened after the first Z) sells it
 * again and closes that day. Each
 * day's Z-dagrapport, on screen and as printed, reads food at that day's rate with the letter the
 * receipts print (B 12 %, then C 6 %), and never the other day's.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium } from './harness';
import { LanePage, openServiceScreen, typeAsPerson } from './pages';

const tmp = tempDir('kassa-e2e-se-vat-');
const dbPath = join(tmp.dir, 'kassa.db');
const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 kr, food
let core: CoreProcess | null = null;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

/** A day at the till: open, sell a litre of milk for exact cash, close with the drawer counted (17 kr); the Z on screen and as printed. */
async function dayAt(clock: string, name: string): Promise<{ receipt: string; screen: string; printed: string }> {
  core = await startCoreProcess(dbPath, ['--demo', '--profile', 'SE', '--clock', clock], 30_000);
  const lane = new LanePage(page);
  await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
  // The first day the cashier signs in and opens the till; the next day she is still signed in and the till open from the evening before (opened after the Z).
  await page.getByTestId('signin-input').or(page.getByTestId('scan-input')).first().waitFor();
  if (await page.getByTestId('signin-input').isVisible()) {
    await lane.signIn('1', '1111');
    await lane.openTill();
  }
  await lane.scan(MILK);
  await expect.poll(() => lane.lines()).toBe(1);
  await page.keyboard.press('F10'); // exact cash
  await lane.finish('print');
  await page.getByTestId('receipt').waitFor();
  const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
  await lane.menu('open-close-till');
  for (const [denomination, count] of [['1000', '1'], ['500', '1'], ['200', '1']] as const) {
    await page.getByTestId(`count-${denomination}`).click();
    await typeAsPerson(page, count);
  }
  await page.getByTestId('close-till-submit').click();
  await lane.approve('7', '7777');
  const report = page.getByTestId('report');
  await report.waitFor();
  const screen = (await report.innerText()) ?? '';
  await page.screenshot({ path: join(ARTIFACTS, `se-z-vat-${name}-1280x800-sv.png`) });
  await page.getByRole('button', { name: /Klar/ }).first().click();
  // The next shift opens the till; store IT reads the Z as printed: the simulated printer's paper on the service screen.
  await lane.openTill();
  await openServiceScreen(page, { operator: '9', pin: '9999' });
  let printed = '';
  await expect
    .poll(async () => (printed = (await page.getByTestId('printout-printer').textContent()) ?? ''), { timeout: 30_000 })
    .toMatch(/Z-DAGRAPPORT/);
  await page.getByTestId('printout-printer').evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.getByTestId('printout-printer').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(ARTIFACTS, `se-z-vat-${name}-printed-1280x800-sv.png`) });
  await page.getByTestId('devices-close').click();
  await stopCoreProcess(core);
  core = null;
  return { receipt, screen, printed };
}

describe('the Z-dagrapport across Sweden’s food VAT cut', () => {
  it('reads B 12 % on 31 March and C 6 % on 1 April, on screen and as printed', async () => {
    const before = await dayAt('2026-03-31T17:00:00+02:00', '2026-03-31');
    expect(before.receipt).toMatch(/Mellanmjölk 1,5 % 1 l\s+16,95 B/);
    expect(before.screen).toMatch(/Moms B 12\s*%\s+1,82/);
    expect(before.screen).not.toMatch(/6\s*%/);
    const z1 = before.printed.slice(before.printed.lastIndexOf('Z-DAGRAPPORT'));
    expect(z1).toMatch(/^Z-DAGRAPPORT nr 1[\s\S]*Moms B 12 %\s+1,82 \/ 16,95/);
    expect(z1).not.toMatch(/Moms C 6 %/);

    const after = await dayAt('2026-04-01T09:00:00+02:00', '2026-04-01');
    expect(after.receipt).toMatch(/Mellanmjölk 1,5 % 1 l\s+16,95 C/);
    expect(after.screen).toMatch(/Moms C 6\s*%\s+0,96/);
    expect(after.screen).not.toMatch(/12\s*%/);
    const z2 = after.printed.slice(after.printed.lastIndexOf('Z-DAGRAPPORT'));
    expect(z2).toMatch(/^Z-DAGRAPPORT nr 2[\s\S]*Moms C 6 %\s+0,96 \/ 16,95/);
    expect(z2).not.toMatch(/Moms B 12 %/);
  }, 240_000);
});
