/**
 * Issue 18.10: a printer port that sends garbage. The printer on the host end of a PTY (its USB
 * device file), the simulator on the device end sends random bytes for a while and answers no
 * status request: the printer is "unreadable" (never paper out, never flapping), the lane hears a
 * bounded number of changes, the log a bounded number of lines ending with a count; a receipt sold
 * meanwhile waits; when real status replies resume the printer is back and the receipt prints once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prng } from '../../core/catalog/demo';
import type { Db } from '../../core/db';
import type { LaneService } from '../../core/lane/host';
import { PrintQueue } from '../../core/printing/queue';
import { connectPrinter, printerDetail, printerDetailCode } from '../../core/printing/device';
import { PrinterSimulator } from '../../drivers/escpos/simulator';
import type { EscPosPrinter } from '../../drivers/escpos/printer';
import { openPtyPair, type PtyPair } from '../../drivers/serial/pty';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { sellMilkForCash } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let sim: PrinterSimulator;
let printer: EscPosPrinter;
let queue: PrintQueue;
let s: LaneService;
let pty: PtyPair;
let cableDir: string;
const laneStates: string[] = [];
const logLines: string[] = [];

beforeEach(async () => {
  laneStates.length = 0;
  logLines.length = 0;
  tmp = tempDir();
  cableDir = mkdtempSync(join(tmpdir(), 'kassa-lp-'));
  db = demoDb(tmp.dir);
  pty = await openPtyPair({ dir: cableDir });
  sim = new PrinterSimulator();
  await sim.attach(pty.device);
  queue = new PrintQueue(db);
  s = openDemoLane(db, { printQueue: queue }, 'Brusbutiken');
  const onState = (st: Parameters<LaneService['setPrinterState']>[0]) => {
    laneStates.push(st);
    s.setPrinterState(st);
  };
  printer = connectPrinter({ path: pty.host, pollMs: 50 }, queue, onState, (line) => logLines.push(line), (open) => s.setDrawerOpen(open));
});
afterEach(async () => {
  sim.babble(null);
  s.dispose();
  await printer.stop();
  queue.stop();
  await sim.close();
  await pty.close();
  db.close();
  tmp.cleanup();
  rmSync(cableDir, { recursive: true, force: true });
});


describe('a printer port that sends garbage', () => {
  it('is unreadable, not paper out; the lane and the log hear a bounded amount; back online when real replies resume', async () => {
    await until('printer online', () => s.snapshot().devices.printer.state === 'ok');
    const links: string[] = [];
    printer.on('state', ({ state, reason }) => links.push(`${state}: ${reason}`));
    let statusEvents = 0;
    printer.on('status', () => statusEvents++);
    let snapshots = 0;
    const unsubscribe = s.subscribe(() => snapshots++);
    laneStates.length = 0;
    logLines.length = 0;

    sim.babble(prng(18)); // the same garbage on every run
    // Plenty of garbage: about 20,000 random bytes, a third of a minute of the port.
    await until('20,000 garbage bytes sent', () => sim.babbled >= 20_000, 30_000);
    await new Promise((r) => setImmediate(r)); // the last snapshot of the burst goes out
    const snapshotsDuringGarbage = snapshots;
    const statusDuringGarbage = statusEvents;
    const linesDuringGarbage = logLines.length;
    expect(s.snapshot().devices.printer.state).toBe('unreadable');
    expect(printerDetailCode(printer.status)).toBe('unreadable');
    expect(printerDetail(printer.status)).toMatch(/^not a printer \/ unreadable: /);

    // A sale meanwhile: its receipt waits, nothing is written to a port that is not a printer.
    const id = sellMilkForCash(s);
    expect(queue.counts().queued).toBe(1);
    await until('more garbage after the sale', () => sim.babbled >= 24_000, 30_000);
    expect(queue.counts().queued).toBe(1);
    expect(s.snapshot().devices.printer.state).toBe('unreadable');
    const babbled = sim.babbled;

    sim.babble(null);
    await until('back online', () => s.snapshot().devices.printer.state === 'ok');
    await until('receipt printed', () => sim.printedText().includes(id));
    unsubscribe();

    // Never any printer state the garbage could fake; one change to unreadable and one back.
    expect(laneStates).toEqual(['unreadable', 'ok']);
    expect(links).toEqual([expect.stringMatching(/^offline: not a printer \/ unreadable: /), 'online: connected']);
    expect(statusDuringGarbage).toBe(1);
    expect(snapshotsDuringGarbage).toBeLessThanOrEqual(3);
    // A handful of lines, then one with the count of the rest.
    expect(linesDuringGarbage).toBeLessThanOrEqual(5);
    const summary = logLines.find((l) => /more bad bytes from the printer in the last/.test(l));
    expect(summary, logLines.join('\n')).toBeDefined();
    const counted = Number(/… ([\d,]+) more/.exec(summary!)![1]!.replace(/,/g, ''));
    expect(counted).toBeGreaterThan(babbled / 2);
    expect(logLines.length).toBeLessThanOrEqual(7);
    expect(sim.printedText().split(id).length - 1).toBe(1);
  });

  it('one stray but complete "paper out" frame amid good replies changes nothing', async () => {
    await until('printer online', () => s.snapshot().devices.printer.state === 'ok');
    laneStates.length = 0;
    for (let i = 0; i < 3; i++) {
      sim.injectGarbage([0x18, 0x00, 0x0f, 0x00]); // an ASB frame saying paper out, offline
      const replies = sim.statusReplies;
      await until('four more polling rounds', () => sim.statusReplies >= replies + 12);
    }
    expect(laneStates).toEqual([]);
    expect(s.snapshot().devices.printer.state).toBe('ok');
    // The paper really running out is seen.
    sim.setState({ paperOut: true });
    await until('paper out seen', () => s.snapshot().devices.printer.state === 'paperOut');
    expect(laneStates).toEqual(['paperOut']);
  });
});
