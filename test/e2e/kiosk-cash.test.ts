/**
 * Cash at a self-checkout, end to end: `npm start`'s path with KASSA_MODE=self and KASSA_SELF_CASH=1
 * (the demo kiosk with its simulated ccTalk cash unit on a PTY pair) and a second kiosk core that
 * takes cash but has no cash device. Chromium taps as a customer does: "Betala kontant", then the
 * simulator takes notes and coins (store IT's simulator actions over the Terminal API, as the cash
 * unit would count them), the big "still to pay" goes down, the change is shown, the receipt. A jam
 * half way: what was counted is paid, the customer is told, staff are called. At the kiosk without
 * a device, nothing is paid until the attendant confirms the cash received in the attendant view.
 * Screenshots at 1080×1920 (kiosk) and 1024×768 (the second kiosk and the attendant view).
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandBody } from '../../protocol/terminal';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { DEMO_DEVICES } from '../../core/devices/config';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { until } from '../helpers/wait';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, ATTENDANT_URL, LANE_URL, launchChromium, printCoreLogOnFailure, seriousA11y, startDemo, type Demo } from './harness';
import { AttendantPage, KioskPage, LanePage, norm, typeAsPerson } from './pages';

const tmp = tempDir('kassa-e2e-cash-');
let demo: Demo;
printCoreLogOnFailure(() => demo);
let second: CoreProcess;
let browser: Browser;
let kiosk: Page;
let attendantPage: Page;
let api: ApiClient;

const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90
const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95
const IT = { operator: '9', pin: '9999' };
const kr = (minor: number) => norm(new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' }).format(minor / 100));

/** Opens a kiosk that takes cash for the day: open the lane, a supervisor signs in, opens the till. */
async function openForTheDay(page: Page): Promise<void> {
  await page.getByTestId('self-closed').waitFor();
  await page.getByTestId('staff-sign-in').click();
  const openLane = page.getByRole('button', { name: /Öppna kassan/ });
  if (await openLane.count()) await openLane.click();
  await new LanePage(page).signIn('7', '7777');
  await page.getByTestId('open-till').click();
  await page.getByTestId('self-attract').waitFor();
}

/** The customer feeds a note or coin into the cash unit (the simulator, through store IT's action); retried until the unit takes it. */
async function feed(minor: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await api.send({ cmd: 'deviceTest', device: 'cash', action: 'insertCash', text: String(minor), approval: IT });
    if (r.type === 'ack' && r.result && 'deviceTest' in r.result && r.result.deviceTest.ok) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`the cash unit never took ${minor}`);
}

const stillToPay = async () => norm(await kiosk.getByTestId('cash-still').textContent());

beforeAll(async () => {
  // A second kiosk that takes cash but has no cash device: an attendant takes the cash there.
  const devices = join(tmp.dir, 'k2-devices.json');
  writeFileSync(devices, DEMO_DEVICES);
  second = await startCoreProcess(join(tmp.dir, 'k2.db'), ['--demo', '--mode', 'self', '--self-cash', '--lane', 'K2', '--zvt', 'simulated', '--attendant', '127.0.0.1:0', '--devices', devices]);
  await until('second kiosk attendant port', () => second.stderr.some((l) => /attendant view: http:\/\/127\.0\.0\.1:\d+/.test(l)));
  const peer = /attendant view: http:\/\/(127\.0\.0\.1:\d+)/.exec(second.stderr.find((l) => /attendant view/.test(l))!)![1]!;
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir, KASSA_MODE: 'self', KASSA_SELF_CASH: '1', KASSA_ATTENDANT_PEERS: peer }, [LANE_URL, ATTENDANT_URL]);
  const m = /127\.0\.0\.1:(\d+)\/#token=([\w-]+)/.exec(demo.url)!;
  api = await ApiClient.connect(Number(m[1]), m[2]!);
  const k2 = await ApiClient.connect(second.port, second.token);
  const opening: CommandBody[] = [...(k2.snapshot?.lane.state === 'closed' ? [{ cmd: 'openLane' } as const] : []), { cmd: 'signIn', operator: '7', pin: '7777' }, { cmd: 'openTill', float: [] }];
  for (const cmd of opening) expect(await k2.send(cmd)).toMatchObject({ type: 'ack' });
  k2.close();
  browser = await launchChromium();
  kiosk = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1080, height: 1920 } })).newPage();
  attendantPage = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } })).newPage();
  await attendantPage.goto(demo.found[1]!);
  await new AttendantPage(attendantPage).signIn('7', '7777');
});

