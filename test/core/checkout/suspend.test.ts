/** Parking a basket on a slip and resuming it here or on another lane; receipt copies; no-sale. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReceiptCopy, type Slip, type SuspendedList } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, DEMO_SCANS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { tempDir } from '../../helpers/tmp';
import { exec, refuse, run } from '../../helpers/lane';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
const dbs: Db[] = [];
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => {
  for (const d of dbs.splice(0)) d.close();
  tmp.cleanup();
});
function lane(laneId: string): { s: LaneService; db: Db } {
  const db = openDatabase(join(tmp.dir, `lane${laneId}.db`));
  dbs.push(db);
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 'store-1', storeName: 'Butik', laneId }, { now: testClock() });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [] });
  return { s, db };
}
const MILK = DEMO_ITEMS.milk.codes[0]!;
const JULMUST = DEMO_ITEMS.julmust.codes[0]!;

describe('suspend and resume', () => {
  it('lists the baskets parked on this lane (newest first, with their first items) until they are resumed', () => {
    const { s } = lane('1');
    run(s, { cmd: 'scan', code: MILK });
    const first = exec(s, { cmd: 'suspendSale' }).result as Slip;
    run(s, { cmd: 'scan', code: JULMUST, quantity: 2 });
    run(s, { cmd: 'scan', code: MILK });
    const second = exec(s, { cmd: 'suspendSale' }).result as Slip;
    const list = () => (exec(s, { cmd: 'suspendedList' }).result as SuspendedList).suspended;
    expect(list().map((x) => [x.barcode, x.items, x.names, x.operator])).toEqual([
      [second.barcode, 2, [DEMO_ITEMS.julmust.name, DEMO_ITEMS.milk.name], '1'],
      [first.barcode, 1, [DEMO_ITEMS.milk.name], '1'],
    ]);
    run(s, { cmd: 'resumeSale', slip: list()[1]!.barcode });
    expect(s.snapshot().checkout?.lines.map((l) => l.name)).toEqual([DEMO_ITEMS.milk.name]);
    expect(list().map((x) => x.barcode)).toEqual([second.barcode]);
  });

  it('parks a basket on a slip and resumes it on the same lane exactly once', () => {
    const { s, db } = lane('1');
    run(s, { cmd: 'scan', code: MILK, quantity: 2 });
    run(s, { cmd: 'scan', code: JULMUST });
    run(s, { cmd: 'scan', code: DEMO_SCANS.cheese750g });
    const before = s.snapshot().checkout!;
    const slip = exec(s, { cmd: 'suspendSale' }).result as Slip;
    expect(s.snapshot().checkout).toBeNull();
    expect(slip.barcode).toMatch(/^S[0-9a-f]{32}$/);
    expect(slip.slipText).toContain(slip.barcode);
    // What the customer or cashier reads on the slip: in the store's language, in its money format.
    const total = (before.totals.total / 100).toLocaleString('sv-SE', { minimumFractionDigits: 2 }).replace(/\s/g, ' ');
    expect(slip.slipText).toMatch(new RegExp(`^\\s+PARKERAT KÖP\\n[\\s\\S]*\\nAntal varor 4\\s+${total} SEK\\n`));
    expect(slip.slipText).not.toMatch(/SUSPENDED|\d\.\d\d SEK/);
    const resumed = run(s, { cmd: 'resumeSale', slip: slip.barcode }).checkout!;
    expect(resumed.lines.map((l) => [l.name, l.quantity, l.weightGrams, l.total])).toEqual(before.lines.map((l) => [l.name, l.quantity, l.weightGrams, l.total]));
    expect(resumed.totals.total).toBe(before.totals.total);
    run(s, { cmd: 'cancelSale' });
    expect(refuse(s, { cmd: 'resumeSale', slip: slip.barcode })).toBe('SLIP_ALREADY_RESUMED');
    expect(refuse(s, { cmd: 'resumeSale', slip: slip.qr })).toBe('SLIP_ALREADY_RESUMED');
    const kinds = (db.prepare("SELECT kind FROM journal WHERE kind LIKE 'sale.%' ORDER BY seq").all() as Array<{ kind: string }>).map((r) => r.kind);
    expect(kinds).toEqual(['sale.suspended', 'sale.resumed', 'sale.cancelled']);
  });

  it('resumes on another lane of the store from the slip QR, at that lane’s prices', () => {
    const a = lane('1');
    const b = lane('2');
    run(a.s, { cmd: 'scan', code: MILK, quantity: 3 });
    run(a.s, { cmd: 'scan', code: DEMO_SCANS.salad49_95 });
    const slip = exec(a.s, { cmd: 'suspendSale' }).result as Slip;
    expect(refuse(b.s, { cmd: 'resumeSale', slip: slip.barcode })).toBe('SLIP_NOT_FOUND'); // barcode is lane-local
    const co = run(b.s, { cmd: 'resumeSale', slip: slip.qr }).checkout!;
    expect(co.lines.map((l) => [l.name, l.quantity, l.total])).toEqual([
      ['Mellanmjölk 1,5 % 1 l', 3, 5085],
      ['Färsk sallad deli', 1, 4995],
    ]);
    expect(run(b.s, { cmd: 'scan', code: MILK }).checkout!.lines).toHaveLength(3); // and selling goes on
  });

  it('refuses garbled or foreign slips and changes nothing', () => {
    const { s } = lane('1');
    for (const bad of ['KS1|x|store-1|1||a*1', 'KS1|01a20d6d-5a00-7007-842e-c2fc99ac247a|other|1||' + MILK + '*1', 'KS1|01a20d6d-5a00-7007-842e-c2fc99ac247a|store-1|1||' + MILK + '*0', 'hello', 'S' + '0'.repeat(32)]) {
      expect(refuse(s, { cmd: 'resumeSale', slip: bad })).toBe('SLIP_NOT_FOUND');
    }
    expect(s.snapshot().checkout).toBeNull();
    expect(refuse(s, { cmd: 'suspendSale' })).toBe('NO_OPEN_SALE');
  });
});

describe('receipt copies and no-sale', () => {
  it('prints a copy marked COPY and journals it', () => {
    const { s, db } = lane('1');
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'tenderCash' });
    const sale = run(s, { cmd: 'complete' }).lastSale!;
    const copy = exec(s, { cmd: 'reprintReceipt' }).result as ReceiptCopy;
    expect(copy.saleId).toBe(sale.saleId);
    expect(copy.copyText.startsWith('*** KOPIA / COPY ***\n')).toBe(true);
    expect(copy.copyText).toContain(sale.receiptText);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'receipt.copy' AND ref = ?").get(sale.saleId)).toEqual({ n: 1 });
    expect(db.prepare("SELECT count(*) AS n FROM receipt WHERE kind = 'copy'").get()).toEqual({ n: 1 });
  });
  it('opens the drawer without a sale only with a supervisor', () => {
    const { s, db } = lane('1');
    expect(refuse(s, { cmd: 'noSale', reason: 'Change for a note' })).toBe('APPROVAL_REQUIRED');
    run(s, { cmd: 'noSale', reason: 'Change for a note', approval: { operator: '7', pin: '7777' } });
    expect(JSON.parse((db.prepare("SELECT body FROM journal WHERE kind = 'drawer.noSale'").get() as { body: string }).body)).toMatchObject({ approvedBy: '7', reason: 'Change for a note' });
  });
});
