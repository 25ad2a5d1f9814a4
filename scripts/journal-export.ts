// Exports one business day of the journal (core/journal/EXPORT_FORMAT.md):
//   npm run journal:export -- <db file> <YYYY-MM-DD> [out.json] [--profile SE|DE]
// The business day is the calendar date in the store's time zone (the country profile's). A day
// archived off the database is read from journal-archive/ beside it.
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { exportJournalDay } from '../core/journal/export';
import { profileFor } from '../core/profile';
import { systemClock } from '../core/clock';
import { archiveDirFor } from '../core/journal/file';

const { values, positionals } = parseArgs({ options: { profile: { type: 'string', default: 'SE' } }, allowPositionals: true });
const [path, date, out] = positionals;
if (!path || !date || !existsSync(path)) {
  console.error('usage: npm run journal:export -- <terminal database file> <YYYY-MM-DD> [out.json] [--profile SE|DE]');
  process.exit(2);
}
const db = new Database(path, { readonly: true, fileMustExist: true });
try {
  const json = JSON.stringify(exportJournalDay(db, date, { timeZone: profileFor(values.profile).timeZone, now: systemClock, archiveDir: archiveDirFor(path) }), null, 2) + '\n';
  if (out) writeFileSync(out, json);
  else process.stdout.write(json);
} catch (err) {
  console.error(`journal export failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  db.close();
}
