/** A trading day on one lane: float, sales, voids, cancels, training, cash movements, X and Z. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TillReport } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { generateCatalog, DEMO_ITEMS } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Journal } from '../../../core/journal';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { tempDir } from '../../helpers/tmp';
import { exec, refuse, run } from '../../helpers/lane';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'till.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});

const SUP = { operator: '7', pin: '7777' };
const MILK = DEMO_ITEMS.milk.codes[0]!;
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!;
const JULMUST = DEMO_ITEMS.julmust.codes[0]!;
const PAPER = DEMO_ITEMS.newspaper.codes[0]!;

/** Sums the journal entries of the session independently of the report code. */
function sumJournal(fromSeq: number) {
  const rows = db.prepare<[number], { kind: string; body: string }>('SELECT kind, body FROM journal WHERE seq >= ? ORDER BY seq').all(fromSeq);
  const sum = { sales: 0, count: 0, cash: 0, vat: 0, rounding: 0, voids: 0, cancels: 0, training: 0, in: 0, out: 0, pickups: 0 };
  for (const r of rows) {
    const b = JSON.parse(r.body);
    if (r.kind === 'sale.completed') {
      sum.count++;
      sum.sales += b.totals.due;
      sum.cash += b.tenders.reduce((a: number, t: { amount: number }) => a + t.amount, 0) - b.totals.change;
      sum.vat += b.totals.vat.reduce((a: number, v: { vat: number }) => a + v.vat, 0);
      sum.rounding += b.totals.rounding;
    }
    if (r.kind === 'line.voided') sum.voids += b.total;
    if (r.kind === 'sale.cancelled') sum.cancels += b.totals.total;
    if (r.kind === 'sale.training') sum.training++;
    if (r.kind === 'cash.paidIn') sum.in += b.amount;
    if (r.kind === 'cash.paidOut') sum.out += b.amount;
    if (r.kind === 'cash.pickup') sum.pickups += b.amount;
  }
  return sum;
}

describe('a trading day', () => {
  it('opens with a float, sells, moves cash, reports X and closes with a blind Z that matches the journal', () => {
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Butik', laneId: '1' }, { now: testClock() });
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    expect(refuse(s, { cmd: 'scan', code: MILK })).toBe('TILL_NOT_OPEN');
    expect(refuse(s, { cmd: 'openTill', float: [{ denomination: 3300, count: 1 }] })).toBe('INVALID_COUNT');
    run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 10 }, { denomination: 1_000, count: 20 }, { denomination: 100, count: 50 }] }); // 1 250 kr
    expect(s.snapshot().lane.till).not.toBeNull();
    expect(refuse(s, { cmd: 'openTill', float: [] })).toBe('TILL_ALREADY_OPEN');
    const openSeq = (db.prepare("SELECT seq FROM journal WHERE kind = 'till.opened'").get() as { seq: number }).seq;

    const codes = [MILK, SOAP, JULMUST, PAPER];
    for (let i = 0; i < 40; i++) {
      run(s, { cmd: 'scan', code: codes[i % 4]! });
      run(s, { cmd: 'scan', code: codes[(i + 1) % 4]!, quantity: 1 + (i % 3) });
      if (i % 7 === 0) run(s, { cmd: 'voidLast' });
      if (i % 11 === 5) {
        run(s, { cmd: 'cancelSale' });
        continue;
      }
      if (i % 2) run(s, { cmd: 'tenderCash', amount: 50_000 });
      else run(s, { cmd: 'tenderCash' });
      run(s, { cmd: 'complete' });
    }
    expect(refuse(s, { cmd: 'cashMovement', kind: 'pickup', amount: 100_000, reason: 'Till safe' })).toBe('APPROVAL_REQUIRED');
    expect(refuse(s, { cmd: 'cashMovement', kind: 'pickup', amount: 100_000, reason: 'Till safe', approval: { operator: '2', pin: '2222' } })).toBe('APPROVAL_DENIED');
    run(s, { cmd: 'cashMovement', kind: 'pickup', amount: 100_000, reason: 'Till safe', approval: SUP });
    run(s, { cmd: 'cashMovement', kind: 'paidIn', amount: 5_000, reason: 'Change from safe' });
    run(s, { cmd: 'cashMovement', kind: 'paidOut', amount: 2_500, reason: 'Window cleaner', approval: SUP });

    const x = exec(s, { cmd: 'xReport' }).result as TillReport;
    const sumX = sumJournal(openSeq);
    expect(x.kind).toBe('X');
    expect(x.sales).toEqual({ count: sumX.count, total: sumX.sales });
    expect(x.cash.sales).toBe(sumX.cash);

    // Training sales do not count.
    run(s, { cmd: 'setTraining', on: true, approval: { operator: '7', pin: '7777' } });
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
    run(s, { cmd: 'setTraining', on: false, approval: { operator: '7', pin: '7777' } });
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });

    const sum = sumJournal(openSeq);
    const expectedCash = 125_000 + sum.cash + sum.in - sum.out - sum.pickups;
    expect(refuse(s, { cmd: 'closeTill', counted: [] })).toBe('APPROVAL_REQUIRED');
    // Blind count: 10 kr short.
    const countedTotal = expectedCash - 1_000;
    const z = exec(s, { cmd: 'closeTill', counted: [{ denomination: 100, count: countedTotal / 100 }], approval: SUP }).result as TillReport;
    expect(z).toMatchObject({
      kind: 'Z',
      zNumber: 1,
      sales: { count: sum.count, total: sum.sales },
      tenders: [{ kind: 'cash', amount: sum.cash }],
      rounding: sum.rounding,
      voids: { amount: sum.voids },
      cancels: { amount: sum.cancels },
      training: { count: 1 },
      cash: { float: 125_000, paidIn: 5_000, paidOut: 2_500, pickups: 100_000, expected: expectedCash, counted: countedTotal, overShort: -1_000 },
      grandTotal: sum.sales,
    });
    expect(z.vat.reduce((a, v) => a + v.vat, 0)).toBe(sum.vat);
    expect(z.vat.reduce((a, v) => a + v.gross, 0) + z.rounding).toBe(z.sales.total);
    expect(s.snapshot().lane.till).toBeNull();
    expect(refuse(s, { cmd: 'scan', code: MILK })).toBe('TILL_NOT_OPEN');
    const stored = db.prepare('SELECT z_number, over_short, expected_cash FROM till_session WHERE z_number = 1').get();
    expect(stored).toEqual({ z_number: 1, over_short: -1_000, expected_cash: expectedCash });

    // Next day: the grand total carries on and is never reset.
    run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 5 }] });
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
    const z2 = exec(s, { cmd: 'closeTill', counted: [{ denomination: 10_000, count: 5 }, { denomination: 100, count: 17 }], approval: SUP }).result as TillReport;
    expect(z2.zNumber).toBe(2);
    expect(z2.sales.total).toBe(1700);
    expect(z2.grandTotal).toBe(sum.sales + 1700);
    expect(z2.cash.overShort).toBe(0);
    expect(new Journal(db).verify().ok).toBe(true);
  });

  it('refuses closing the till or moving cash while a sale is open', () => {
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Butik', laneId: '1' }, { now: testClock() });
    run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
    run(s, { cmd: 'openTill', float: [] });
    run(s, { cmd: 'scan', code: MILK });
    expect(refuse(s, { cmd: 'closeTill', counted: [] })).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'cashMovement', kind: 'paidIn', amount: 100, reason: 'x' })).toBe('NOT_ALLOWED_NOW');
  });
});
