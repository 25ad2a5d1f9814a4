// Writes the demo catalog into a terminal database:
//   tsx scripts/gen-catalog.ts --db data/kassa.db [--items 500000] [--barcodes 1000000] [--seed 1] [--replace]
import { parseArgs } from 'node:util';
import { openDatabase } from '../core/db';
import { generateCatalog } from '../core/catalog/demo';

const { values } = parseArgs({
  options: {
    db: { type: 'string' },
    items: { type: 'string' },
    barcodes: { type: 'string' },
    seed: { type: 'string' },
    replace: { type: 'boolean', default: false },
  },
  strict: true,
});
if (!values.db) {
  console.error('usage: tsx scripts/gen-catalog.ts --db <path> [--items N] [--barcodes M] [--seed S] [--replace]');
  process.exit(2);
}
const num = (v: string | undefined, name: string) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a whole number, got "${v}"`);
    process.exit(2);
  }
  return n;
};
const db = openDatabase(values.db);
const t0 = performance.now();
try {
  const r = generateCatalog(db, { items: num(values.items, 'items'), barcodes: num(values.barcodes, 'barcodes'), seed: num(values.seed, 'seed'), replace: values.replace });
  console.log(`${values.db}: ${r.items} items, ${r.barcodes} barcodes in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} catch (err) {
  console.error(`gen-catalog: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  db.close();
}
