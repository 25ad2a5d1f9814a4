/**
 * What the customer reads, in Chromium against the demo store: the customer display (a second
 * window on the same Terminal API) shows the basket as on a receipt, the savings, what is paid
 * and what is left, a declined card, the terminal's prompts, in the language the customer chose;
 * a partly paid basket's big number is what is left (lane and display); and a training sale
 * says "no purchase" to the customer and moves no real money (no card terminal, no drawer).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium, printCoreLogOnFailure, startDemo, type Demo } from './harness';
import { kr, LanePage, norm, typeAsPerson } from './pages';

const tmp = tempDir('kassa-customer-');
let demo: Demo;
let browser: Browser;
let page: Page;
let customer: Page;
let lane: LanePage;

printCoreLogOnFailure(() => demo);

const JULMUST = DEMO_ITEMS.julmust.codes[0]!; // 12,90 + 1,00 pant; 3 for 2
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90
const text = async (p: Page, id: string) => norm((await p.getByTestId(id).first().textContent()) ?? '');

/** The customer display at every screen size, in the language it shows now. */
async function shots(name: string): Promise<void> {
  for (const [w, h] of [[1920, 1080], [1024, 768], [1080, 1920]] as const) {
    await customer.setViewportSize({ width: w, height: h });
    await customer.screenshot({ path: join(ARTIFACTS, `customer-${name}-${w}x${h}.png`) });
  }
  await customer.setViewportSize({ width: 1920, height: 1080 });
}

