/**
 * A kiosk's card payment the terminal could not confirm, settled from the attendant view (issue
 * 18.9): a self-checkout core pays by card over ZVT (the simulator on a real TCP port), and the
 * terminal loses power before it takes the command. After some 15 s of questions the kiosk puts
 * the decision before a supervisor; the attendant (Sara) sees it on the kiosk's card in Chromium —
 * not reachable since when, and that "not charged" takes a second supervisor — taps "not
 * charged", and a second supervisor types their number and PIN into the card. Sara herself and a
 * cashier are refused, with words that say so; Per counts, and the kiosk's basket is open again.
 * Screenshots at 1280×800 and 1080×1920.
 */
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { openDatabase } from '../../core/db';
import { Operators, seedDemoOperators } from '../../core/operators';
import { ZvtSimulator } from '../../drivers/zvt/simulator';
import type { CommandBody } from '../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';
import { ARTIFACTS, launchChromium, seriousA11y } from './harness';
import { AttendantPage, kr, norm, typeAsPerson } from './pages';

const tmp = tempDir('kassa-e2e-att-card-');
const dbPath = join(tmp.dir, 'kiosk.db');
const sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300, language: 'sv' });
let kiosk: CoreProcess;
let api: ApiClient;
let browser: Browser;
let page: Page;
let attendantUrl: string;

beforeAll(async () => {
  const port = await sim.listen(0);
  const devices = join(tmp.dir, 'devices.json');
  writeFileSync(devices, JSON.stringify({ devices: [{ kind: 'zvtTerminal', id: 'payment-terminal', transport: { type: 'tcp', host: '127.0.0.1', port } }] }));
  // The demo staff and a second supervisor, Per.
  const db = openDatabase(dbPath);
  const ops = new Operators(db);
  seedDemoOperators(ops);
  ops.add('8', 'Per (supervisor)', 'supervisor', '8888');
  db.close();
  kiosk = await startCoreProcess(dbPath, ['--demo', '--mode', 'self', '--lane', 'K1', '--devices', devices, '--attendant', '127.0.0.1:0']);
  await until('the attendant listener', () => kiosk.stderr.some((l) => /attendant view: http:\/\/127\.0\.0\.1:\d+/.test(l)));
  attendantUrl = /attendant view: (http:\/\/127\.0\.0\.1:\d+\S*)/.exec(kiosk.stderr.find((l) => /attendant view/.test(l))!)![1]!;
  api = await ApiClient.connect(kiosk.port, kiosk.token);
  const opening: CommandBody[] = [...(api.snapshot?.lane.state === 'closed' ? [{ cmd: 'openLane' } as const] : []), { cmd: 'signIn', operator: '7', pin: '7777' }, { cmd: 'openTill', float: [] }];
  for (const cmd of opening) expect(await api.send(cmd)).toMatchObject({ type: 'ack' });
  await until('the terminal registered', () => sim.commands.includes('0600'), 10_000);
  browser = await launchChromium();
  page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } })).newPage();
});

afterAll(async () => {
  api?.close();
  await browser?.close();
  if (kiosk) await stopCoreProcess(kiosk);
  await sim.close();
  tmp.cleanup();
});

/** The second supervisor taps the number field, types, taps the PIN field, types, and taps Confirm. */
async function secondSupervisor(operator: string, pin: string) {
  const card = page.getByTestId('kiosk-decision');
  await card.getByTestId('att-confirm-operator').click();
  await page.keyboard.press('Control+A');
  await typeAsPerson(page, operator);
  await card.getByTestId('att-confirm-pin').click();
  await typeAsPerson(page, pin);
  await card.getByTestId('att-confirm-submit').click();
}

/** The attendant view with the kiosk's decision in sight, at 1280×800 and as a portrait 1080×1920, each saved for a person to look at. */
async function shots(suffix: string) {
  for (const [width, height] of [
    [1280, 800],
    [1080, 1920],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.getByTestId('kiosk-decision').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `attendant-card-decision${suffix}-${width}x${height}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

describe('the attendant settles a kiosk’s card decision', () => {
  it('"not charged" before the terminal answered: a second supervisor confirms it in the kiosk’s card', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // A customer at the kiosk scans milk and pays by card; the terminal loses power before it takes the command.
    expect(await api.send({ cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]!, source: 'scanner' })).toMatchObject({ type: 'ack' });
    sim.failAt = { step: 'ack', mode: 'off' };
    expect(await api.send({ cmd: 'tenderCard' })).toMatchObject({ type: 'ack' });

    await page.goto(attendantUrl);
    const attendant = new AttendantPage(page);
    await attendant.signIn('7', '7777');
    const card = attendant.kiosk('K1');
    // The kiosk asks the terminal some 15 s before a supervisor is asked.
    const decision = card.getByTestId('kiosk-decision');
    await decision.waitFor({ timeout: 40_000 });
    expect(norm(await decision.getByTestId('att-decision-amount').textContent())).toBe(norm(`Belopp: ${kr(DEMO_ITEMS.milk.price)}`));
    expect(await decision.getByTestId('att-terminal-unreachable').textContent()).toMatch(/^Terminalen har inte gått att nå sedan \d\d:\d\d:\d\d; kassan frågar den igen och avslutar detta själv när den svarar\.$/);
    expect(await decision.getByTestId('att-second-supervisor').textContent()).toBe('”Inte debiterat” kräver en andra arbetsledare tills terminalen har svarat.');
    const a11y = await seriousA11y(page, 'attendant view with a card decision');
    await shots('');

    // "Not charged": the second supervisor's number and PIN, in the kiosk's card.
    await decision.getByRole('button', { name: 'Terminalen säger: inte debiterat' }).click();
    await decision.getByTestId('att-confirm-not-charged').waitFor();
    expect(await decision.getByTestId('att-confirm-not-charged').textContent()).toContain('en andra arbetsledare bekräftar att kortet inte debiterades');
    // Sara, the attendant, cannot be her own second supervisor.
    await secondSupervisor('7', '7777');
    await expect.poll(() => decision.getByTestId('att-decision-error').textContent()).toBe('⚠ Bekräftelsen gäller inte: den ska komma från en annan arbetsledare än du.');
    await shots('-confirm');
    a11y.push(...(await seriousA11y(page, 'attendant view, second supervisor refused')));
    expect(api.snapshot!.checkout!.state).toBe('cardPending');
    // Björn is a cashier, not a supervisor.
    await secondSupervisor('2', '2222');
    // (A new answer replaces the last one's words: the box goes with the tap and comes back with the refusal.)
    await decision.getByTestId('att-decision-error').waitFor();
    expect(api.snapshot!.checkout!.state).toBe('cardPending');
    // Per, a second supervisor: the decision is settled, the kiosk's basket is open to pay again.
    await secondSupervisor('8', '8888');
    await decision.waitFor({ state: 'detached' });
    await expect.poll(() => attendant.kioskState('K1')).toBe('Betalar');
    expect(api.snapshot!.checkout!.state).toBe('subtotal');
    expect(api.snapshot!.payment.decision).toBeNull();
    expect(sim.transactions.filter((t) => t.kind === 'authorization' && t.result === 0)).toHaveLength(0);
    const db = new Database(dbPath, { readonly: true });
    const resolved = db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'payment.resolved'").all().map((r) => JSON.parse(r.body) as Record<string, unknown>);
    db.close();
    expect(resolved).toMatchObject([{ outcome: 'notCharged', approvedBy: '7', confirmedBy: '8' }]);
    expect(a11y).toEqual([]);
    expect(errors).toEqual([]);
  }, 120_000);
});
