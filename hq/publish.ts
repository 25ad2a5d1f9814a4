/**
 * `npm run hq:publish -- [--catalog catalog.json] [--items items.csv] [--prices prices.csv]`
 * publishes a new catalog version: the newest published catalog, with the given files applied in
 * that order (a JSON catalog replaces the sections it has; an items CSV replaces the items; a
 * prices CSV changes prices), validated as a whole, written as a signed full snapshot and a signed
 * delta from the version before. `--refresh` only re-signs the newest version with a later expiry.
 *
 * Options: --db data/hq.db | --pg <url> [--schema s], --catalog-dir (default beside the database),
 * --key data/hq-catalog-key.pem (made on first use; its public key is what terminals pin),
 * --expires-days 7.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { applyItemsCsv, applyJsonInput, applyPricesCsv, latestContent, loadOrCreateCatalogKey, publishCatalog, refreshCatalog } from './catalog';
import { openHqStorage, STORAGE_OPTIONS } from './paths';
import { HqStore } from './store';

const bytes = (n: number) => (n < 10_240 ? `${n} bytes` : n < 10 * 1024 * 1024 ? `${Math.round(n / 1024)} KiB` : `${(n / 1024 / 1024).toFixed(1)} MiB`);

async function main(): Promise<void> {
  const options = {
    ...STORAGE_OPTIONS,
    key: { type: 'string', default: 'data/hq-catalog-key.pem' },
    catalog: { type: 'string' },
    items: { type: 'string' },
    prices: { type: 'string' },
    refresh: { type: 'boolean', default: false },
    'expires-days': { type: 'string', default: '7' },
  } as const;
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  const days = Number(values['expires-days']);
  if (!Number.isFinite(days) || days <= 0 || days > 366) throw new Error('--expires-days must be between 0 and 366');
  if (!values.refresh && !values.catalog && !values.items && !values.prices) throw new Error('give --catalog, --items and/or --prices (or --refresh)');
  mkdirSync(dirname(resolve(values.key)), { recursive: true });
  const { signer, created } = loadOrCreateCatalogKey(values.key);
  if (created) process.stderr.write(`made a new catalog signing key ${values.key}\n`);
  process.stdout.write(`catalog key ${signer.keyId}: ${signer.publicKey}  (terminals pin this: provision --catalog-key=${signer.publicKey})\n`);
  const { sql, catalogDir: dir } = await openHqStorage(values);
  try {
    const store = new HqStore(sql);
    const ttlMs = days * 24 * 3600_000;
    if (values.refresh) {
      const v = await refreshCatalog(store, signer, { ttlMs });
      process.stdout.write(v === null ? 'nothing is published yet\n' : `version ${v} re-signed, valid for ${days} days\n`);
      return;
    }
    const prev = await latestContent(store, dir);
    let next = prev.content;
    if (values.catalog) next = applyJsonInput(next, readFileSync(values.catalog, 'utf8'), values.catalog);
    if (values.items) next = applyItemsCsv(next, readFileSync(values.items, 'utf8'), values.items);
    if (values.prices) next = applyPricesCsv(next, readFileSync(values.prices, 'utf8'), values.prices);
    const r = await publishCatalog(store, dir, signer, next, { ttlMs, prev });
    if (!r) {
      process.stdout.write(`nothing changed: version ${prev.version} stays the newest\n`);
      return;
    }
    process.stdout.write(
      `published version ${r.version}: ${r.items} items, full snapshot ${bytes(r.full.size)}` +
        (r.delta ? `, delta from ${r.version - 1} with ${r.delta.records} records (${bytes(r.delta.size)})` : '') +
        `, valid for ${days} days\n`,
    );
  } finally {
    await sql.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`hq:publish: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
