/**
 * The schema of a SQLite file: forward-only numbered migrations, one series per kind of file (the
 * terminal's, HQ's, and the store peers' copies beside a terminal's file: core/db/copies-file.ts).
 */
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

export class DatabaseTooNewError extends Error {
  readonly code = 'DATABASE_TOO_NEW';
  constructor(
    readonly path: string,
    readonly dbVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `The database ${path} is at schema version ${dbVersion}, but this Kassa knows only up to ` +
        `version ${codeVersion}. It was written by a newer Kassa; install that version (or newer) ` +
        `instead of downgrading. The database was not changed.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

export class MigrationError extends Error {
  readonly code = 'MIGRATION_FAILED';
  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(`Migration ${file} failed: ${cause instanceof Error ? cause.message : String(cause)}. Nothing was changed.`);
    this.name = 'MigrationError';
  }
}

export interface Migration {
  version: number;
  name: string;
  file: string;
  sql: string;
}

/** The page size of a new database file: a journal entry (a sale's body, ~2 KB) fills half a 4 KB page and no second one fits (docs/retention.md). */
export const PAGE_SIZE = 8192;

/**
 * A terminal's writable file as a power cut must find it: a new file gets PAGE_SIZE pages (only a
 * file without tables can change it; older files keep theirs), WAL, synchronous=FULL. The lane's file
 * and the peers' copies' file alike.
 */
export function durableFile(db: Db): void {
  if (db.prepare('SELECT count(*) AS n FROM sqlite_schema').pluck().get() === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Finds the repository's migrations folder from source (core/db) or from a bundle (dist/core). */
export function defaultMigrationsDir(kind: 'terminal' | 'hq' | 'peers' = 'terminal'): string {
  const env = process.env.KASSA_MIGRATIONS_DIR;
  if (env) return join(resolve(env), kind);
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '..', '../../..']) {
    const candidate = resolve(here, up, 'migrations', kind);
    try {
      readdirSync(candidate);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(`migrations/${kind} not found near ${here}`);
}

export function loadMigrations(dir: string): Migration[] {
  const list: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    const m = MIGRATION_FILE.exec(file);
    if (!m) continue;
    list.push({ version: Number(m[1]), name: m[2]!, file, sql: readFileSync(join(dir, file), 'utf8') });
  }
  list.forEach((mig, i) => {
    if (mig.version !== i + 1) {
      throw new Error(`migrations in ${dir} must be numbered 0001, 0002, … without gaps; found ${mig.file}`);
    }
  });
  return list;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration newer than the database in one transaction and sets user_version.
 * Refuses a database whose version is newer than the code.
 */
export function migrate(db: Db, migrations: Migration[], path = db.name): { from: number; to: number } {
  const latest = migrations.length;
  const from = schemaVersion(db);
  if (from > latest) throw new DatabaseTooNewError(path, from, latest);
  if (from === latest) return { from, to: latest };
  const pending = migrations.slice(from);
  const apply = db.transaction(() => {
    for (const mig of pending) {
      try {
        db.exec(mig.sql);
      } catch (err) {
        throw new MigrationError(mig.file, err);
      }
    }
    db.pragma(`user_version = ${latest}`);
  });
  apply.immediate();
  return { from, to: latest };
}
