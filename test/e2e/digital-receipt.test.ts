/**
 * The digital receipt, as the customer gets it (demo store in Chromium): the cashier sells and taps
 * "digital receipt"; the customer display shows a QR code with "Scan for your receipt"; the code,
 * read from a screenshot of that display, is a link; a phone-sized page opens it and the customer
 * reads the store, the item, the total, the return barcode and the verification line, verified by
 * the store. After a printed receipt no QR code is shown anywhere.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import jsQR from 'jsqr';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium, printCoreLogOnFailure, seriousA11y, startDemo, type Demo } from './harness';
import { LanePage, norm } from './pages';
import { decodePng } from './png';

const tmp = tempDir('kassa-digital-');
let demo: Demo;
let browser: Browser;
let page: Page;
let customer: Page;
let lane: LanePage;

printCoreLogOnFailure(() => demo);

const MILK = DEMO_ITEMS.milk; // Mellanmjölk 1,5 % 1 l, 16,95 → 17,00 in cash

beforeAll(async () => {
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  lane = new LanePage(page);
  customer = await browser.newPage({ viewport: { width: 1024, height: 600 } });
  await page.goto(demo.url);
  await lane.signIn('1', '1111');
  await lane.openTill();
  await customer.goto(demo.url.replace('/#', '/?view=customer#'));
  await customer.getByTestId('customer-display').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});

/** What a phone camera reads from a screenshot of the customer display (saved as an artifact). */
async function scanCustomerDisplay(name: string): Promise<string | null> {
  const file = join(ARTIFACTS, `digital-receipt-${name}.png`);
  await customer.screenshot({ path: file });
  const { width, height, data } = decodePng(readFileSync(file));
  return jsQR(data, width, height)?.data ?? null;
}

describe('digital receipt', () => {
  it('the customer who chose digital scans the display and reads the receipt on a phone', async () => {
    await lane.scan(MILK.codes[0]!);
    await expect.poll(() => lane.lines()).toBe(1);
    await page.keyboard.press('F10'); // exact cash
    await lane.finish('digital'); // the cashier taps "Digital (QR-kod)"
    await customer.getByTestId('customer-receipt-qr').waitFor();
    expect(norm(await customer.getByTestId('customer-receipt').textContent())).toBe(norm('Skanna för ditt kvitto'));
    const link = await scanCustomerDisplay('customer-display');
    expect(link).toMatch(/^HTTP:\/\/127\.0\.0\.1:\d+\/R\/[0-9A-Z$*+\-.:]+$/);
    // The lane shows the same code beside its receipt, to compare with what the phone shows.
    await page.getByTestId('digital-receipt-qr').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'digital-receipt-lane.png') });
    const laneReceipt = (await page.getByTestId('receipt').textContent()) ?? '';

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const res = await phone.goto(link!);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/^default-src 'none'; style-src 'sha256-/);
    expect(await phone.evaluate('document.documentElement.lang')).toBe('sv');
    const status = phone.getByTestId('receipt-status');
    expect(await status.getAttribute('data-state')).toBe('verified');
    expect(await status.textContent()).toMatch(/^Verifierat – utfärdat av kassa 1 i butik demo-001\.$/);
    const receipt = (await phone.getByTestId('receipt-text').textContent()) ?? '';
    expect(receipt).toContain('Kassa Demo Store');
    expect(receipt).toContain(MILK.name);
    expect(receipt).toMatch(/TOTALT SEK +17,00/);
    expect(laneReceipt).toContain(receipt.split('\n')[0]!.trim());
    // The return barcode, drawn, with its code under it — the one the lane's own receipt carries.
    const barcode = phone.getByTestId('return-barcode');
    expect(await barcode.locator('svg path').count()).toBe(1);
    const code = (await barcode.locator('.code').textContent()) ?? '';
    expect(code).toMatch(/^R[0-9a-f]{32}$/);
    expect(norm(await page.getByTestId('receipt-barcode').locator('figcaption').textContent())).toBe(code);
    expect(await phone.getByTestId('verification-line').textContent()).toMatch(/^KASSA1\|demo-001\|1\|\d+\|\d+\|[^|]+\|1700\|[0-9a-f]{64}\|[A-Za-z0-9+/=]{88}$/);
    // Readable on the phone under its strict CSP (its one style applies): 42 monospace columns fit the width, nothing scrolls sideways.
    expect(((await phone.evaluate("getComputedStyle(document.querySelector('pre')).fontFamily")) as string)).toMatch(/monospace/);
    expect(((await phone.evaluate('document.documentElement.scrollWidth')) as number)).toBeLessThanOrEqual(390);
    expect(await phone.evaluate("(() => { const pre = document.querySelector('pre'); return pre.scrollWidth <= pre.clientWidth; })()")).toBe(true);
    await phone.screenshot({ path: join(ARTIFACTS, 'digital-receipt-phone.png'), fullPage: true });
    await phone.close();
    // Accessibility (axe is injected, so this context bypasses the CSP).
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, bypassCSP: true });
    const checked = await context.newPage();
    await checked.goto(link!);
    expect(await seriousA11y(checked, 'digital receipt page')).toEqual([]);
    await context.close();
  });

  it('after a printed receipt no QR code is shown, on the customer display or the lane', async () => {
    await lane.scan(MILK.codes[0]!);
    await expect.poll(() => lane.lines()).toBe(1);
    await page.keyboard.press('F10');
    await lane.finish('print');
    await page.getByTestId('receipt').waitFor();
    await customer.getByTestId('customer-display').waitFor();
    await expect.poll(async () => norm(await customer.getByTestId('customer-display').textContent())).toMatch(/Tack/);
    expect(await customer.getByTestId('customer-receipt-qr').count()).toBe(0);
    expect(await page.getByTestId('digital-receipt-qr').count()).toBe(0);
    expect(await scanCustomerDisplay('after-print')).toBeNull();
  });
});
