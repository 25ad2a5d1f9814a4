/** HQ's two storage backends for tests: embedded SQLite in `dir`, and a fresh schema in the machine's PostgreSQL. */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { loadOrCreateCatalogKey, type CatalogSigner } from '../../hq/catalog';
import { postgresSql, sqliteSql, type Sql } from '../../hq/sql';
import { buildHqServer, type HqServerOptions } from '../../hq/server';
import { migrate } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { FaultProxy } from './fault-proxy';

export const PG_URL = process.env.KASSA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface HqBackend {
  name: 'SQLite' | 'PostgreSQL';
  /** Opens the backend (again after a restart: same file, same schema). */
  open(): Promise<Sql>;
  cleanup(): Promise<void>;
}

async function admin(query: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(query);
  } finally {
    await c.end();
  }
}

export function hqBackends(dir: string, file = `hq-${randomBytes(3).toString('hex')}.db`): HqBackend[] {
  const schema = `kassa_test_${randomBytes(4).toString('hex')}`;
  return [
    { name: 'SQLite', open: async () => sqliteSql(join(dir, file)), cleanup: async () => {} },
    {
      name: 'PostgreSQL',
      open: async () => {
        await admin(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        return postgresSql(PG_URL, schema);
      },
      cleanup: () => admin(`DROP SCHEMA IF EXISTS ${schema} CASCADE`),
    },
  ];
}

/** HQ's HTTP server on loopback (`port` 0: any free one; the same port again after a restart); its URL and how to close it. */
export async function listenHq(opts: HqServerOptions, port = 0): Promise<{ url: string; port: number; close: () => Promise<void> }> {
  const app = await buildHqServer(opts);
  await app.listen({ port, host: '127.0.0.1' });
  const bound = (app.server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${bound}`, port: bound, close: () => app.close() };
}

/** HQ on SQLite in `dir`, listening on loopback behind the fault proxy (terminals get `url`, the proxy's; a test cuts the link with `proxy.mode`). */
export async function sqliteHqBehindProxy(dir: string, adminToken: string): Promise<{ sql: Sql; store: HqStore; proxy: FaultProxy; url: string; close: () => Promise<void> }> {
  const sql = sqliteSql(join(dir, 'hq.db'));
  await migrate(sql, fileURLToPath(new URL('../../migrations/hq', import.meta.url)));
  const store = new HqStore(sql);
  const hq = await listenHq({ store, adminToken });
  const proxy = new FaultProxy(() => ({ host: '127.0.0.1', port: hq.port }));
  const url = `http://127.0.0.1:${await proxy.listen()}`;
  return {
    sql,
    store,
    proxy,
    url,
    close: async () => {
      await proxy.close();
      await hq.close();
      await sql.close();
    },
  };
}

/**
 * HQ on `backend` for one describe block: migrated, listening on loopback, its catalog key and
 * payloads under `dir`; opened in beforeAll, closed (and the backend dropped) in afterAll.
 */
export function hqForSuite(backend: HqBackend, dir: string): { readonly store: HqStore; readonly url: string; readonly signer: CatalogSigner; readonly catalogDir: string } {
  const s = { sql: null as Sql | null, store: null as HqStore | null, url: '', signer: null as CatalogSigner | null, close: async () => {} };
  const catalogDir = join(dir, 'hq-catalog');
  beforeAll(async () => {
    s.sql = await backend.open();
    await migrate(s.sql, fileURLToPath(new URL('../../migrations/hq', import.meta.url)));
    s.store = new HqStore(s.sql);
    s.signer = loadOrCreateCatalogKey(join(dir, 'catalog-key.pem')).signer;
    ({ url: s.url, close: s.close } = await listenHq({ store: s.store, adminToken: 'admin-token-for-tests-0123456789', catalogDir }));
  });
  afterAll(async () => {
    await s.close();
    await s.sql?.close();
    await backend.cleanup();
  });
  return {
    get store() { return s.store!; },
    get url() { return s.url; },
    get signer() { return s.signer!; },
    catalogDir,
  };
}

/** The smallest check-in a terminal sends (protocol/catalog.ts CheckinSchema), with `extra` fields. */
export function minimalCheckin(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { clock: new Date().toISOString(), softwareVersion: '0.1.0', catalog: { version: 0, expiresAt: null }, backlog: { count: 0, oldestAt: null }, devices: [], alerts: [], ...extra };
}
