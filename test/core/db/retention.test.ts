/**
 * Retention (docs/retention.md): what a lane keeps only until it is safe elsewhere is dropped then,
 * and nothing a receipt copy, a return or the journal needs is lost.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { defaultMigrationsDir, loadMigrations, migrate } from '../../../core/db';
import { Journal } from '../../../core/journal';
import { unpackReceipt } from '../../../core/db/sale-body';
import { PrintQueue, type PrinterPort } from '../../../core/printing/queue';
import type { ReceiptCopy, ReturnResult } from '../../../protocol/terminal';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { exec, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { testClock } from '../../helpers/clock';
import { until } from '../../helpers/wait';

let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** A demo lane; with a printer that takes every job (true), none (false) or the one given. */
function lane(withPrinter: boolean | PrinterPort) {
  const t = tempDir();
  const db = demoDb(t.dir);
  const printed: Buffer[] = [];
  const queue = new PrintQueue(db, testClock());
  if (withPrinter === true) queue.attach({ ready: () => true, write: async (b) => void printed.push(Buffer.from(b)), on: () => undefined } satisfies PrinterPort, 10);
  else if (withPrinter) queue.attach(withPrinter, 10);
  const s = openDemoLane(db, { printQueue: queue, journal: new Journal(db) });
  cleanups.push(() => {
    queue.stop();
    s.dispose();
    db.close();
    t.cleanup();
  });
  const sell = () => {
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'scan', code: DEMO_ITEMS.bread.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    return run(s, { cmd: 'complete', receipt: 'print' }).lastSale!;
  };
  return { db, s, sell, printed, queue };
}

describe('print jobs', () => {
  it('drop their bytes once the printer confirmed them, keeping the SHA-256 and the outcome', async () => {
    const { db, sell, printed } = lane(true);
    const sale = sell();
    await until('the receipt printed', () => printed.length === 1);
    await until('its bytes dropped', () => (db.prepare("SELECT length(bytes) AS n FROM print_job WHERE job_key = ?").get(`receipt:${sale.saleId}`) as { n: number }).n === 0);
    const job = db.prepare('SELECT state, bytes_sha256 FROM print_job WHERE job_key = ?').get(`receipt:${sale.saleId}`) as { state: string; bytes_sha256: string };
    expect(job).toEqual({ state: 'printed', bytes_sha256: createHash('sha256').update(printed[0]!).digest('hex') });
  });

  it('wait and go again when the printer could not be reached (nothing went out); are "uncertain" only when the link dropped while they went', async () => {
    const outcomes: Array<'notReached' | 'dropped' | 'ok'> = ['notReached', 'dropped', 'ok'];
    const printed: Buffer[] = [];
    const notReached = Object.assign(new Error('printer not connected'), { name: 'PrinterNotReached' });
    const write = async (b: Uint8Array) => {
      const o = outcomes.shift() ?? 'ok';
      if (o === 'notReached') throw notReached;
      if (o === 'dropped') throw new Error('socket closed');
      printed.push(Buffer.from(b));
    };
    const { db, s } = lane({ ready: () => true, write, on: () => undefined });
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    const first = run(s, { cmd: 'complete', receipt: 'print' }).lastSale!;
    const state = (key: string) => (db.prepare('SELECT state FROM print_job WHERE job_key = ?').get(key) as { state: string }).state;
    // The first try reached nothing; the second dropped while sending: uncertain, not sent again.
    await until('the first receipt uncertain', () => state(`receipt:${first.saleId}`) === 'uncertain');
    expect(printed).toHaveLength(0);
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    const second = run(s, { cmd: 'complete', receipt: 'print' }).lastSale!;
    await until('the second receipt printed', () => printed.length === 1);
    await until('the second receipt confirmed', () => state(`receipt:${second.saleId}`) === 'printed');
    expect((db.prepare("SELECT count(*) AS n FROM print_job WHERE state = 'uncertain'").get() as { n: number }).n).toBe(1);
  });

  it("keep a printed job's row (hash and outcome) through the next day: a Z drops those from before the previous Z, never one not printed", async () => {
    const { db, s, sell, printed } = lane(true);
    const z = () => {
      run(s, { cmd: 'closeTill', counted: [], approval: { operator: '7', pin: '7777' } });
      run(s, { cmd: 'openTill', float: [] });
    };
    const rows = () => db.prepare<[], { job_key: string; state: string }>('SELECT job_key, state FROM print_job ORDER BY created_at').all();
    const day1 = sell();
    await until('day 1 printed', () => printed.length === 1);
    db.prepare("INSERT INTO print_job (job_key, kind, created_at, bytes, bytes_sha256, state) VALUES ('lost', 'receipt', '2026-11-30T08:00:00Z', X'00', '', 'uncertain')").run();
    z();
    await until('the first Z printed', () => printed.length === 2);
    expect(rows().map((r) => r.job_key)).toContain(`receipt:${day1.saleId}`); // kept through the next day
    const day2 = sell();
    await until('day 2 printed', () => printed.length === 3);
    z();
    const keys = rows().map((r) => r.job_key);
    expect(keys).not.toContain(`receipt:${day1.saleId}`);
    expect(keys).toContain('lost'); // an uncertain job stays until it is settled
    expect(keys).toContain(`receipt:${day2.saleId}`);
    expect(keys.filter((k) => k.startsWith('z:'))).toHaveLength(2);
  });

  it('keep their bytes while the printer has not taken them', () => {
    const { db, sell } = lane(false);
    sell();
    expect(db.prepare("SELECT state, length(bytes) > 100 AS kept FROM print_job").all()).toEqual([{ state: 'queued', kept: 1 }]);
  });

  it('a receipt copy is made anew after the printed bytes are gone', async () => {
    const { s, sell, printed } = lane(true);
    const sale = sell();
    await until('the receipt printed', () => printed.length === 1);
    const copy = exec(s, { cmd: 'reprintReceipt', saleId: sale.saleId }).result as ReceiptCopy;
    expect(copy.copyText).toMatch(/Surdegsbröd/);
    await until('the copy printed', () => printed.length === 2);
  });
});

