/**
 * The lane by touch and keyboard, as a cashier who has never seen it (issue 15): every field is
 * tapped before it is typed into, windows keep their focus, Escape closes the top window, Tab stays
 * inside it, and a barcode scanned while a window's field has the focus is never typed into it.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Operators } from '../../core/operators';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium, startDemo, type Demo } from './harness';
import { kr, LanePage, norm, wedgeScan } from './pages';

const tmp = tempDir('kassa-touch-');
let demo: Demo;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let lane: LanePage;

/** A person taps a field, then types on the keyboard. */
async function tapType(testid: string, text: string): Promise<void> {
  await page.getByTestId(testid).tap();
  await page.keyboard.type(text, { delay: 60 });
}

beforeAll(async () => {
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, hasTouch: true });
  page = await context.newPage();
  lane = new LanePage(page);
  await page.goto(demo.url);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});

describe('the lane by touch', () => {
  it('signs in and opens the till by tapping fields; Enter in the number field moves to the PIN', async () => {
    await tapType('signin-input', '1');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pin-input');
    await page.keyboard.type('1111', { delay: 60 });
    await page.keyboard.press('Enter');
    await tapType('float-10000', '2');
    await page.getByTestId('open-till').tap();
    await page.getByTestId('scan-input').waitFor();
  });

  it('keys an unknown item by touch; no department is chosen for the cashier; a scan into the price field is refused, not typed', async () => {
    await lane.scan('7310865009999');
    await page.getByTestId('item-not-found').waitFor();
    // The price field has the focus as the window opens; a second scan must not become a price.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('inf-price');
    await wedgeScan(page, '7310865000101');
    await page.getByTestId('scan-refused').waitFor();
    expect(await page.getByTestId('inf-price').inputValue()).toBe('');
    expect(await lane.lines()).toBe(0);
    // The cashier taps the price field and types; the focus stays there.
    await tapType('inf-price', '49,90');
    expect(await page.getByTestId('inf-price').inputValue()).toBe('49,90');
    expect(await page.getByTestId('inf-sell').isDisabled()).toBe(true); // no department yet
    await page.getByTestId('inf-department').selectOption('hushall');
    // Tab walks around the window, never out of it to the keypad behind.
    for (let i = 0; i < 8; i++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]')?.getAttribute('data-testid') ?? null)).toBe('item-not-found');
    }
    await page.screenshot({ path: join(ARTIFACTS, 'touch-item-not-found.png') });
    await page.getByTestId('inf-sell').tap();
    await page.getByTestId('item-not-found').waitFor({ state: 'detached' });
    await expect.poll(() => lane.lines()).toBe(1);
    await expect.poll(() => lane.total()).toBe(norm(kr(4990)));
  });

  it('Escape closes the top window and the scan line takes the next scan', async () => {
    await lane.scan('7310865009982');
    await page.getByTestId('item-not-found').waitFor();
    await tapType('inf-price', '12');
    await page.keyboard.press('Escape');
    await page.getByTestId('item-not-found').waitFor({ state: 'detached' });
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scan-input');
    await lane.scan('7310865000101');
    await expect.poll(() => lane.lines()).toBe(2);
  });

  it('a supervisor approves by tapping the number field, Enter to the PIN; a badge scanned into the number field is taken as the badge', async () => {
    await lane.scan('30*7310865000309'); // 30 × butter: voiding it needs a supervisor
    await expect.poll(() => lane.lines()).toBe(3);
    await page.getByRole('button', { name: /F2/ }).tap();
    await page.getByTestId('approval').waitFor();
    await tapType('approval-operator', '7');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('approval-pin');
    await page.keyboard.type('7777', { delay: 60 });
    await page.keyboard.press('Enter');
    await page.getByTestId('approval').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-testid="line"][data-voided="true"]').count()).toBe(1);
    // Again, and the supervisor scans a badge while the number field has the focus.
    const db = new Database(join(tmp.dir, 'kassa.db'));
    const badge = new Operators(db).issueBadge('7');
    db.close();
    await lane.scan('30*7310865000309');
    await expect.poll(() => lane.lines()).toBe(4);
    await page.getByRole('button', { name: /F2/ }).tap();
    await page.getByTestId('approval').waitFor();
    await page.getByTestId('approval-operator').tap();
    await wedgeScan(page, badge);
    await page.getByTestId('approval').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('[data-testid="line"][data-voided="true"]').count()).toBe(2);
  });

  it('pays and returns a line by touch: the receipt scanned, the quantity tapped and typed', async () => {
    await lane.key('F10');
    await lane.finish('print');
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    const code = /\[BARCODE\] (R[0-9a-f]{32})/.exec(receipt)![1]!;
    await page.getByTestId('open-menu').tap();
    await page.getByTestId('open-return').tap();
    await page.getByTestId('return-code').waitFor();
    await wedgeScan(page, code);
    await page.getByTestId('return-qty-L1').waitFor();
    await tapType('return-qty-L1', '1');
    expect(await page.getByTestId('return-qty-L1').inputValue()).toBe('1');
    expect(await page.getByTestId('scan-input').inputValue()).toBe('');
    await page.getByTestId('return-refund').tap();
    await page.getByTestId('return-receipt').waitFor();
    expect((await page.getByTestId('return-receipt').textContent()) ?? '').toMatch(/RETUR/);
    await page.getByRole('button', { name: /Klar/ }).tap();
  });

  it('counts the Z by touch', async () => {
    await page.getByTestId('open-menu').tap();
    await page.getByTestId('open-close-till').tap();
    await tapType('count-10000', '2');
    expect(await page.getByTestId('count-10000').inputValue()).toBe('2');
    await page.getByTestId('close-till-submit').tap();
    await page.getByTestId('approval').waitFor();
    await tapType('approval-operator', '7');
    await page.keyboard.press('Enter');
    await page.keyboard.type('7777', { delay: 60 });
    await page.keyboard.press('Enter');
    await page.getByTestId('report').waitFor();
    expect((await page.getByTestId('report').textContent()) ?? '').toMatch(/Z 1/);
  });
});
