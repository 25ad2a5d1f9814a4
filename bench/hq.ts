/**
 * HQ ingest: 100 terminals upload sales of 5 lines concurrently in signed batches, into HQ on
 * embedded SQLite and on PostgreSQL. Prints sales/s per backend. (Client and server share this
 * 2-core machine.) KASSA_BENCH_HQ_SALES sets the sales per terminal (default 200).
 */
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { signedPost, type HqLink } from '../core/sync/link';
import { migrate, postgresSql, sqliteSql, type Sql } from '../hq/sql';
import { HqStore } from '../hq/store';
import { buildHqServer } from '../hq/server';
import type { SaleUpload } from '../protocol/hq';

const TERMINALS = 100;
const PER_TERMINAL = Number(process.env.KASSA_BENCH_HQ_SALES ?? 200);
const BATCH = 100;
const PG_URL = process.env.KASSA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

function saleBody(i: number): string {
  const lines = Array.from({ length: 5 }, (_, k) => ({ lineId: `L${k + 1}`, itemId: `item-${(i * 7 + k) % 5000}`, name: `Vara ${k}`, quantity: 1 + (k % 3), unitPrice: 1990 + k * 100, total: (1990 + k * 100) * (1 + (k % 3)), vatRate: 1200 }));
  return JSON.stringify({ saleId: randomUUID(), lines, totals: { total: lines.reduce((a, l) => a + l.total, 0) }, tenders: [{ kind: 'cash', amount: 20000 }] });
}

async function run(name: string, sql: Sql): Promise<void> {
  await migrate(sql, join(import.meta.dirname, '../migrations/hq'));
  const store = new HqStore(sql);
  const app = await buildHqServer({ store, adminToken: 'bench-admin-token-0123456789', bodyLimit: 8 * 1024 * 1024 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const links: HqLink[] = [];
  for (let t = 0; t < TERMINALS; t++) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const token = await store.createEnrollmentToken('store-b', String(t));
    const r = await store.enroll({ token, publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64url'), softwareVersion: 'bench' });
    links.push({ hqUrl: url, terminalId: r.terminalId, storeId: r.storeId, laneId: r.laneId, privateKey });
  }
  const batches = links.map((link) =>
    Array.from({ length: Math.ceil(PER_TERMINAL / BATCH) }, (_, b) =>
      Array.from({ length: Math.min(BATCH, PER_TERMINAL - b * BATCH) }, (_, k): SaleUpload => {
        const seq = b * BATCH + k + 1;
        const body = saleBody(seq);
        return { sequence: seq, saleId: (JSON.parse(body) as { saleId: string }).saleId, kind: 'sale', businessDate: '2026-11-25', total: 10000, createdAt: new Date().toISOString(), body };
      }),
    ),
  );
  const t0 = performance.now();
  await Promise.all(
    links.map(async (link, i) => {
      for (const sales of batches[i]!) await signedPost(link, '/v1/sales', { clock: new Date().toISOString(), backlog: { count: 0, oldestAt: null }, sales }, fetch, 120_000);
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  const total = TERMINALS * PER_TERMINAL;
  const [{ n }] = (await sql.query<{ n: number }>('SELECT count(*) AS n FROM sale')) as [{ n: number }];
  if (Number(n) !== total) throw new Error(`${name}: HQ holds ${n} sales, expected ${total}`);
  console.log(`| ${name} | ${TERMINALS} | ${total} | ${secs.toFixed(2)} | ${Math.round(total / secs)} |`);
  await app.close();
}

console.log('\nHQ ingest: 100 concurrent terminals, sales of 5 lines, batches of 100, signed requests over loopback');
console.log('| backend | terminals | sales | seconds | sales/s |');
console.log('|---|---|---|---|---|');
const dir = mkdtempSync(join(tmpdir(), 'kassa-bench-hq-'));
const lite = sqliteSql(join(dir, 'hq.db'));
await run('SQLite', lite);
await lite.close();
rmSync(dir, { recursive: true, force: true });
const schema = `kassa_bench_${randomBytes(3).toString('hex')}`;
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
await admin.query(`CREATE SCHEMA ${schema}`);
const pgSql = postgresSql(PG_URL, schema);
try {
  await run('PostgreSQL', pgSql);
} finally {
  await pgSql.close();
  await admin.query(`DROP SCHEMA ${schema} CASCADE`);
  await admin.end();
}
