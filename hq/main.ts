/**
 * HQ server entry: `npm run hq` serves on embedded SQLite (data/hq.db) by default; `--pg <url>`
 * (or KASSA_HQ_PG) uses PostgreSQL; `--catalog-dir` is where published catalogs are.
 * `--issue-token STORE:LANE` prints a one-time enrollment token and exits; with `--reflash`, one that
 * re-enrolls the terminal enrolled for that lane (a till provisioned again: it keeps its terminal id
 * and recovers its journal from its peers, hq/reflash.ts). With `--with-hq-url URL [--catalog-key KEY]…`
 * it prints after the token line the first-boot provisioning code and its QR code (`--qr-png FILE`
 * writes the QR code as a PNG, `--provisioning-json FILE` the USB stick's provisioning.json; a Swedish
 * lane's `--control-unit simulator|<vendor>@<device>` goes in the payload, kept by the terminal;
 * hq/provisioning-code.ts). Prints one JSON ready line on stdout.
 * The fleet page's thresholds: `--stale-after 15m` (no contact), `--behind-after 15m` (oldest sale
 * waiting on the terminal), `--catalog-lag 15m` (a newer catalog published and not in use),
 * `--never-sold-after 24h` (enrolled without a sale).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { openHqStorage, STORAGE_OPTIONS } from './paths';
import { HqStore } from './store';
import { buildHqServer } from './server';
import { parseDuration, type FleetThresholds } from './fleet-problems';
import { parseControlUnitArg } from '../protocol/terminal';
import { printProvisioning, provisioningPayload } from './provisioning-code';

async function main(): Promise<void> {
  const options = {
    ...STORAGE_OPTIONS,
    port: { type: 'string', default: '8420' },
    host: { type: 'string', default: '127.0.0.1' },
    'issue-token': { type: 'string' },
    reflash: { type: 'boolean', default: false },
    'with-hq-url': { type: 'string' },
    'catalog-key': { type: 'string', multiple: true },
    'qr-png': { type: 'string' },
    'provisioning-json': { type: 'string' },
    'control-unit': { type: 'string' },
    // When a lane needs attention on the fleet page (durations: 90s, 15m, 2h, 1d).
    'stale-after': { type: 'string', default: '15m' },
    'behind-after': { type: 'string', default: '15m' },
    'catalog-lag': { type: 'string', default: '15m' },
    'never-sold-after': { type: 'string', default: '24h' },
  } as const;
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  // Checked before anything is opened: a typo must not start HQ with thresholds nobody chose.
  const thresholds: FleetThresholds = {
    staleMs: parseDuration(values['stale-after'], '--stale-after'),
    behindMs: parseDuration(values['behind-after'], '--behind-after'),
    catalogLagMs: parseDuration(values['catalog-lag'], '--catalog-lag'),
    neverSoldMs: parseDuration(values['never-sold-after'], '--never-sold-after'),
  };
  if (values.reflash && !values['issue-token']) throw new Error('--reflash goes with --issue-token STORE:LANE');
  const withUrl = values['with-hq-url'];
  if (!withUrl && (values['catalog-key'] || values['qr-png'] || values['provisioning-json'] || values['control-unit'])) throw new Error('--catalog-key, --control-unit, --qr-png and --provisioning-json go with --issue-token STORE:LANE --with-hq-url URL');
  const controlUnit = values['control-unit'] ? parseControlUnitArg(values['control-unit']) : null;
  if (withUrl && !values['issue-token']) throw new Error('--with-hq-url goes with --issue-token STORE:LANE');
  const { sql, catalogDir } = await openHqStorage(values);
  const store = new HqStore(sql);
  if (values['issue-token']) {
    const [storeId, laneId] = values['issue-token'].split(':');
    if (!storeId || !laneId) throw new Error('--issue-token STORE:LANE [--reflash]');
    const provisioning = withUrl ? { hqUrl: withUrl, catalogKeys: values['catalog-key'] ?? [], controlUnit, qrPng: values['qr-png'] ?? null, json: values['provisioning-json'] ?? null } : null;
    if (provisioning) provisioningPayload('x'.repeat(32), storeId, laneId, provisioning); // a bad URL or key is refused before a token is made
    const token = await store.createEnrollmentToken(storeId, laneId, undefined, undefined, { reflash: values.reflash });
    process.stdout.write(`${token}\n`);
    if (provisioning) printProvisioning(token, storeId, laneId, provisioning, (t) => process.stdout.write(t));
    await sql.close();
    return;
  }
  const adminToken = process.env.KASSA_HQ_ADMIN_TOKEN ?? randomBytes(24).toString('base64url');
  if (!process.env.KASSA_HQ_ADMIN_TOKEN) process.stderr.write(`[hq] staff token for this run: ${adminToken} (set KASSA_HQ_ADMIN_TOKEN to fix it)\n`);
  const app = await buildHqServer({ store, adminToken, catalogDir, thresholds, logger: process.env.KASSA_HQ_LOG === '1' });
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
