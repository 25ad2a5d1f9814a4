/**
 * No command costs more because of the sales before it (issue 14). Every statement the lane runs
 * on a command's path — the commands of a day's selling, the snapshot after each, the print queue,
 * the uploader's and catalog's status read every second — is recorded with its arguments, and
 * SQLite's EXPLAIN QUERY PLAN of each must not scan a table that grows with sales. A partial index
 * bounded by open work (jobs waiting for the printer) may be read whole.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { DEMO_ITEMS, seedDemoPromotions, seedDemoVouchers } from '../../../core/catalog/demo';
import type { Db } from '../../../core/db';
import type { LaneService } from '../../../core/lane/host';
import { SimulatedPaymentTerminal } from '../../../core/payments/port';
import { PrintQueue, type PrinterPort } from '../../../core/printing/queue';
import { Uploader } from '../../../core/sync/uploader';
import { Journal } from '../../../core/journal';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { exec, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { testClock } from '../../helpers/clock';

/** Tables whose rows grow with every sale, day or print job. */
const GROWING = ['sale', 'journal', 'outbox', 'receipt', 'print_job', 'command_log', 'return_line', 'suspended_sale', 'cash_movement', 'till_session', 'outbox_quarantine'];
/** Partial indexes whose size is what waits now, not what happened before. */
const BOUNDED_INDEXES = ['print_job_queued', 'print_job_uncertain', 'till_session_one_open'];

type Recorded = { sql: string; args: unknown[] };

function record(db: Db): { executed: Map<string, Recorded>; on(v: boolean): void } {
  const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<'run' | 'get' | 'all' | 'iterate', (...args: unknown[]) => unknown> & { source?: string };
  const executed = new Map<string, Recorded>();
  let on = false;
  for (const m of ['run', 'get', 'all', 'iterate'] as const) {
    const orig = proto[m];
    proto[m] = function (this: Database.Statement, ...args: unknown[]) {
      if (on && !executed.has(this.source)) executed.set(this.source, { sql: this.source, args });
      return orig.apply(this, args);
    };
  }
  return { executed, on: (v) => void (on = v) };
}

const tmp = tempDir();
let db: Db;
let lane: LaneService;
let rec: ReturnType<typeof record>;
let queue: PrintQueue;

beforeAll(async () => {
  db = demoDb(tmp.dir);
  seedDemoPromotions(db);
  seedDemoVouchers(db);
  rec = record(db);
  queue = new PrintQueue(db, testClock());
  const printer: PrinterPort = { ready: () => true, write: async () => undefined, on: () => undefined };
  queue.attach(printer, 10);
  lane = openDemoLane(db, { journal: new Journal(db), printQueue: queue, payments: new SimulatedPaymentTerminal({ delayMs: 1 }) });
  const { privateKey } = generateKeyPairSync('ed25519');
  const up = new Uploader(db, { hqUrl: 'http://127.0.0.1:9/', terminalId: 't', storeId: 's', laneId: '1', privateKey, now: testClock() });

  rec.on(true);
  // A day's selling: scans with promotions and deposits, quantity, void, discount, cash, card, gift card.
  for (let i = 0; i < 3; i++) {
    run(lane, { cmd: 'scan', code: DEMO_ITEMS.julmust.codes[0]!, quantity: 3 });
    run(lane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(lane, { cmd: 'scan', code: DEMO_ITEMS.bread.codes[0]! });
    run(lane, { cmd: 'setQuantity', lineId: 'L3', quantity: 2 });
    run(lane, { cmd: 'voidLine', lineId: 'L3' });
    run(lane, { cmd: 'priceCheck', code: DEMO_ITEMS.butter.codes[0]! });
    run(lane, { cmd: 'subtotal' });
    run(lane, { cmd: 'tenderCash', amount: 100_00 });
    run(lane, { cmd: 'complete', receipt: 'print' });
    run(lane, { cmd: 'ping' });
  }
  // A return by receipt: the sale is found, earlier refunds of it are looked up, the refund is journalled.
  const sold = lane.snapshot().lastSale!;
  const receiptCode = `R${sold.saleId.replace(/-/g, '')}`;
  const found = exec(lane, { cmd: 'findSale', receiptCode }).result as { lines: Array<{ lineId: string }> };
  exec(lane, { cmd: 'returnLines', receiptCode, lines: [{ lineId: found.lines[0]!.lineId, quantity: 1 }], reason: 'trasig' });
  run(lane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
  exec(lane, { cmd: 'tenderCard' });
  await new Promise((r) => setTimeout(r, 100));
  run(lane, { cmd: 'complete', receipt: 'none' });
  run(lane, { cmd: 'xReport' });
  await new Promise((r) => setTimeout(r, 100)); // the printer takes the receipts
  lane.snapshot();
  lane.flush();
  up.status();
  rec.on(false);
});

afterAll(() => {
  queue.stop();
  lane.dispose();
  db.close();
  tmp.cleanup();
});

describe("the lane's hot path", () => {
  it('records what it runs (the commands, the snapshot, the print queue, the sync status)', () => {
    const sqls = [...rec.executed.keys()].join('\n');
    expect(sqls).toMatch(/INSERT INTO command_log/);
    expect(sqls).toMatch(/FROM print_job WHERE state = 'queued'/);
    expect(sqls).toMatch(/max\(seq\) AS seq FROM journal WHERE kind = 'payment.endOfDay'/);
    expect(sqls).toMatch(/FROM sync_state/);
    expect(sqls).toMatch(/originalSaleId/);
  });

  it('scans no table that grows with sales: every lookup is by index and bounded by what is open now', () => {
    const scans: string[] = [];
    for (const { sql, args } of rec.executed.values()) {
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(args as [])) as Array<{ detail: string }>;
      for (const { detail } of plan) {
        const m = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(detail);
        if (m && GROWING.includes(m[1]!) && !(m[2] && BOUNDED_INDEXES.includes(m[2]))) scans.push(`${detail}  ←  ${sql.replace(/\s+/g, ' ')}`);
      }
    }
    expect(scans).toEqual([]);
  });
});
