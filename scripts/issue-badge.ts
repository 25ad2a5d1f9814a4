// Issues a supervisor badge (store IT): prints the badge barcode once; only its hash is stored.
//   npm run badge:issue -- --db data/kassa.db --operator 7
import { parseArgs } from 'node:util';
import { openDatabase } from '../core/db';
import { Operators } from '../core/operators';

const { values } = parseArgs({ options: { db: { type: 'string' }, operator: { type: 'string' } }, strict: true });
if (!values.db || !values.operator) {
  console.error('usage: npm run badge:issue -- --db <terminal database> --operator <operator number>');
  process.exit(2);
}
const db = openDatabase(values.db);
try {
  const row = db.prepare<[string], { name: string; role: string }>('SELECT name, role FROM operator WHERE id = ?').get(values.operator);
  if (!row) throw new Error(`no operator ${values.operator} on this terminal`);
  const code = new Operators(db).issueBadge(values.operator);
  console.log(`badge for ${row.name} (${row.role}): ${code}`);
  console.log('Print it as a Code 128 barcode; it cannot be shown again.');
} catch (err) {
  console.error(`badge:issue: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  db.close();
}
