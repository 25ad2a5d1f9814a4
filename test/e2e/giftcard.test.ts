/**
 * Gift cards end to end (issue 16), through `npm start`'s path in Chromium, as a cashier works:
 * a balance check with F3, a gift card scanned with the wedge scanner (its balance on screen, no
 * "wrong check digit"), F12 pays with it, "paid" instead of a big "change 0,00", and the receipt
 * with the balance left on the card. Then a return of a sale paid with two gift cards: the window
 * asks which card gets the money (or a new card, printed with its barcode). Last, a self-checkout
 * customer scans a gift card, reads its balance and pays with it by touch.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../renderer/src/i18n';
import { DEMO_ITEMS, DEMO_VOUCHERS } from '../../core/catalog/demo';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, LANE_URL, launchChromium, printCoreLogOnFailure, startDemo, type Demo } from './harness';
import { KioskPage, kr, LanePage, norm, typeAsPerson, wedgeScan } from './pages';

const tmp = tempDir('kassa-e2e-gift-');
let demo: Demo | undefined;
let browser: Browser;
let page: Page;
let lane: LanePage;
printCoreLogOnFailure(() => demo);

const BUTTER = DEMO_ITEMS.butter.codes[0]!; // 54,90
const BREAD = DEMO_ITEMS.bread.codes[0]!; // 39,90
const [GIFT200, GIFT50] = [DEMO_VOUCHERS[0].code, DEMO_VOUCHERS[1].code];

/** Words only the English catalogue has: on a Swedish screen each is English left untranslated. */
const ENGLISH_ONLY: ReadonlySet<string> = (() => {
  const words = (m: unknown): string[] => (typeof m === 'string' ? (m.match(/\p{L}{5,}/gu) ?? []).map((w) => w.toLowerCase()) : m && typeof m === 'object' ? Object.values(m).flatMap(words) : []);
  const other = new Set([...words(CATALOGUE.sv), ...words(CATALOGUE.de)]);
  return new Set(words(CATALOGUE.en).filter((w) => !other.has(w)));
})();
async function englishOn(p: Page, testid: string): Promise<string[]> {
  const text = (await p.getByTestId(testid).innerText()) ?? '';
  return [...new Set((text.match(/\p{L}{5,}/gu) ?? []).map((w) => w.toLowerCase()).filter((w) => ENGLISH_ONLY.has(w)))];
}

const text = async (p: Page, testid: string) => (await p.getByTestId(testid).textContent()) ?? '';

beforeAll(async () => {
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  lane = new LanePage(page);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});

