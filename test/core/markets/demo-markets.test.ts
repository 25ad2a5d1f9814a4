/**
 * Each market brings its own demo store (issue 21): its items, VAT, deposits per product and
 * variable-measure labels read with its own rules — and the German one sells end to end through
 * the lane service on a real SQLite file, receipt in German with the store's legal lines.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { ensureDemoCatalog, generateCatalog } from '../../../core/catalog/demo';
import { isValidGtin, resolveBarcode } from '../../../core/catalog/barcode';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { DE_DEMO, DEMO_MARKETS, DK_DEMO, SE_DEMO } from '../../../core/markets/demo';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { computeTotals } from '../../../core/pricing';
import { PROFILES } from '../../../core/profile';
import type { Line, Profile, Snapshot } from '../../../protocol/terminal';
import { testClock } from '../../helpers/clock';
import { refuse, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(() => tmp?.cleanup());
function fresh(): Db {
  tmp ??= tempDir();
  return openDatabase(join(tmp.dir, `m${Math.random().toString(36).slice(2)}.db`));
}

function lane(db: Db, country: Profile['country']): LaneService {
  seedDemoOperators(new Operators(db));
  const s = new LaneService(db, new Catalog(db), PROFILES[country], { storeId: 's', storeName: 'Demo', laneId: '1', legal: DEMO_MARKETS[country].store }, { now: testClock() });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [] });
  return s;
}
const linesOf = (snap: Snapshot) => snap.checkout!.lines.filter((l) => !l.voided);

describe('every market’s demo catalog', () => {
  it.each(Object.keys(DEMO_MARKETS) as Array<Profile['country']>)('%s: its fixed items resolve with its own rules; codes valid; deposits exist', (country) => {
    const db = fresh();
    generateCatalog(db, { country });
    const c = new Catalog(db);
    const market = DEMO_MARKETS[country];
    for (const item of Object.values(market.items)) {
      for (const code of item.codes) {
        const r = resolveBarcode(code, PROFILES[country]);
        if (!r.ok || r.kind === 'plu') throw new Error(`${country} ${code}: ${r.ok ? r.kind : r.reason}`);
        expect(c.findByCode(r.lookupCode)?.id, code).toBe(item.id);
      }
      if (item.deposit) expect(c.getItem(item.deposit), item.id).toMatchObject({ isDeposit: true });
      if (item.plu) expect(c.findByPlu(item.plu)?.id).toBe(item.id);
    }
    for (const { code } of db.prepare<[], { code: string }>('SELECT code FROM barcode').all()) expect(isValidGtin(code), code).toBe(true);
    const rates = db.prepare<[], { rate_bp: number }>('SELECT rate_bp FROM vat_class').all().map((r) => r.rate_bp);
    for (const rate of rates) expect(PROFILES[country].vatRates.map((v) => v.rate), `${country} ${rate}`).toContain(rate);
    db.close();
  });
});

describe('the German demo store through the lane service', () => {
  it('sells German items with Pfand following the drink’s VAT, German labels, the receipt in German with its legal lines', () => {
    const db = fresh();
    generateCatalog(db, { country: 'DE' });
    const s = lane(db, 'DE');
    const items = DE_DEMO.items;
    run(s, { cmd: 'scan', code: items.milk.codes[0]! });
    run(s, { cmd: 'scan', code: items.cola.codes[0]! });
    run(s, { cmd: 'scan', code: items.icedCoffee.codes[0]! });
    run(s, { cmd: 'scan', code: DE_DEMO.scans.cheese750g });
    let snap = run(s, { cmd: 'scan', code: DE_DEMO.scans.salad4_99 });
    // A Swedish weight label is no German code: refused with the reason.
    expect(refuse(s, { cmd: 'scan', code: SE_DEMO.scans.cheese750g })).toBe('INVALID_BARCODE');
    const lines = linesOf(snap);
    const pick = (name: string) => lines.find((l: Line) => l.name === name)!;
    expect(pick('Pfand Milchflasche')).toMatchObject({ total: 15, vatRate: 700 });
    expect(lines.filter((l) => l.name === 'Pfand Einweg').map((l) => [l.total, l.vatRate])).toEqual([[25, 1900], [25, 700]]);
    expect(pick('Gouda mittelalt am Stück')).toMatchObject({ weightGrams: 750, total: 1118 }); // 14,90 €/kg × 0,750 kg
    expect(pick('Feinkostsalat Theke')).toMatchObject({ total: 499 });
    const total = 139 + 15 + 129 + 25 + 149 + 25 + 1118 + 499;
    expect(snap.checkout!.totals).toMatchObject({ total, rounding: 0 });
    snap = run(s, { cmd: 'tenderCash', amount: 5000 });
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale).toMatchObject({ total, change: 5000 - total });
    const text = done.lastSale!.receiptText;
    for (const want of ['Hauptstraße 1, 10115 Berlin', 'St.-Nr. 11/111/11111', 'USt-IdNr. DE000000000', 'SUMME EUR', 'Rückgeld', 'Pfand Einweg']) expect(text).toContain(want);
    expect(text).toMatch(/\nA 19 %\s+/);
    expect(text).toMatch(/\nB 7 %\s+/);
    expect(text).toMatch(/Frische Vollmilch 3,5 % 1 l Glas\s+1,39 B\n/);
    expect(text).not.toMatch(/Moms|Mellanmjölk|Pant|12 %|25 %/);
    for (const l of text.split('\n').filter((x) => !/^\[(QR|BARCODE)\]/.test(x))) expect(l.length).toBeLessThanOrEqual(42);
    db.close();
  });
});

describe('deposits per product', () => {
  it('SE: the old 1 kr / 2 kr packs and the 2025 2 kr / 3 kr packs sell side by side, each with its own pant', () => {
    const db = fresh();
    generateCatalog(db, {});
    const s = lane(db, 'SE');
    const i = SE_DEMO.items;
    for (const item of [i.julmust, i.julmustNew, i.soda, i.sodaNew]) run(s, { cmd: 'scan', code: item.codes[0]! });
    const deposits = linesOf(s.snapshot()).filter((l) => l.depositFor !== null).map((l) => [l.name, l.total]);
    expect(deposits).toEqual([['Pant burk', 100], ['Pant burk 2 kr', 200], ['Pant PET-flaska', 200], ['Pant PET-flaska 3 kr', 300]]);
    db.close();
  });

  it('DK: pant A, B and C by packaging, with VAT; cash is rounded to 50 øre, a card pays the exact amount', () => {
    const db = fresh();
    generateCatalog(db, { country: 'DK' });
    const s = lane(db, 'DK');
    const i = DK_DEMO.items;
    for (const item of [i.can, i.smallPet, i.largePet]) run(s, { cmd: 'scan', code: item.codes[0]! });
    run(s, { cmd: 'scan', code: DK_DEMO.scans.salad39_75 });
    const snap = s.snapshot();
    expect(linesOf(snap).filter((l) => l.depositFor !== null).map((l) => [l.name, l.total, l.vatRate])).toEqual([['Pant A', 100, 2500], ['Pant B', 150, 2500], ['Pant C', 300, 2500]]);
    const total = 800 + 100 + 1500 + 150 + 2000 + 300 + 3975; // 88,25 kr
    expect(snap.checkout!.totals.total).toBe(total);
    const lines = snap.checkout!.lines;
    expect(computeTotals(lines, [{ tenderId: 'c', kind: 'cash', amount: 10_000, card: null, voucherCode: null }], PROFILES.DK)).toMatchObject({ rounding: 25, due: 8850, change: 1150 });
    expect(computeTotals(lines, [{ tenderId: 'k', kind: 'card', amount: total, card: null, voucherCode: null }], PROFILES.DK)).toMatchObject({ rounding: 0, due: total });
    db.close();
  });
});

describe('the demo store follows the profile it is started with', () => {
  it('writes the market’s catalog anew when the profile changes, and never touches a catalog from HQ', () => {
    const db = fresh();
    expect(ensureDemoCatalog(db, 'SE', testClock())).not.toBeNull();
    expect(ensureDemoCatalog(db, 'SE', testClock())).toBeNull();
    expect(new Catalog(db).getItem('mellanmjolk-1l')).not.toBeNull();
    expect(ensureDemoCatalog(db, 'DE', testClock())).not.toBeNull();
    const c = new Catalog(db);
    expect(c.getItem('mellanmjolk-1l')).toBeNull();
    expect(c.getItem('vollmilch-1l')).toMatchObject({ vatRate: 700 });
    db.prepare("INSERT INTO catalog_meta (key, value) VALUES ('hq_version', '7')").run();
    expect(ensureDemoCatalog(db, 'FI', testClock())).toBeNull();
    expect(new Catalog(db).getItem('vollmilch-1l')).not.toBeNull();
    db.close();
  });
});
