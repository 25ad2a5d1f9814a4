/**
 * A Swedish self-checkout kiosk whose control unit stops answering, in Chromium, as its customer
 * and the attendant see it: the customer scans, the unit does not answer, and the kiosk says — in
 * the kiosk's words, in Swedish and English, with help at hand — that this checkout cannot take
 * payment now and to use another; the attendant's card says why. Nobody touches anything: the
 * core asks the unit every few seconds and, once it answers, the customer scans on. Then a paid
 * basket whose receipt the unit refuses: the customer reads that the purchase is saved, and takes
 * the receipt once the unit answers. Shot at the 1080×1920 portrait kiosk.
 */
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { until } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium, seriousA11y } from './harness';
import { AttendantPage, KioskPage } from './pages';

const tmp = tempDir('kassa-e2e-se-kiosk-');
const dbPath = join(tmp.dir, 'kiosk.db');
const unplugged = `${dbPath}-cu.sqlite.unplugged`;
const MILK = DEMO_ITEMS.milk.codes[0]!;
let core: CoreProcess;
let browser: Browser;
let page: Page;
let attendantPage: Page;
let attendantUrl: string;
let kiosk: KioskPage;

const WORDS = {
  sv: { title: 'Använd en annan kassa', body: 'Den här kassan kan inte ta betalt just nu.', help: 'Hjälp', coming: 'på väg' },
  de: { title: 'Bitte eine andere Kasse benutzen', body: 'An dieser Kasse können Sie gerade nicht bezahlen.', help: 'Hilfe', coming: 'kommt' },
  en: { title: 'Please use another checkout', body: 'You cannot pay at this checkout right now.', help: 'Help', coming: 'on the way' },
} as const;

beforeAll(async () => {
  core = await startCoreProcess(dbPath, ['--demo', '--profile', 'SE', '--clock', '2026-12-07T09:30:00+01:00', '--mode', 'self', '--lane', 'K1', '--zvt', 'simulated', '--attendant', '127.0.0.1:0'], 30_000);
  await until('attendant port', () => core.stderr.some((l) => /attendant view: http:\/\/127\.0\.0\.1:\d+/.test(l)));
  attendantUrl = /attendant view: (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(core.stderr.find((l) => /attendant view/.test(l))!)![1]!;
  browser = await launchChromium();
  page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1080, height: 1920 } })).newPage();
  attendantPage = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } })).newPage();
  kiosk = new KioskPage(page);
  await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
  await kiosk.openForTheDay('7', '7777');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

/** Text as a person reads it (spaces collapsed). */
const read = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
const screen = () => page.getByTestId('self-no-sale');

