/**
 * Page objects for the browser tests: what a cashier, a self-checkout customer, an attendant and
 * store IT do on screen, in their words, over Playwright locators (test ids, never CSS).
 */
import type { CDPSession, Page } from 'playwright-core';
import { expect } from 'vitest';

export const norm = (s: string | null) => (s ?? '').replace(/\s/g, '');
export const kr = (minor: number) => new Intl.NumberFormat('sv-SE', { style: 'currency', currency: 'SEK' }).format(minor / 100);

const sessions = new WeakMap<Page, Promise<CDPSession>>();

/**
 * A keyboard-wedge scanner: characters 4 ms apart, then Enter. Like a real scanner's USB reports,
 * each key carries the time it was "typed" (the OS stamps input on arrival; the lane reads
 * `event.timeStamp`), so a busy test machine that delivers the keys late still shows a scanner's
 * rhythm — and a person's typing, sent with `page.keyboard.type`, still shows a person's.
 */
export async function wedgeScan(page: Page, code: string): Promise<void> {
  let session = sessions.get(page);
  if (!session) sessions.set(page, (session = page.context().newCDPSession(page)));
  const cdp = await session;
  const t0 = Date.now() / 1000;
  const key = async (i: number, key: string, text: string, code: string, vk: number) => {
    const timestamp = t0 + i * 0.004;
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key, code, text, unmodifiedText: text, windowsVirtualKeyCode: vk, timestamp });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key, code, windowsVirtualKeyCode: vk, timestamp: timestamp + 0.001 });
  };
  for (let i = 0; i < code.length; i++) {
    const c = code[i]!;
    const digit = /[0-9]/.test(c);
    await key(i, c, c, digit ? `Digit${c}` : /[a-z]/i.test(c) ? `Key${c.toUpperCase()}` : '', digit || /[A-Z]/.test(c) ? c.charCodeAt(0) : c.toUpperCase().charCodeAt(0));
  }
  await key(code.length, 'Enter', '\r', 'Enter', 13);
}

/**
 * A person typing: keys 70 ms apart. (Playwright's own `type` sends them a millisecond apart,
 * which the lane rightly takes for a scanner — a PIN typed that fast is a scanned code.)
 */
export function typeAsPerson(page: Page, text: string): Promise<void> {
  return page.keyboard.type(text, { delay: 70 });
}

/** The staffed lane. */
/** Store IT opens the service screen from the lane's menu and signs in by tapping the fields and typing (the demo's IT number and PIN: 9; 7 is Sara, a supervisor). */
export async function openServiceScreen(page: Page, it: { operator: string; pin: string } = { operator: '9', pin: '9999' }): Promise<void> {
  await page.getByTestId('open-menu').click();
  await page.getByTestId('open-devices').click();
  await page.getByTestId('devices-operator').click();
  await typeAsPerson(page, it.operator);
  await page.getByTestId('devices-pin').click();
  await typeAsPerson(page, it.pin);
  await page.getByTestId('devices-signin-ok').click();
}

export class LanePage {
  constructor(readonly page: Page) {}

  async signIn(operator: string, pin: string): Promise<void> {
    await this.page.getByTestId('signin-input').waitFor();
    await this.page.getByTestId('signin-input').click();
    await typeAsPerson(this.page, operator);
    await this.page.getByTestId('pin-input').click();
    await typeAsPerson(this.page, pin);
    await this.page.keyboard.press('Enter');
  }

  async openTill(counts: Record<number, number> = {}): Promise<void> {
    for (const [d, n] of Object.entries(counts)) {
      await this.page.getByTestId(`float-${d}`).click();
      await typeAsPerson(this.page, String(n));
    }
    await this.page.getByTestId('open-till').click();
    await this.page.getByTestId('scan-input').waitFor();
  }

  scan(code: string): Promise<void> {
    return wedgeScan(this.page, code);
  }

  lines() {
    return this.page.getByTestId('line').count();
  }

  async total(): Promise<string> {
    return norm(await this.page.getByTestId('total').textContent());
  }

  async message(): Promise<string> {
    return (await this.page.getByTestId('message').first().textContent()) ?? '';
  }

  async menu(item: string): Promise<void> {
    await this.page.getByTestId('open-menu').click();
    await this.page.getByTestId(item).click();
  }

  /** Approves what the lane asks a supervisor for, in the PIN modal. */
  async approve(operator: string, pin: string): Promise<void> {
    await this.page.getByTestId('approval').waitFor();
    await this.page.getByTestId('approval-operator').click();
    await typeAsPerson(this.page, operator);
    await this.page.getByTestId('approval-pin').click();
    await typeAsPerson(this.page, pin);
    await this.page.keyboard.press('Enter');
    await this.page.getByTestId('approval').waitFor({ state: 'detached' });
  }

  async key(k: string, typed = ''): Promise<void> {
    if (typed) await typeAsPerson(this.page, typed);
    await this.page.keyboard.press(k);
  }

