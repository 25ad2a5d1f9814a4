/**
 * Gift card ranges as catalog data (issue 16): HQ's catalog JSON sets them, every full snapshot and
 * delta carries them all, and the terminal replaces its own with them at the switch; the demo
 * catalog sets prefix 9752.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyCatalogPayload } from '../../../core/catalog/apply';
import type { Db } from '../../../core/db';
import { GiftCards } from '../../../core/giftcards';
import { Journal } from '../../../core/journal';
import { applyJsonInput, deltaRecords, emptyContent, encodePayload, fullRecords, PublishError, type CatalogContent } from '../../../hq/catalog';
import { CATALOG_FORMAT, type CatalogManifest, type CatalogRecord } from '../../../protocol/catalog';
import { demoDb } from '../../helpers/demo-lane';
import { testClock } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-gift-ranges-');
afterAll(() => tmp.cleanup());

const BASE = {
  vatClasses: [{ id: 'food', name: 'Livsmedel', rateBp: 1200 }],
  departments: [{ id: 'mejeri', name: 'Mejeri' }],
  items: [{ id: 'milk', name: 'Mjölk 1 l', department: 'mejeri', vat: 'food', price: 17.95, barcodes: ['7310865000101'] }],
};

const ranges = (db: Db) => new GiftCards(db, testClock(), new Journal(db)).ranges();

function payload(records: CatalogRecord[], name: string, version: number, kind: 'full' | 'delta'): { file: string; m: CatalogManifest } {
  const file = join(tmp.dir, name);
  writeFileSync(file, encodePayload(records));
  const m: CatalogManifest = {
    format: CATALOG_FORMAT,
    kind,
    version,
    baseVersion: kind === 'delta' ? version - 1 : null,
    publishedAt: '2026-11-23T09:00:00.000Z',
    expiresAt: '2026-11-30T09:00:00.000Z',
    sha256: '0'.repeat(64),
    size: 1,
    records: records.length,
    items: records.filter((r) => r.t === 'item').length,
  };
  return { file, m };
}

describe('gift card ranges in the catalog', () => {
  it('the demo catalog sets prefix 9752; a catalog from HQ replaces the ranges, in full snapshots and deltas', async () => {
    const db = demoDb(tmp.dir, 'ranges.db');
    expect(ranges(db)).toEqual([{ prefix: '9752', length: 13, check: 'none', issue: true }]);

    const v1: CatalogContent = applyJsonInput(emptyContent(), JSON.stringify({ ...BASE, giftCardRanges: [{ prefix: '6012', length: 16, check: 'luhn', issue: true }, { prefix: '60', length: 13, check: 'gtin' }] }), 'v1.json');
    const full = payload(fullRecords(v1), 'v1.gz', 1, 'full');
    await applyCatalogPayload(db, full.file, full.m);
    expect(ranges(db)).toEqual([
      { prefix: '60', length: 13, check: 'gtin', issue: false },
      { prefix: '6012', length: 16, check: 'luhn', issue: true },
    ]);

    // A delta that changes only the ranges still carries all of them; one that drops a range drops it.
    const v2 = applyJsonInput(v1, JSON.stringify({ giftCardRanges: [{ prefix: '6012', length: 16, check: 'luhn', issue: true }] }), 'v2.json');
    const delta = deltaRecords(v1, v2);
    expect(delta.filter((r) => r.t === 'giftRange')).toEqual([{ t: 'giftRange', prefix: '6012', length: 16, check: 'luhn', issue: true }]);
    const d = payload(delta, 'v2.gz', 2, 'delta');
    await applyCatalogPayload(db, d.file, d.m);
    expect(ranges(db)).toEqual([{ prefix: '6012', length: 16, check: 'luhn', issue: true }]);
    db.close();
  });

  it('HQ refuses a range without room after its prefix, an unknown check digit, a prefix listed twice', () => {
    const bad = (giftCardRanges: unknown[]) => () => applyJsonInput(emptyContent(), JSON.stringify({ ...BASE, giftCardRanges }), 'c.json');
    expect(bad([{ prefix: '123456789012', length: 13, check: 'luhn' }])).toThrow(PublishError);
    expect(bad([{ prefix: '97', length: 13, check: 'crc' }])).toThrow(/check/);
    expect(bad([{ prefix: '97', length: 13, check: 'none' }, { prefix: '97', length: 16, check: 'none' }])).toThrow(/twice/);
  });
});
