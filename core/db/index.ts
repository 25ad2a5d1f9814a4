/**
 * SQLite access for the terminal: one file, WAL, synchronous=FULL (the journal path must survive
 * a power cut), busy timeout, foreign keys on, forward-only numbered migrations.
 */
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, mkdirSync } from 'node:fs';
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

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Finds the repository's migrations folder from source (core/db) or from a bundle (dist/core). */
export function defaultMigrationsDir(kind: 'terminal' | 'hq' = 'terminal'): string {
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

export interface OpenOptions {
  migrationsDir?: string;
  readonly?: boolean;
}

/** The page size of a new terminal database. */
export const PAGE_SIZE = 8192;

/** Opens (creating if needed) a terminal database and brings its schema up to date. */
export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const db = new Database(path, { readonly: opts.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      // A new file gets 8 KB pages: a journal entry (a sale's body, ~2 KB) fills half a 4 KB page
      // and no second one fits, so 4 KB pages stored it at twice its size (docs/retention.md).
      // Only a file without tables can change it; older files keep theirs.
      if (db.prepare('SELECT count(*) AS n FROM sqlite_schema').pluck().get() === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
    }
    db.pragma('foreign_keys = ON');
    if (!opts.readonly) migrate(db, loadMigrations(opts.migrationsDir ?? defaultMigrationsDir('terminal')), path);
    else {
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