describe('gift cards on the lane', () => {
  it('checks a balance with F3, recognises a scanned card, pays with F12 and prints what is left on it', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(demo!.url);
    await lane.signIn('1', '1111');
    await lane.openTill({ 10000: 5 });

    // A balance check on its own: the number typed, F3. No sale is needed.
    await typeAsPerson(page, GIFT50);
    await page.keyboard.press('F3');
    await page.getByTestId('gift-card').waitFor();
    expect(norm(await text(page, 'gift-balance'))).toBe(norm(kr(5_000)));
    expect(await text(page, 'gift-card')).toMatch(/•••• 0024[\s\S]*Saldokontroll – inget köp pågår/);
    expect(await text(page, 'gift-card')).not.toContain(GIFT50); // the number is masked
    expect(await page.getByTestId('gift-pay').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('gift-card').waitFor({ state: 'detached' });

    await lane.scan(BUTTER);
    await lane.scan(BREAD); // 94,80
    await expect.poll(() => lane.total()).toBe(norm(kr(9_480)));
    // The wedge scanner reads the 200 kr card: recognised, no line, its balance on screen.
    await lane.scan(GIFT200);
    await page.getByTestId('gift-card').waitFor();
    expect(norm(await text(page, 'gift-balance'))).toBe(norm(kr(20_000)));
    expect(await text(page, 'gift-state')).toMatch(/Giltigt/);
    expect(norm(await text(page, 'gift-pay'))).toContain(norm(`Betala ${kr(9_480)} med presentkortet`));
    expect(await lane.lines()).toBe(2);
    expect(await lane.message()).not.toMatch(/kontrollsiffra|kunde inte läsas/);
    expect(await englishOn(page, 'gift-card')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'giftcard-lane-1280x800.png') });

    // F12 pays with it. Nothing was paid in cash: the window says "paid", not a big "0,00 kr".
    await page.keyboard.press('F12');
    await page.getByTestId('change-due').waitFor();
    expect(await text(page, 'change-due')).toMatch(/Betalt/);
    expect(await text(page, 'change-due')).not.toMatch(/0,00/);
    expect(await page.getByRole('dialog').textContent()).toMatch(/Ingen växel att ge/);
    expect(norm(await lane.message())).toContain(norm(`Presentkort …0017: ${kr(9_480)} betalt, ${kr(10_520)} kvar på kortet.`));
    expect(norm(await text(page, 'tenders'))).toContain(norm(`kvar ${kr(10_520)}`));
    await page.screenshot({ path: join(ARTIFACTS, 'giftcard-paid-1280x800.png') });
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    const receipt = await text(page, 'receipt');
    expect(receipt).toMatch(/Presentkort \.\.\.0017\s+94,80/);
    expect(receipt).toMatch(/Kvar på kortet\s+105,20/);
    expect(errors).toEqual([]);
  });

  it('a return of a sale paid with two gift cards asks which card gets the money, or a new card', async () => {
    await lane.scan(BUTTER);
    await lane.scan(BUTTER); // two lines, 109,80
    await expect.poll(() => lane.total()).toBe(norm(kr(10_980)));
    // Typing the number and F12 still works: the 50 kr card pays 50 kr …
    await typeAsPerson(page, GIFT50);
    await page.keyboard.press('F12');
    await expect.poll(() => page.getByTestId('tenders').locator('li').count()).toBe(1);
    // … and the 200 kr card (105,20 left) the rest: scanned, and its pay button tapped.
    await lane.scan(GIFT200);
    await page.getByTestId('gift-pay').waitFor();
    expect(norm(await text(page, 'gift-balance'))).toBe(norm(kr(10_520)));
    await page.getByTestId('gift-pay').click();
    await lane.finish();
    await page.getByTestId('receipt').waitFor();
    const code = (await page.getByTestId('receipt-barcode').locator('figcaption').textContent())!;

    await page.getByTestId('open-menu').click();
    await page.getByTestId('open-return').click();
    await page.getByTestId('return-code').waitFor();
    await wedgeScan(page, code);
    await page.getByTestId('return-qty-L1').click();
    await typeAsPerson(page, '1');
    // Both cards are offered with their balance now; nothing is chosen for the cashier.
    await page.getByTestId('refund-gift').waitFor();
    expect(norm(await text(page, 'refund-gift'))).toContain(norm(`•••• 0024 – betalade ${kr(5_000)}, saldo nu ${kr(0)}`));
    expect(norm(await text(page, 'refund-gift'))).toContain(norm(`•••• 0017 – betalade ${kr(5_980)}, saldo nu ${kr(4_540)}`));
    await page.getByTestId('return-refund').click();
    await expect.poll(() => text(page, 'return')).toMatch(/välj vilket kort pengarna ska till/);
    expect(await englishOn(page, 'return')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'giftcard-return-1280x800.png') });
    await page.getByTestId('refund-gift-0017').click();
    await page.getByTestId('return-refund').click();
    await page.getByTestId('return-receipt').waitFor();
    const back = await text(page, 'return-receipt');
    expect(back).toMatch(/Presentkort \.\.\.0017\s+-54,90/);
    expect(back).toMatch(/Nytt saldo\s+100,30/);
    await page.getByRole('button', { name: /Klar/ }).click();

    // The other butter onto a new gift card: issued in the demo range, printed with its barcode.
    await page.getByTestId('open-menu').click();
    await page.getByTestId('open-return').click();
    await page.getByTestId('return-code').waitFor();
    await wedgeScan(page, code);
    await page.getByTestId('return-qty-L2').click();
    await typeAsPerson(page, '1');
    await page.getByTestId('refund-gift-new').click();
    await page.getByTestId('return-refund').click();
    await page.getByTestId('return-receipt').waitFor();
    const issued = await text(page, 'return-receipt');
    expect(issued).toMatch(/Nytt presentkort \.\.\.\d{4}\s+-54,90/);
    expect(issued).toMatch(/Saldo\s+54,90/);
    const newCard = (await page.getByTestId('return-receipt-barcode').locator('figcaption').textContent())!;
    expect(newCard).toMatch(/^9752\d{9}$/);
    await page.screenshot({ path: join(ARTIFACTS, 'giftcard-new-card-1280x800.png') });
    await page.getByRole('button', { name: /Klar/ }).click();

    // The new card's balance, checked at once at 1024×768.
    await page.setViewportSize({ width: 1024, height: 768 });
    await lane.scan(newCard);
    await page.getByTestId('gift-card').waitFor();
    expect(norm(await text(page, 'gift-balance'))).toBe(norm(kr(5_490)));
    await page.screenshot({ path: join(ARTIFACTS, 'giftcard-lane-1024x768.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('gift-card').waitFor({ state: 'detached' });
    await page.getByTestId('open-menu').click();
    await page.getByTestId('open-return').click();
    await page.getByTestId('return-code').waitFor();
    await wedgeScan(page, code);
    await page.getByTestId('refund-gift').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'giftcard-return-1024x768.png') });
    await page.keyboard.press('Escape');
    await page.getByTestId('return').waitFor({ state: 'detached' });
    await page.setViewportSize({ width: 1280, height: 800 });
  });
});

