/**
 * The cheaper full-snapshot load (issue 20: a 500,000-item first boot): the hand-written item check
 * (core/catalog/payload.ts) accepts nothing ItemRecordSchema refuses; payload lines are read as
 * node:readline read them (\n, \r\n, \r, split anywhere between pieces of text); and the multi-row
 * staging writer (core/catalog/staging.ts) stores what row-by-row inserts stored, refusing a bad
 * item by its id, with long slices as at first boot.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { applyCatalogPayload, appliedCatalogVersion } from '../../../core/catalog/apply';
import { isPlainItem, recordBatches } from '../../../core/catalog/payload';
import { CATALOG_FORMAT, ItemRecordSchema, type CatalogManifest, type CatalogRecord, type ItemRecord } from '../../../protocol/catalog';
import { demoDb } from '../../helpers/demo-lane';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-catalog-payload-');
afterAll(() => tmp.cleanup());

const ITEM = { t: 'item', id: 'I1', name: 'Mjölk', dept: 'mejeri', vat: 'food', unit: 'piece', price: 1795, codes: ['07310865000101'] };

describe('the hand-written item check', () => {
  it('takes what the schema takes as it is, and passes everything else to the schema', () => {
    const good: object[] = [
      ITEM,
      { ...ITEM, ageLimit: null, deposit: null, plu: null, isDeposit: false, blocked: true },
      { ...ITEM, ageLimit: 1, deposit: 'P.1', plu: '123456', unit: 'weight', price: 0, codes: [] },
      { ...ITEM, ageLimit: 99, price: 100_000_000, name: 'x'.repeat(120), id: 'a'.repeat(64), codes: Array(50).fill('00000000000000') },
    ];
    const bad: object[] = [
      { ...ITEM, t: 'dept' },
      { ...ITEM, extra: 1 },
      JSON.parse(`{"__proto__": {}, ${JSON.stringify(ITEM).slice(1)}`),
      { ...ITEM, id: '' },
      { ...ITEM, id: 'a'.repeat(65) },
      { ...ITEM, id: 'a b' },
      { ...ITEM, dept: 7 },
      { ...ITEM, vat: null },
      { ...ITEM, name: '' },
      { ...ITEM, name: 'x'.repeat(121) },
      { ...ITEM, unit: 'kg' },
      { ...ITEM, price: -1 },
      { ...ITEM, price: 1.5 },
      { ...ITEM, price: 100_000_001 },
      { ...ITEM, price: '1' },
      { ...ITEM, ageLimit: 0 },
      { ...ITEM, ageLimit: 100 },
      { ...ITEM, deposit: 'a b' },
      { ...ITEM, isDeposit: 1 },
      { ...ITEM, blocked: 'yes' },
      { ...ITEM, plu: '1234567' },
      { ...ITEM, plu: 12 },
      { ...ITEM, plu: '' },
      { ...ITEM, codes: ['7310865000101'] },
      { ...ITEM, codes: ['0731086500010x'] },
      { ...ITEM, codes: '07310865000101' },
      { ...ITEM, codes: Array(51).fill('00000000000000') },
      Object.fromEntries(Object.entries(ITEM).filter(([k]) => k !== 'codes')),
      Object.fromEntries(Object.entries(ITEM).filter(([k]) => k !== 'unit')),
      [ITEM],
      null,
    ];
    for (const g of good) expect([isPlainItem(g), ItemRecordSchema.safeParse(g).success]).toEqual([true, true]);
    for (const b of bad) expect([isPlainItem(b), ItemRecordSchema.safeParse(b).success]).toEqual([false, false]);
  });
});

async function readAll(text: string, textBytes: number): Promise<CatalogRecord[] | string> {
  const file = join(tmp.dir, `lines-${textBytes}.gz`);
  writeFileSync(file, gzipSync(text));
  const out: CatalogRecord[] = [];
  try {
    for await (const b of recordBatches(file, textBytes)) out.push(...b);
  } catch (err) {
    return (err as Error).message;
  }
  return out;
}

describe('reading the payload', () => {
  it('reads lines ending in \\n, \\r\\n or \\r, whatever the pieces of text, and counts them as readline did', async () => {
    const dept = (id: string) => JSON.stringify({ t: 'dept', id, name: id });
    const ids = Array.from({ length: 40 }, (_, i) => `d${i}`);
    const seps = ['\r\n', '\n', '\r', '\n\n'];
    const text = ids.map((id, i) => dept(id) + seps[i % 4]).join('');
    // the line of each record: one after the last, and one more after a blank line
    const lineOf = (k: number) => k + 1 + Math.floor(k / 4);
    for (const bytes of [64, 65, 67, 16 * 1024]) {
      expect(await readAll(text, bytes)).toEqual(ids.map((id) => ({ t: 'dept', id, name: id })));
      for (const k of [5, 22, 39]) {
        expect(await readAll(text.replace(dept(ids[k]!), '{"t":"dept"}'), bytes)).toMatch(new RegExp(`^catalog line ${lineOf(k)}: id: `));
        expect(await readAll(text.replace(dept(ids[k]!), '{"t":'), bytes)).toBe(`catalog line ${lineOf(k)} is not JSON`);
      }
    }
    expect(await readAll(`${JSON.stringify({ ...ITEM, price: -5 })}\n`, 64)).toMatch(/^catalog line 1: price: /);
  });

  it('a payload that is not there cannot be read', async () => {
    const it = recordBatches(join(tmp.dir, 'missing.gz'));
    await expect(it.next()).rejects.toThrow(/the catalog payload cannot be read: .*ENOENT/);
  });
});

function manifest(records: CatalogRecord[], version: number): CatalogManifest {
  return { format: CATALOG_FORMAT, kind: 'full', version, baseVersion: null, publishedAt: '2026-11-23T09:00:00.000Z', expiresAt: '2026-11-30T09:00:00.000Z', sha256: '0'.repeat(64), size: 1, records: records.length, items: records.filter((r) => r.t === 'item').length };
}

/** A catalog of `n` items with one or two barcodes each, the first `deposits` of them deposit items the others refer to. */
function catalog(n: number, deposits = 3): CatalogRecord[] {
  const items: ItemRecord[] = Array.from({ length: n }, (_, i) => ({
    ...(ITEM as ItemRecord),
    id: `I${String(i).padStart(5, '0')}`,
    price: i,
    codes: (i % 2 ? [i * 2, i * 2 + 1] : [i * 2]).map((c) => String(c).padStart(14, '0')),
    ...(i < deposits ? { isDeposit: true } : { deposit: i % 7 === 0 ? `I0000${i % deposits}` : null, plu: i % 5 === 0 ? String(i) : null }),
  }));
  return [{ t: 'vat', id: 'food', name: 'Livsmedel', rateBp: 1200 }, { t: 'dept', id: 'mejeri', name: 'Mejeri' }, ...items];
}

