import fc from 'fast-check';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandSchema, type Command, type CommandBody, type Line, type Snapshot } from '../../../protocol/terminal';
import { computeTotals } from '../../../core/pricing';
import { applyPromotions, isActive, loadPromotions, PromotionIndex, type Promotion } from '../../../core/pricing/promotions';
import { reprice } from '../../../core/pricing/reprice';
import { PROFILES } from '../../../core/profile';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog, seedDemoPromotions } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { tempDir } from '../../helpers/tmp';
import { FRIDAY_NOON, SUNDAY_NOON, testClock } from '../../helpers/clock';

let seq = 0;
function line(itemId: string, unitPrice: number, quantity = 1, departmentId = 'd', extra: Partial<Line> = {}): Line {
  const id = `L${++seq}`;
  return {
    lineId: id, itemId, name: itemId, code: '', unit: 'piece', quantity, weightGrams: null, unitPrice,
    grossTotal: unitPrice * quantity, discounts: [], total: unitPrice * quantity, departmentId, vatRate: 1200,
    manualDiscount: null, priceOverride: null, ageLimit: null, depositFor: null, priceFromCode: false, voided: false, ...extra,
  };
}
const NOW = { now: new Date('2026-11-27T12:00:00+01:00'), member: false }; // a Friday, noon in Stockholm
const total = (lines: Line[], promos: Promotion[], ctx = NOW) => {
  const d = applyPromotions(lines, new PromotionIndex(promos), ctx);
  return computeTotals(reprice(lines, null, d), [], PROFILES.SE).total;
};

describe('promotion kinds', () => {
  const p3f2: Promotion = { id: 'A', name: '3 för 2', kind: 'buyXpayY', itemIds: ['must'], buy: 3, pay: 2 };
  it('3 for 2: the cheapest of each three is free; 7 units give two free', () => {
    expect(total([line('must', 1290, 3)], [p3f2])).toBe(2580);
    expect(total([line('must', 1290, 7)], [p3f2])).toBe(1290 * 5);
    const d = applyPromotions([line('must', 1290, 3)], new PromotionIndex([p3f2]), NOW);
    expect(d).toEqual([{ lineId: expect.any(String), promotionId: 'A', text: '3 för 2', amount: 1290 }]);
  });
  it('2 for 30 kr', () => {
    expect(total([line('fil', 1995, 2)], [{ id: 'B', name: '2 för 30', kind: 'nForPrice', itemIds: ['fil'], n: 2, price: 3000 }])).toBe(3000);
    expect(total([line('fil', 1995, 3)], [{ id: 'B', name: '2 för 30', kind: 'nForPrice', itemIds: ['fil'], n: 2, price: 3000 }])).toBe(3000 + 1995);
  });
  it('mix & match across items, most expensive grouped', () => {
    const mm: Promotion = { id: 'C', name: 'Mixa 3 för 45', kind: 'mixMatch', itemIds: ['milk', 'fil'], n: 3, price: 4500 };
    expect(total([line('milk', 1695, 2), line('fil', 1995, 1)], [mm])).toBe(4500);
    expect(total([line('milk', 1695, 1), line('fil', 1995, 1)], [mm])).toBe(1695 + 1995);
  });
  it('percent off a department, also on weighed lines', () => {
    const dp: Promotion = { id: 'D', name: '−20 %', kind: 'departmentPercent', departmentId: 'bread', percentBp: 2000 };
    expect(total([line('a', 3990, 1, 'bread'), line('b', 1000, 1, 'dairy')], [dp])).toBe(3192 + 1000);
    expect(total([line('w', 2490, 1, 'bread', { unit: 'weight', weightGrams: 1000, grossTotal: 2490 })], [dp])).toBe(1992);
  });
  it('member price only with a loyalty card', () => {
    const mp: Promotion = { id: 'E', name: 'Medlemspris', kind: 'memberPrice', itemId: 'smor', price: 4490 };
    expect(total([line('smor', 5490, 2)], [mp])).toBe(10980);
    expect(total([line('smor', 5490, 2)], [mp], { ...NOW, member: true })).toBe(8980);
  });
  it('time windows: dates, days and hours in Stockholm time', () => {
    const w = (window: NonNullable<Promotion['window']>): Promotion => ({ id: 'W', name: 'w', kind: 'memberPrice', itemId: 'x', price: 1, window });
    const ctx = { ...NOW, member: true };
    expect(isActive(w({ days: [5], timeFrom: '08:00', timeTo: '21:00' }), ctx)).toBe(true);
    expect(isActive(w({ days: [6] }), ctx)).toBe(false);
    expect(isActive(w({ timeFrom: '12:01' }), ctx)).toBe(false);
    expect(isActive(w({ timeTo: '12:00' }), ctx)).toBe(false);
    expect(isActive(w({ from: '2026-11-28T00:00:00+01:00' }), ctx)).toBe(false);
    expect(isActive(w({ to: '2026-11-27T11:00:01Z' }), ctx)).toBe(true);
    expect(isActive(w({ to: '2026-11-27T11:00:00Z' }), ctx)).toBe(false);
  });
  it('never touches voided, deposit or label-priced lines', () => {
    const p: Promotion = { id: 'A', name: 'x', kind: 'buyXpayY', itemIds: ['m'], buy: 2, pay: 1 };
    expect(applyPromotions([line('m', 100, 2, 'd', { voided: true }), line('m', 100, 2, 'd', { depositFor: 'X' }), line('m', 100, 2, 'd', { priceFromCode: true })], new PromotionIndex([p]), NOW)).toEqual([]);
  });
});

