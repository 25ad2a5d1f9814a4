/**
 * `npm run kassenmeldung -- --db <file> [--format json|csv] [--out <file>]`: the Kassenmeldung
 * (§146a Abs. 4 AO) a German till has recorded for each TSE it used — TSE serial and public key,
 * till serial, manufacturer, model, software version, dates of commissioning, location — as JSON
 * (default) or CSV, on stdout or into a new file. Reads the database only.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../../../common/cli-args';
import { openDatabase } from '../../db';
import { kassenmeldungCsv, readKassenmeldungen } from './kassenmeldung';

const USAGE = 'usage: npm run kassenmeldung -- --db <file> [--format json|csv] [--out <new file>]';

function main(): void {
  const options = { db: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } } as const;
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  if (!values.db) throw new Error(`give --db\n${USAGE}`);
  const format = values.format ?? 'json';
  if (format !== 'json' && format !== 'csv') throw new Error(`--format is json or csv, got "${format}"`);
  if (!existsSync(values.db)) throw new Error(`no database at ${values.db}`);
  if (values.out && existsSync(values.out)) throw new Error(`${values.out} exists: the Kassenmeldung is written to a new file`);
  const db = openDatabase(values.db, { readonly: true });
  let text: string;
  try {
    const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tse_kassenmeldung'").get();
    const rows = hasTable ? readKassenmeldungen(db) : [];
    if (rows.length === 0) throw new Error(`${values.db} has no Kassenmeldung: the till has not run with a TSE (a German store's profile)`);
    text = format === 'csv' ? kassenmeldungCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`;
  } finally {
    db.close();
  }
  if (values.out) writeFileSync(values.out, text, { flag: 'wx' });
  else process.stdout.write(text);
}

try {
  main();
} catch (err) {
  process.stderr.write(`kassenmeldung: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