describe('receipts', () => {
  it('are kept deflated, and a copy reads the same as the original', () => {
    const { db, s, sell } = lane(false);
    const sale = sell();
    const row = db.prepare<[string], { text: string; packed: Buffer }>("SELECT text, packed FROM receipt WHERE sale_id = ? AND kind = 'sale'").get(sale.saleId)!;
    expect(row.text).toBe('');
    const text = unpackReceipt(row);
    expect(text).toContain('Surdegsbröd');
    expect(row.packed.length).toBeLessThan(Buffer.byteLength(text) / 1.6);
    const copy = exec(s, { cmd: 'reprintReceipt', saleId: sale.saleId }).result as ReceiptCopy;
    expect(copy.copyText).toBe(`*** KOPIA / COPY ***\n${text}*** KOPIA / COPY ***\n`);
  });
});

describe('the command log', () => {
  it("is pruned with its sale once the sale is completed and journalled; a Z prunes the day's", () => {
    const { db, s, sell } = lane(false);
    const count = () => (db.prepare('SELECT count(*) AS n FROM command_log').get() as { n: number }).n;
    const sale = sell();
    expect(db.prepare('SELECT count(*) AS n FROM command_log WHERE sale_id = ?').get(sale.saleId)).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'sale.completed' AND ref = ?").get(sale.saleId)).toEqual({ n: 1 });
    // An open basket keeps its commands (the sale is not journalled yet).
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    expect(count()).toBeGreaterThan(0);
    run(s, { cmd: 'cancelSale' });
    run(s, { cmd: 'closeTill', counted: [{ denomination: 100, count: 57 }], approval: { operator: '7', pin: '7777' } });
    expect(count()).toBeLessThanOrEqual(1); // at most the Z's own command
  });

  it('a return of a sale whose command log was pruned still works', () => {
    const { s, sell } = lane(false);
    const sale = sell();
    const receiptCode = `R${sale.saleId.replace(/-/g, '')}`;
    const found = exec(s, { cmd: 'findSale', receiptCode }).result as { lines: Array<{ lineId: string }> };
    const r = exec(s, { cmd: 'returnLines', receiptCode, lines: [{ lineId: found.lines[0]!.lineId, quantity: 1 }], reason: 'fel vara' }).result as ReturnResult;
    expect(r.refund).toBeGreaterThan(0);
  });
});

