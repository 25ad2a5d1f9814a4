/**
 * The DSFinV-K writer's values read back by the independent reader (test/helpers/gdpdu.ts): text
 * with the delimiter, the encapsulator and line breaks in it, negative amounts under one unit,
 * weights to the gram; and a value that cannot be written leaves no half export behind.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { formatNumber, writeExport } from '../../../core/fiscal/dsfinvk/writer';
import { TABLE_KEYS, type Entry, type TableKey } from '../../../core/fiscal/dsfinvk/tables';
import { cents, readIndex, readTable } from '../../helpers/gdpdu';
import { tempDir } from '../../helpers/tmp';

let t: { dir: string; cleanup: () => void };
beforeEach(() => (t = tempDir('kassa-dsfinvk-writer-')));
afterEach(() => t.cleanup());

const empty = () => Object.fromEntries(TABLE_KEYS.map((k) => [k, [] as Entry[]])) as Record<TableKey, Entry[]>;
const z = { Z_KASSE_ID: 'berlin-01-3', Z_ERSTELLUNG: '2026-12-07T20:00:00.000Z', Z_NR: 7 };

it('formats whole units with their decimals, the decimal comma and the sign, never through a float', () => {
  expect([formatNumber(-5, 2, 2), formatNumber(-50, 2, 5), formatNumber(1234, 2, 2), formatNumber(750, 3, 3), formatNumber(3, 0, 3), formatNumber(0, 2, 2)]).toEqual(['-0,05', '-0,50000', '12,34', '0,750', '3,000', '0,00']);
  expect(formatNumber(Number.MAX_SAFE_INTEGER, 2, 5)).toBe('90071992547409,91000');
  expect(() => formatNumber(1.5, 0, 2)).toThrow(RangeError);
  expect(() => formatNumber(1234, 3, 2)).toThrow(RangeError);
});

it('text with ";", quotes and line breaks comes back as written', () => {
  const tables = empty();
  const name = 'Bier "Helles"; 0,5 l\r\nPfand';
  tables.lines.push({ z, row: { BON_ID: 'b1', POS_ZEILE: '1', ARTIKELTEXT: name, GV_TYP: 'Umsatz', INHAUS: 0, P_STORNO: 0, AGENTUR_ID: 0, MENGE: { units: 1250, scale: 3 }, FAKTOR: 1, EINHEIT: 'kg', STK_BR: { units: -199, scale: 2 } } });
  const out = join(t.dir, 'x');
  writeExport(out, tables, { from: '2026-12-07', to: '2026-12-07' });
  const [line] = readTable(out, readIndex(out).find((d) => d.url === 'lines.csv')!);
  expect(line).toMatchObject({ Z_NR: '7', ARTIKELTEXT: name, MENGE: '1,250', STK_BR: '-1,99000', GTIN: '' });
  expect(cents(line!.STK_BR!)).toBe(-199);
});

it('a value that cannot be written (an instant not in ISO form, text too long) leaves nothing behind', () => {
  const tables = empty();
  tables.transactions.push({ z, row: { BON_ID: 'b1', BON_START: '07.12.2026 21:00' } });
  const out = join(t.dir, 'bad');
  expect(() => writeExport(out, tables, { from: '2026-12-07', to: '2026-12-07' })).toThrow(/BON_START/);
  const long = empty();
  long.lines.push({ z, row: { BON_ID: 'x'.repeat(41) } });
  expect(() => writeExport(out, long, { from: '2026-12-07', to: '2026-12-07' })).toThrow(/longer than 40/);
  expect(existsSync(out)).toBe(false);
});
