/**
 * The Swedish demo store with its control unit (simulator, KASSA_CONTROL_UNIT=simulator) in
 * Chromium, as a cashier works it: a sale scanned and paid in cash, its receipt read for what
 * SKVFS 2014:9 asks (organisation number, receipt number, till id, control unit number, control
 * code, VAT split at December 2026's food rate of 6 %); a copy ("KOPIA") and a second one refused
 * with the words the cashier reads; a training receipt ("ÖVNINGSKVITTO"); the X- and Z-dagrapport
 * on screen and as printed; and the unit pulled out: the lane says in red, in every language, that
 * the till may not be used (shot at every screen size).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, LANGS, SCREEN_SIZES, launchChromium } from './harness';
import { openLaneAt, openServiceScreen, type LanePage } from './pages';

const tmp = tempDir('kassa-e2e-se-');
const dbPath = join(tmp.dir, 'kassa.db');
const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95, food (6 % in December 2026)
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90, 25 %
let core: CoreProcess;
let api: ApiClient;
let browser: Browser;
let page: Page;
let lane: LanePage;

beforeAll(async () => {
  core = await startCoreProcess(dbPath, ['--demo', '--profile', 'SE', '--clock', '2026-12-07T09:30:00+01:00'], 30_000, { KASSA_CONTROL_UNIT: 'simulator' });
  api = await ApiClient.connect(core.port, core.token);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  lane = await openLaneAt(page, core);
}, 60_000);

afterAll(async () => {
  api?.ws.close();
  await browser?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

async function sell(codes: string[]): Promise<string> {
  const before = api.snapshot?.lastSale?.saleId ?? null;
  for (const [i, code] of codes.entries()) {
    await lane.scan(code);
    await expect.poll(() => lane.lines()).toBe(i + 1);
  }
  await page.keyboard.press('F10'); // exact cash
  await lane.finish('print');
  await expect.poll(() => api.snapshot?.lastSale?.saleId ?? null).not.toBe(before);
  await page.getByTestId('receipt').waitFor();
  return (await page.getByTestId('receipt').textContent()) ?? '';
}

describe('a Swedish store with its control unit', () => {
  it('prints a receipt with every registration item, one copy marked KOPIA, a training receipt, and the X-dagrapport', async () => {
    const receipt = await sell([MILK, SOAP]);
    const code = /Kontrollkod\s*([0-9A-F]{42})\s*([0-9A-F]{22})/.exec(receipt);
    expect(code).not.toBeNull();
    expect(receipt).toContain('Kassa Demo Livs AB');
    expect(receipt).toContain('Org.nr 556000-0001');
    expect(receipt).toMatch(/Kvittonummer\s+1\b/);
    expect(receipt).toMatch(/Kassabeteckning\s+demo-001-1/);
    expect(receipt).toMatch(/Kontrollenhet\s+KSIM[0-9A-F]{12}/);
    expect(receipt).toMatch(/Mellanmjölk 1,5 % 1 l\s+16,95 C/);
    expect(receipt).toMatch(/A 25 %\s+5,98\s+23,92\s+29,90/);
    expect(receipt).toMatch(/C 6 %\s+0,96\s+15,99\s+16,95/);
    expect(receipt).toMatch(/Varav moms\s+6,94/);
    await page.screenshot({ path: join(ARTIFACTS, 'se-receipt-1280x800-sv.png') });

    // A copy: marked KOPIA, with its own control code; a second one is refused in the cashier's words.
    await lane.menu('reprint');
    const copy = page.getByTestId('receipt-copy');
    await copy.waitFor();
    const copyText = (await copy.textContent()) ?? '';
    expect(copyText).toMatch(/^\s*KOPIA/);
    expect(copyText).toMatch(/Kontrollkod \(kopia\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'se-copy-1280x800-sv.png') });
    await lane.menu('reprint');
    await expect.poll(() => lane.message()).toContain('Kvittot har redan en kopia — det får bara kopieras en gång.');

    // Training: ÖVNINGSKVITTO, its own number series.
    await lane.menu('training');
    await lane.approve('7', '7777');
    await page.getByTestId('training-badge').waitFor();
    const training = await sell([SOAP]);
    expect(training).toContain('ÖVNINGSKVITTO');
    expect(training).toMatch(/Kvittonummer\s+1\b/);
    await lane.menu('training');
    await lane.approve('7', '7777');
    await page.getByTestId('training-badge').waitFor({ state: 'detached' });

    // The X-dagrapport on screen and as printed.
    await lane.menu('x-report');
    await page.getByTestId('report').waitFor();
    expect(await page.getByTestId('report').textContent()).toMatch(/Moms 6\s*%\s*0,96/);
    await page.screenshot({ path: join(ARTIFACTS, 'se-x-report-1280x800-sv.png') });
    await page.getByTestId('x-report-print').click();
    // As printed: the simulated printer's paper, on the devices screen (a supervisor signs in there).
    await openServiceScreen(page, { operator: '7', pin: '7777' });
    await page.getByTestId('devices').waitFor();
    await expect
      .poll(async () => (await page.getByTestId('printout-printer').textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/X-DAGRAPPORT[\s\S]*Kassa Demo Livs AB[\s\S]*Org\.nr 556000-0001[\s\S]*Kassabeteckning demo-001-1[\s\S]*Moms 6 %\s+0,96[\s\S]*Antal kvitton\s+1[\s\S]*Kopior 1\s+47,00[\s\S]*Grand total netto\s+47,00/);
    await page.screenshot({ path: join(ARTIFACTS, 'se-x-report-printed-1280x800-sv.png') });
    await page.getByTestId('devices-close').click();
    await page.getByTestId('devices').waitFor({ state: 'detached' });
  }, 180_000);

  it('tells the cashier in red, in every language and at every screen size, that the till may not be used while the unit is out', async () => {
    writeFileSync(`${dbPath}-cu.sqlite.unplugged`, '');
    await page.keyboard.press('Escape');
    await lane.scan(MILK);
    await expect.poll(() => lane.message()).toContain('Kontrollenheten svarar inte — kassan får inte användas');
    expect(await lane.lines()).toBe(0);
    const badge = page.getByTestId('control-unit-outage');
    await badge.waitFor();
    expect(await badge.textContent()).toBe('■ Kontrollenheten svarar inte — kassan spärrad');
    expect(await badge.getAttribute('title')).toMatch(/^Kontrollenheten svarar inte — kassan spärrad, sedan \d+ min; kassan får inte användas förrän den svarar — CU_UNAVAILABLE: the control unit does not answer$/);
    const words = { sv: /^■ Kontrollenheten svarar inte — kassan spärrad$/, de: /^■ Kontrolleinheit antwortet nicht — Kasse gesperrt$/, en: /^■ Control unit not answering — till blocked$/ };
    for (const lang of LANGS) {
      await page.getByRole('button', { name: lang.toUpperCase(), exact: true }).click();
      await expect.poll(() => badge.textContent()).toMatch(words[lang]);
      for (const [w, h] of SCREEN_SIZES) {
        await page.setViewportSize({ width: w, height: h });
        await page.screenshot({ path: join(ARTIFACTS, `se-control-unit-outage-${w}x${h}-${lang}.png`) });
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByRole('button', { name: 'SV', exact: true }).click();
    rmSync(`${dbPath}-cu.sqlite.unplugged`);
    await lane.scan(MILK);
    await expect.poll(() => lane.lines()).toBe(1);
    await badge.waitFor({ state: 'detached' });
  }, 180_000);
});
