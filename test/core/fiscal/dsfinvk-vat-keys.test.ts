/**
 * DSFinV-K's VAT keys (UST_SCHLUESSEL) as Anlage 2 (revision 2024-12-05) defines them: keys 1–4 are
 * the rates in force when the sale is recorded, a rate since changed has a historic key (two digits,
 * the second its base key). Checked against the table as TWEECORE/dsfinvk transcribes it
 * (schema/vatkeys.go): 13 = 10,70, 23 = 9,50, 33 = 9,00, 43 = 8,40 (§ 24 Abs. 1 Nr. 3 UStG).
 */
import { expect, it } from 'vitest';
import { DsfinvkError } from '../../../core/fiscal/dsfinvk/read';
import { VAT_KEYS, vatKey } from '../../../core/fiscal/dsfinvk/receipts';

it('keys each rate Kassa sells at as Anlage 2 does, never 10.70 % as key 3', () => {
  expect([1900, 700, 550, 0, 1070, 950, 900, 840, 780].map(vatKey)).toEqual([1, 2, 4, 5, 13, 23, 33, 43, 3]);
  expect(VAT_KEYS.find((k) => k.key === 3)!.rate).toBe(780);
  // Each key once, each rate once: a rate has one key.
  expect(new Set(VAT_KEYS.map((k) => k.key)).size).toBe(VAT_KEYS.length);
  expect(new Set(VAT_KEYS.map((k) => k.rate)).size).toBe(VAT_KEYS.length);
  // A historic key's second digit is its base key (Spec 2.4: the § 24 Abs. 1 Nr. 3 rates are key 3's).
  for (const k of VAT_KEYS.filter((v) => v.key > 10)) expect(k.key % 10).toBe(3);
});

it('refuses a rate Anlage 2 gives Kassa no key for, naming the rates it has', () => {
  expect(() => vatKey(1600)).toThrow(DsfinvkError);
  expect(() => vatKey(1600)).toThrow(/16 % has no DSFinV-K key \(19, 7, 7\.8, 5\.5, 0, 10\.7, 9\.5, 9, 8\.4 %\)/);
});
