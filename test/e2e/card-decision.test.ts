/**
 * A card payment the terminal could not confirm, in the lane (issue 18.9): the ZVT terminal (the
 * simulator on a real TCP port) loses power right after sending its status. The core asks it about
 * 15 s (real time: the core process runs on its own clock), then the lane puts the decision before a
 * supervisor: what the terminal last said, since when it is not reachable, and that "not charged"
 * takes a second supervisor. When the terminal is back, the lane asks it and its answer closes the
 * decision by itself; when it never comes back, two different supervisors settle "not charged".
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { openDatabase } from '../../core/db';
import { Operators, seedDemoOperators } from '../../core/operators';
import { ZvtSimulator } from '../../drivers/zvt/simulator';
import { startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';
import { ARTIFACTS, launchChromium } from './harness';
import { kr, LanePage, norm, typeAsPerson } from './pages';

const tmp = tempDir('kassa-e2e-card-');
const sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300, language: 'sv' });
let port: number;
let core: CoreProcess;
let browser: Browser;
let page: Page;
let lane: LanePage;

const charged = () => sim.transactions.filter((t) => t.kind === 'authorization' && t.result === 0 && !t.reversed);

beforeAll(async () => {
  port = await sim.listen(0);
  const devices = join(tmp.dir, 'devices.json');
  writeFileSync(devices, JSON.stringify({ devices: [{ kind: 'zvtTerminal', id: 'payment-terminal', transport: { type: 'tcp', host: '127.0.0.1', port } }] }));
  // The demo staff and a second supervisor, Per: "not charged" on an unanswered terminal takes two.
  const dbPath = join(tmp.dir, 'kassa.db');
  const db = openDatabase(dbPath);
  const ops = new Operators(db);
  seedDemoOperators(ops);
  ops.add('8', 'Per (supervisor)', 'supervisor', '8888');
  db.close();
  core = await startCoreProcess(dbPath, ['--demo', '--devices', devices]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  lane = new LanePage(page);
  await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
  await lane.signIn('1', '1111');
  await lane.openTill();
  // The terminal has taken the till's registration before the first card payment.
  await until('the terminal registered', () => sim.commands.includes('0600'), 10_000);
});

afterAll(async () => {
  await browser?.close();
  if (core) await stopCoreProcess(core);
  await sim.close();
  tmp.cleanup();
});

/** A supervisor types their number and PIN into the window `testid`, like a person. */
async function pin(testid: string, operator: string, code: string) {
  await page.getByTestId(`${testid}-operator`).click();
  await typeAsPerson(page, operator);
  await page.getByTestId(`${testid}-pin`).click();
  await typeAsPerson(page, code);
  await page.keyboard.press('Enter');
}

/** Buttons whole on screen: not cut off by a scrolling parent, nor outside the window. */
async function wholeOnScreen(name: RegExp): Promise<boolean> {
  const button = page.getByTestId('card-pending').getByRole('button', { name });
  await button.scrollIntoViewIfNeeded();
  return button.evaluate((b) => {
    // In the page (the node tsconfig has no DOM library).
    const window = globalThis as unknown as { innerWidth: number; innerHeight: number; getComputedStyle(e: unknown): { overflow: string } };
    const r = b.getBoundingClientRect();
    for (let clip = b.parentElement; clip; clip = clip.parentElement) {
      const c = clip.getBoundingClientRect();
      if (window.getComputedStyle(clip).overflow !== 'visible' && (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5)) return false;
    }
    return r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && r.bottom <= window.innerHeight && b.scrollWidth <= b.clientWidth;
  });
}

/** The decision panel at every size the lane runs at, each saved for a person to look at. */
async function shots(suffix: string, sizes: ReadonlyArray<readonly [number, number]>) {
  for (const [width, height] of sizes) {
    await page.setViewportSize({ width, height });
    await page.getByTestId('card-pending').getByRole('button').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, `card-decision${suffix}-${width}x${height}.png`) });
    for (const name of [/inte debiterat|nicht belastet/, /: debiterat|: belastet/]) expect(await wholeOnScreen(name), `${width}×${height}: ${name} whole on screen`).toBe(true);
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** A sale of one milk, paid by card (F9) while the terminal loses power at `step`; waits for the decision. */
async function payByCardUntilDecision(step: 'print' | 'ack') {
  await lane.scan(DEMO_ITEMS.milk.codes[0]!);
  await expect.poll(() => lane.lines()).toBe(1);
  sim.failAt = { step, mode: 'off' };
  await page.keyboard.press('F9');
  await page.getByTestId('card-pending').waitFor();
  // The core asks the terminal for some 15 s before a supervisor is asked.
  await page.getByTestId('reconcile').waitFor({ timeout: 30_000 });
}

