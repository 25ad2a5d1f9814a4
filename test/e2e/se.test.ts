/**
 * The Swedish demo store with its control unit (the simulator the demo store provisions) in
 * Chromium, as a cashier works it: a sale scanned and paid in cash, its receipt read for what
 * SKVFS 2014:9 asks (organisation number, receipt number, till id, control unit number, control
 * code, VAT split at December 2026's food rate of 6 %); a copy ("KOPIA") and a second one refused
 * with the words the cashier reads; a training receipt ("ÖVNINGSKVITTO"); the X- and Z-dagrapport
 * on screen and as printed; and the unit pulled out: a window over the lane says, in every
 * language, that the till cannot issue receipts until the unit answers and what to do, goes over to
 * store IT's service screen (which names the unit) and closes by itself once the unit is back (shot
 * at every screen size).
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, LANGS, SCREEN_SIZES, launchChromium, seriousA11y } from './harness';
import { openLaneAt, openServiceScreen, typeAsPerson, type LanePage } from './pages';

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
  core = await startCoreProcess(dbPath, ['--demo', '--profile', 'SE', '--clock', '2026-12-07T09:30:00+01:00'], 30_000);
  api = await ApiClient.connect(core.port, core.token);
  browser = await launchChromium();
  page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } })).newPage(); // bypassCSP: axe is injected for the a11y check
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
    expect(await page.getByTestId('report').textContent()).toMatch(/Moms C 6\s*%\s*0,96/);
    await page.screenshot({ path: join(ARTIFACTS, 'se-x-report-1280x800-sv.png') });
    await page.getByTestId('x-report-print').click();
    // As printed: the simulated printer's paper, on the devices screen (a supervisor signs in there).
    await openServiceScreen(page, { operator: '7', pin: '7777' });
    await page.getByTestId('devices').waitFor();
    await expect
      .poll(async () => (await page.getByTestId('printout-printer').textContent()) ?? '', { timeout: 30_000 })
      .toMatch(/X-DAGRAPPORT[\s\S]*Kassa Demo Livs AB[\s\S]*Org\.nr 556000-0001[\s\S]*Kassabeteckning demo-001-1[\s\S]*Moms C 6 %\s+0,96[\s\S]*Antal kvitton\s+1[\s\S]*Kopior 1\s+47,00[\s\S]*Grand total netto\s+47,00/);
    await page.screenshot({ path: join(ARTIFACTS, 'se-x-report-printed-1280x800-sv.png') });
    await page.getByTestId('devices-close').click();
    await page.getByTestId('devices').waitFor({ state: 'detached' });
  }, 180_000);

  it('puts a window over the lane while the unit is out, in every language and at every screen size, which closes by itself once it answers', async () => {
    const TITLE = { sv: 'Kassan kan inte ge kvitton', de: 'Die Kasse kann keine Belege erstellen', en: 'This till cannot issue receipts' };
    const SAYS = { sv: /förrän den svarar igen[\s\S]*Kontrollera kontrollenhetens kabel och ström[\s\S]*stängs av sig självt/, de: /bis sie wieder antwortet[\s\S]*Kabel und Strom der Kontrolleinheit prüfen[\s\S]*schließt sich von selbst/, en: /until it answers again[\s\S]*Check the control unit’s cable and power[\s\S]*closes by itself/ };
    const win = page.getByTestId('control-unit-window');
    for (const lang of LANGS) {
      await page.getByRole('button', { name: lang.toUpperCase(), exact: true }).click();
      writeFileSync(`${dbPath}-cu.sqlite.unplugged`, '');
      await lane.scan(MILK); // the cashier scans: the unit does not answer
      await win.waitFor();
      expect(await lane.lines()).toBe(0);
      expect(await win.getByRole('heading').textContent()).toBe(`■ ${TITLE[lang]}`);
      expect(await win.textContent()).toMatch(SAYS[lang]);
      // It blocks the lane: a tap on the entry line behind it does not reach it.
      await expect(page.getByTestId('scan-input').click({ timeout: 1_000 })).rejects.toThrow();
      for (const [w, h] of SCREEN_SIZES) {
        await page.setViewportSize({ width: w, height: h });
        // Whole on screen: not cut off at 1024×768 nor in portrait.
        const box = (await win.boundingBox())!;
        expect(box.x >= 0 && box.y >= 0 && box.x + box.width <= w && box.y + box.height <= h).toBe(true);
        await expect.poll(() => page.getByTestId('control-unit-service').isVisible()).toBe(true);
        await page.screenshot({ path: join(ARTIFACTS, `se-control-unit-window-${w}x${h}-${lang}.png`) });
      }
      await page.setViewportSize({ width: 1280, height: 800 });
      if (lang === 'sv') expect(await seriousA11y(page, 'control unit window')).toEqual([]);
      rmSync(`${dbPath}-cu.sqlite.unplugged`);
      // Nobody touches anything: the till asks the unit every few seconds and the window goes.
      await win.waitFor({ state: 'detached', timeout: 15_000 });
    }
    await page.getByRole('button', { name: 'SV', exact: true }).click();
  }, 240_000);

  it('lets store IT go from the window to the service screen, which names the provisioned unit and its state', async () => {
    writeFileSync(`${dbPath}-cu.sqlite.unplugged`, '');
    await lane.scan(SOAP);
    const win = page.getByTestId('control-unit-window');
    await win.waitFor();
    await page.getByTestId('control-unit-service').click();
    await page.getByTestId('devices-operator').click();
    await typeAsPerson(page, '9');
    await page.getByTestId('devices-pin').click();
    await typeAsPerson(page, '9999');
    await page.getByTestId('devices-signin-ok').click();
    const panel = page.getByTestId('service-control-unit');
    await panel.waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('control-unit-device').textContent()).toMatch(/^simulator KSIM[0-9A-F]{12}$/);
    expect(await page.getByTestId('control-unit-till').textContent()).toBe('demo-001-1');
    expect(await page.getByTestId('control-unit-state').textContent()).toBe('svarar inte — kassan spärrad');
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'se-control-unit-service-1280x800-sv.png') });
    rmSync(`${dbPath}-cu.sqlite.unplugged`);
    await expect.poll(() => page.getByTestId('control-unit-state').textContent(), { timeout: 15_000 }).toBe('svarar');
    await page.getByTestId('devices-close').click();
    await page.getByTestId('devices').waitFor({ state: 'detached' });
    expect(await win.count()).toBe(0);
    // The unit answers: the cashier sells again.
    await lane.scan(MILK);
    await expect.poll(() => lane.lines()).toBe(1);
  }, 120_000);
});
