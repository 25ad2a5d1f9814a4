/**
 * Self-checkout end to end: `npm start`'s path with KASSA_MODE=self (a kiosk with simulated
 * devices and its attendant listener) plus a second kiosk core, Debian's Chromium for the kiosk
 * screen and for the attendant view (another tab, signed in with attendant credentials, watching
 * both kiosks). A customer scans, picks bananas from the picture grid (weighed on the simulated
 * scale), scans snus and waits; the attendant approves the age check from the view; the customer
 * calls for help and the attendant clears it; the customer pays by card (ZVT simulator) and takes
 * a digital receipt. The sale is in the journal with the attendant's approval.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandBody } from '../../protocol/terminal';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { until } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, ATTENDANT_URL, LANE_URL, launchChromium, printCoreLogOnFailure, seriousA11y, startDemo, type Demo } from './harness';
import { AttendantPage, KioskPage, norm, typeAsPerson } from './pages';

const tmp = tempDir('kassa-e2e-self-');
let demo: Demo;
printCoreLogOnFailure(() => demo);
let second: CoreProcess;
let browser: Browser;
let kioskPage: Page;
let attendantPage: Page;
let url: string;
let attendantUrl: string;
let secondAttendant: string;

const MILK = DEMO_ITEMS.milk.codes[0]!;
const SNUS = DEMO_ITEMS.snus.codes[0]!;

beforeAll(async () => {
  // A second kiosk (its own core and database), opened for the day over its Terminal API.
  second = await startCoreProcess(join(tmp.dir, 'kiosk2.db'), ['--demo', '--mode', 'self', '--lane', 'K2', '--zvt', 'simulated', '--attendant', '127.0.0.1:0', '--idle-abandon', '15', '--idle-warn', '12']);
  await until('second kiosk attendant port', () => second.stderr.some((l) => /attendant view: http:\/\/127\.0\.0\.1:\d+/.test(l)));
  secondAttendant = /attendant view: http:\/\/(127\.0\.0\.1:\d+)/.exec(second.stderr.find((l) => /attendant view/.test(l))!)![1]!;
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir, KASSA_MODE: 'self', KASSA_ATTENDANT_PEERS: secondAttendant }, [LANE_URL, ATTENDANT_URL]);
  url = demo.url;
  attendantUrl = demo.found[1]!;
  const api = await ApiClient.connect(second.port, second.token);
  const opening: CommandBody[] = [
    ...(api.snapshot?.lane.state === 'closed' ? [{ cmd: 'openLane' } as const] : []),
    { cmd: 'signIn', operator: '7', pin: '7777' },
    { cmd: 'openTill', float: [] },
  ];
  for (const cmd of opening) {
    const r = await api.send(cmd);
    expect(r, JSON.stringify(r)).toMatchObject({ type: 'ack' });
  }
  api.close();

  browser = await launchChromium();
  // axe is injected into the pages, which the app's strict CSP would refuse: this context alone bypasses it.
  // One context (window) each: a second tab in the same window would be a background tab, whose
  // animation frames Chromium throttles.
  kioskPage = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } })).newPage();
  attendantPage = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  await browser?.close();
  if (second) await stopCoreProcess(second);
  await demo?.stop();
  tmp.cleanup();
});

describe('self-checkout in Chromium, with the attendant view', () => {
  it('a customer buys milk, bananas by weight and snus (age approved by the attendant), pays by card and takes a digital receipt', async () => {
    const errors: string[] = [];
    kioskPage.on('pageerror', (e) => errors.push(e.message));
    attendantPage.on('pageerror', (e) => errors.push(e.message));
    const kiosk = new KioskPage(kioskPage);
    const attendant = new AttendantPage(attendantPage);

    await kioskPage.goto(url);
    await kiosk.openForTheDay('7', '7777');
    await kioskPage.screenshot({ path: join(ARTIFACTS, 'self-attract.png') });
    const a11y: string[] = [...(await seriousA11y(kioskPage, 'kiosk welcome'))];

    // The attendant watches this kiosk and the second one.
    await attendantPage.goto(attendantUrl); // the kiosk names its peer (the second kiosk) itself
    a11y.push(...(await seriousA11y(attendantPage, 'attendant sign-in')));
    await attendant.signIn('7', '7777');
    await expect.poll(() => attendantPage.getByTestId('kiosk').count()).toBe(2);
    await expect.poll(() => attendant.kioskState('1')).toBe('Ledig');
    await expect.poll(() => attendant.kioskState('K2')).toBe('Ledig');

    await kiosk.start();
    await kiosk.scan(MILK);
    await expect.poll(() => kiosk.basketText()).toContain(norm(DEMO_ITEMS.milk.name));
    await kioskPage.getByTestId('self-produce').click();
    await kioskPage.getByTestId('produce-4011').waitFor();
    a11y.push(...(await seriousA11y(kioskPage, 'produce grid')));
    await kioskPage.keyboard.press('Escape');
    await kiosk.pickProduce('banan', '4011', join(ARTIFACTS, 'self-produce-grid.png'));
    // The weighing step: the weight and its price as the scale reads them, then the customer adds it.
    expect(norm(await kiosk.confirmWeight(join(ARTIFACTS, 'self-weigh.png')))).toMatch(new RegExp(norm('1,234 kg \\d+,\\d\\d kr')));
    await expect.poll(() => kiosk.basketText()).toContain(norm('1,234 kg'));
    await expect.poll(() => attendant.kioskState('1')).toBe('Handlar');

    // Snus is 18+: the customer is told that staff check their ID before payment and scans on
    // meanwhile; paying waits until the attendant approves from the view.
    await kiosk.scan(SNUS);
    await kioskPage.getByTestId('self-age').waitFor();
    expect(norm((await kioskPage.getByTestId('self-age').textContent()) ?? '')).toContain(norm('personal kontrollerar din legitimation innan du betalar'));
    await kiosk.scan(MILK);
    await expect.poll(() => kioskPage.getByTestId('line').count()).toBe(4);
    expect(await kioskPage.getByTestId('self-pay-card').isDisabled()).toBe(true);
    await attendant.kiosk('1').getByTestId('kiosk-age').waitFor();
    await attendantPage.screenshot({ path: join(ARTIFACTS, 'attendant-age-approval.png') });
    a11y.push(...(await seriousA11y(attendantPage, 'attendant view with an age check')), ...(await seriousA11y(kioskPage, 'kiosk waiting for the age check')));
    await attendant.approveAge('1');
    await kioskPage.getByTestId('self-age').waitFor({ state: 'detached' });
    expect(await kioskPage.getByTestId('self-pay-card').isDisabled()).toBe(false);

    // Help: lights up in the attendant view until cleared there.
    await kioskPage.getByTestId('self-help').click();
    await kioskPage.getByTestId('help-called').waitFor();
    await attendant.kiosk('1').getByTestId('kiosk-help').waitFor();
    await attendant.clearHelp('1');
    await kioskPage.getByTestId('help-called').waitFor({ state: 'detached' });
    // An item the kiosk does not know: the customer is told so, and that staff are coming.
    await kiosk.scan('7310865009999');
    await expect.poll(async () => (await kioskPage.getByTestId('message').textContent()) ?? '').toMatch(/Varan kändes inte igen/);
    await kioskPage.getByTestId('help-called').waitFor();
    await attendant.clearHelp('1');
    await kioskPage.getByTestId('help-called').waitFor({ state: 'detached' });
    await kioskPage.screenshot({ path: join(ARTIFACTS, 'self-basket.png') });
    a11y.push(...(await seriousA11y(kioskPage, 'kiosk basket')));

    // Card only: no cash button here.
    expect(await kioskPage.getByTestId('self-pay-cash').count()).toBe(0);
    await kiosk.payByCard();
    await kiosk.chooseReceipt('digital');
    await kioskPage.getByTestId('digital-receipt-qr').waitFor();
    await kioskPage.screenshot({ path: join(ARTIFACTS, 'self-thanks.png') });
    a11y.push(...(await seriousA11y(kioskPage, 'thank-you with the digital receipt')));
    expect(a11y).toEqual([]);
    await expect.poll(() => attendant.kioskState('1')).toBe('Ledig');
    expect(errors).toEqual([]);

    const db = new Database(join(tmp.dir, 'kassa.db'), { readonly: true });
    const sale = JSON.parse((db.prepare("SELECT body FROM journal WHERE kind = 'sale.completed'").get() as { body: string }).body) as {
      lines: Array<{ name: string; weightGrams: number | null; voided: boolean }>;
      tenders: Array<{ kind: string; card: { maskedPan: string } | null }>;
    };
    expect(sale.lines.filter((l) => !l.voided).map((l) => l.name)).toEqual(expect.arrayContaining([DEMO_ITEMS.milk.name, 'Bananer', DEMO_ITEMS.snus.name]));
    expect(sale.lines.find((l) => l.name === 'Bananer')?.weightGrams).toBe(1234);
    expect(sale.tenders.map((t) => t.kind)).toEqual(['card']);
    const approvals = (db.prepare("SELECT body FROM journal WHERE kind = 'approval'").all() as Array<{ body: string }>).map((r) => JSON.parse(r.body));
    expect(approvals).toEqual([expect.objectContaining({ action: 'ageCheck', approvedBy: '7' })]);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind IN ('help.called', 'help.cleared')").get()).toEqual({ n: 4 }); // the help button, then the unknown item
    expect(db.prepare("SELECT count(*) AS n FROM print_job WHERE kind = 'receipt'").get()).toEqual({ n: 0 }); // digital: no paper
    db.close();
  });

  it('the attendant takes an item off the second kiosk’s basket; the customer there cannot', async () => {
    const api = await ApiClient.connect(second.port, second.token);
    await api.send({ cmd: 'scan', code: MILK });
    await api.send({ cmd: 'scan', code: DEMO_ITEMS.dishSoap.codes[0]! });
    const refused = await api.send({ cmd: 'voidLine', lineId: 'L1' });
    expect(api.snapshot?.checkout?.lines.map((l) => l.name), JSON.stringify(api.messages.filter((m) => m.type === 'error'))).toEqual([DEMO_ITEMS.milk.name, DEMO_ITEMS.dishSoap.name]);
    expect(refused).toMatchObject({ type: 'error', code: 'APPROVAL_REQUIRED' });
    const attendant = new AttendantPage(attendantPage);
    await expect.poll(() => attendant.kiosk('K2').getByTestId('kiosk-line').count()).toBe(2);
    await attendant.kiosk('K2').getByTestId('att-void').first().click();
    await until('line voided', () => api.snapshot?.checkout?.lines[0]?.voided === true);
    await expect.poll(async () => norm(await attendant.kiosk('K2').getByTestId('kiosk-total').textContent())).toBe(norm(new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' }).format(DEMO_ITEMS.dishSoap.price / 100)));
    await attendantPage.screenshot({ path: join(ARTIFACTS, 'attendant-two-kiosks.png') });
    api.close();
  });

  it('the second kiosk, left alone with its unpaid basket, asks "are you still there?", then starts over', async () => {
    // The customer scans one more item (the basket from before may have been left long enough to go):
    // the idle clock starts here, whatever the previous test took.
    const api = await ApiClient.connect(second.port, second.token);
    expect(await api.send({ cmd: 'scan', code: MILK })).toMatchObject({ type: 'ack' });
    api.close();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      await page.goto(`http://127.0.0.1:${second.port}/#token=${second.token}`);
      await page.getByTestId('self-selling').waitFor();
      // The prompt comes 3 s after the last activity (idle-abandon 15 s, warned 12 s before): well within
      // the wait below even on a loaded machine; it stays 12 s.
      await page.getByTestId('self-idle').waitFor({ timeout: 40_000 });
      await page.screenshot({ path: join(ARTIFACTS, 'self-still-there.png') });
      await page.getByTestId('self-here').click();
      await page.getByTestId('self-idle').waitFor({ state: 'detached' });
      // Nobody answers the next prompt: the unpaid basket is abandoned (journalled) and the kiosk starts over.
      await page.getByTestId('self-idle').waitFor({ timeout: 40_000 });
      await page.getByTestId('self-attract').waitFor({ timeout: 20_000 });
    } catch (err) {
      await page.screenshot({ path: join(ARTIFACTS, 'failed-self-idle.png') }).catch(() => undefined);
      process.stderr.write(`--- second kiosk's core log (last lines) ---\n${second.stderr.slice(-60).join('\n')}\n---\n`);
      throw err;
    } finally {
      await page.close();
    }
    const db = new Database(join(tmp.dir, 'kiosk2.db'), { readonly: true });
    // (The basket from before may have gone on its own already: the last one abandoned holds the milk.)
    const abandoned = db.prepare("SELECT body FROM journal WHERE kind = 'sale.abandoned' ORDER BY seq DESC LIMIT 1").get() as { body: string } | undefined;
    expect((JSON.parse(abandoned?.body ?? '{}') as { lines?: Array<{ name: string; voided: boolean }> }).lines?.filter((l) => !l.voided).map((l) => l.name)).toContain(DEMO_ITEMS.milk.name);
    db.close();
  }, 150_000);

  it('the customer cancels a small basket and the kiosk starts over', async () => {
    const kiosk = new KioskPage(kioskPage);
    // The thank-you screen goes by itself after a while (or with its button).
    const done = kioskPage.getByTestId('self-thanks').getByRole('button');
    // (Either may come first: the button is gone when the screen went by itself at that moment.)
    if (await done.count()) await done.click({ timeout: 2_000 }).catch(() => undefined);
    await kioskPage.getByTestId('self-attract').waitFor();
    // This customer reads German.
    await kioskPage.getByRole('button', { name: 'DE', exact: true }).click();
    await kiosk.start();
    // A barcode scanned while the produce search has the focus is the item, not search text.
    await kioskPage.getByTestId('self-produce').click();
    await kioskPage.getByTestId('produce-search').click();
    await kioskPage.keyboard.type('ban', { delay: 80 });
    await kiosk.scan(MILK);
    await kioskPage.getByTestId('produce').waitFor({ state: 'detached' });
    await expect.poll(() => kiosk.basketText()).toContain(norm(DEMO_ITEMS.milk.name));
    await kioskPage.getByTestId('self-cancel').click();
    await kioskPage.getByTestId('self-cancel-yes').click();
    await kioskPage.getByTestId('self-attract').waitFor();
    // The next customer starts in the store's language.
    await expect.poll(() => kioskPage.locator('html').getAttribute('lang')).toBe('sv');
  });

  it('staff open the kiosk\'s staff screens with their PIN (the X report), and go back to the customer screens', async () => {
    // The customer left the kiosk in English; the staff screens are in the store's language.
    await kioskPage.getByRole('button', { name: 'EN', exact: true }).click();
    await kioskPage.getByTestId('self-staff').click();
    await expect.poll(async () => (await kioskPage.getByTestId('staff-check').textContent()) ?? '').toMatch(/Personal: logga in/);
    await expect.poll(() => kioskPage.locator('html').getAttribute('lang')).toBe('sv');
    await kioskPage.getByTestId('staff-check-operator').fill('1'); // a cashier is refused
    await kioskPage.getByTestId('staff-check-pin').fill('1111');
    await kioskPage.keyboard.press('Enter');
    await expect.poll(async () => (await kioskPage.getByTestId('staff-check').textContent()) ?? '').toMatch(/arbetsledare/);
    await kioskPage.getByTestId('staff-check-operator').fill('7');
    await kioskPage.getByTestId('staff-check-pin').fill('7777');
    await kioskPage.keyboard.press('Enter');
    await kioskPage.getByTestId('open-menu').click();
    await kioskPage.getByTestId('x-report').click();
    await kioskPage.getByTestId('report').waitFor();
    expect((await kioskPage.getByTestId('report').textContent()) ?? '').toMatch(/Försäljning/);
    await kioskPage.getByTestId('back-to-self').click();
    await kioskPage.getByTestId('self-attract').waitFor();
    // Back on the customer's screen, in the language the customer chose.
    await expect.poll(() => kioskPage.locator('html').getAttribute('lang')).toBe('en');
    await kioskPage.getByRole('button', { name: 'SV', exact: true }).click();
  });

  it('staff helping mid-basket hand the kiosk back with one tap; the customer\'s basket is as they left it', async () => {
    const kiosk = new KioskPage(kioskPage);
    await kiosk.start();
    await kiosk.scan(MILK);
    await expect.poll(() => kioskPage.getByTestId('line').count()).toBe(1);
    await kioskPage.getByTestId('self-staff').click();
    await kioskPage.getByTestId('staff-check-operator').click();
    await typeAsPerson(kioskPage, '7');
    await kioskPage.getByTestId('staff-check-pin').click();
    await typeAsPerson(kioskPage, '7777');
    await kioskPage.keyboard.press('Enter');
    // The staff screen with the customer's basket: the menu is hidden during a sale, the hand-back is not.
    await kioskPage.getByTestId('scan-input').waitFor();
    expect(await kioskPage.getByTestId('open-menu').count()).toBe(0);
    await expect.poll(async () => (await kioskPage.getByTestId('back-to-self').textContent()) ?? '').toBe('Tillbaka till kunden');
    await kioskPage.screenshot({ path: join(ARTIFACTS, 'kiosk-staff-mid-basket.png') });
    await kioskPage.getByTestId('back-to-self').click();
    await kioskPage.getByTestId('self-selling').waitFor();
    await expect.poll(() => kiosk.basketText()).toContain(norm(DEMO_ITEMS.milk.name));
    // The customer gives up this time: the kiosk is ready for the next one.
    await kioskPage.getByTestId('self-cancel').click();
    await kioskPage.getByTestId('self-cancel-yes').click();
    await kioskPage.getByTestId('self-attract').waitFor();
  });
});
