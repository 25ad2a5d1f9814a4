/**
 * VAT by date (core/markets/vat.ts): Sweden's VAT on food is 12 % until 31 March 2026, 6 % from
 * 1 April 2026 to 31 December 2027 and 12 % again from 1 January 2028 (prop. 2025/26:55). The
 * lane's items take their class's rate on the business date of the core's clock; a sale that
 * began before midnight and completes after it takes the new day's; the Z-dagrapport splits the
 * VAT of a till day that spans the change by rate, as the receipts did.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import type { LaneService } from '../../../core/lane/host';
import { PROFILES } from '../../../core/profile';
import type { ControlUnitSimulator } from '../../../core/fiscal/control-unit/simulator';
import type { ManualClock } from '../../../core/clock';
import { openSwedishTill, type SwedishTill } from '../../helpers/se-till';
import { vatRateOn } from '../../../core/markets/vat';
import { parseProfile } from '../../../core/markets';
import se from '../../../core/markets/profiles/se';
import { renderTillReport } from '../../../core/till/report';
import { exec, run } from '../../helpers/lane';
import type { TillReport } from '../../../protocol/terminal';
import { tempDir } from '../../helpers/tmp';

const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 kr, class food
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90 kr, class standard
const NEWSPAPER = DEMO_ITEMS.newspaper.codes[0]!; // 40,00 kr, class reduced (6 % throughout)
const JULMUST = DEMO_ITEMS.julmust.codes[0]!; // 12,90 kr + pant 1 kr, food
const SUPERVISOR = { operator: '7', pin: '7777' };

describe('the Swedish profile: food VAT by date', () => {
  it('is 12 % to 2026-03-31, 6 % from 2026-04-01 to 2027-12-31, 12 % from 2028-01-01; other classes unchanged', () => {
    const on = (d: string) => vatRateOn(PROFILES.SE, 'food', d);
    expect([on('2025-12-31'), on('2026-03-31'), on('2026-04-01'), on('2027-12-31'), on('2028-01-01'), on('2040-06-01')]).toEqual([1200, 1200, 600, 600, 1200, 1200]);
    expect(vatRateOn(PROFILES.SE, 'standard', '2026-04-01')).toBe(2500);
    expect(vatRateOn(PROFILES.SE, 'reduced', '2026-03-31')).toBe(600);
    expect(vatRateOn(PROFILES.SE, 'no-such-class', '2026-04-01')).toBeNull();
  });

  it('refuses dated rates with a gap, an overlap, an open middle or a rate without a letter, naming the field', () => {
    const food = (rates: unknown[]) => ({ ...se, vatClasses: [{ id: 'food', rates }] });
    expect(() => parseProfile(food([{ rate: 1200, to: '2026-03-31' }, { rate: 600, from: '2026-04-02' }]), 'SE')).toThrow(/vatClasses\.0\.rates\.1\.from: must be the day after the previous rate's last day \(2026-03-31\)/);
    expect(() => parseProfile(food([{ rate: 1200, to: '2026-03-31' }, { rate: 600, from: '2026-03-31' }]), 'SE')).toThrow(/rates\.1\.from/);
    expect(() => parseProfile(food([{ rate: 1200 }, { rate: 600, from: '2026-04-01' }]), 'SE')).toThrow(/rates\.1\.from/);
    expect(() => parseProfile(food([{ rate: 1300 }]), 'SE')).toThrow(/rates\.0\.rate: 1300 is not one of the profile's vatRates/);
    expect(() => parseProfile(food([{ rate: 1200, from: '2020-01-01' }]), 'SE')).toThrow(/rates\.0\.from/);
    expect(() => parseProfile(food([{ rate: 1200, to: '2020-01-01' }]), 'SE')).toThrow(/rates\.0\.to/);
    expect(() => parseProfile(food([{ rate: 1200, to: '2026-3-31' }, { rate: 600, from: '2026-04-01' }]), 'SE')).toThrow(/YYYY-MM-DD/);
  });
});

describe('a Swedish lane across a change of rate', () => {
  let t: { dir: string; cleanup: () => void };
  let till: SwedishTill;
  let clock: ManualClock;
  let cu: ControlUnitSimulator;
  let lane: LaneService;

  beforeEach(() => {
    t = tempDir('kassa-vat-dates-');
    // Stockholm is UTC+2 from 29 March 2026: 21:50Z is 23:50 on 31 March.
    till = openSwedishTill(t.dir, '2026-03-31T21:50:00.000Z');
    ({ clock, cu, lane } = till);
  });
  afterEach(() => {
    till.close();
    t.cleanup();
  });

  function sell(codes: string[], cash: number, completeAfterMs = 1_000) {
    for (const code of codes) run(lane, { cmd: 'scan', code });
    run(lane, { cmd: 'tenderCash', amount: cash });
    clock.advance(completeAfterMs);
    return run(lane, { cmd: 'complete' }).lastSale!;
  }

  it('sells milk at 12 % (B) on 31 March at 23:50 and at 6 % (C) on 1 April at 00:00, soap at 25 % both days; the Z splits by rate', () => {
    const before = sell([MILK, SOAP], 5_000);
    expect(before.receiptText).toMatch(/^Mellanmjölk 1,5 % 1 l {2,}16,95 B$/m);
    expect(before.receiptText).toMatch(/^B 12 % +1,82 +15,13 +16,95$/m);
    expect(before.receiptText).toMatch(/^A 25 % +5,98 +23,92 +29,90$/m);
    expect(before.receiptText).toMatch(/^Varav moms {2,}7,80$/m);
    expect(cu.records()[0]!.vat).toEqual([{ rate: 2500, vat: 598 }, { rate: 1200, vat: 182 }]);

    clock.set('2026-03-31T22:00:00.000Z'); // 00:00 on 1 April in Stockholm
    const after = sell([MILK, SOAP], 5_000);
    expect(after.receiptText).toMatch(/^Mellanmjölk 1,5 % 1 l {2,}16,95 C$/m);
    expect(after.receiptText).toMatch(/^C 6 % +0,96 +15,99 +16,95$/m);
    expect(after.receiptText).not.toMatch(/^B 12 %/m);
    expect(after.receiptText).toMatch(/^Varav moms {2,}6,94$/m);
    expect(cu.records()[1]!.vat).toEqual([{ rate: 2500, vat: 598 }, { rate: 600, vat: 96 }]);

    // The till day opened on 31 March and closes on 1 April: its VAT by rate is the receipts' VAT.
    const x = exec(lane, { cmd: 'xReport' }).result as TillReport;
    const z = exec(lane, { cmd: 'closeTill', counted: [{ denomination: 100, count: x.cash.expected / 100 }], approval: SUPERVISOR }).result as TillReport;
    expect(z.vat).toEqual([
      { rate: 2500, vat: 1196, net: 4784, gross: 5980 },
      { rate: 1200, vat: 182, net: 1513, gross: 1695 },
      { rate: 600, vat: 96, net: 1599, gross: 1695 },
    ]);
    const text = renderTillReport(z, PROFILES.SE);
    expect(text).toMatch(/^Z-DAGRAPPORT nr 1$/m);
    expect(text).toMatch(/^Moms B 12 % {2,}1,82 \/ 16,95$/m);
    expect(text).toMatch(/^Moms C 6 % {2,}0,96 \/ 16,95$/m);
  });

  it('a sale begun at 23:59 on 31 March and completed after midnight takes 1 April’s rate; its pant follows the drink', () => {
    clock.set('2026-03-31T21:59:00.000Z');
    const sale = sell([JULMUST, MILK], 5_000, 120_000); // completed at 00:01
    expect(sale.receiptText).toMatch(/^Julmust 33 cl burk {2,}12,90 C$/m);
    expect(sale.receiptText).toMatch(/^ {2}Pant burk {2,}1,00 C$/m);
    expect(sale.receiptText).toMatch(/^C 6 % +1,75 +29,10 +30,85$/m);
    expect(sale.receiptText).toMatch(/^ +2026-04-01 00:01$/m);
    expect(cu.records()[0]!.vat).toEqual([{ rate: 600, vat: 175 }]);
  });

  it('goes back to 12 % on 1 January 2028, and newspapers stay at 6 % throughout', () => {
    clock.set('2027-12-31T22:59:00.000Z'); // 23:59 on 31 December 2027 (UTC+1)
    const last = sell([MILK, NEWSPAPER], 6_000);
    expect(last.receiptText).toMatch(/^C 6 % +3,22 +53,73 +56,95$/m);
    clock.set('2027-12-31T23:00:00.000Z'); // 00:00 on 1 January 2028
    const first = sell([MILK, NEWSPAPER], 6_000);
    expect(first.receiptText).toMatch(/^Mellanmjölk 1,5 % 1 l {2,}16,95 B$/m);
    expect(first.receiptText).toMatch(/^Dagstidning {2,}40,00 C$/m);
    expect(first.receiptText).toMatch(/^B 12 % +1,82 +15,13 +16,95$/m);
    expect(first.receiptText).toMatch(/^C 6 % +2,26 +37,74 +40,00$/m);
  });

  it('an unknown item sold under its department takes the department class’s rate of the day', () => {
    clock.set('2026-04-01T08:00:00.000Z');
    const depts = exec(lane, { cmd: 'departments' }).result as { departments: Array<{ id: string; vatRate: number }> };
    expect(depts.departments.find((d) => d.id === 'mejeri')?.vatRate).toBe(600);
    expect(depts.departments.find((d) => d.id === 'hushall')?.vatRate).toBe(2500);
  });
});
