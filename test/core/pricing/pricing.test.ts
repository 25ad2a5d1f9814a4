import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Line } from '../../../protocol/terminal';
import { cashRounding, cashToPay, computeTotals, divRoundHalfUp, lineTotal, vatBreakdown, vatOfGross } from '../../../core/pricing';
import { PROFILES } from '../../../core/profile';

function line(p: Partial<Line> & { total: number; vatRate: number }): Line {
  return {
    lineId: p.lineId ?? 'L1',
    itemId: 'i',
    name: 'x',
    code: '',
    unit: 'piece',
    quantity: 1,
    weightGrams: null,
    unitPrice: p.total,
    grossTotal: p.total,
    discounts: [],
    departmentId: 'd',
    manualDiscount: null,
    priceOverride: null,
    ageLimit: null,
    depositFor: null,
    priceFromCode: false,
    voided: false,
    ...p,
  };
}

describe('integer rounding', () => {
  it('rounds half up', () => {
    expect(divRoundHalfUp(5, 10)).toBe(1);
    expect(divRoundHalfUp(4, 10)).toBe(0);
    expect(divRoundHalfUp(15, 10)).toBe(2);
    expect(divRoundHalfUp(-15, 10)).toBe(-2);
    expect(() => divRoundHalfUp(1, 0)).toThrow();
  });
});

describe('line totals', () => {
  it('multiplies count items', () => {
    expect(lineTotal('piece', 1695, 3, null)).toBe(5085);
  });
  it('prices weighed items per kilogram, rounded to the öre', () => {
    expect(lineTotal('weight', 2490, 1, 1234)).toBe(3073); // 24.90 kr/kg × 1.234 kg = 30.7266
    expect(lineTotal('weight', 3990, 1, 500)).toBe(1995);
    expect(lineTotal('weight', 1999, 1, 333)).toBe(666); // 6.65667
    expect(() => lineTotal('weight', 1000, 1, null)).toThrow();
  });
});

describe('VAT', () => {
  it('extracts VAT from VAT-inclusive prices per rate', () => {
    expect(vatOfGross(12500, 2500)).toBe(2500);
    expect(vatOfGross(11200, 1200)).toBe(1200);
    expect(vatOfGross(10600, 600)).toBe(600);
    expect(vatOfGross(1695, 1200)).toBe(182); // 1695 × 12/112 = 181.6
  });
  it('breaks a mixed basket down per rate, ignoring voided lines', () => {
    const rows = vatBreakdown([
      line({ lineId: 'a', total: 1695, vatRate: 1200 }),
      line({ lineId: 'b', total: 4990, vatRate: 2500 }),
      line({ lineId: 'c', total: 2000, vatRate: 1200 }),
      line({ lineId: 'd', total: 9999, vatRate: 600, voided: true }),
    ]);
    expect(rows).toEqual([
      { rate: 2500, gross: 4990, vat: 998, net: 3992 },
      { rate: 1200, gross: 3695, vat: 396, net: 3299 },
    ]);
  });
  it('always sums to the total (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ total: fc.integer({ min: 0, max: 5_000_000 }), vatRate: fc.constantFrom(0, 600, 700, 1200, 1900, 2500), voided: fc.boolean() }), { maxLength: 40 }),
        (specs) => {
          const lines = specs.map((s, i) => line({ ...s, lineId: `L${i}` }));
          const t = computeTotals(lines, [], PROFILES.SE);
          const rows = t.vat;
          expect(rows.reduce((s, r) => s + r.gross, 0)).toBe(t.total);
          for (const r of rows) {
            expect(r.net + r.vat).toBe(r.gross);
            expect(r.vat).toBeGreaterThanOrEqual(0);
            expect(r.vat).toBeLessThanOrEqual(r.gross);
          }
        },
      ),
    );
  });
});

