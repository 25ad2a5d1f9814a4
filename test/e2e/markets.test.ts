/**
 * A German demo store in Chromium (issue 21): `KASSA_PROFILE=DE` through `npm start`'s path
 * (scripts/start.mjs in browser mode) sells the German demo catalog in euros — a milk bottle with
 * its Pfand, a cola with its Pfand, a cheese weighed at the counter with a German weight label —
 * refuses a Swedish weight label, takes cash to the cent and prints a German receipt with the store's
 * address, tax numbers and VAT letters; store IT's service screen shows the market, in German, and
 * the Kassenmeldung (§146a Abs. 4 AO) in every language and size (screenshots in test-artifacts/),
 * which `npm run kassenmeldung`'s program exports from the till's database as shown.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DE_DEMO, DK_DEMO, FI_DEMO, GB_DEMO, NO_DEMO, SE_DEMO } from '../../core/markets/demo';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium, printCoreLogOnFailure, recordConsole, seriousA11y, startDemo, type Demo } from './harness';
import { LanePage, norm, openServiceScreen, typeAsPerson } from './pages';

const tmp = tempDir('kassa-e2e-markets-');
let demo: Demo;
let browser: Browser;
let page: Page;
let lane: LanePage;

printCoreLogOnFailure(() => demo, () => page);

beforeAll(async () => {
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir, KASSA_PROFILE: 'DE' });
  browser = await launchChromium();
  const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  page = recordConsole(await ctx.newPage());
  lane = new LanePage(page);
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});

const run = promisify(execFile);
const SIZES = [[1024, 768], [1280, 800], [1920, 1080], [1080, 1920]] as const;
const TITLES = { DE: 'Kassenmeldung (§146a Abs. 4 AO)', SV: 'Kassenmeldung (Tyskland, §146a AO)', EN: 'Kassenmeldung (Germany, §146a AO)' } as const;
const LOCATION_LABEL = { DE: 'Standort', SV: 'Plats', EN: 'Location' } as const;

const text = async (testId: string) => (await page.getByTestId(testId).textContent().catch(() => '')) ?? '';
const euro = (minor: number) => norm(new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(minor / 100));

describe('KASSA_PROFILE=DE in Chromium', () => {
  it('sells German items with Pfand and a German weight label, refuses a Swedish one, receipt in German', async () => {
    await page.goto(demo.url);
    await lane.signIn('1', '1111');
    await lane.openTill();
    const i = DE_DEMO.items;
    await lane.scan(i.milk.codes[0]!);
    await lane.scan(i.cola.codes[0]!);
    await lane.scan(DE_DEMO.scans.cheese750g);
    const total = 139 + 15 + 129 + 25 + 1118;
    await expect.poll(() => lane.total(), { timeout: 10_000 }).toBe(euro(total));
    expect(await lane.lines()).toBe(5); // milk, its Pfand, cola, its Pfand, cheese
    await lane.scan(SE_DEMO.scans.cheese750g);
    await expect.poll(() => lane.message()).toMatch(/Prüfziffer|check digit/i);
    expect(await lane.lines()).toBe(5);

    await typeAsPerson(page, '20');
    await page.keyboard.press('F10');
    await page.getByTestId('change-due').waitFor();
    expect(norm(await page.getByTestId('change-due').textContent())).toContain(euro(2000 - total));
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    for (const want of ['Hauptstraße 1, 10115 Berlin', 'USt-IdNr. DE000000000', 'SUMME EUR', 'Pfand Einweg', 'Pfand Milchflasche', 'Gouda mittelalt am Stück']) expect(receipt).toContain(want);
    expect(receipt).toMatch(/A 19 %/);
    expect(receipt).toMatch(/B 7 %/);
    expect(receipt).not.toMatch(/Mellanmjölk|Moms|Pant burk/);
  });

  it('takes back Leergut from the menu as a line of its own, paid less on the next purchase', async () => {
    await lane.menu('open-empties');
    await page.getByTestId('empties').waitFor();
    expect(await seriousA11y(page, 'empties')).toEqual([]);
    // The field opens with 1: the cashier taps it, clears it with the keyboard and types the count.
    await page.getByTestId('empties-quantity').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await typeAsPerson(page, '4');
    await page.getByTestId('empties-pfand-einweg').click();
    await page.getByTestId('empties').waitFor({ state: 'detached' });
    await expect.poll(() => lane.total(), { timeout: 10_000 }).toBe(euro(-100));
    await lane.scan(DE_DEMO.items.bread.codes[0]!);
    await expect.poll(() => lane.total()).toBe(euro(349 - 100));
    await typeAsPerson(page, '5');
    await page.keyboard.press('F10');
    await page.getByTestId('change-due').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('receipt').waitFor();
    await expect.poll(async () => (await page.getByTestId('receipt').textContent()) ?? '').toMatch(/Pfand Einweg\s+-1,00 A[\s\S]*Bauernbrot 750 g\s+3,49 B[\s\S]*SUMME EUR\s+2,49/);
  });

  it('store IT sees the market on the service screen, in German', async () => {
    await openServiceScreen(page);
    await page.getByTestId('service-market').waitFor({ timeout: 10_000 });
    expect(await text('market-country')).toBe('Deutschland (DE)');
    expect(await text('market-rounding')).toBe('keine');
    expect(await text('market-vat')).toBe('A 19 % · B 7 % · C 0 %');
    expect(await text('market-variable')).toMatch(/^22 Preis 2 Dez\. Prüfziffer \(5\) · 23 Preis .* · 25 Stück Prüfziffer \(5\) .* · 29 Gewicht 3 Dez\. Prüfziffer \(5\)$/);
    expect(await seriousA11y(page, 'market panel')).toEqual([]);
  });

  it('store IT sees the Kassenmeldung on the service screen in every language and size, and the command exports it as shown', async () => {
    await page.getByTestId('devices-close').click(); // the service screen the test before left open
    let serial = '';
    for (const lang of ['DE', 'SV', 'EN'] as const) {
      await page.getByRole('button', { name: lang, exact: true }).click();
      await openServiceScreen(page);
      const panel = page.getByTestId('service-kassenmeldung');
      await panel.waitFor({ timeout: 10_000 });
      expect(await panel.getByRole('heading').textContent()).toBe(TITLES[lang]);
      serial = (await page.getByTestId('meldung-tse-serial').textContent()) ?? '';
      expect(serial).toMatch(/^[0-9a-f]{64}$/);
      expect(await page.getByTestId('meldung-till-serial').textContent()).toBe('demo-001-1');
      expect(await panel.textContent()).toContain(LOCATION_LABEL[lang]);
      expect(await page.getByTestId('meldung-location').textContent()).toBe('Kassa Demo Store, Hauptstraße 1, 10115 Berlin');
      expect(await panel.textContent()).toContain('npm run kassenmeldung');
      for (const [width, height] of SIZES) {
        await page.setViewportSize({ width, height });
        await panel.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(ARTIFACTS, `kassenmeldung-${lang.toLowerCase()}-${width}x${height}.png`) });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      expect(await seriousA11y(page, 'Kassenmeldung panel')).toEqual([]);
      await page.getByTestId('devices-close').click();
      await page.getByTestId('service-kassenmeldung').waitFor({ state: 'detached' });
    }
    await page.getByRole('button', { name: 'DE', exact: true }).click();
    const db = join(tmp.dir, 'kassa.db');
    const json = await run(process.execPath, ['--import', 'tsx', 'core/fiscal/tse/kassenmeldung-cli.ts', '--db', db]);
    const rows = JSON.parse(json.stdout) as Array<Record<string, string | null>>;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ tseSerialNumber: serial, tillSerialNumber: 'demo-001-1', tseCertificate: null, storeName: 'Kassa Demo Store', location: 'Hauptstraße 1, 10115 Berlin', softwareVersion: '0.1.0' });
    const csv = await run(process.execPath, ['--import', 'tsx', 'core/fiscal/tse/kassenmeldung-cli.ts', '--db', db, '--format', 'csv']);
    const [head, row] = csv.stdout.split('\r\n');
    expect(head).toBe('"TSE-Seriennummer";"TSE-Public-Key";"TSE-Signaturalgorithmus";"TSE-Zertifikat";"TSE-Inbetriebnahme";"Kassen-Seriennummer";"Hersteller";"Modell";"Softwareversion";"Kassen-Inbetriebnahme";"Betrieb";"Standort"');
    expect(row).toContain(`"${serial}";`);
    expect(row).toMatch(/;"Kassa Demo Store";"Hauptstraße 1, 10115 Berlin"$/);
  }, 180_000);
});

/** Every other market's demo store: its milk sold for cash, rounded as its law says, and its market on the service screen in the screen's language. */
const OTHERS = [
  { country: 'SE', milk: SE_DEMO.items.milk, cash: '20', due: '17,00', total: 'TOTALT SEK', panel: ['Sverige (SE)', 'till 1,00 kr, bara kontant', /^20 pris 2 dec\. · 21 pris 1 dec\./] },
  { country: 'DK', milk: DK_DEMO.items.milk, cash: '20', due: '13,00', total: 'TOTAL DKK', panel: ['Denmark (DK)', 'to 0,50 kr., cash only', /^20 price 2 dec\. · .* · 25 weight 3 dec\.$/] },
  { country: 'NO', milk: NO_DEMO.items.milk, cash: '30', due: '25,00', total: 'TOTAL NOK', panel: ['Norway (NO)', 'to 1,00 kr, cash only', /^none \(ordinary codes\)$/] },
  { country: 'FI', milk: FI_DEMO.items.milk, cash: '2', due: '1,10', total: 'TOTAL EUR', panel: ['Finland (FI)', 'to 0,05 €, cash only', /^23 weight 3 dec\. · 24 weight 2 dec\. · 25 weight 1 dec\.$/] },
  { country: 'GB', milk: GB_DEMO.items.milk, cash: '2', due: '1.45', total: 'TOTAL GBP', panel: ['Great Britain (GB)', 'none', /^20 price 2 dec\. check digit \(4\) · 28 price 2 dec\. check digit \(4\)$/] },
] as const;

