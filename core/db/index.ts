/**
 * SQLite access for the terminal: one file, WAL, synchronous=FULL (the journal path must survive
 * a power cut), busy timeout, foreign keys on, forward-only numbered migrations (core/db/migrate.ts).
 * The store peers' copies are in a file beside it (core/db/copies-file.ts).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { copiesInMemory, COPIES_FILE_MIGRATION, moveCopiesOut } from './copies-file';
import { DatabaseTooNewError, defaultMigrationsDir, durableFile, loadMigrations, migrate, schemaVersion, type Db } from './migrate';

export { DatabaseTooNewError, defaultMigrationsDir, loadMigrations, migrate, MigrationError, PAGE_SIZE, schemaVersion, type Db, type Migration } from './migrate';

export interface OpenOptions {
  migrationsDir?: string;
  readonly?: boolean;
}

/** Opens (creating if needed) a terminal database and brings its schema up to date. */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path, { readonly: opts.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) durableFile(db);
    db.pragma('foreign_keys = ON');
    if (!opts.readonly) {
      const migrations = loadMigrations(opts.migrationsDir ?? defaultMigrationsDir('terminal'));
      // The store peers' copies live in a file of their own since 0034 (core/db/copies-file.ts).
      moveCopiesOut(db, migrations, path);
      const { from, to } = migrate(db, migrations, path);
      if (db.memory && from === 0 && to >= COPIES_FILE_MIGRATION) copiesInMemory(db);
    } else {
      const latest = loadMigrations(opts.migrationsDir ?? defaultMigrationsDir('terminal')).length;
      const v = schemaVersion(db);
      if (v > latest) throw new DatabaseTooNewError(path, v, latest);
    }
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}
