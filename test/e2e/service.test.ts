/**
 * Store IT's service screen end to end, through `npm start`'s path (scripts/start.mjs in browser
 * mode, KASSA_USB_ROOT pointing at a folder with a fake USB stick) in Debian's Chromium: IT signs in
 * with the IT number and PIN on a cashier's lane, sees the terminal's identity, reads the log,
 * has a bad device configuration refused in plain words and a good one applied, prints a test page
 * on the simulated printer of the new set, writes diagnostics to the stick, and exits the kiosk
 * (the core prints the exit line the Electron supervisor acts on). axe-core checks each part.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreExitRequestSchema } from '../../protocol/terminal/process';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium, seriousA11y as axeOn, startDemo, type Demo } from './harness';

const tmp = tempDir('kassa-e2e-service-');
const USB_ROOT = join(tmp.dir, 'media');
const STICK = join(USB_ROOT, 'kassa', 'KASSA-USB');
let demo: Demo;
let browser: Browser;
let page: Page;
let url: string;
let stdout: string[] = [];

beforeAll(async () => {
  mkdirSync(STICK, { recursive: true });
  demo = await startDemo({ KASSA_DATA_DIR: tmp.dir, KASSA_USB_ROOT: USB_ROOT });
  url = demo.url;
  stdout = demo.stdout;
  browser = await launchChromium();
  // axe is injected into the page, which the app's strict CSP would refuse: this context alone bypasses it.
  const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
  page = await ctx.newPage();
});

afterAll(async () => {
  await browser?.close();
  await demo?.stop();
  tmp.cleanup();
});

const text = async (testId: string) => (await page.getByTestId(testId).textContent().catch(() => '')) ?? '';
const seriousA11y = (label: string) => axeOn(page, label);

describe('service screen for store IT', () => {
  it('identity, log, configuration (refused, then applied), test print, diagnostics to USB, kiosk exit', async () => {
    const a11y: string[] = [];
    await page.goto(url);
    await page.getByTestId('signin-input').waitFor();
    await page.getByTestId('signin-input').fill('1');
    await page.getByTestId('pin-input').fill('1111');
    await page.keyboard.press('Enter');
    await page.getByTestId('open-till').click();
    await page.getByTestId('scan-input').waitFor();

    // Anna (a cashier) is signed in: store IT gives the IT number and PIN on the service screen.
    await page.getByTestId('open-menu').click();
    await page.getByTestId('open-devices').click();
    // Tapped and typed: Enter after the number moves on to the PIN, Enter there signs in.
    await page.getByTestId('devices-operator').click();
    await page.keyboard.type('9', { delay: 60 }); // a person's pace (a scanner's would be taken back out)
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('devices-pin');
    expect(await page.getByTestId('devices-signin').count()).toBe(1);
    await page.keyboard.type('9999', { delay: 60 }); // a person's pace (a scanner's would be taken back out)
    await page.keyboard.press('Enter');
    await page.getByTestId('devices').waitFor();

    // Identity at the top.
    await expect.poll(() => text('service-store'), { timeout: 10_000 }).toBe('Kassa Demo Store (demo-001)');
    expect(await text('service-lane')).toBe('1');
    expect(await text('service-software')).toBe('0.1.0');
    expect(await text('service-terminal')).toBe('inte ansluten till HK');
    expect(await text('service-catalog')).toMatch(/artiklar/);
    // Device details in the lane's language, with the core's own words beside them.
    await expect.poll(() => text('device-printer')).toMatch(/Kvittoskrivare.*fungerar.*redo \(ready\)/);
    a11y.push(...(await seriousA11y('devices')));

    // Log: the tabs work from the keyboard; lines are there, and the filter narrows them.
    await page.getByTestId('service-tab-devices').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(async () => page.getByTestId('service-tab-log').getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => text('service-log-lines')).toMatch(/simulated ESC\/POS printer on 127\.0\.0\.1/);
    await page.getByTestId('service-log-filter').fill('printer');
    await page.keyboard.press('Enter');
    await expect.poll(() => text('service-log-count')).toMatch(/av \d+ rader innehåller ”printer”/);
    const shown = (await text('service-log-lines')).split('\n');
    expect(shown.length).toBeGreaterThan(0);
    for (const l of shown) expect(l.toLowerCase()).toContain('printer');
    a11y.push(...(await seriousA11y('log')));
    await page.screenshot({ path: join(ARTIFACTS, 'service-log.png') });

    // Configuration: the demo's devices; a bad text is refused in plain words and nothing is saved.
    await page.getByTestId('service-tab-config').click();
    await expect.poll(() => text('service-config-source')).toMatch(/Demobutikens inbyggda enheter\. Sparas i .*kassa\.db\.devices\.json/);
    expect(JSON.parse(await page.getByTestId('service-config-text').inputValue()).devices.map((d: { id: string }) => d.id)).toEqual(['printer', 'scale', 'display', 'hid-scanner', 'wedge']);
    const bad = JSON.stringify({ devices: [{ kind: 'escposPrinter', id: 'printer', transport: { type: 'tcp', host: '10.0.0.5', port: 99999 } }, { kind: 'toledoScale', id: 'scale' }] }, null, 2);
    await page.getByTestId('service-config-text').fill(bad);
    await page.keyboard.press('Escape'); // unsaved edits: Escape does not close the screen
    expect(await page.getByTestId('devices').count()).toBe(1);
    await page.getByTestId('service-config-check').click();
    await expect.poll(() => text('service-config-problems')).toMatch(/2 fel — inget sparades:/);
    const problems = await text('service-config-problems');
    expect(problems).toContain('Enhet printer, fält transport.port: får vara högst 65535.');
    expect(problems).toContain('Enhet scale, fält path: saknas — lägg till "path".');
    await page.getByTestId('service-config-save').click();
    await page.waitForTimeout(300);
    expect(await text('service-config-problems')).toMatch(/inget sparades/);
    // A comma forgotten at the end of line 3: the problem says where, in Swedish, not the parser's English.
    await page.getByTestId('service-config-text').fill('{\n  "devices": [\n    { "kind": "toledoScale", "id": "scale", "path": "/dev/ttyS0" }\n    { "kind": "toledoScale", "id": "scale2", "path": "/dev/ttyS1" }\n  ]\n}\n');
    await page.getByTestId('service-config-check').click();
    await expect.poll(() => text('service-config-problems')).toMatch(/Filen: är inte giltig JSON: rad 4, kolumn 5\./);
    expect(await text('service-config-problems')).not.toMatch(/Unexpected|Expected|position/);
    expect(existsSync(join(tmp.dir, 'kassa.db.devices.json'))).toBe(false);
    a11y.push(...(await seriousA11y('configuration with problems')));
    await page.screenshot({ path: join(ARTIFACTS, 'service-config.png') });

    // A good one is saved and applied.
    const good = JSON.stringify(
      {
        devices: [
          { kind: 'escposPrinter', id: 'printer', transport: { type: 'simulated' } },
          { kind: 'hidScanner', id: 'hid-scanner', vendorId: 0x0c2e, productId: 0x0b61, simulated: true },
          { kind: 'keyboardWedge', id: 'wedge', maxKeyGapMs: 30, minLength: 4 },
        ],
      },
      null,
      2,
    );
    await page.getByTestId('service-config-text').fill(good);
    await page.getByTestId('service-config-save').click();
    await expect.poll(() => text('service-config-ok'), { timeout: 15_000 }).toMatch(/Sparad i .*kassa\.db\.devices\.json och i bruk: 3 enheter igång\./);
    expect(readFileSync(join(tmp.dir, 'kassa.db.devices.json'), 'utf8')).toBe(`${good}\n`);
    await expect.poll(() => text('service-config-source')).toMatch(/^Fil: .*kassa\.db\.devices\.json$/);

    // The new set runs: the scale and display are gone, a test page prints on the new simulated printer.
    await page.getByTestId('service-tab-devices').click();
    await expect.poll(() => page.getByTestId('device-scale').count()).toBe(0);
    await expect.poll(() => text('device-printer'), { timeout: 10_000 }).toMatch(/fungerar/);
    await page.getByTestId('test-printer-testPrint').click();
    await expect.poll(() => text('device-outcome')).toMatch(/printer: Testsidan (skickades till skrivaren|väntar i kön)/);
    await expect.poll(() => text('printout-printer'), { timeout: 10_000 }).toMatch(/TEST PAGE[\s\S]*ÅÄÖ åäö/);

    // Diagnostics to the stick.
    await page.getByTestId('service-tab-diagnostics').click();
    await expect.poll(async () => page.getByTestId('service-usb-KASSA-USB').isChecked()).toBe(true);
    a11y.push(...(await seriousA11y('diagnostics')));
    await page.getByTestId('service-export').click();
    await expect.poll(() => text('service-export-done'), { timeout: 10_000 }).toMatch(/Klart: 8 filer \(\d+ kB\) i .*KASSA-USB\/kassa-diagnostics-demo-001-1-/);
    const [folder] = readdirSync(STICK);
    expect(folder).toMatch(/^kassa-diagnostics-demo-001-1-\d{8}T\d{6}Z$/);
    expect(readdirSync(join(STICK, folder!)).sort()).toEqual(['README.txt', 'device-status.json', 'devices.json', 'identity.json', 'journal-events.json', 'log.txt', 'sync.json', 'versions.json']);
    expect(readFileSync(join(STICK, folder!, 'log.txt'), 'utf8')).toMatch(/device configuration saved to .* by operator 9/);
    expect(JSON.parse(readFileSync(join(STICK, folder!, 'devices.json'), 'utf8')).config).toEqual(JSON.parse(good));
    await page.screenshot({ path: join(ARTIFACTS, 'service.png') });

    // Exit kiosk: asked first, then the core prints the exit line for the supervisor.
    await page.getByTestId('exit-kiosk').click();
    await page.getByTestId('exit-kiosk-confirm').waitFor();
    a11y.push(...(await seriousA11y('exit confirmation')));
    await page.getByTestId('exit-kiosk-yes').click();
    await expect.poll(() => text('exit-kiosk-done')).toBe('Kioskappen avslutas.');
    await expect.poll(() => stdout.filter((l) => l.startsWith('{"kassa":"exit"')), { timeout: 5_000 }).toHaveLength(1);
    expect(CoreExitRequestSchema.parse(JSON.parse(stdout.find((l) => l.startsWith('{"kassa":"exit"'))!))).toEqual({ kassa: 'exit', operator: '9' });
    expect(a11y).toEqual([]);
  });

  it("a supervisor's PIN opens the devices but not IT's parts; the IT PIN given in place opens them", async () => {
    await page.getByTestId('devices-close').click();
    await page.getByTestId('devices').waitFor({ state: 'detached' });
    await page.getByTestId('open-menu').click();
    await page.getByTestId('open-devices').click();
    await page.getByTestId('devices-operator').fill('7');
    await page.getByTestId('devices-pin').fill('7777');
    await page.getByTestId('devices-signin-ok').click();
    await expect.poll(() => text('device-printer'), { timeout: 10_000 }).toMatch(/fungerar/);
    await page.getByTestId('service-tab-log').click();
    await expect.poll(() => text('it-signin')).toMatch(/Det numret hör inte till IT/);
    expect(await page.getByTestId('service-identity').count()).toBe(0);
    expect(await page.getByTestId('service-log-lines').count()).toBe(0);
    expect(await seriousA11y('IT sign-in for a supervisor')).toEqual([]);
    await page.getByTestId('it-operator').click();
    await page.keyboard.type('9', { delay: 60 }); // a person's pace (a scanner's would be taken back out)
    await page.keyboard.press('Enter');
    expect(await page.locator(':focus').getAttribute('data-testid')).toBe('it-pin');
    await page.keyboard.type('9999', { delay: 60 }); // a person's pace (a scanner's would be taken back out)
    await page.keyboard.press('Enter');
    await expect.poll(() => text('service-log-lines'), { timeout: 10_000 }).toMatch(/store IT \(operator 9\) asked the kiosk app to exit/);
    await expect.poll(() => text('service-store')).toBe('Kassa Demo Store (demo-001)');
    expect(await text('service-software')).toBe('0.1.0');
  });
});