describe('the multi-row staging writer', () => {
  it('stores every item, barcode, PLU and deposit, in long slices as at first boot', async () => {
    const db = demoDb(tmp.dir, 'load.db');
    const recs = catalog(3_001);
    writeFileSync(join(tmp.dir, 'load.gz'), gzipSync(recs.map((r) => JSON.stringify(r)).join('\n')));
    await applyCatalogPayload(db, join(tmp.dir, 'load.gz'), manifest(recs, 1), { sliceMs: 100 });
    const rows = db.prepare('SELECT id, price, deposit_item_id AS deposit, plu, is_deposit AS isDeposit, (SELECT group_concat(code) FROM (SELECT code FROM barcode WHERE item_id = item.id ORDER BY code)) AS codes FROM item ORDER BY id').all();
    const want = recs.flatMap((r) => (r.t === 'item' ? [{ id: r.id, price: r.price, deposit: r.deposit ?? null, plu: r.plu ?? null, isDeposit: r.isDeposit ? 1 : 0, codes: r.codes.join(',') || null }] : []));
    expect(rows).toEqual(want);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('refuses a barcode or PLU used twice, or a department that does not exist, by the first item at fault; nothing changes', async () => {
    const db = demoDb(tmp.dir, 'bad.db');
    const before = db.prepare('SELECT count(*) FROM item').pluck().get();
    const cases: Array<[(items: ItemRecord[]) => void, RegExp]> = [
      [(items) => (items[1_234]!.codes = [items[1_240]!.codes[0]!]), /item I01240 cannot be stored: a barcode or PLU is used twice/],
      [(items) => (items[1_250]!.codes = [...items[1_250]!.codes, items[1_250]!.codes[0]!]), /item I01250 cannot be stored: a barcode or PLU is used twice/],
      [(items) => (items[2_000]!.plu = '5'), /item I02000 cannot be stored: a barcode or PLU is used twice/],
      [(items) => (items[2_999]!.dept = 'nope'), /item I02999 cannot be stored: it refers to an item, department or VAT class that does not exist/],
      [(items) => (items[100]!.deposit = 'I02500'), /item I00100 cannot be stored: it refers to an item, department or VAT class that does not exist/],
    ];
    for (const [spoil, refusal] of cases) {
      const recs = catalog(3_001);
      spoil(recs.filter((r): r is ItemRecord => r.t === 'item'));
      writeFileSync(join(tmp.dir, 'bad.gz'), gzipSync(recs.map((r) => JSON.stringify(r)).join('\n')));
      for (const sliceMs of [3, 100]) await expect(applyCatalogPayload(db, join(tmp.dir, 'bad.gz'), manifest(recs, 1), { sliceMs })).rejects.toThrow(refusal);
    }
    expect([appliedCatalogVersion(db), db.prepare('SELECT count(*) FROM item').pluck().get()]).toEqual([0, before]);
    db.close();
  });
});