describe.each(OTHERS)('KASSA_PROFILE=$country in Chromium', ({ country, milk, cash, due, total, panel }) => {
  const dir = tempDir(`kassa-e2e-${country}-`);
  let store: Demo;
  let p: Page;
  beforeAll(async () => {
    store = await startDemo({ KASSA_DATA_DIR: dir.dir, KASSA_PROFILE: country });
    p = recordConsole(await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage());
  });
  afterAll(async () => {
    await store?.stop();
    dir.cleanup();
  });

  it('sells its milk for cash (rounded as its law says) and shows its market to store IT', async () => {
    await p.goto(store.url);
    const l = new LanePage(p);
    await l.signIn('1', '1111');
    await l.openTill();
    await l.scan(milk.codes[0]!);
    await expect.poll(() => l.lines(), { timeout: 10_000 }).toBe(1);
    await typeAsPerson(p, cash);
    await p.keyboard.press('F10');
    await p.getByTestId('change-due').waitFor();
    await p.keyboard.press('Enter');
    await p.getByTestId('receipt').waitFor();
    const receipt = (await p.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toContain(milk.name);
    expect(receipt).toMatch(new RegExp(`${total}\\s+${due.replace('.', '\\.')}`));
    await openServiceScreen(p);
    await p.getByTestId('service-market').waitFor({ timeout: 10_000 });
    const t = async (id: string) => ((await p.getByTestId(id).textContent()) ?? '').replace(/\s/g, ' ');
    expect(await t('market-country')).toBe(panel[0]);
    expect(await t('market-rounding')).toBe(panel[1]);
    expect(await t('market-variable')).toMatch(panel[2]);
  });
});
