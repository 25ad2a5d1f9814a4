/**
 * A receipt the printer never confirmed, in the lane (issue 18.8): the link to the printer drops
 * after the receipt went out and before the printer's process ID response came back. The status
 * bar says the receipt may not have printed and offers "print again (marked COPY)"; a tap prints
 * the COPY on the printer and the warning goes.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { PrinterSimulator } from '../../drivers/escpos/simulator';
import { startCoreProcess, stopCoreProcess, type CoreProcess } from '../helpers/core-process';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';
import { ARTIFACTS, launchChromium } from './harness';
import { LanePage } from './pages';

const tmp = tempDir('kassa-e2e-print-');
const sim = new PrinterSimulator();
let core: CoreProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  const port = await sim.listen(0);
  const devices = join(tmp.dir, 'devices.json');
  writeFileSync(devices, JSON.stringify({ devices: [{ kind: 'escposPrinter', id: 'printer', transport: { type: 'tcp', host: '127.0.0.1', port }, pollMs: 50 }] }));
  core = await startCoreProcess(join(tmp.dir, 'kassa.db'), ['--demo', '--devices', devices]);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

afterAll(async () => {
  await browser?.close();
  if (core) await stopCoreProcess(core);
  await sim.close();
  tmp.cleanup();
});

describe('a receipt the printer did not confirm', () => {
  it('is told in the status bar with "print again (marked COPY)", which prints the COPY', async () => {
    const lane = new LanePage(page);
    await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
    await lane.signIn('1', '1111');
    await lane.openTill();
    sim.processId = 'hold';
    await lane.scan(DEMO_ITEMS.milk.codes[0]!);
    await expect.poll(() => lane.lines()).toBe(1);
    await page.keyboard.press('F10'); // cash, exactly what is owed
    await lane.finish('print');
    await until('the receipt on paper (cut)', () => sim.cuts === 1);
    await sim.unplug(); // the link drops before the confirmation
    await page.getByTestId('printer-uncertain').waitFor();
    expect(await page.getByTestId('printer-uncertain').textContent()).toMatch(/1 kvitto skrevs kanske inte ut.*Skriv ut igen \(märkt KOPIA\)/);
    await page.screenshot({ path: join(ARTIFACTS, 'print-uncertain.png') });
    // At every size the lane runs at, the warning and its button are whole on screen.
    for (const [width, height] of [[1024, 768], [1920, 1080], [1080, 1920]] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: join(ARTIFACTS, `print-uncertain-${width}x${height}.png`) });
      // The COPY button and the menu are whole on screen: not cut off by the badges' room or pushed off the bar.
      for (const id of ['printer-reprint-copy', 'open-menu']) {
        const whole = await page.evaluate(`(() => {
          const b = document.querySelector('[data-testid="${id}"]');
          if (!b) return false;
          const r = b.getBoundingClientRect();
          for (let clip = b.parentElement; clip; clip = clip.parentElement) {
            const c = clip.getBoundingClientRect();
            if (getComputedStyle(clip).overflow !== 'visible' && (r.left < c.left - 0.5 || r.right > c.right + 0.5)) return false;
          }
          return r.left >= 0 && r.right <= window.innerWidth && r.top >= 0 && b.scrollWidth <= b.clientWidth;
        })()`);
        expect(whole, `${width}×${height}: ${id} whole on screen`).toBe(true);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await sim.replug();
    sim.processId = 'answer';
    await page.getByTestId('printer-reprint-copy').click();
    await page.getByTestId('printer-uncertain').waitFor({ state: 'detached' });
    await until('the COPY printed', () => sim.cuts === 2);
    // The demo store is Swedish with its control unit: the legal copy, KOPIA in double size with the copy's own control code.
    expect(sim.printedText().split('--- CUT ---')[1]).toMatch(/KOPIA[\s\S]*Kontrollkod \(kopia\)/);
  });
});
