/**
 * Devices that disappear and come back, over real PTYs: the cable is pulled (the PTY pair goes
 * away, its device file with it) and plugged back in (a new pair at the same path). Every serial
 * driver goes offline, reconnects with backoff, and works again; nothing throws.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';
import { SerialScanner } from '../../drivers/scanner/serial';
import { ScannerSimulator } from '../../drivers/scanner/simulator';
import { ToledoScale } from '../../drivers/scale/toledo8217/device';
import { ScaleSimulator } from '../../drivers/scale/toledo8217/simulator';
import { PoleDisplay } from '../../drivers/display/device';
import { DisplaySimulator } from '../../drivers/display/simulator';
import { SerialDrawer } from '../../drivers/drawer/serial';
import { DrawerSimulator } from '../../drivers/drawer/simulator';
import { until } from '../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A cable that can be pulled and plugged back in: the driver always opens `host`. */
async function cable() {
  const dir = mkdtempSync(join(tmpdir(), 'kassa-cable-'));
  let pair: PtyPair | null = await openPtyPair({ dir });
  const c = {
    host: pair.host,
    device: pair.device,
    async pull() {
      await pair?.close();
      pair = null;
    },
    async plug() {
      pair = await openPtyPair({ dir });
    },
  };
  cleanups.push(async () => {
    await pair?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return c;
}

describe('serial devices unplugged and plugged back in', () => {
  it('a serial scanner: offline when pulled, online again with backoff, and the next scan works', async () => {
    const line = await cable();
    let sim = new ScannerSimulator('CR');
    await sim.open(line.device);
    const scanner = new SerialScanner({ path: line.host });
    const scans: string[] = [];
    const states: string[] = [];
    scanner.on('scan', (s) => scans.push(s.code));
    scanner.on('state', ({ state }) => states.push(state));
    await scanner.start();
    cleanups.push(() => scanner.stop());
    await sim.scan('7310865004703');
    await until('first scan', () => scans.length === 1);
    // half a code on the wire, then the cable goes
    await sim.write(Buffer.from('73108'));
    await sim.close();
    await line.pull();
    await until('offline', () => scanner.state === 'offline');
    expect(scanner.reason).toBe('the line was lost');
    await new Promise((r) => setTimeout(r, 600)); // a few failed attempts to reopen
    await line.plug();
    sim = new ScannerSimulator('CR');
    await sim.open(line.device);
    cleanups.push(() => sim.close());
    await until('online again', () => scanner.state === 'online', 10_000);
    await sim.scan('4006381333931');
    await until('scan after replug', () => scans.length === 2);
    // the half code from before the pull did not glue onto the next scan
    expect(scans).toEqual(['7310865004703', '4006381333931']);
    expect(states).toEqual(['online', 'offline', 'online']);
  });

  it('a scale: weight readings stop when pulled and resume after replug', async () => {
    const line = await cable();
    let sim = new ScaleSimulator();
    await sim.open(line.device);
    sim.set({ grams: 500, stable: true });
    const scale = new ToledoScale(line.host, 40);
    await scale.start();
    cleanups.push(() => scale.stop());
    await until('reading', () => scale.isOnline() && scale.latest?.reply.kind === 'weight');
    await sim.close();
    await line.pull();
    await until('scale offline', () => !scale.isOnline());
    expect(scale.reason).toMatch(/line was lost|not answering|no such file/i);
    await line.plug();
    sim = new ScaleSimulator();
    await sim.open(line.device);
    sim.set({ grams: 750, stable: true });
    cleanups.push(() => sim.close());
    await until('scale back', () => scale.isOnline() && scale.latest?.reply.kind === 'weight' && scale.latest.reply.grams === 750, 10_000);
  });

  it('a pole display: re-initialised and shown the current lines when it comes back', async () => {
    const line = await cable();
    let sim = new DisplaySimulator();
    await sim.open(line.device);
    const display = new PoleDisplay(line.host);
    await display.start();
    cleanups.push(() => display.stop());
    display.show('Mjölk', 'TOTALT 13,50');
    await until('shown', () => sim.lines()[0].startsWith('Mjölk'));
    await sim.close();
    await line.pull();
    await until('display offline', () => display.state === 'offline');
    display.show('Bröd', 'TOTALT 38,40'); // changes while unplugged are not lost
    await line.plug();
    sim = new DisplaySimulator();
    await sim.open(line.device);
    cleanups.push(() => sim.close());
    await until('current lines after replug', () => sim.lines()[0].startsWith('Bröd') && sim.lines()[1].startsWith('TOTALT 38,40'), 10_000);
  });

  it('a serial cash drawer opens on its trigger, refuses while unplugged, and opens again after replug', async () => {
    const line = await cable();
    let sim = new DrawerSimulator();
    await sim.attach(line.device);
    const drawer = new SerialDrawer(line.host);
    await drawer.start();
    cleanups.push(() => drawer.stop());
    expect(drawer.open()).toBe(true);
    await until('drawer opened', () => sim.opens === 1);
    await sim.close();
    await line.pull();
    await until('drawer offline', () => drawer.state === 'offline');
    expect(drawer.open()).toBe(false);
    await line.plug();
    sim = new DrawerSimulator();
    await sim.attach(line.device);
    cleanups.push(() => sim.close());
    await until('drawer back', () => drawer.state === 'online', 10_000);
    expect(drawer.open()).toBe(true);
    await until('opened again', () => sim.opens === 1);
  });

  it('a device that is configured but was never there: offline with the reason, no exception', async () => {
    const scanner = new SerialScanner({ path: '/dev/ttyUSB-not-here' });
    await scanner.start();
    cleanups.push(() => scanner.stop());
    expect(scanner.state).toBe('offline');
    expect(scanner.reason).toMatch(/no such file|ENOENT|cannot open/i);
  });
});
