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
/** Text as a person reads it: runs of spaces (no-break ones too) as one. */
const words = (t: string | null) => (t ?? '').replace(/\s+/g, ' ').trim();
const dkk = (minor: number) => new Intl.NumberFormat('da-DK', { style: 'currency', currency: 'DKK' }).format(minor / 100);
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
    // Empties alone: the lane shows what it would pay out.
    await expect.poll(() => lane.total(), { timeout: 10_000 }).toBe(euro(100));
    expect(await page.getByTestId('amount-due').getAttribute('data-payout')).toBe('yes');
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

/**
 * Every other market's demo store: a priced or weighed label and a drink with its deposit (GB has no
 * deposits) sold for cash, the receipt read as printed — its language, currency, cash rounding, VAT
 * letters and legal lines — and its market on the service screen in the screen's language.
 */
const OTHERS = [
  {
    country: 'SE', scans: [SE_DEMO.scans.salad49_95, SE_DEMO.items.soda.codes[0]!], lines: 3, cash: '100',
    // Food at 6 % (C): the demo clock's Monday, 2026-11-23, is inside Sweden's food VAT cut (2026-04-01 – 2027-12-31).
    receipt: [/Storgatan 1, 111 22 Stockholm\n/, /Färsk sallad deli\s+49,95 C\n/, /Apelsinläsk 1,5 l\s+22,90 C\n {2}Pant PET-flaska\s+2,00 C\n/, /C 6 %\s+4,24\s+70,61\s+74,85\n/, /Summa\s+74,85\nÖresavrundning\s+0,15\nTOTALT SEK\s+75,00\nKontant\s+100,00\nVäxel\s+25,00\n/, /Tack för ditt köp!/],
    notOnReceipt: /TOTAL\b|Change|Thank you/,
    panel: ['Sverige (SE)', 'till 1,00 kr, bara kontant', /^20 pris 2 dec\. · 21 pris 1 dec\./],
  },
  {
    country: 'DK', scans: [DK_DEMO.scans.salad39_75, DK_DEMO.items.can.codes[0]!], lines: 3, cash: '50',
    receipt: [/Strøget 1, 1160 København K\n\s+CVR-nr\. 12345678\n/, /Salat fra delikatessen\s+39,75 A\n/, /Cola 33 cl dåse\s+8,00 A\n {2}Pant A\s+1,00 A\n/, /Subtotal\s+48,75\nØreafrunding\s+0,25\nI ALT DKK\s+49,00\nKontant\s+50,00\nByttepenge\s+1,00\n/, /Moms %\s+Moms\s+Netto\s+Brutto\nA 25 %\s+9,75\s+39,00\s+48,75\n/, /Tak for dit køb!/],
    notOnReceipt: /TOTAL|Change|Thank you|VAT/,
    panel: ['Denmark (DK)', 'to 0,50 kr., cash only', /^20 price 2 dec\. · .* · 25 weight 3 dec\.$/],
  },
  {
    country: 'NO', scans: [NO_DEMO.scans.salmon89_90, NO_DEMO.items.smallPet.codes[0]!], lines: 3, cash: '200',
    receipt: [/Karl Johans gate 1, 0154 Oslo\n\s+Org\.nr\. 999 999 999 MVA\n/, /Laks fra disken\s+89,90 B\n/, /Brus 0,5 l flaske\s+29,90 B\n {2}Pant 2 kr\s+2,00 D\n/, /Sum varer\s+121,80\nØreavrunding\s+0,20\nTOTALT NOK\s+122,00\nKontant\s+200,00\nVeksel\s+78,00\n/, /MVA %\s+MVA\s+Netto\s+Brutto\n/, /Takk for handelen!/],
    notOnReceipt: /TOTAL\b|Change|Thank you|VAT/,
    panel: ['Norway (NO)', 'to 1,00 kr, cash only', /^20 price 2 dec\. · 21 price 1 dec\. · .* · 25 weight 1 dec\.$/],
  },
  {
    country: 'FI', scans: [FI_DEMO.scans.cheese750g, FI_DEMO.items.can.codes[0]!], lines: 3, cash: '20',
    receipt: [/Mannerheimintie 1, 00100 Helsinki\n\s+Y-tunnus 1234567-8\n/, /Juusto palana\s+11,18 B\n {2}0,750 kg x 14,90\/kg\n/, /Limonadi 0,33 l tölkki\s+1,49 B\n {2}Pantti tölkki\s+0,15 D\n/, /Välisumma\s+12,82\nPyöristys\s+-0,02\nYHTEENSÄ EUR\s+12,80\nKäteinen\s+20,00\nVaihtoraha\s+7,20\n/, /ALV %\s+ALV\s+Veroton\s+Verollinen\n/, /Kiitos ostoksestasi!/],
    notOnReceipt: /TOTAL\b|Change|Thank you|VAT/,
    panel: ['Finland (FI)', 'to 0,05 €, cash only', /^23 weight 3 dec\. · 24 weight 2 dec\. · 25 weight 1 dec\.$/],
  },
  {
    country: 'GB', scans: [GB_DEMO.scans.cheddar3_49, GB_DEMO.items.can.codes[0]!], lines: 2, cash: '5',
    receipt: [/1 High Street, London SW1A 1AA\n\s+VAT Reg No\. GB000000000\n/, /Deli cheddar\s+3\.49 Z\n/, /Cola 330 ml can\s+0\.99 A\n/, /TOTAL GBP\s+4\.48\nCash\s+5\.00\nChange\s+0\.52\n/, /A 20 %\s+0\.1\d\s+0\.8\d\s+0\.99\n/],
    notOnReceipt: /Rounding|Subtotal/,
    panel: ['Great Britain (GB)', 'none', /^20 price 2 dec\. check digit \(4\) · 28 price 2 dec\. check digit \(4\)$/],
  },
] as const;

