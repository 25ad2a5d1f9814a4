/**
 * The service screen opened again and again on a cashier's lane, in Debian's Chromium: a
 * supervisor's number and PIN (the demo's Sara, 7) open the devices but never store IT's parts —
 * not even for the moment before the core has answered — and the lane says the number is not IT's,
 * not that "another supervisor must approve"; IT's own (9) open every part, each time, in every language.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';
import { launchChromium, printCoreLogOnFailure, startDemo, type Demo } from './harness';
import { LanePage, openServiceScreen } from './pages';

const tmp = tempDir('kassa-e2e-service-reopen-');
let demo: Demo;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir });
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
});
afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});
printCoreLogOnFailure(() => demo, () => page);

/** The lane's generic refusal of an approval, in its three languages. */
const SUPERVISOR_WORDS = /godkännandet gäller inte|Diese Freigabe gilt nicht|That approval does not count/;
const LANGS = ['DE', 'EN', 'SV'] as const;

/** Run in the page: from now on, was the log tab ever shown open (no lock), and every text of the lane's message line. */
const WATCH = `(() => {
  const seen = (window.seen = { unlocked: false, messages: [] });
  const look = () => {
    const tab = document.querySelector('[data-testid="service-tab-log"]');
    if (tab && !tab.textContent.includes('🔒')) seen.unlocked = true;
    const msg = document.querySelector('[data-testid="message"]')?.textContent ?? '';
    if (seen.messages.at(-1) !== msg) seen.messages.push(msg);
  };
  new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
})()`;
const watch = () => page.evaluate(WATCH);
const seen = () => page.evaluate('window.seen') as Promise<{ unlocked: boolean; messages: string[] }>;
const locked = async () => ((await page.getByTestId('service-tab-log').textContent()) ?? '').includes('🔒');

describe('the service screen opened again on a cashier’s lane', () => {
  it('a supervisor’s number never opens IT’s parts, nor reads as a supervisor refused; IT’s opens them each time', async () => {
    await page.goto(demo.url);
    const lane = new LanePage(page);
    await lane.signIn('1', '1111');
    await lane.openTill();
    await watch();

    for (const lang of LANGS) {
      await openServiceScreen(page, { operator: '7', pin: '7777' });
      await page.getByTestId('devices').waitFor();
      // The core refuses IT's parts to Sara: they stay locked, and the Log tab asks for IT's number.
      await expect.poll(locked).toBe(true);
      await page.getByTestId('service-tab-log').click();
      await expect.poll(async () => (await page.getByTestId('it-signin').textContent()) ?? '').toMatch(/IT/);
      await page.waitForTimeout(2_500); // a devices refresh or two
      await page.getByTestId('devices-close').click();
      await page.getByRole('button', { name: lang, exact: true }).click();
    }
    const sara = await seen();
    expect(sara.unlocked, 'IT’s parts shown open to a supervisor').toBe(false);
    expect(sara.messages.filter((m) => SUPERVISOR_WORDS.test(m))).toEqual([]);

    for (const lang of LANGS) {
      await openServiceScreen(page); // the demo's IT
      await page.getByTestId('devices').waitFor();
      await expect.poll(async () => (await page.getByTestId('service-store').textContent()) ?? '', { timeout: 10_000 }).toMatch(/demo-001/);
      expect(await locked()).toBe(false);
      await page.getByTestId('service-tab-log').click();
      await page.getByTestId('service-log').waitFor();
      await page.getByTestId('devices-close').click();
      await page.getByRole('button', { name: lang, exact: true }).click();
    }
    expect((await seen()).messages.filter((m) => SUPERVISOR_WORDS.test(m))).toEqual([]);
  }, 120_000);
});