describe('best price for the customer', () => {
  it('chooses the better of two promotions competing for the same units', () => {
    const a: Promotion = { id: 'A', name: '3 för 2', kind: 'buyXpayY', itemIds: ['must'], buy: 3, pay: 2 }; // 12,90 off
    const b: Promotion = { id: 'B', name: '2 för 20', kind: 'nForPrice', itemIds: ['must'], n: 2, price: 2000 }; // 5,80 off per pair
    expect(total([line('must', 1290, 3)], [a, b])).toBe(2580); // 3 för 2 beats one pair
    expect(total([line('must', 1290, 2)], [a, b])).toBe(2000); // only a pair is possible
    expect(total([line('must', 1290, 5)], [a, b])).toBe(1290 * 5 - 1290 - 580); // one triple and one pair
    const pct: Promotion = { id: 'C', name: '−50 %', kind: 'departmentPercent', departmentId: 'd', percentBp: 5000 }; // 19,35 off
    expect(total([line('must', 1290, 3)], [a, b, pct])).toBe(1935);
  });
  // The catalogue rule the engine is exact for: an item is in at most one multi-buy at a time
  // (any number of department-percent and member-price promotions on top). With several
  // overlapping multi-buys on one item the choice is a heuristic (see the engine's header).
  it('is the same whatever the scan order, and removing a line never raises the total (property)', () => {
    const promos: Promotion[] = [
      { id: 'A', name: 'a', kind: 'buyXpayY', itemIds: ['i1', 'i2'], buy: 3, pay: 2 },
      { id: 'B', name: 'b', kind: 'nForPrice', itemIds: ['i3'], n: 2, price: 1500 },
      { id: 'C', name: 'c', kind: 'mixMatch', itemIds: ['i4', 'i5'], n: 3, price: 2000 },
      { id: 'D', name: 'd', kind: 'departmentPercent', departmentId: 'dx', percentBp: 1500 },
      { id: 'E', name: 'e', kind: 'memberPrice', itemId: 'i4', price: 500 },
      { id: 'F', name: 'f', kind: 'departmentPercent', departmentId: 'dy', percentBp: 3000 },
    ];
    const index = new PromotionIndex(promos);
    const specArb = fc.array(fc.record({ item: fc.constantFrom('i1', 'i2', 'i3', 'i4', 'i5'), price: fc.integer({ min: 1, max: 3000 }), qty: fc.integer({ min: 1, max: 4 }), dept: fc.constantFrom('dx', 'dy') }), { minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(specArb, fc.boolean(), (specs, member) => {
        const ctx = { ...NOW, member };
        const lines = specs.map((x, i) => ({ ...line(x.item, x.price, x.qty, x.dept), lineId: `L${String(i).padStart(2, '0')}` }));
        const t = (ls: Line[]) => computeTotals(reprice(ls, null, applyPromotions(ls, index, ctx)), [], PROFILES.SE);
        const base = t(lines);
        expect(base.total).toBeGreaterThanOrEqual(0);
        expect(base.vat.reduce((a, v) => a + v.gross, 0)).toBe(base.total);
        expect(t([...lines].reverse()).total).toBe(base.total);
        for (let k = 0; k < lines.length; k++) expect(t(lines.filter((_, i) => i !== k)).total).toBeLessThanOrEqual(base.total);
      }),
      { numRuns: Number(process.env.KASSA_PROPERTY_RUNS ?? 300) },
    );
  });
});

describe('promotions at the lane', () => {
  const tmp = tempDir();
  afterEach(() => {});
  it('explains the discount on the line, follows quantity and member card, and restores exactly', () => {
    const path = join(tmp.dir, 'p.db');
    let db = openDatabase(path);
    generateCatalog(db, {});
    seedDemoOperators(new Operators(db));
    seedDemoPromotions(db);
    expect(loadPromotions([{ id: 'bad', spec: '{"id":"bad","kind":"buyXpayY","name":"x","itemIds":["a"],"buy":2,"pay":5}' }])).toEqual([]);
    let n = 0;
    const mk = () => new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: () => new Date('2026-11-24T12:00:00+01:00') });
    let s = mk();
    const run = (cmd: CommandBody) => {
      s.handle(CommandSchema.parse({ ...cmd, id: `p${++n}` }) as Command);
      return s.snapshot();
    };
    run({ cmd: 'signIn', operator: '1', pin: '1111' });
    run({ cmd: 'openTill', float: [] });
    let snap = run({ cmd: 'scan', code: DEMO_ITEMS.julmust.codes[0]!, quantity: 3 });
    expect(snap.checkout!.lines[0]!.discounts).toEqual([{ source: 'promotion', id: 'P-JULMUST-3F2', text: '3 för 2', amount: 1290 }]);
    expect(snap.checkout!.totals.total).toBe(2 * 1290 + 300);
    snap = run({ cmd: 'setQuantity', lineId: 'L1', quantity: 2 });
    expect(snap.checkout!.lines[0]!.discounts).toEqual([]);
    run({ cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! });
    snap = run({ cmd: 'memberCard', card: '1234567890' });
    expect(snap.checkout!.member).toBe('…7890');
    expect(snap.checkout!.lines.find((l) => l.itemId === 'smor-500g')!.total).toBe(4490);
    const before = s.snapshot();
    db.close();
    db = openDatabase(path);
    s = mk();
    expect(s.snapshot()).toEqual(before);
    db.close();
    tmp.cleanup();
  });
});

