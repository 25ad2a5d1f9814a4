import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, DEMO_SCANS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { isValidGtin, resolveBarcode } from '../../../core/catalog/barcode';
import { tempDir } from '../../helpers/tmp';
import { PROFILES } from '../../../core/profile';

let tmp: ReturnType<typeof tempDir> | null = null;
afterEach(() => tmp?.cleanup());
function fresh(): Db {
  tmp = tempDir();
  return openDatabase(join(tmp.dir, 'c.db'));
}
function lookup(c: Catalog, code: string) {
  const r = resolveBarcode(code, PROFILES.SE);
  if (!r.ok) throw new Error(r.reason);
  return r.kind === 'plu' ? c.findByPlu(r.plu) : c.findByCode(r.lookupCode);
}

describe('demo catalog', () => {
  it('writes a realistic Swedish store whose fixed items resolve as documented', () => {
    const db = fresh();
    expect(generateCatalog(db, {})).toEqual({ items: 300, barcodes: expect.any(Number) });
    const c = new Catalog(db);
    expect(c.stats().items).toBe(300);
    expect(lookup(c, DEMO_ITEMS.milk.codes[0]!)).toMatchObject({ name: 'Mellanmjölk 1,5 % 1 l', price: 1695, vatRate: 1200 });
    expect(lookup(c, DEMO_ITEMS.milk.codes[1]!)!.id).toBe(DEMO_ITEMS.milk.id); // several barcodes, one item
    expect(lookup(c, DEMO_ITEMS.dishSoap.codes[0]!)!.vatRate).toBe(2500);
    expect(lookup(c, DEMO_ITEMS.newspaper.codes[0]!)!.vatRate).toBe(600);
    expect(lookup(c, DEMO_ITEMS.julmust.codes[0]!)!.depositItemId).toBe('pant-burk');
    expect(c.getItem('pant-burk')).toMatchObject({ isDeposit: true, price: 100 });
    expect(lookup(c, DEMO_ITEMS.beer.codes[0]!)).toMatchObject({ ageLimit: 18, depositItemId: 'pant-burk-ol' });
    expect(lookup(c, DEMO_ITEMS.snus.codes[0]!)!.ageLimit).toBe(18);
    expect(lookup(c, '4011')).toMatchObject({ name: 'Bananer', unit: 'weight', price: 2490 });
    expect(lookup(c, DEMO_SCANS.cheese750g)).toMatchObject({ id: DEMO_ITEMS.cheese.id, unit: 'weight' });
    expect(lookup(c, DEMO_SCANS.salad49_95)!.id).toBe(DEMO_ITEMS.salad.id);
    expect(lookup(c, '5901234123457')).toBeNull();
    db.close();
  });

  it('stores only valid 14-digit GTINs, every drink family has a deposit, and no item is unsellable', () => {
    const db = fresh();
    generateCatalog(db, { items: 2_000 });
    const codes = db.prepare<[], { code: string }>('SELECT code FROM barcode').all();
    for (const { code } of codes) expect(isValidGtin(code), code).toBe(true);
    const orphan = db.prepare("SELECT count(*) AS n FROM item WHERE id NOT IN (SELECT item_id FROM barcode) AND plu IS NULL AND is_deposit = 0").get() as { n: number };
    expect(orphan.n).toBe(0);
    const cans = db.prepare("SELECT count(*) AS n FROM item WHERE name LIKE '%burk%' AND is_deposit = 0 AND deposit_item_id IS NULL").get() as { n: number };
    expect(cans.n).toBe(0);
    // The kiosk's produce pictures: never two tiles of the same name at different prices.
    expect(db.prepare('SELECT name, count(*) AS n FROM item WHERE plu IS NOT NULL GROUP BY name HAVING n > 1').all()).toEqual([]);
    db.close();
  });

  it('is deterministic for a seed and refuses to overwrite unless asked', () => {
    const a = fresh();
    generateCatalog(a, { seed: 7 });
    const rowsA = a.prepare('SELECT i.id, i.name, i.price, b.code FROM item i LEFT JOIN barcode b ON b.item_id = i.id ORDER BY i.id, b.code').all();
    expect(() => generateCatalog(a, { seed: 7 })).toThrow(/already has items/);
    generateCatalog(a, { seed: 7, replace: true });
    expect(a.prepare('SELECT i.id, i.name, i.price, b.code FROM item i LEFT JOIN barcode b ON b.item_id = i.id ORDER BY i.id, b.code').all()).toEqual(rowsA);
    a.close();
  });

  it('scales to the requested item and barcode counts with unique codes', () => {
    const db = fresh();
    expect(generateCatalog(db, { items: 20_000, barcodes: 40_000 })).toEqual({ items: 20_000, barcodes: 40_000 });
    expect(db.prepare('SELECT count(*) AS n, count(DISTINCT code) AS d FROM barcode').get()).toEqual({ n: 40_000, d: 40_000 });
    expect(new Catalog(db).stats()).toMatchObject({ items: 20_000, barcodes: 40_000 });
    db.close();
  });
});