describe('gift cards at a self-checkout', () => {
  it('the customer scans a gift card, reads its balance and pays with it by touch', async () => {
    await demo?.stop();
    const dir = tempDir('kassa-e2e-gift-self-');
    demo = await startDemo({ KASSA_DATA_DIR: dir.dir, KASSA_MODE: 'self' }, [LANE_URL]);
    try {
      const kioskPage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
      const kiosk = new KioskPage(kioskPage);
      await kioskPage.goto(demo.url);
      await kiosk.openForTheDay('7', '7777');
      await kiosk.start();
      await kiosk.scan(BREAD); // 39,90
      await expect.poll(() => kiosk.basketText()).toContain(norm(DEMO_ITEMS.bread.name));
      await kiosk.scan(GIFT50);
      await kioskPage.getByTestId('self-gift').waitFor();
      expect(norm(await text(kioskPage, 'self-gift-balance'))).toBe(norm(`Det finns ${kr(5_000)} på kortet.`));
      expect(norm(await text(kioskPage, 'self-gift-pay'))).toBe(norm(`Betala ${kr(3_990)} med presentkortet`));
      expect(await englishOn(kioskPage, 'self-gift')).toEqual([]);
      await kioskPage.screenshot({ path: join(ARTIFACTS, 'giftcard-kiosk-1280x800.png') });
      await kioskPage.getByTestId('self-gift-back').click();
      await kioskPage.getByTestId('self-gift').waitFor({ state: 'detached' });
      // Butter too (94,80 in all): the card's 50 kr pays part; the rest is left to pay, and the card's balance reads 0.
      await kiosk.scan(BUTTER);
      await expect.poll(() => kiosk.basketText()).toContain(norm(DEMO_ITEMS.butter.name));
      await kiosk.scan(GIFT50);
      await kioskPage.getByTestId('self-gift').waitFor();
      expect(norm(await text(kioskPage, 'self-gift-pay'))).toBe(norm(`Betala ${kr(5_000)} med presentkortet`));
      await kioskPage.getByTestId('self-gift-pay').click();
      await expect.poll(() => kioskPage.getByTestId('paid-list').innerText().catch(() => '')).toMatch(/Presentkort …0024 · kvar 0,00\s*kr/);
      expect(norm(await text(kioskPage, 'total'))).toBe(norm(kr(4_480)));
      await kioskPage.screenshot({ path: join(ARTIFACTS, 'giftcard-kiosk-partly-paid-1280x800.png') });
      await kiosk.payByCard();
      await kiosk.chooseReceipt('none');
      await kioskPage.close();
    } finally {
      await demo.stop();
      demo = undefined;
      dir.cleanup();
    }
  });
});
