/**
 * Empties brought back (pantretur, Leergut) as their own business case (issue 21): a line of its own
 * kind at minus the deposit, journalled as `deposit.returned`, never discounted or returned again;
 * more empties than purchase are paid out in cash.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { DE_DEMO, SE_DEMO } from '../../../core/markets/demo';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { testClock } from '../../helpers/clock';
import { refuse, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'd.db'));
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

function lane(country: 'SE' | 'DE'): LaneService {
  generateCatalog(db, { country });
  seedDemoOperators(new Operators(db));
  const s = new LaneService(db, new Catalog(db), PROFILES[country], { storeId: 's', storeName: 'Demo', laneId: '1' }, { now: testClock() });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 5 }] });
  return s;
}
const journalKinds = () => db.prepare<[], { kind: string; body: string }>("SELECT kind, body FROM journal WHERE kind = 'deposit.returned' ORDER BY seq").all();

describe('empties brought back', () => {
  it('SE: old and new pant come back as lines of their own kind, reduce the total, are journalled, and count as no item', () => {
    const s = lane('SE');
    run(s, { cmd: 'scan', code: SE_DEMO.items.milk.codes[0]! });
    run(s, { cmd: 'returnDeposit', itemId: 'pant-burk', quantity: 3 });
    const snap = run(s, { cmd: 'returnDeposit', itemId: 'pant-burk-2kr', quantity: 2 });
    const back = snap.checkout!.lines.filter((l) => l.kind === 'depositReturn');
    expect(back.map((l) => [l.name, l.quantity, l.unitPrice, l.total, l.vatRate])).toEqual([['Pant burk', 3, -100, -300, 600], ['Pant burk 2 kr', 2, -200, -400, 600]]);
    expect(snap.checkout!.totals).toMatchObject({ total: 1695 - 700, itemCount: 1 });
    // Not discounted, repriced or recounted like an item.
    expect(refuse(s, { cmd: 'discount', lineId: back[0]!.lineId, kind: 'percent', value: 1000, reason: 'x' })).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'setQuantity', lineId: back[0]!.lineId, quantity: 5 })).toBe('QUANTITY_NOT_ALLOWED');
    run(s, { cmd: 'tenderCash', amount: 1000 });
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale).toMatchObject({ total: 1000, change: 0 }); // 9,95 rounded to 10 kr in cash
    expect(done.lastSale!.receiptText).toMatch(/Pant burk\s+-3,00 C\n {2}3 x -1,00\n/);
    expect(journalKinds().map((j) => JSON.parse(j.body) as { itemId: string; quantity: number; amount: number })).toMatchObject([
      { itemId: 'pant-burk', quantity: 3, amount: -300 },
      { itemId: 'pant-burk-2kr', quantity: 2, amount: -400 },
    ]);
  });

  it('DE: Leergut alone starts a sale (a negative total); what is bought then is paid less the empties', () => {
    const s = lane('DE');
    let snap = run(s, { cmd: 'returnDeposit', itemId: DE_DEMO.items.pfandEinweg.id, quantity: 8 });
    expect(snap.checkout!.totals).toMatchObject({ total: -200, itemCount: 0 });
    // Paying out more empties than purchase is not built: the sale is not complete until something is bought.
    expect(refuse(s, { cmd: 'complete' })).toBe('INSUFFICIENT_TENDER');
    snap = run(s, { cmd: 'scan', code: DE_DEMO.items.bread.codes[0]! });
    expect(snap.checkout!.totals).toMatchObject({ total: 149, itemCount: 1 });
    run(s, { cmd: 'tenderCash', amount: 200 });
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale).toMatchObject({ total: 149, change: 51 });
    expect(done.lastSale!.receiptText).toMatch(/Pfand Einweg\s+-2,00 A/);
  });

  it('refuses an item that is no deposit, and a line of empties is never returned again', () => {
    const s = lane('SE');
    expect(refuse(s, { cmd: 'returnDeposit', itemId: SE_DEMO.items.milk.id })).toBe('INVALID_COMMAND');
    expect(refuse(s, { cmd: 'returnDeposit', itemId: 'no-such-item' })).toBe('INVALID_COMMAND');
    expect(journalKinds()).toEqual([]);
    run(s, { cmd: 'scan', code: SE_DEMO.items.soda.codes[0]! });
    run(s, { cmd: 'returnDeposit', itemId: 'pant-pet' });
    run(s, { cmd: 'tenderCash', amount: 5000 });
    const saleId = run(s, { cmd: 'complete' }).lastSale!.saleId;
    const receiptCode = `R${saleId.replace(/-/g, '')}`;
    // L3 is the empties line (L1 the soda, L2 its pant).
    expect(refuse(s, { cmd: 'returnLines', receiptCode, lines: [{ lineId: 'L3', quantity: 1 }], reason: 'Fel' })).toBe('LINE_NOT_FOUND');
  });
});
