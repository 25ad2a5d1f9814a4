/**
 * The demo store on a Friday at noon, whatever day and hour the suite runs: the core's clock is
 * set (KASSA_DEMO_CLOCK → --clock), so the day-bound "bread −20 % Fri–Sat 08–21" applies, the status
 * bar shows the store's noon and the receipt prints that Friday's date. The cashier taps the
 * fields and types, scans with the wedge, pays cash and reads the receipt on screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { tempDir } from '../helpers/tmp';
import { FRIDAY_NOON } from '../helpers/clock';
import { ARTIFACTS, launchChromium, printCoreLogOnFailure, startDemo, type Demo } from './harness';
import { norm, wedgeScan } from './pages';
import { join } from 'node:path';

const tmp = tempDir('kassa-e2e-clock-');
let demo: Demo;
printCoreLogOnFailure(() => demo);
let browser: Browser;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir, KASSA_DEMO_CLOCK: FRIDAY_NOON });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});

describe('the demo store on a Friday at noon', () => {
  it("takes the Friday bread discount, shows the store's time and prints that day on the receipt", async () => {
    await page.goto(demo.url);
    await page.getByTestId('signin-input').click();
    await page.keyboard.type('1');
    await page.getByTestId('pin-input').click();
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await page.getByTestId('open-till').click();
    await page.getByTestId('scan-input').waitFor();

    // The status bar's clock is the core's: noon in Stockholm, not the machine's hour.
    expect(await page.locator('.clock').textContent()).toMatch(/^12:0\d$/);

    await wedgeScan(page, DEMO_ITEMS.bread.codes[0]!);
    await page.getByTestId('line').waitFor();
    const basket = norm(await page.getByTestId('basket').textContent());
    expect(basket).toContain(norm('Surdegsbröd'));
    expect(basket).toContain(norm('Bröd −20 %'));
    expect(basket).toContain(norm('−7,98 kr'));
    await expect.poll(async () => norm(await page.getByTestId('total').textContent())).toBe(norm('31,92 kr'));
    await page.screenshot({ path: join(ARTIFACTS, 'friday-bread-discount.png') });

    await page.keyboard.type('50');
    await page.keyboard.press('F10');
    await page.getByTestId('change-due').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toMatch(/2026-11-27 12:0\d/);
    // The customer reads the bread at its price, then the discount under it.
    expect(receipt).toMatch(/Surdegsbröd levain 600 g\s+39,90 C\n\s+Bröd −20 %\s+[-−]7,98/);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: join(ARTIFACTS, 'friday-receipt-1024.png') });
  });
});
