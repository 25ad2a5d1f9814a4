/**
 * The core crashes mid-sale (SIGKILL) and comes back on the same port and token, as the Electron
 * supervisor restarts it: the lane in Chromium shows the "restarting" screen meanwhile, then the
 * same basket. Nothing of the sale is lost — it lives in the core's database. A device that is
 * not there (the scale's serial port is missing) is told to the cashier in words, with what to do.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { ARTIFACTS, launchChromium } from './harness';
import { LanePage, norm } from './pages';

const tmp = tempDir('kassa-e2e-restart-');
const DB = join(tmp.dir, 'kassa.db');
let core: CoreProcess;
let browser: Browser;
let page: Page;

// The terminal's devices: a simulated printer, and a scale whose serial port is not there (unplugged).
const DEVICES = join(tmp.dir, 'devices.json');
writeFileSync(
  DEVICES,
  JSON.stringify({ devices: [{ kind: 'escposPrinter', id: 'printer', transport: { type: 'simulated' } }, { kind: 'toledoScale', id: 'scale', path: '/dev/ttyKASSA-UNPLUGGED' }] }),
);

beforeAll(async () => {
  core = await startCoreProcess(DB, ['--demo', '--devices', DEVICES]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

describe('a core crash mid-sale', () => {
  it('shows "restarting" while the core is down, then the same basket', async () => {
    const lane = new LanePage(page);
    await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
    await lane.signIn('1', '1111');
    await lane.openTill();
    await lane.scan(DEMO_ITEMS.milk.codes[0]!);
    await lane.scan(DEMO_ITEMS.butter.codes[0]!);
    await expect.poll(() => lane.lines()).toBe(2);
    const total = await lane.total();

    core.child.kill('SIGKILL');
    await core.exited;
    await page.getByTestId('restarting').waitFor();
    expect(await page.getByTestId('restarting').textContent()).toMatch(/Kassan startar om.*Korgen är sparad/);
    await page.screenshot({ path: join(ARTIFACTS, 'restarting.png') });

    // The supervisor starts it again on the same port with the same token.
    core = await startCoreProcess(DB, ['--demo', '--devices', DEVICES, '--port', String(core.port)], 20_000, { KASSA_TOKEN: core.token });
    await page.getByTestId('restarting').waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => lane.lines()).toBe(2);
    expect(await lane.total()).toBe(total);
    expect(norm(await page.getByTestId('basket').textContent())).toContain(norm(DEMO_ITEMS.butter.name));
  });

  it('tells the cashier in words that the scale is not there and what to do; selling goes on', async () => {
    await page.getByTestId('problem-scale').waitFor();
    expect(await page.getByTestId('problem-scale').textContent()).toMatch(/Våg.*Sälj vägda varor med vikt-etikett/);
    await page.screenshot({ path: join(ARTIFACTS, 'device-problem.png') });
    const lane = new LanePage(page);
    const before = await lane.lines();
    await lane.scan(DEMO_ITEMS.milk.codes[0]!);
    await expect.poll(() => lane.lines()).toBe(before + 1);
  });
});