afterAll(async () => {
  api?.close();
  await browser?.close();
  if (second) await stopCoreProcess(second);
  await demo?.stop();
  tmp.cleanup();
});

describe('cash at the kiosk, in Chromium', () => {
  it('pays with notes and coins in the cash unit: still to pay goes down, the change is paid out and shown, then the receipt', async () => {
    const errors: string[] = [];
    kiosk.on('pageerror', (e) => errors.push(e.message));
    const k = new KioskPage(kiosk);
    await kiosk.goto(demo.url);
    await openForTheDay(kiosk);
    await k.start();
    await k.scan(SOAP);
    await k.scan(MILK);
    await expect.poll(() => kiosk.getByTestId('line').count()).toBe(2);
    await kiosk.getByTestId('self-pay-cash').click();
    await kiosk.getByTestId('cash-step').waitFor();
    expect(await kiosk.getByTestId('cash-step').getAttribute('data-phase')).toBe('accepting');
    expect(await stillToPay()).toBe(kr(4700)); // 46,85 rounded to whole kronor
    await kiosk.screenshot({ path: join(ARTIFACTS, 'kiosk-cash-insert.png') });
    const a11y = await seriousA11y(kiosk, 'kiosk cash step');
    await feed(2000);
    await expect.poll(stillToPay).toBe(kr(2700));
    await feed(1000);
    await expect.poll(stillToPay).toBe(kr(1700));
    expect(norm(await kiosk.getByTestId('cash-inserted').textContent())).toBe(kr(3000));
    await kiosk.screenshot({ path: join(ARTIFACTS, 'kiosk-cash-still-to-pay.png') });
    await feed(5000); // 80 kr in for 47 kr: 33 kr change
    await kiosk.getByTestId('self-receipt').waitFor();
    await expect.poll(async () => norm(await kiosk.getByTestId('cash-change-amount').textContent())).toBe(kr(3300));
    expect(norm(await kiosk.getByTestId('cash-change').textContent())).toContain(norm(`Inbetalt ${kr(8000)} · Att betala ${kr(4700)}`));
    await expect.poll(() => kiosk.getByTestId('cash-change').getAttribute('data-phase')).toBe('done');
    await kiosk.screenshot({ path: join(ARTIFACTS, 'kiosk-cash-change.png') });
    a11y.push(...(await seriousA11y(kiosk, 'kiosk change')));
    await k.chooseReceipt('print');
    expect(a11y).toEqual([]);
    expect(errors).toEqual([]);
    const db = new Database(join(tmp.dir, 'kassa.db'), { readonly: true });
    const sale = JSON.parse((db.prepare("SELECT body FROM journal WHERE kind = 'sale.completed' ORDER BY seq DESC LIMIT 1").get() as { body: string }).body) as { tenders: Array<{ kind: string; amount: number }> };
    expect(sale.tenders).toMatchObject([{ kind: 'cash', amount: 8000 }]);
    const inserted = (db.prepare("SELECT body FROM journal WHERE kind = 'cash.inserted' ORDER BY seq").all() as Array<{ body: string }>).map((r) => (JSON.parse(r.body) as { value: number; source: string }));
    expect(inserted.map((b) => [b.source, b.value])).toEqual([
      ['note', 2000],
      ['coin', 1000],
      ['note', 5000],
    ]);
    const payout = JSON.parse((db.prepare("SELECT body FROM journal WHERE kind = 'cash.payout'").get() as { body: string }).body) as { paid: number; owed: number };
    expect(payout).toMatchObject({ paid: 3300, owed: 0 });
    db.close();
  });

  it('a jam half way: the unit stops, what it counted is paid, the customer is told and the attendant called', async () => {
    const k = new KioskPage(kiosk);
    const done = kiosk.getByTestId('self-thanks').getByRole('button');
    if (await done.count()) await done.click({ timeout: 2_000 }).catch(() => undefined);
    await kiosk.getByTestId('self-attract').waitFor();
    await k.start();
    await k.scan(SOAP);
    await kiosk.getByTestId('self-pay-cash').click();
    await kiosk.getByTestId('cash-step').waitFor();
    await feed(1000);
    await expect.poll(stillToPay).toBe(kr(2000));
    expect(await api.send({ cmd: 'deviceTest', device: 'cash', action: 'cashJam', approval: IT })).toMatchObject({ type: 'ack' });
    await kiosk.getByTestId('cash-stopped').waitFor();
    expect(norm(await kiosk.getByTestId('cash-stopped').textContent())).toContain(norm('Kontantautomaten har fastnat.'));
    expect(norm(await kiosk.getByTestId('cash-counted').textContent())).toBe(norm(`${kr(1000)} har räknats och är betalt.`));
    await kiosk.screenshot({ path: join(ARTIFACTS, 'kiosk-cash-jam.png') });
    expect(await seriousA11y(kiosk, 'kiosk cash jam')).toEqual([]);
    // The attendant view says why the kiosk needs someone.
    const att = new AttendantPage(attendantPage);
    await att.kiosk('1').getByTestId('kiosk-help').waitFor();
    await attendantPage.screenshot({ path: join(ARTIFACTS, 'attendant-cash-jam.png') });
    await kiosk.getByTestId('cash-continue').click();
    await kiosk.getByTestId('cash-stopped').waitFor({ state: 'detached' });
    // Back at the pay screen: the big number is what remains, the 10 kr listed as paid.
    await expect.poll(async () => norm(await kiosk.getByTestId('total').textContent())).toBe(kr(1990));
    expect(norm(await kiosk.getByTestId('paid-list').textContent())).toContain(kr(1000));
    // The attendant clears the jam and the call; the customer pays the rest by card.
    expect(await api.send({ cmd: 'deviceTest', device: 'cash', action: 'cashClear', approval: IT })).toMatchObject({ type: 'ack' });
    await att.clearHelp('1');
    await k.payByCard();
    await k.chooseReceipt('none');
  });

  it('a kiosk without a cash device: the attendant takes the cash and confirms it; nothing is paid before', async () => {
    const page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1024, height: 768 } })).newPage();
    await page.goto(`http://127.0.0.1:${second.port}/#token=${second.token}`);
    const k2 = new KioskPage(page);
    await k2.start();
    await k2.scan(SOAP);
    await page.getByTestId('self-pay-cash').click();
    await page.getByTestId('cash-step').waitFor();
    expect(await page.getByTestId('cash-step').getAttribute('data-phase')).toBe('waitingAttendant');
    expect(norm(await page.getByTestId('cash-step').textContent())).toContain(norm('En medarbetare kommer och tar emot dina kontanter'));
    expect(norm(await page.getByTestId('cash-still').textContent())).toBe(kr(3000));
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-cash-attendant-waiting.png') });
    // The attendant types what the customer handed over and confirms it.
    const card = new AttendantPage(attendantPage).kiosk('K2');
    await card.getByTestId('kiosk-cash').waitFor();
    expect(norm(await card.getByTestId('kiosk-cash').textContent())).toContain(norm(`Kunden vill betala ${kr(3000)} kontant`));
    await card.getByTestId('att-cash-amount').click();
    await typeAsPerson(attendantPage, '50');
    await attendantPage.screenshot({ path: join(ARTIFACTS, 'attendant-cash-confirm.png') });
    expect(await seriousA11y(attendantPage, 'attendant cash confirmation')).toEqual([]);
    // Until it is confirmed, the kiosk's sale is not paid.
    expect(await page.getByTestId('self-receipt').count()).toBe(0);
    await card.getByTestId('att-cash-confirm').click();
    await page.getByTestId('self-receipt').waitFor();
    await expect.poll(async () => norm(await card.getByTestId('kiosk-cash-state').textContent())).toContain(norm(`Ge tillbaka ${kr(2000)}`));
    await attendantPage.screenshot({ path: join(ARTIFACTS, 'attendant-cash-confirmed.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'kiosk-cash-attendant-paid.png') });
    await page.getByTestId('receipt-none').click();
    await page.getByTestId('self-thanks').waitFor();
    await page.close();
  });
});