describe("the demo store's day-bound promotion (bread −20 % Fri–Sat 08–21, Stockholm time)", () => {
  const tmp = tempDir();
  afterEach(() => {});
  const breadAt = (at: string, name: string): Snapshot => {
    const db = openDatabase(join(tmp.dir, `${name}.db`));
    generateCatalog(db, {});
    seedDemoOperators(new Operators(db));
    seedDemoPromotions(db);
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: testClock(at) });
    let n = 0;
    const run = (cmd: CommandBody) => {
      s.handle(CommandSchema.parse({ ...cmd, id: `b${++n}` }) as Command);
      return s.snapshot();
    };
    run({ cmd: 'signIn', operator: '1', pin: '1111' });
    run({ cmd: 'openTill', float: [] });
    const snap = run({ cmd: 'scan', code: DEMO_ITEMS.bread.codes[0]! });
    s.dispose();
    db.close();
    return snap;
  };

  it('takes 20 % off bread on a Friday at noon', () => {
    const snap = breadAt(FRIDAY_NOON, 'friday');
    expect(snap.checkout!.lines[0]!.discounts).toEqual([{ source: 'promotion', id: 'P-BROD-20', text: 'Bröd −20 %', amount: 798 }]);
    expect(snap.checkout!.totals.total).toBe(3192);
  });

  it('sells bread at full price on a Sunday at noon, and on a Friday before 08:00 or from 21:00', () => {
    expect(breadAt(SUNDAY_NOON, 'sunday').checkout!.totals.total).toBe(3990);
    expect(breadAt('2026-11-27T07:59:00+01:00', 'early').checkout!.totals.total).toBe(3990);
    expect(breadAt('2026-11-27T21:00:00+01:00', 'late').checkout!.totals.total).toBe(3990);
    // 20:59 Stockholm is 19:59Z: the store's hours count, not UTC's or the process's
    expect(breadAt('2026-11-27T19:59:00Z', 'last-minute').checkout!.totals.total).toBe(3192);
  });
});
