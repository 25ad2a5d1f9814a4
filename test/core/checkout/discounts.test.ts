/** Manual discounts (line and sale, percent or amount), price overrides, their limits and approvals. */
import fc from 'fast-check';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Line } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { computeTotals } from '../../../core/pricing';
import { allocate, reprice } from '../../../core/pricing/reprice';
import { PROFILES } from '../../../core/profile';
import { tempDir } from '../../helpers/tmp';
import { refuse, run } from '../../helpers/lane';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'disc.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});
function lane() {
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: testClock() });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [] });
  return s;
}
const SUP = { operator: '7', pin: '7777' };
const BUTTER = DEMO_ITEMS.butter.codes[0]!; // 54,90, food: 6 % (C) on the test clock's date
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90, 25 %
const JULMUST = DEMO_ITEMS.julmust.codes[0]!; // 12,90 + pant 1,00

describe('line discounts', () => {
  it('a cashier gives 10 % alone; more needs a supervisor; the discount follows quantity changes', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER });
    let snap = run(s, { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 1000, reason: 'Short date' });
    expect(snap.checkout!.lines[0]).toMatchObject({ grossTotal: 5490, total: 4941, discounts: [{ source: 'manual', amount: 549, text: 'Short date' }] });
    expect(refuse(s, { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 5000, reason: 'Damaged' })).toBe('APPROVAL_REQUIRED');
    snap = run(s, { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 5000, reason: 'Damaged', approval: SUP });
    expect(snap.checkout!.lines[0]!.total).toBe(2745);
    snap = run(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 2 });
    expect(snap.checkout!.lines[0]).toMatchObject({ grossTotal: 10980, total: 5490 });
    expect(snap.checkout!.totals).toMatchObject({ total: 5490, discounts: 5490 });
    snap = run(s, { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 0, reason: 'Undo' });
    expect(snap.checkout!.lines[0]!.total).toBe(10980);
    const approvals = db.prepare("SELECT body FROM journal WHERE kind = 'discount.line' ORDER BY seq").all() as Array<{ body: string }>;
    expect(approvals.map((r) => JSON.parse(r.body).approvedBy)).toEqual([null, '7', null]);
  });

  it('the receipt shows the shelf price, each discount with its reason, and what the customer saved', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 1000, reason: 'Kort datum' });
    run(s, { cmd: 'tenderCash', amount: 5000 });
    const text = run(s, { cmd: 'complete' }).lastSale!.receiptText;
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Smör'));
    expect(lines[at]).toMatch(/^Smör normalsaltat 500 g\s+54,90 C$/);
    expect(lines[at + 1]).toMatch(/^  Kort datum\s+-5,49  $/);
    expect(text).toMatch(/\nSumma\s+49,41\nÖresavrundning\s+-0,41\nTOTALT SEK\s+49,00\n/);
    expect(text).toMatch(/\nDu sparade\s+5,49\n/);
    for (const l of lines.filter((x) => !/^\[(QR|BARCODE)\]/.test(x))) expect(l.length).toBeLessThanOrEqual(42);
    expect(text).not.toMatch(/…/);
  });

  it('never takes a line below zero and never discounts a deposit', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: JULMUST });
    const snap = run(s, { cmd: 'discount', lineId: 'L1', kind: 'amount', value: 5000, reason: 'Gift', approval: SUP });
    expect(snap.checkout!.lines.map((l) => l.total)).toEqual([0, 100]);
    expect(refuse(s, { cmd: 'discount', lineId: 'L2', kind: 'amount', value: 50, reason: 'x' })).toBe('NOT_ALLOWED_NOW');
  });
});