describe('migration 0016 on a lane that sold before it', () => {
  it('drops printed bytes and the second receipt copy, keeps what was not printed, and indexes the hot lookups', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const path = join(t.dir, 'old.db');
    const all = loadMigrations(defaultMigrationsDir('terminal'));
    const db = new Database(path);
    migrate(db, all.slice(0, 15));
    db.prepare("INSERT INTO print_job (job_key, kind, created_at, bytes, state) VALUES ('a', 'receipt', '2026-11-23T09:00:00Z', randomblob(4000), 'sent'), ('b', 'receipt', '2026-11-23T09:01:00Z', randomblob(4000), 'queued')").run();
    db.prepare("INSERT INTO sale (sale_id, sequence, completed_at, business_date, operator, total, rounding, body, receipt_text) VALUES ('s1', 1, '2026-11-23T09:00:00Z', '2026-11-23', '1', 100, 0, '{}', 'TOTALT 1,00')").run();
    migrate(db, all);
    expect(db.prepare('SELECT job_key, length(bytes) AS n, state FROM print_job ORDER BY job_key').all()).toEqual([
      { job_key: 'a', n: 0, state: 'printed' }, // 0020: a sent job whose bytes were dropped had been written
      { job_key: 'b', n: 4000, state: 'queued' },
    ]);
    expect(db.prepare('SELECT receipt_text FROM sale').get()).toEqual({ receipt_text: '' });
    const indexes = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index'").all().map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['journal_kind_seq', 'journal_at', 'print_job_uncertain', 'command_log_sale']));
    db.close();
  });
});

describe('migration 0017 on a lane that sold before it', () => {
  it("keeps the old sales' own bodies, gives returns their original sale as a column, and archives nothing by itself", () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const all = loadMigrations(defaultMigrationsDir('terminal'));
    const db = new Database(join(t.dir, 'old.db'));
    migrate(db, all.slice(0, 16));
    const sale = (id: string, seq: number, body: object) =>
      db
        .prepare("INSERT INTO sale (sale_id, sequence, completed_at, business_date, operator, total, rounding, body, receipt_text) VALUES (?, ?, '2026-11-23T09:00:00Z', '2026-11-23', '1', 100, 0, ?, '')")
        .run(id, seq, JSON.stringify(body));
    sale('s1', 1, { saleId: 's1' });
    sale('r1', 2, { returnId: 'r1', originalSaleId: 's1' });
    migrate(db, all);
    expect(db.prepare('SELECT sale_id, original_sale_id, journal_seq, length(body) > 2 AS own FROM sale ORDER BY sequence').all()).toEqual([
      { sale_id: 's1', original_sale_id: null, journal_seq: null, own: 1 },
      { sale_id: 'r1', original_sale_id: 's1', journal_seq: null, own: 1 },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM journal_archive').get()).toEqual({ n: 0 });
    expect(unpackReceipt({ text: 'TOTALT 1,00', packed: null })).toBe('TOTALT 1,00'); // a receipt from before keeps its text
    const plan = db.prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT sale_id FROM sale WHERE original_sale_id = 's1'").all().map((r) => r.detail).join('\n');
    expect(plan).toMatch(/USING INDEX sale_original/);
    db.close();
  });
});