beforeAll(async () => {
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  lane = new LanePage(page);
  customer = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
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

describe('the customer display and a partly paid basket', () => {
  it('shows every line, the savings, what is paid and what is left; the lane\'s big number is what is left', async () => {
    for (let i = 0; i < 3; i++) await lane.scan(JULMUST);
    await lane.scan(SOAP);
    // Three cans with their deposit, the soap: the customer reads each line as on a receipt.
    await expect.poll(() => customer.getByTestId('line').count()).toBe(7);
    const basket = await text(customer, 'basket');
    expect(basket).toContain(norm(DEMO_ITEMS.julmust.name));
    expect(basket).toContain(norm(DEMO_ITEMS.dishSoap.name));
    expect(basket).toContain(norm('Pant'));
    // 3 for 2 on the julmust: 12,90 off.
    await expect.poll(() => text(customer, 'customer-savings')).toBe(norm(`Du sparar ${kr(1290)}`));
    const total = 3 * 1290 + 300 + 2990 - 1290;
    await expect.poll(() => text(customer, 'amount-due')).toContain(norm(`ATT BETALA${kr(total)}`));

    // The customer hands over 50 kr: the big number becomes what is left, here and on the lane.
    await lane.key('F10', '50');
    await expect.poll(() => text(page, 'amount-due')).toContain(norm(`Kvar att betala${kr(total - 5000)}`));
    await expect.poll(() => lane.total()).toBe(norm(kr(total - 5000)));
    await expect.poll(() => text(customer, 'total')).toBe(norm(kr(total - 5000)));
    expect(await text(customer, 'paid-list')).toBe(norm(`Betalt: Kontant${kr(5000)}`));
    expect(await text(customer, 'amount-due')).toContain(norm(`Summa ${kr(total)}`));
    await page.screenshot({ path: join(ARTIFACTS, 'lane-partly-paid.png') });
    await shots('partly-paid-sv');
  });

  it('says so when the card is declined, in the language the customer chose on the lane', async () => {
    // The customer reads English: the cashier switches the lane for them.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => customer.locator('html').getAttribute('lang')).toBe('en');
    await expect.poll(() => text(customer, 'amount-due')).toContain(norm('Left to pay'));
    // The demo terminal declines amounts ending in 6,66.
    await lane.key('F9', '6,66');
    await customer.getByTestId('customer-declined').waitFor();
    expect(await text(customer, 'customer-declined')).toBe(norm('The card was declined. Try again or pay another way.'));
    await shots('declined-en');
    // The rest by card: the display follows the terminal, then the sale is paid.
    await page.keyboard.press('F9');
    await customer.getByTestId('customer-declined').waitFor({ state: 'detached' });
    await page.getByTestId('change-due').waitFor({ timeout: 20_000 });
    await customer.getByTestId('customer-paid').waitFor();
    await page.getByTestId('complete-button').click();
    await page.getByTestId('change-due').waitFor({ state: 'detached' });
    // The next customer starts in the store's language, on both screens.
    await expect.poll(() => customer.locator('html').getAttribute('lang')).toBe('sv');
  });
});

describe('training', () => {
  it('needs a supervisor, tells the customer it is no purchase, and the card payment goes to no real terminal', async () => {
    await lane.menu('training');
    await lane.approve('7', '7777');
    await page.getByTestId('training-badge').waitFor();
    await lane.scan(SOAP);
    await customer.getByTestId('customer-training').waitFor();
    expect(await text(customer, 'customer-training')).toBe(norm('ÖVNING – inget köp'));
    await shots('training-sv');
    await page.keyboard.press('F9');
    await page.getByTestId('change-due').waitFor({ timeout: 20_000 });
    await page.getByTestId('complete-button').click();
    await page.getByTestId('receipt').waitFor();
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toContain('*** ÖVNING - INGET KÖP ***');
    // Approved by the training terminal, not the demo's payment terminal (its own receipt lines are absent).
    expect(receipt).not.toMatch(/KASSA TEST TERMINAL/);
    await lane.menu('training');
    await lane.approve('7', '7777');
    await page.getByTestId('training-badge').waitFor({ state: 'detached' });
  });
});

describe('the demo\'s payment terminal, unplugged and plugged back on the device screen', () => {
  it('shows the terminal offline on the lane while it is away, and card payments work again when it is back', async () => {
    const devices = async () => {
      await lane.menu('open-devices');
      await page.getByTestId('devices-operator').click();
      await typeAsPerson(page, '7');
      await page.getByTestId('devices-pin').click();
      await typeAsPerson(page, '7777');
      await page.getByTestId('devices-signin-ok').click();
      await page.getByTestId('devices').waitFor();
    };
    await devices();
    await page.getByTestId('test-payment-terminal-simulateOffline').click();
    await expect.poll(async () => (await page.getByTestId('device-outcome').textContent()) ?? '').toMatch(/urkopplad från nätverket/);
    await expect.poll(async () => (await page.getByTestId('device-payment-terminal').textContent()) ?? '', { timeout: 20_000 }).toMatch(/ur funktion|offline|ansluten/i);
    await page.screenshot({ path: join(ARTIFACTS, 'devices-terminal-unplugged.png') });
    await page.getByTestId('devices-close').click();
    await page.getByTestId('status-payment-terminal').waitFor();
    // A card payment now is refused with a reason; the basket stays.
    await lane.scan(SOAP);
    await page.keyboard.press('F9');
    await expect.poll(() => lane.message(), { timeout: 20_000 }).toMatch(/Kortbetalningen nekades/);
    expect(await page.getByTestId('line').count()).toBe(1);
    // The customer comes back later; the cashier cancels (F11 twice) and store IT plugs the terminal back in.
    await page.keyboard.press('F11');
    await page.keyboard.press('F11');
    await expect.poll(() => page.getByTestId('line').count()).toBe(0);
    await devices();
    await page.getByTestId('test-payment-terminal-simulateOffline').click();
    await expect.poll(async () => (await page.getByTestId('device-outcome').textContent()) ?? '').toMatch(/inkopplad igen/);
    await page.getByTestId('devices-close').click();
    await page.getByTestId('status-payment-terminal').waitFor({ state: 'detached', timeout: 60_000 });
    await lane.scan(SOAP);
    await page.keyboard.press('F9');
    await page.getByTestId('change-due').waitFor({ timeout: 20_000 });
    await page.getByTestId('complete-button').click();
  });
});