describe('a card payment the terminal could not confirm', () => {
  it('is put before a supervisor, refuses a cashier as the second one, and closes by itself when the terminal is back', async () => {
    await payByCardUntilDecision('print');
    expect(charged()).toHaveLength(1); // the terminal had charged the card before it lost power
    const panel = page.getByTestId('card-pending');
    // What the supervisor reads is in the store's language (the core's English reason is not shown), and the terminal is not said to be guiding the customer.
    expect(norm(await panel.getByTestId('card-amount').textContent())).toBe(norm(`Belopp: ${kr(DEMO_ITEMS.milk.price)}`));
    expect(await panel.getByTestId('reconcile').locator('p').first().textContent()).toBe('Terminalen kan inte bekräfta betalningen — arbetsledaren jämför med terminalens kvitto och väljer: ');
    expect(await panel.getByTestId('terminal-unreachable').textContent()).toMatch(/^Terminalen har inte gått att nå sedan \d\d:\d\d:\d\d; kassan frågar den igen och avslutar detta själv när den svarar\.$/);
    expect(await panel.getByTestId('second-supervisor').textContent()).toBe('”Inte debiterat” kräver en andra arbetsledare tills terminalen har svarat.');
    await shots('', [
      [1024, 768],
      [1280, 800],
      [1920, 1080],
      [1080, 1920],
    ]);

    // "Not charged": the second supervisor's window; a cashier is not one.
    await panel.getByRole('button', { name: 'Terminalen säger: inte debiterat' }).click();
    await page.getByTestId('confirm-not-charged').waitFor();
    expect(await page.getByTestId('confirm-not-charged').textContent()).toContain('en andra arbetsledare bekräftar att kortet inte debiterades');
    await pin('confirm-not-charged', '2', '2222'); // Björn, a cashier
    // The first supervisor, Sara, approves; the cashier's confirmation is refused, and the window says
    // it is the second supervisor's confirmation (not Sara's approval) and how to go on.
    const approval = page.getByTestId('approval');
    await approval.waitFor();
    await pin('approval', '7', '7777');
    await approval.getByRole('alert').waitFor();
    expect(await approval.getByRole('alert').textContent()).toBe('⚠ Den andra arbetsledarens bekräftelse gäller inte: den ska komma från en annan arbetsledare än den som godkänner. Gå tillbaka och välj ”Inte debiterat” igen.');
    await page.screenshot({ path: join(ARTIFACTS, 'card-decision-refused.png') });
    await approval.getByRole('button', { name: 'Tillbaka (Esc)' }).click();
    await page.getByTestId('reconcile').waitFor();
    expect(charged()).toHaveLength(1);

    // The terminal is back on the network: the lane asks it, and its answer closes the decision.
    await sim.listen(port);
    await page.getByTestId('change-due').waitFor({ timeout: 40_000 });
    expect(await page.getByTestId('card-pending').count()).toBe(0);
    await page.getByTestId('complete-button').click();
    await page.getByTestId('receipt').waitFor();
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toMatch(/Kort/);
    expect(receipt).toContain('Godkänt'); // the terminal's own receipt text
    expect(charged()).toHaveLength(1); // charged once
    expect(sim.commands.filter((c) => c === '0601')).toHaveLength(1); // never authorised twice
  });

  it('when the terminal never comes back, "not charged" takes a second, different supervisor and the basket opens again', async () => {
    // In German this time (the cashier switches the lane for the customer).
    await page.getByRole('button', { name: 'DE', exact: true }).click();
    await payByCardUntilDecision('ack'); // the terminal never took the payment
    expect(charged()).toHaveLength(1); // only the first sale's
    const panel = page.getByTestId('card-pending');
    expect(norm(await panel.getByTestId('terminal-unreachable').textContent())).toMatch(/^DasTerminalistseit\d\d:\d\d:\d\dnichterreichbar/);
    await shots('-de', [[1024, 768]]);
    await panel.getByRole('button', { name: 'Terminal meldet: nicht belastet' }).click();
    await pin('confirm-not-charged', '7', '7777'); // Sara as the second
    await page.getByTestId('approval').waitFor();
    await pin('approval', '8', '8888'); // Per approves
    await page.getByTestId('approval').waitFor({ state: 'detached' });
    await page.getByTestId('scan-input').waitFor();
    expect(await page.getByTestId('card-pending').count()).toBe(0);
    // The basket is open again for another tender: cash, exactly what is owed.
    await page.keyboard.press('F10');
    await lane.finish('none');
    expect(charged()).toHaveLength(1);
  });
});
