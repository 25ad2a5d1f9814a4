/**
 * A German till's TSE on the lane screen: a sale signed by the TSE simulator, then the TSE pulled
 * out (its `.unplugged` file): the next sale goes through, its receipt says "TSE ausgefallen", and
 * the status bar tells the cashier in German, Swedish and English; put back, the next sale is
 * signed and the warning goes. Cash taken to the safe from the lane's menu is signed too (Vorgangstyp
 * Beleg), and its window shows the slip as printed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../core/db';
import { generateCatalog } from '../../core/catalog/demo';
import { DE_DEMO } from '../../core/markets/demo';
import { Operators, seedDemoOperators } from '../../core/operators';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { verifyQr } from '../helpers/tse-verifier';
import { ARTIFACTS, launchChromium } from './harness';
import { LanePage, typeAsPerson } from './pages';
import { tseQrCode, type TseMark } from '../../core/receipt/tse-block';

const tmp = tempDir('kassa-e2e-tse-');
const dbPath = join(tmp.dir, 'kassa.db');
let core: CoreProcess;
let api: ApiClient;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  // A German store's data: the German demo catalog (19 % / 7 %).
  const db = openDatabase(dbPath);
  generateCatalog(db, { country: 'DE' });
  seedDemoOperators(new Operators(db));
  db.close();
  core = await startCoreProcess(dbPath, ['--demo', '--profile', 'DE']);
  api = await ApiClient.connect(core.port, core.token);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  api?.ws.close();
  await browser?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

describe('the TSE on a German lane', () => {
  it('signs a sale; pulled out, sales go on marked "TSE ausgefallen" and the status bar says so in every language; put back, it signs again', async () => {
    const lane = new LanePage(page);
    const sell = async () => {
      const before = api.snapshot?.lastSale?.saleId ?? null;
      await lane.scan(DE_DEMO.items.bread.codes[0]!); // no Pfand: one line
      await expect.poll(() => lane.lines()).toBe(1);
      await page.keyboard.press('F10'); // cash, exactly what is owed
      await lane.finish('print');
      await expect.poll(() => api.snapshot?.lastSale?.saleId ?? null).not.toBe(before);
      return api.snapshot!.lastSale!.receiptText;
    };
    await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
    await lane.signIn('1', '1111');
    await lane.openTill();

    const signed = await sell();
    expect(verifyQr(/^\[QR\] (V0;.*)$/m.exec(signed)![1]!)).toBe(true);
    expect(await page.getByTestId('tse-outage').count()).toBe(0);

    writeFileSync(`${dbPath}-tse.sqlite.unplugged`, '');
    const unsigned = await sell();
    expect(unsigned).toContain('*** TSE ausgefallen ***');
    expect(unsigned).not.toMatch(/^\[QR\] V0;/m);
    const badge = page.getByTestId('tse-outage');
    await badge.waitFor();
    expect(await badge.textContent()).toMatch(/^▲ TSE ausgefallen seit < 1 Min\. · 1 ohne Signatur$/);
    await page.getByRole('button', { name: 'SV', exact: true }).click();
    await expect.poll(() => badge.textContent()).toMatch(/^▲ TSE ur funktion i < 1 min · 1 osignerade$/);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => badge.textContent()).toMatch(/^▲ TSE out for < 1 min · 1 unsigned$/);
    // Where the bar cuts it short, its tooltip has it whole, with the TSE's reason.
    expect(await badge.getAttribute('title')).toMatch(/^TSE out for < 1 min · 1 unsigned — TSE_UNAVAILABLE: the TSE does not answer$/);
    await page.screenshot({ path: join(ARTIFACTS, 'tse-outage.png') });
    expect(api.snapshot!.tse).toMatchObject({ state: 'outage', unsignedSales: 1 });

    rmSync(`${dbPath}-tse.sqlite.unplugged`);
    const again = await sell();
    expect(verifyQr(/^\[QR\] (V0;.*)$/m.exec(again)![1]!)).toBe(true);
    await badge.waitFor({ state: 'detached' });
    expect(api.snapshot!.tse).toMatchObject({ state: 'ok', unsignedSales: 0 });
  });

  it('takes cash to the safe from the menu: a supervisor approves, and the window shows the slip with what moved and its TSE signature', async () => {
    const lane = new LanePage(page);
    await page.getByRole('button', { name: 'DE', exact: true }).click();
    await lane.menu('open-movement');
    const w = page.getByTestId('cash-movement');
    await w.getByText('Geldtransit (Tresor/Bank)').click();
    await expect.poll(() => w.textContent()).toContain('Geld aus der Kasse gibt ein Vorgesetzter frei.');
    await page.getByTestId('movement-amount').click();
    await typeAsPerson(page, '50');
    await page.getByTestId('movement-reason').click();
    await typeAsPerson(page, 'Tresor');
    await page.getByTestId('movement-book').click();
    await lane.approve('7', '7777');
    const slip = page.getByTestId('movement-slip');
    await slip.waitFor();
    const text = (await slip.textContent()) ?? '';
    expect(text).toContain('*** GELDTRANSIT ***');
    expect(text).toMatch(/Aus der Kasse \(bar\) +50,00 EUR/);
    expect(text).toMatch(/Grund +Tresor/);
    expect(text).toMatch(/Genehmigt +7/);
    expect(text).toContain('TSE-Signatur: ');
    await page.getByTestId('movement-slip-qr').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'tse-cash-movement.png') });
    // What the slip shows is what the TSE signed: the journal's signature, verified independently.
    const db = openDatabase(dbPath, { readonly: true });
    const body = JSON.parse(db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'cash.pickup' ORDER BY seq DESC LIMIT 1").get()!.body) as { amount: number; tse: TseMark };
    db.close();
    expect(body.amount).toBe(5_000);
    if (body.tse.kind !== 'signed') throw new Error('the pickup was not signed');
    expect(text.replace(/\s/g, '')).toContain(body.tse.tx.signature);
    expect(body.tse.tx.processData).toBe('Beleg^0.00_0.00_0.00_0.00_-50.00^-50.00:Bar');
    expect(verifyQr(tseQrCode(body.tse.tx))).toBe(true);
    await page.getByTestId('cash-movement').getByRole('button', { name: 'Fertig' }).click();
    await w.waitFor({ state: 'detached' });
  });
});
