// Exports one business day of the journal (core/journal/EXPORT_FORMAT.md):
//   npm run journal:export -- <db file> <YYYY-MM-DD> [out.json]
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { exportJournalDay } from '../core/journal/export';

const [path, date, out] = process.argv.slice(2);
if (!path || !date || !existsSync(path)) {
  console.error('usage: npm run journal:export -- <terminal database file> <YYYY-MM-DD> [out.json]');
  process.exit(2);
}
const db = new Database(path, { readonly: true, fileMustExist: true });
try {
  const json = JSON.stringify(exportJournalDay(db, date), null, 2) + '\n';
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
} catch (err) {
  console.error(`journal export failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  db.close();
}