describe('a Swedish kiosk whose control unit does not answer', () => {
  it('tells the customer to use another checkout, with help at hand, tells the attendant why, and sells again once the unit answers', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await kiosk.start();
    writeFileSync(unplugged, '');
    await kiosk.scan(MILK); // the customer's first item: the kiosk asks the unit, which does not answer
    await screen().waitFor();
    for (const lang of ['sv', 'de', 'en'] as const) {
      await page.getByRole('button', { name: lang.toUpperCase(), exact: true }).click();
      const w = WORDS[lang];
      await expect.poll(async () => read(await screen().getByRole('heading').textContent())).toBe(w.title);
      expect(read(await screen().getByTestId('self-no-sale-body').textContent())).toBe(w.body);
      // No basket yet: nothing else to say; never the cashier's words.
      expect(await screen().getByTestId('self-no-sale-note').count()).toBe(0);
      const said = read(await screen().textContent());
      expect(said).not.toMatch(/kontrollenhet|Kontrolleinheit|control unit|kvitto|Beleg|receipt|Skatteverket/i);
      expect(read(await screen().getByTestId('self-help').textContent())).toBe(`🔔 ${w.help}`);
      await page.screenshot({ path: join(ARTIFACTS, `se-kiosk-no-sale-1080x1920-${lang}.png`) });
    }
    expect(await seriousA11y(page, 'kiosk that cannot sell')).toEqual([]);
    // Nothing was sold: the scan was refused.
    expect(await page.getByTestId('basket').count()).toBe(0);

    // Help at hand: the customer taps it and reads that someone is coming.
    await screen().getByTestId('self-help').click();
    await expect.poll(async () => read(await screen().getByTestId('help-called').textContent())).toContain(WORDS.en.coming);
    await page.screenshot({ path: join(ARTIFACTS, 'se-kiosk-no-sale-help-1080x1920-en.png') });

    // The attendant sees why, on the kiosk's card, in the store's language.
    await attendantPage.goto(attendantUrl);
    const attendant = new AttendantPage(attendantPage);
    await attendant.signIn('7', '7777');
    const why = attendant.kiosk('K1').getByTestId('kiosk-control-unit');
    await why.waitFor();
    expect(read(await why.textContent())).toMatch(/^■ Kontrollenheten svarar inte sedan \d\d:\d\d — kiosken får inte sälja\. Kontrollera enhetens kabel och ström; kiosken öppnar av sig själv när den svarar\.$/);
    await attendantPage.screenshot({ path: join(ARTIFACTS, 'se-kiosk-no-sale-attendant-1280x800-sv.png') });
    await attendant.clearHelp('K1');

    // The unit answers again: nobody touches the kiosk, the screen goes, and the customer scans on.
    rmSync(unplugged);
    await screen().waitFor({ state: 'detached', timeout: 15_000 });
    await why.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByTestId('self-selling').waitFor();
    await kiosk.scan(MILK);
    await expect.poll(async () => read(await page.getByTestId('basket').textContent())).toContain('Mellanmjölk');
    expect(errors).toEqual([]);
  }, 120_000);

  it('does not charge a customer whose basket the kiosk cannot sell: the items are kept, and paying goes on once the unit answers', async () => {
    writeFileSync(unplugged, '');
    await kiosk.payByCard(); // the kiosk asks the unit before the card terminal: no answer, no charge
    await screen().waitFor();
    expect(read(await screen().getByRole('heading').textContent())).toBe(WORDS.en.title);
    expect(read(await screen().getByTestId('self-no-sale-note').textContent())).toBe('Your items are kept here. Tap Help and a member of staff will come.');
    expect(await page.getByTestId('self-card').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'se-kiosk-no-sale-basket-1080x1920-en.png') });
    rmSync(unplugged);
    await screen().waitFor({ state: 'detached', timeout: 15_000 });
    await expect.poll(async () => read(await page.getByTestId('basket').textContent())).toContain('Mellanmjölk');
  }, 60_000);

  it('keeps a paid basket whose receipt the unit refuses: the customer reads it is saved, and takes the receipt once the unit answers', async () => {
    await kiosk.payByCard();
    await page.getByTestId('self-receipt').waitFor({ timeout: 20_000 });
    writeFileSync(unplugged, '');
    await page.getByTestId('receipt-print').click(); // the unit does not answer: no receipt may be made
    await screen().waitFor();
    // A paid customer is not sent to another checkout: they wait here for their receipt.
    expect(read(await screen().getByRole('heading').textContent())).toBe('Please wait here – you have paid');
    expect(await screen().getByTestId('self-no-sale-body').count()).toBe(0);
    expect(read(await screen().getByTestId('self-no-sale-note').textContent())).toBe('You have paid and your purchase is saved. Tap Help and a member of staff will bring your receipt.');
    await page.getByRole('button', { name: 'SV', exact: true }).click();
    await expect.poll(async () => read(await screen().getByTestId('self-no-sale-note').textContent())).toBe('Du har betalat och köpet är sparat. Tryck på Hjälp så kommer personal med kvittot.');
    expect(read(await screen().getByRole('heading').textContent())).toBe('Vänta här – du har betalat');
    await page.screenshot({ path: join(ARTIFACTS, 'se-kiosk-no-sale-paid-1080x1920-sv.png') });

    rmSync(unplugged);
    expect(existsSync(unplugged)).toBe(false);
    // Back where the customer was: the receipt choice; the receipt is made now.
    await kiosk.chooseReceipt('print');
    expect(read(await page.getByTestId('self-thanks').getByRole('heading').textContent())).toBe('Tack för ditt köp!');
  }, 90_000);
});