describe.each(OTHERS)('KASSA_PROFILE=$country in Chromium', ({ country, scans, lines, cash, receipt: want, notOnReceipt, panel }) => {
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

  it('sells a label-priced item and a drink with its deposit for cash; the receipt reads in its language, rounded as its law says', async () => {
    await p.goto(store.url);
    const l = new LanePage(p);
    await l.signIn('1', '1111');
    await l.openTill();
    for (const code of scans) await l.scan(code);
    await expect.poll(() => l.lines(), { timeout: 10_000 }).toBe(lines);
    if (country === 'DK' || country === 'FI') await laneShots(p, country.toLowerCase());
    await typeAsPerson(p, cash);
    await p.keyboard.press('F10');
    await p.getByTestId('change-due').waitFor();
    await p.keyboard.press('Enter');
    await p.getByTestId('receipt').waitFor();
    const text = (await p.getByTestId('receipt').textContent()) ?? '';
    for (const re of want) expect(text).toMatch(re);
    expect(text).not.toMatch(notOnReceipt);
  });

  it.runIf(country === 'DK')('pays out empties worth more than the purchase in cash, rounded to 50 øre; a card is refused', async () => {
    const l = new LanePage(p);
    // The empties first, between sales (the lane's menu), then the salad.
    await l.menu('open-empties');
    await p.getByTestId('empties').waitFor();
    await p.getByTestId('empties-quantity').click();
    await p.keyboard.press('Control+A');
    await p.keyboard.press('Backspace');
    await typeAsPerson(p, '14');
    await p.getByTestId('empties-pant-c').click();
    await p.getByTestId('empties').waitFor({ state: 'detached' });
    await expect.poll(() => l.total(), { timeout: 10_000 }).toBe(norm(dkk(4200)));
    expect(words(await p.getByTestId('basket').textContent())).toMatch(/Pant C ?[-−]42,00 kr\. ?14 × [-−]3,00 kr\./);
    await l.scan(DK_DEMO.scans.salad39_75);
    // 39,75 − 14 × 3,00 = −2,25: the lane reads "To pay out 2,50 kr." (rounded to 50 øre).
    await expect.poll(() => l.total(), { timeout: 10_000 }).toBe(norm(dkk(250)));
    expect(words(await p.getByTestId('amount-due').textContent())).toMatch(/^To pay out ?2,50 kr\. ?1 item · Sale total [-−]2,25 kr\.$/);
    await payoutShots(p, 'dk-payout');
    await p.keyboard.press('F9');
    await expect.poll(async () => words(await l.message())).toMatch(/pay out 2,50 kr\. in cash .*never to a card/);
    await p.keyboard.press('F10');
    await p.getByTestId('change-due').waitFor();
    expect(words(await p.getByRole('dialog').textContent())).toContain('Pay out in cash');
    expect(norm(await p.getByTestId('change-due').textContent())).toBe(norm(dkk(250)));
    // The paid window covers the language buttons: it is shot in the language the sale is in.
    await payoutShots(p, 'dk-payout-paid', ['EN']);
    await p.keyboard.press('Enter');
    await p.getByTestId('receipt').waitFor();
    await expect.poll(async () => (await p.getByTestId('receipt').textContent()) ?? '').toMatch(/Pant C\s+-42,00 A\n {2}14 x -3,00\n[\s\S]*Subtotal\s+-2,25\nØreafrunding\s+-0,25\nI ALT DKK\s+-2,50\nUdbetales kontant\s+2,50\n/);
  });

  it('shows its market to store IT', async () => {
    await openServiceScreen(p);
    await p.getByTestId('service-market').waitFor({ timeout: 10_000 });
    const t = async (id: string) => ((await p.getByTestId(id).textContent()) ?? '').replace(/\s/g, ' ');
    expect(await t('market-country')).toBe(panel[0]);
    expect(await t('market-rounding')).toBe(panel[1]);
    expect(await t('market-variable')).toMatch(panel[2]);
  });
});

/** The lane mid-sale at every size it runs at, saved for a person to look at; the total and the lines stay whole on screen. */
async function laneShots(p: Page, name: string) {
  for (const [width, height] of [[1024, 768], [1280, 800], [1920, 1080], [1080, 1920]] as const) {
    await p.setViewportSize({ width, height });
    await p.screenshot({ path: join(ARTIFACTS, `market-${name}-lane-${width}x${height}.png`) });
    const fits = await p.getByTestId('total').evaluate((e) => e.scrollWidth <= e.clientWidth);
    expect(fits, `${width}x${height}: the total fits`).toBe(true);
  }
  await p.setViewportSize({ width: 1280, height: 800 });
}

/** The payout as the lane shows it, in each UI language at every size (the screen's language English after). */
async function payoutShots(p: Page, name: string, langs: readonly string[] = ['SV', 'DE', 'EN']) {
  for (const lang of langs) {
    if ((await p.locator('.langs button[aria-pressed="true"]').textContent()) !== lang) await p.locator('.langs button', { hasText: lang }).click();
    await expect.poll(() => p.locator('.langs button[aria-pressed="true"]').textContent()).toBe(lang);
    for (const [width, height] of [[1024, 768], [1280, 800], [1920, 1080], [1080, 1920]] as const) {
      await p.setViewportSize({ width, height });
      await p.screenshot({ path: join(ARTIFACTS, `market-${name}-${lang.toLowerCase()}-${width}x${height}.png`) });
    }
  }
  await p.setViewportSize({ width: 1280, height: 800 });
}
