/**
 * The staging tables a full catalog snapshot is loaded into beside the catalog in use
 * (core/catalog/apply.ts), and the writer that fills them. The writer puts up to 32 items, and
 * then up to 32 of their barcodes, into one INSERT statement: a third fewer statement calls than
 * one row each, which a 500,000-item first boot on a slow terminal feels. A batch a rule refuses
 * (a barcode or PLU used twice, a department that does not exist, …) is rolled back and written
 * again one row at a time, so the refusal names the first item at fault, in the words it always had.
 */
import type { ItemRecord } from '../../protocol/catalog';
import type { Db } from '../db';
import { CatalogRefusal, itemArgs, sqliteMessage } from './apply-steps';

const ITEM_COLUMNS = `
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  department_id   TEXT NOT NULL REFERENCES department(id),
  vat_class_id    TEXT NOT NULL REFERENCES vat_class(id),
  unit            TEXT NOT NULL CHECK (unit IN ('piece', 'weight')),
  price           INTEGER NOT NULL CHECK (price >= 0),
  age_limit       INTEGER CHECK (age_limit IS NULL OR age_limit BETWEEN 1 AND 99),
  deposit_item_id TEXT REFERENCES item_next(id),
  is_deposit      INTEGER NOT NULL DEFAULT 0 CHECK (is_deposit IN (0, 1)),
  plu             TEXT UNIQUE CHECK (plu IS NULL OR plu GLOB '[0-9]*'),
  blocked         INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1))`;

/**
 * Staging tables with the same columns and rules as migrations/terminal/0001_catalog.sql (a test
 * compares them). Index names carry the version, since the old tables keep theirs until dropped.
 */
export function createStaging(db: Db, version: number): void {
  db.exec(`
    CREATE TABLE item_next (${ITEM_COLUMNS});
    CREATE INDEX item_department_v${version} ON item_next(department_id);
    CREATE TABLE barcode_next (
      code    TEXT PRIMARY KEY CHECK (length(code) = 14 AND code GLOB '[0-9]*'),
      item_id TEXT NOT NULL REFERENCES item_next(id)
    ) WITHOUT ROWID;
    CREATE INDEX barcode_item_v${version} ON barcode_next(item_id);`);
}

/** Rows per multi-row INSERT. */
const ROWS = 32;
const ITEM_INSERT = 'INSERT INTO item_next (id, name, department_id, vat_class_id, unit, price, age_limit, deposit_item_id, is_deposit, plu, blocked) VALUES ';
const ITEM_ROW = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
const CODE_INSERT = 'INSERT INTO barcode_next (code, item_id) VALUES ';

/** Returns a function that writes a batch of items (file order) into the staging tables in one transaction. */
export function stagingWriter(db: Db): (rows: readonly ItemRecord[]) => void {
  const item1 = db.prepare(ITEM_INSERT + ITEM_ROW);
  const itemN = db.prepare(ITEM_INSERT + Array(ROWS).fill(ITEM_ROW).join(', '));
  const code1 = db.prepare(`${CODE_INSERT}(?, ?)`);
  const codeN = db.prepare(CODE_INSERT + Array(ROWS).fill('(?, ?)').join(', '));
  const items: unknown[] = [];
  const codes: unknown[] = [];
  /** Writes `args` (rows of `width` values) in statements of ROWS rows, and with `all` the rest row by row. */
  const run = (full: typeof itemN, one: typeof item1, args: unknown[], width: number, all: boolean) => {
    const n = ROWS * width;
    let i = 0;
    for (; i + n <= args.length; i += n) full.run(args.length === n ? args : args.slice(i, i + n));
    if (all) for (; i < args.length; i += width) one.run(args.slice(i, i + width));
    args.splice(0, i);
  };
  // An item's barcodes need the item; an item's deposit item must come before it (as row by row).
  const flushItems = (all: boolean) => run(itemN, item1, items, 11, all);
  const flushCodes = (all: boolean) => run(codeN, code1, codes, 2, all);
  const fast = db.transaction((rows: readonly ItemRecord[]) => {
    for (const r of rows) {
      if (r.deposit) {
        flushItems(true); // its deposit item may be among them
        item1.run(...itemArgs(r));
      } else items.push(...itemArgs(r));
      for (const c of r.codes) codes.push(c, r.id);
      if (items.length >= ROWS * 11) {
        flushItems(false);
        flushCodes(false); // the items of the barcodes left over are written
      }
    }
    flushItems(true);
    flushCodes(true);
  });
  const slow = db.transaction((rows: readonly ItemRecord[]) => {
    for (const r of rows) {
      try {
        item1.run(...itemArgs(r));
        for (const c of r.codes) code1.run(c, r.id);
      } catch (err) {
        throw new CatalogRefusal('INVALID_PAYLOAD', `item ${r.id} cannot be stored: ${sqliteMessage(err)}`);
      }
    }
  });
  return (rows) => {
    try {
      fast(rows);
    } catch {
      // Rolled back: written again row by row, which refuses the first item at fault.
      items.length = 0;
      codes.length = 0;
      slow(rows);
    }
  };
}
