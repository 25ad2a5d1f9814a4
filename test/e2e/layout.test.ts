/**
 * Every button and field a person may need lies inside the window and is not covered, at every
 * screen size Kassa runs on (800×600, 1024×768, 1280×800, 1920×1080 and the 1080×1920 portrait kiosk), in
 * every language: the lane with a long basket (and with the drawer open after cash), and the
 * kiosk's welcome and selling screens; the lane's header stays one line; a Swedish or German screen
 * shows no word that only the English catalogue has. The screenshots are kept as test artifacts.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../renderer/src/i18n';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, LANGS, launchChromium, SCREEN_SIZES, startDemo, type Demo } from './harness';
import { KioskPage, LanePage, wedgeScan } from './pages';

/** The screen sizes, and the smallest screen Kassa runs on too. */
const SIZES = [[800, 600], ...SCREEN_SIZES] as const;
const CODES = ['7310865000101', '7310865000408', '7310865000309'];

let browser: Browser;
const demos: Demo[] = [];
const tmp = tempDir('kassa-layout-');

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  for (const d of demos) await d.stop();
  tmp.cleanup();
});

/**
 * The buttons and fields on screen that are cut off by the window's edge or covered by something
 * else (hit-tested at their middle and both ends). Runs in the page (a string: this file is type-checked without
 * the DOM library).
 */
const UNREACHABLE = `[...document.querySelectorAll('button, input, select, textarea')]
  .filter((e) => {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden') return false;
    if (r.left < -1 || r.top < -1 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1) return true;
    // Its middle and both ends: a button half under its neighbour is not reachable either.
    const y = r.top + r.height / 2;
    return [r.left + 3, r.left + r.width / 2, r.right - 3].some((x) => {
      const hit = document.elementFromPoint(x, y);
      return hit !== e && !e.contains(hit) && !(hit instanceof HTMLLabelElement && hit.control === e);
    });
  })
  .map((e) => e.getAttribute('data-testid') || e.getAttribute('aria-label') || (e.textContent || '').trim().slice(0, 30))`;

async function unreachable(page: Page): Promise<string[]> {
  return page.evaluate(UNREACHABLE) as Promise<string[]>;
}

/**
 * Words of the English catalogue that neither the Swedish nor the German one uses: on a Swedish or
 * German screen, each is a string left untranslated (or English from the core shown as is).
 */
const ENGLISH_ONLY: ReadonlySet<string> = (() => {
  const words = (m: unknown): string[] => (typeof m === 'string' ? (m.match(/\p{L}{5,}/gu) ?? []).map((w) => w.toLowerCase()) : m && typeof m === 'object' ? Object.values(m).flatMap(words) : []);
  const other = new Set([...words(CATALOGUE.sv), ...words(CATALOGUE.de)]);
  return new Set(words(CATALOGUE.en).filter((w) => !other.has(w)));
})();

async function englishOnScreen(page: Page): Promise<string[]> {
  const text = (await page.evaluate('document.body.innerText')) as string;
  // The store's own name is the store's ("Kassa Demo Store"), not a message.
  const storeName = ((await page.evaluate("document.querySelector('.store')?.textContent ?? ''")) as string).toLowerCase();
  return [...new Set((text.match(/\p{L}{5,}/gu) ?? []).map((w) => w.toLowerCase()).filter((w) => ENGLISH_ONLY.has(w) && !storeName.includes(w)))];
}

async function everySize(page: Page, name: string): Promise<void> {
  for (const lang of LANGS) {
    await page.getByRole('button', { name: lang.toUpperCase(), exact: true }).first().click();
    for (const [w, h] of SIZES) {
      await page.setViewportSize({ width: w, height: h });
      await page.waitForTimeout(150);
      await page.screenshot({ path: join(ARTIFACTS, `layout-${name}-${lang}-${w}x${h}.png`) });
      expect(await unreachable(page), `${name} in ${lang} at ${w}×${h}`).toEqual([]);
      // Nothing pushes the page sideways (a header too wide for the window once did, in German).
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - innerWidth')) as number;
      expect(overflow, `${name} sideways overflow in ${lang} at ${w}×${h}`).toBeLessThanOrEqual(0);
      // The lane's header stays one line, whatever alerts it shows.
      const header = (await page.evaluate("document.querySelector('.statusbar')?.getBoundingClientRect().height ?? 0")) as number;
      expect(header, `${name} header in ${lang} at ${w}×${h}`).toBeLessThan(70);
    }
    if (lang !== 'en') expect(await englishOnScreen(page), `English words on the ${name} screen in ${lang}`).toEqual([]);
  }
  await page.getByRole('button', { name: 'SV', exact: true }).first().click();
}

describe('layout at every size and in every language', () => {
  it('the lane with a long basket', async () => {
    const demo = await startDemo({ KASSA_DATA_DIR: join(tmp.dir, 'lane') });
    demos.push(demo);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(demo.url);
    const lane = new LanePage(page);
    await lane.signIn('1', '1111');
    await lane.openTill();
    for (let i = 0; i < 14; i++) await wedgeScan(page, CODES[i % 3]!);
    await expect.poll(() => lane.lines()).toBe(14);
    await everySize(page, 'lane');
    // Paid in cash: the drawer is open and says so in the header (which stays one line).
    await page.keyboard.press('F10');
    await page.getByTestId('change-due').waitFor();
    await page.keyboard.press('Enter');
    await page.getByTestId('drawer-status').waitFor();
    await everySize(page, 'lane-drawer-open');
    await page.close();
  });

  it('the kiosk: welcome and selling', async () => {
    const demo = await startDemo({ KASSA_DATA_DIR: join(tmp.dir, 'kiosk'), KASSA_MODE: 'self' });
    demos.push(demo);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(demo.url);
    const kiosk = new KioskPage(page);
    await kiosk.openForTheDay('7', '7777');
    await everySize(page, 'kiosk-welcome');
    await kiosk.start();
    for (const c of CODES) await kiosk.scan(c);
    await expect.poll(() => kiosk.basketText()).not.toBe('');
    await everySize(page, 'kiosk-selling');
    await page.close();
  });
});
