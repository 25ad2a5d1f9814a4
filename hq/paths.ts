/** HQ's command-line storage options, its migrations, and where it keeps published catalog payloads. */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate, postgresSql, sqliteSql, type Sql } from './sql';

export function migrationsDir(): string {
  // dist/hq/*.js or hq/*.ts: the repository's migrations/hq either way
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, here.includes(`${'dist'}`) ? '../../migrations/hq' : '../migrations/hq');
}

/** Published catalog payloads: beside the SQLite database, or data/hq-catalog with PostgreSQL. */
export function defaultCatalogDir(sqlitePath: string | null): string {
  return sqlitePath ? resolve(dirname(resolve(sqlitePath)), 'hq-catalog') : resolve('data/hq-catalog');
}

/** Storage options shared by `npm run hq` and `npm run hq:publish`. */
export const STORAGE_OPTIONS = {
  db: { type: 'string', default: 'data/hq.db' },
  pg: { type: 'string' },
  schema: { type: 'string', default: 'public' },
  'catalog-dir': { type: 'string' },
} as const;

/** Opens HQ's storage (PostgreSQL from --pg or KASSA_HQ_PG, else embedded SQLite), migrated. */
export async function openHqStorage(v: { db: string; pg?: string; schema: string; 'catalog-dir'?: string }): Promise<{ sql: Sql; catalogDir: string }> {
  const pgUrl = v.pg ?? process.env.KASSA_HQ_PG;
  if (!pgUrl) mkdirSync(dirname(resolve(v.db)), { recursive: true });
  const sql = pgUrl ? postgresSql(pgUrl, v.schema) : sqliteSql(v.db);
  await migrate(sql, migrationsDir());
  return { sql, catalogDir: resolve(v['catalog-dir'] ?? defaultCatalogDir(pgUrl ? null : v.db)) };
}
