/**
 * A print job is printed when the printer says so (issue 18.8), against the simulator over a real
 * TCP socket: queued → sending → printed on the process ID response (GS ( H), or, for a printer
 * without it, on a status reply after the job; a printer that takes the bytes and never confirms
 * leaves the job sending; a link that drops before the confirmation leaves it uncertain, and the
 * lane offers "print again (marked COPY)", which prints the COPY and settles the job.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PrintQueue } from '../../../core/printing/queue';
import { connectPrinter } from '../../../core/printing/device';
import { PROFILES } from '../../../core/profile';
import { PrinterSimulator } from '../../../drivers/escpos/simulator';
import type { EscPosPrinter, PrinterOptions } from '../../../drivers/escpos/printer';
import { run, sellMilkForCash } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';
import { testClock } from '../../helpers/clock';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function lane(confirm?: PrinterOptions['confirm']) {
  const tmp = tempDir();
  const db: Db = openDatabase(join(tmp.dir, 'p.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  const sim = new PrinterSimulator();
  const port = await sim.listen(0);
  const queue = new PrintQueue(db);
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Skrivarbutiken', laneId: '1' }, { now: testClock(), printQueue: queue });
  const printer: EscPosPrinter = connectPrinter({ host: '127.0.0.1', port, pollMs: 50, ...(confirm ? { confirm } : {}) }, queue, (st) => s.setPrinterState(st), () => undefined);
  cleanups.push(async () => {
    s.dispose();
    await printer.stop();
    queue.stop();
    await sim.close();
    db.close();
    tmp.cleanup();
  });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [] });
  await until('printer online', () => s.snapshot().devices.printer.state === 'ok');
  const sell = (): string => sellMilkForCash(s);
  const state = (key: string) => (db.prepare('SELECT state FROM print_job WHERE job_key = ?').get(key) as { state: string } | undefined)?.state;
  /** Waits until the printer answered `rounds` more status rounds (DLE EOT 1, 2, 4 each). */
  const statusRounds = async (rounds: number) => {
    const from = sim.statusReplies;
    await until(`${rounds} status rounds`, () => sim.statusReplies >= from + 3 * rounds);
  };
  return { db, sim, s, sell, state, statusRounds };
}

describe('a print job is printed when the printer confirms it', () => {
  it('stays sending while its receipt is on paper but the process ID response has not come; printed when it does', async () => {
    const { sim, sell, state, statusRounds } = await lane();
    sim.processId = 'hold';
    const id = sell();
    await until('the receipt on paper (cut)', () => sim.cuts === 1);
    expect(sim.printedText()).toContain(id);
    await statusRounds(3); // status replies after the job do not confirm it: the printer has GS ( H
    expect(state(`receipt:${id}`)).toBe('sending');
    sim.releaseProcessIds();
    await until('the receipt confirmed', () => state(`receipt:${id}`) === 'printed');
  });

  it('a printer that takes the bytes and never answers GS ( H: sending (never sent again) until 20 healthy status rounds say it lacks the command; then confirmed by status', async () => {
    const { sim, s, sell, state, statusRounds } = await lane();
    sim.processId = 'ignore';
    const id = sell();
    await until('the receipt on paper (cut)', () => sim.cuts === 1);
    await statusRounds(5);
    expect(state(`receipt:${id}`)).toBe('sending');
    expect(sim.printedText().split(id).length - 1).toBe(1);
    expect(s.snapshot().devices.printer).toMatchObject({ queued: 0, uncertain: 0, uncertainSale: null });
    // A printer that lacks the command must not hold every receipt back for ever.
    await statusRounds(16);
    await until('the receipt confirmed by status', () => state(`receipt:${id}`) === 'printed');
    expect(sim.printedText().split(id).length - 1).toBe(1);
    const next = sell();
    await until('the next receipt confirmed by status', () => state(`receipt:${next}`) === 'printed');
  });

  it("a printer without GS ( H (profile 'status'): printed on the first status round asked after the job", async () => {
    const { sim, sell, state } = await lane('status');
    sim.processId = 'ignore';
    const id = sell();
    await until('the receipt confirmed by status', () => state(`receipt:${id}`) === 'printed');
    expect(sim.printedText()).toContain(id);
  });

  it('the link drops before the confirmation: uncertain, and the lane offers the COPY, which prints marked COPY and settles it', async () => {
    const { db, sim, s, sell, state } = await lane();
    sim.processId = 'hold';
    const id = sell();
    await until('the receipt on paper (cut), unconfirmed', () => sim.cuts === 1);
    await sim.unplug();
    await until('uncertain', () => state(`receipt:${id}`) === 'uncertain');
    expect(s.snapshot().devices.printer).toMatchObject({ uncertain: 1, uncertainSale: id });
    await sim.replug();
    sim.processId = 'answer';
    await until('printer back', () => s.snapshot().devices.printer.state === 'ok');
    expect(sim.printedText().split(id).length - 1).toBe(1); // not sent again by itself
    run(s, { cmd: 'reprintReceipt', saleId: id });
    expect(state(`receipt:${id}`)).toBe('settled');
    expect(s.snapshot().devices.printer).toMatchObject({ uncertain: 0, uncertainSale: null });
    await until('the COPY printed', () => /KOPIA \/ COPY/.test(sim.printedText()));
    const copy = db.prepare<[], { state: string }>("SELECT state FROM print_job WHERE kind = 'copy'");
    await until('the COPY confirmed', () => copy.get()?.state === 'printed');
  });
});