describe('sale discounts and price overrides', () => {
  it('shares a sale discount over the lines exactly, so VAT still adds up', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'scan', code: JULMUST });
    const snap = run(s, { cmd: 'discount', kind: 'amount', value: 1000, reason: 'Loyal customer' });
    const lines = snap.checkout!.lines;
    expect(lines.filter((l) => l.discounts.some((d) => d.source === 'sale')).reduce((a, l) => a + l.discounts[0]!.amount, 0)).toBe(1000);
    expect(lines.find((l) => l.depositFor)!.discounts).toEqual([]);
    const t = snap.checkout!.totals;
    expect(t.total).toBe(5490 + 2990 + 1290 + 100 - 1000);
    expect(t.vat.reduce((a, v) => a + v.gross, 0)).toBe(t.total);
    expect(refuse(s, { cmd: 'discount', kind: 'percent', value: 2000, reason: 'Too much' })).toBe('APPROVAL_REQUIRED');
  });

  it('overrides a price only with a supervisor, keeping the list price', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: SOAP });
    expect(refuse(s, { cmd: 'overridePrice', lineId: 'L1', unitPrice: 1990, reason: 'Shelf price' })).toBe('APPROVAL_REQUIRED');
    const snap = run(s, { cmd: 'overridePrice', lineId: 'L1', unitPrice: 1990, reason: 'Shelf price', approval: SUP });
    expect(snap.checkout!.lines[0]).toMatchObject({ unitPrice: 1990, total: 1990, priceOverride: { listUnitPrice: 2990, reason: 'Shelf price', approvedBy: '7' } });
  });
});

describe('repricing properties', () => {
  const lineArb = fc.record({
    unitPrice: fc.integer({ min: 0, max: 100_000 }),
    quantity: fc.integer({ min: 1, max: 20 }),
    vatRate: fc.constantFrom(600, 1200, 2500),
    voided: fc.boolean(),
    manual: fc.option(fc.record({ kind: fc.constantFrom('percent' as const, 'amount' as const), value: fc.integer({ min: 1, max: 20_000 }) }), { nil: null }),
  });
  type Spec = { unitPrice: number; quantity: number; vatRate: number; voided: boolean; manual: { kind: 'percent' | 'amount'; value: number } | null };
  const toLines = (specs: Spec[]): Line[] =>
    specs.map((x, i) => ({
      lineId: `L${i}`,
      itemId: `i${i}`,
      name: 'x',
      code: '',
      unit: 'piece',
      quantity: x.quantity,
      weightGrams: null,
      unitPrice: x.unitPrice,
      grossTotal: 0,
      discounts: [],
      total: 0,
      departmentId: 'd',
      vatRate: x.vatRate,
      manualDiscount: x.manual && { ...x.manual, value: x.manual.kind === 'percent' ? Math.min(x.manual.value, 10_000) : x.manual.value, reason: 'r', approvedBy: null },
      priceOverride: null,
      ageLimit: null,
      depositFor: null,
      priceFromCode: false,
      voided: x.voided,
    }));
  it('never goes negative, VAT sums to the total, and removing a line never raises the total', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 15 }), fc.option(fc.integer({ min: 1, max: 50_000 }), { nil: null }), (specs, saleAmount) => {
        const sale = saleAmount === null ? null : { kind: 'amount' as const, value: saleAmount, reason: 's', approvedBy: null };
        const lines = reprice(toLines(specs), sale, []);
        const t = computeTotals(lines, [], PROFILES.SE);
        expect(t.total).toBeGreaterThanOrEqual(0);
        for (const l of lines) expect(l.total).toBeGreaterThanOrEqual(0);
        expect(t.vat.reduce((a, v) => a + v.gross, 0)).toBe(t.total);
        const without = reprice(toLines(specs.slice(1)), sale, []);
        expect(computeTotals(without, [], PROFILES.SE).total).toBeLessThanOrEqual(t.total);
      }),
    );
  });
  it('allocates exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 20 }), (amount, bases) => {
        const sum = bases.reduce((a, b) => a + b, 0);
        const shares = allocate(Math.min(amount, sum), bases);
        expect(shares.reduce((a, b) => a + b, 0)).toBe(Math.min(amount, sum));
        shares.forEach((x, i) => expect(x).toBeLessThanOrEqual(bases[i]!));
      }),
    );
  });
});