describe('cash rounding', () => {
  it('rounds Swedish cash to whole kronor, 50 öre up', () => {
    expect(cashRounding(12349, 100)).toBe(-49);
    expect(cashRounding(12350, 100)).toBe(50);
    expect(cashRounding(12300, 100)).toBe(0);
    expect(cashRounding(12399, 100)).toBe(1);
  });
  it('does not round where cents are legal tender', () => {
    expect(cashRounding(12349, 1)).toBe(0);
  });
  it('records rounding and change in the totals', () => {
    const lines = [line({ total: 2345, vatRate: 1200 }), line({ lineId: 'L2', total: 1000, vatRate: 2500 })];
    const cash = (amount: number) => ({ tenderId: 't', kind: 'cash' as const, amount, card: null, voucherCode: null });
    const t = computeTotals(lines, [cash(5000)], PROFILES.SE);
    expect(t).toMatchObject({ total: 3345, rounding: -45, due: 3300, tendered: 5000, remaining: 0, change: 1700, itemCount: 2 });
    const de = computeTotals(lines, [cash(3000)], PROFILES.DE);
    expect(de).toMatchObject({ total: 3345, rounding: 0, due: 3345, remaining: 345, change: 0 });
    // Card pays exact; rounding only on the cash rest.
    const card = { tenderId: 'c', kind: 'card' as const, amount: 1000, card: null, voucherCode: null };
    expect(computeTotals(lines, [card], PROFILES.SE)).toMatchObject({ rounding: 0, due: 3345, remaining: 2345 });
    expect(computeTotals(lines, [card, cash(2300)], PROFILES.SE)).toMatchObject({ rounding: -45, due: 3300, remaining: 0, change: 0 });
    expect(cashToPay(lines, [card], PROFILES.SE)).toBe(2300);
    expect(cashToPay(lines, [], PROFILES.SE)).toBe(3300);
  });
  it('cash that does not cover the rest is not rounded: what remains is exact by card, rounded in cash', () => {
    const lines = [line({ total: 21955, vatRate: 1200 })];
    const cash = (amount: number) => ({ tenderId: 't', kind: 'cash' as const, amount, card: null, voucherCode: null });
    const card = (amount: number) => ({ tenderId: 'c', kind: 'card' as const, amount, card: null, voucherCode: null });
    // 100 kr in cash on 219,55: 119,55 left by card, 120 in cash.
    expect(computeTotals(lines, [cash(10000)], PROFILES.SE)).toMatchObject({ rounding: 0, due: 21955, remaining: 11955, remainingCash: 12000, change: 0 });
    expect(computeTotals(lines, [cash(10000), card(11955)], PROFILES.SE)).toMatchObject({ rounding: 0, due: 21955, remaining: 0, remainingCash: 0, change: 0 });
    expect(computeTotals(lines, [cash(10000), cash(12000)], PROFILES.SE)).toMatchObject({ rounding: 45, due: 22000, remaining: 0, change: 0 });
    // 219,45 rounds down: 219 kr in cash pays it.
    const down = [line({ total: 21945, vatRate: 1200 })];
    expect(computeTotals(down, [cash(21900)], PROFILES.SE)).toMatchObject({ rounding: -45, due: 21900, remaining: 0, change: 0 });
    expect(computeTotals(down, [cash(20000)], PROFILES.SE)).toMatchObject({ rounding: 0, remaining: 1945, remainingCash: 1900 });
  });
  it('keeps |rounding| within half a unit and the due amount a whole unit (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000_000 }), (amount) => {
        const r = cashRounding(amount, 100);
        expect(Math.abs(r)).toBeLessThanOrEqual(50);
        expect((amount + r) % 100).toBe(0);
      }),
    );
  });
});

describe('item count and deposits', () => {
  it('counts pieces, one per weighed line, and not deposit lines', () => {
    const t = computeTotals(
      [
        line({ lineId: 'L1', total: 3000, vatRate: 1200, quantity: 3 }),
        line({ lineId: 'L2', total: 300, vatRate: 1200, quantity: 3, depositFor: 'L1' }),
        line({ lineId: 'L3', total: 3073, vatRate: 1200, unit: 'weight', weightGrams: 1234 }),
      ],
      [],
      PROFILES.SE,
    );
    expect(t.itemCount).toBe(4);
    expect(t.total).toBe(6373);
  });
});
