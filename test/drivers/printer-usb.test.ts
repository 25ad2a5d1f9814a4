/**
 * The receipt printer on the Linux USB printer device file (/dev/usb/lp*), here the host end of a
 * PTY with the printer simulator on the device end: status polling, a sale's receipt with the
 * store logo, paper out (the cash drawer still opens at once; the receipt prints once paper is
 * back), and the printer unplugged and plugged back in.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../core/db';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import type { LaneService } from '../../core/lane/host';
import { PrintQueue } from '../../core/printing/queue';
import { connectPrinter } from '../../core/printing/device';
import { demoLogo } from '../../core/printing/logo';
import { PrinterSimulator } from '../../drivers/escpos/simulator';
import type { EscPosPrinter } from '../../drivers/escpos/printer';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';
import { sellMilkForCash } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let sim: PrinterSimulator;
let printer: EscPosPrinter;
let queue: PrintQueue;
let s: LaneService;
let pty: PtyPair | null;
let cableDir: string;

beforeEach(async () => {
  tmp = tempDir();
  cableDir = mkdtempSync(join(tmpdir(), 'kassa-lp-'));
  db = demoDb(tmp.dir);
  pty = await openPtyPair({ dir: cableDir });
  sim = new PrinterSimulator();
  await sim.attach(pty.device);
  queue = new PrintQueue(db);
  s = openDemoLane(db, { printQueue: queue, receiptLogo: demoLogo() }, 'USB-butiken');
  printer = connectPrinter({ path: pty.host, pollMs: 50 }, queue, (st) => s.setPrinterState(st), () => {}, (open) => s.setDrawerOpen(open));
  s.setCashDrawer({ open: () => printer.pulseDrawer() });
});
afterEach(async () => {
  s.dispose();
  await printer.stop();
  queue.stop();
  await sim.close();
  await pty?.close();
  db.close();
  tmp.cleanup();
  rmSync(cableDir, { recursive: true, force: true });
});


describe('receipt printer on the USB device file', () => {
  it('prints a sale with the logo as a raster image and opens the drawer for cash', async () => {
    await until('printer online', () => s.snapshot().devices.printer.state === 'ok');
    const id = sellMilkForCash(s);
    await until('receipt printed', () => sim.printedText().includes(id));
    expect(sim.printedText()).toMatch(/^\[image 288x80\]/);
    expect(sim.printedText()).toMatch(/Mellanmjölk/);
    expect(sim.drawerKicks).toBe(1);
    await until('drawer open seen through the status', () => s.snapshot().devices.drawer.state === 'open');
  });

  it('paper out: the drawer opens at once anyway, the receipt waits and prints exactly once when paper is back', async () => {
    await until('printer online', () => s.snapshot().devices.printer.state === 'ok');
    sim.setState({ paperOut: true });
    await until('paper out seen', () => s.snapshot().devices.printer.state === 'paperOut');
    const id = sellMilkForCash(s);
    await until('drawer kicked in real time', () => sim.drawerKicks === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.printedText()).not.toContain(id);
    sim.setState({ paperOut: false });
    await until('printed after recovery', () => sim.printedText().includes(id));
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.printedText().split(id).length - 1).toBe(1);
  });

  it('unplugged and plugged back in: offline, then reconnects and prints what waited', async () => {
    await until('printer online', () => s.snapshot().devices.printer.state === 'ok');
    await sim.close();
    await pty!.close();
    await until('offline', () => s.snapshot().devices.printer.state === 'offline');
    const id = sellMilkForCash(s);
    expect(s.snapshot().lastSale?.saleId).toBe(id); // the sale never waits for the printer
    pty = await openPtyPair({ dir: cableDir });
    sim = new PrinterSimulator();
    await sim.attach(pty.device);
    await until('back online', () => s.snapshot().devices.printer.state === 'ok', 10_000);
    await until('printed after replug', () => sim.printedText().includes(id), 10_000);
  });
});