  /** Pays what is left with exact cash and completes with the chosen receipt. */
  async finish(receipt: 'print' | 'digital' | 'none' = 'print'): Promise<void> {
    await this.page.getByTestId('change-due').waitFor();
    await this.page.getByTestId(receipt === 'print' ? 'complete-button' : `receipt-${receipt}`).click();
    await this.page.getByTestId('change-due').waitFor({ state: 'detached' });
  }
}

/** The lane of a running core in `page`, signed in as Anna (cashier) with the till opened. */
export async function openLaneAt(page: Page, core: { port: number; token: string }): Promise<LanePage> {
  const lane = new LanePage(page);
  await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
  await lane.signIn('1', '1111');
  await lane.openTill();
  return lane;
}

/** A self-checkout kiosk, as its customer uses it. */
export class KioskPage {
  constructor(readonly page: Page) {}

  /** Staff open the kiosk in the morning: open the lane, sign in, open the till (no float). */
  async openForTheDay(operator: string, pin: string): Promise<void> {
    await this.page.getByTestId('self-closed').waitFor();
    await this.page.getByTestId('staff-sign-in').click();
    const openLane = this.page.getByRole('button', { name: /Öppna kassan/ });
    if (await openLane.count()) await openLane.click();
    await new LanePage(this.page).signIn(operator, pin);
    await this.page.getByTestId('open-till').waitFor();
    // The demo kiosks take cards only: there is no float to count.
    expect(await this.page.getByTestId('float-10000').count()).toBe(0);
    await this.page.getByTestId('open-till').click();
    await this.page.getByTestId('self-attract').waitFor();
  }

  async start(): Promise<void> {
    await this.page.getByTestId('self-start').click();
    await this.page.getByTestId('self-selling').waitFor();
  }

  scan(code: string): Promise<void> {
    return wedgeScan(this.page, code);
  }

  /** Opens the picture grid (optionally saving a screenshot of it), searches, and taps the item. */
  async pickProduce(search: string, plu: string, screenshot?: string): Promise<void> {
    await this.page.getByTestId('self-produce').click();
    await this.page.getByTestId('produce').waitFor();
    if (screenshot) {
      await this.page.getByTestId(`produce-${plu}`).waitFor();
      await this.page.screenshot({ path: screenshot });
    }
    // The kiosk has no keyboard: the customer taps the letters on the screen.
    for (const ch of search.toUpperCase()) await this.page.getByTestId(`osk-${ch}`).click();
    await this.page.getByTestId(`produce-${plu}`).click();
    await this.page.getByTestId('produce').waitFor({ state: 'detached' });
  }

  /** The weighing step after produce sold by weight was picked: the weight the customer reads, then "Add". */
  async confirmWeight(screenshot?: string): Promise<string> {
    await this.page.getByTestId('weigh').waitFor();
    await expect.poll(async () => (await this.page.getByTestId('weigh-weight').textContent()) ?? '').toMatch(/\d/);
    const read = `${await this.page.getByTestId('weigh-weight').textContent()} ${await this.page.getByTestId('weigh-total').textContent()}`;
    if (screenshot) await this.page.screenshot({ path: screenshot });
    await this.page.getByTestId('weigh-add').click();
    await this.page.getByTestId('weigh').waitFor({ state: 'detached' });
    return read;
  }

  async basketText(): Promise<string> {
    return norm(await this.page.getByTestId('basket').textContent());
  }

  async payByCard(): Promise<void> {
    await this.page.getByTestId('self-pay-card').click();
  }

  async chooseReceipt(kind: 'print' | 'digital' | 'none'): Promise<void> {
    await this.page.getByTestId('self-receipt').waitFor({ timeout: 20_000 });
    await this.page.getByTestId(`receipt-${kind}`).click();
    await this.page.getByTestId('self-thanks').waitFor();
  }
}

/** The attendant view (another browser tab, on the attendant's device). */
export class AttendantPage {
  constructor(readonly page: Page) {}

  async signIn(operator: string, pin: string): Promise<void> {
    await this.page.getByTestId('att-operator').click();
    await typeAsPerson(this.page, operator);
    await this.page.getByTestId('att-pin').click();
    await typeAsPerson(this.page, pin);
    await this.page.getByTestId('att-sign-in').click();
    await this.page.getByTestId('attendant').waitFor();
  }

  kiosk(lane: string) {
    return this.page.locator(`[data-testid="kiosk"][data-lane="${lane}"]`);
  }

  async kioskState(lane: string): Promise<string> {
    return (await this.kiosk(lane).getByTestId('kiosk-state').textContent()) ?? '';
  }

  async approveAge(lane: string): Promise<void> {
    await this.kiosk(lane).getByTestId('att-approve-age').click();
    await this.kiosk(lane).getByTestId('kiosk-age').waitFor({ state: 'detached' });
  }

  async clearHelp(lane: string): Promise<void> {
    await this.kiosk(lane).getByTestId('att-clear-help').click();
    await this.kiosk(lane).getByTestId('kiosk-help').waitFor({ state: 'detached' });
  }
}

export async function poll<T>(f: () => Promise<T>) {
  return expect.poll(f, { timeout: 15_000 });
}
