/**
 * HQ server entry: `npm run hq` serves on embedded SQLite (data/hq.db) by default; `--pg <url>`
 * (or KASSA_HQ_PG) uses PostgreSQL; `--catalog-dir` is where published catalogs are.
 * `--issue-token STORE:LANE` prints a one-time enrollment token and exits. Prints one JSON ready line on stdout.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openHqStorage, STORAGE_OPTIONS } from './paths';
import { HqStore } from './store';
import { buildHqServer } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ...STORAGE_OPTIONS,
      port: { type: 'string', default: '8420' },
      host: { type: 'string', default: '127.0.0.1' },
      'issue-token': { type: 'string' },
    },
    strict: true,
  });
  const { sql, catalogDir } = await openHqStorage(values);
  const store = new HqStore(sql);
  if (values['issue-token']) {
    const [storeId, laneId] = values['issue-token'].split(':');
    if (!storeId || !laneId) throw new Error('--issue-token STORE:LANE');
    process.stdout.write(`${await store.createEnrollmentToken(storeId, laneId)}\n`);
    await sql.close();
    return;
  }
  const adminToken = process.env.KASSA_HQ_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  if (!process.env.KASSA_HQ_ADMIN_TOKEN) process.stderr.write(`[hq] staff token for this run: ${adminToken} (set KASSA_HQ_ADMIN_TOKEN to fix it)\n`);
  const app = await buildHqServer({ store, adminToken, catalogDir, logger: process.env.KASSA_HQ_LOG === '1' });
  await app.listen({ port: Number(values.port), host: values.host });
  const port = (app.server.address() as { port: number }).port;
  process.stdout.write(`${JSON.stringify({ kassaHq: 'ready', port, backend: sql.dialect })}\n`);
  const stop = () => void app.close().then(() => sql.close()).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`kassa hq: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
