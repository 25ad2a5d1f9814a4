/**
 * `npm run hq:publish-os -- --bundle dist/image/kassa-0.1.0.412.raucb [--keyring os-release-ca.pem]`
 * publishes an OS update bundle (RAUC, verity format, made by `npm run image`): HQ offers it at
 * check-in to every terminal running an older OS version (hq/os-release.ts). A version not newer
 * than the newest published one is refused (no downgrades). With --keyring (the OS release CA, the
 * one baked into the image as /etc/rauc/keyring.pem) the bundle's signature is checked here too.
 *
 * Options as `npm run hq:publish`: --db data/hq.db | --pg <url> (where HQ's files are: --catalog-dir,
 * default beside the database), --key data/hq-catalog-key.pem (signs the offer; terminals pin it).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { systemClock } from '../core/clock';
import { loadOrCreateCatalogKey } from './catalog';
import { publishOs } from './os-release';
import { defaultCatalogDir, STORAGE_OPTIONS } from './paths';

function main(): void {
  const options = { ...STORAGE_OPTIONS, key: { type: 'string', default: 'data/hq-catalog-key.pem' }, bundle: { type: 'string' }, keyring: { type: 'string' } } as const;
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  if (!values.bundle) throw new Error('give --bundle kassa-<version>.raucb');
  if (!existsSync(values.bundle)) throw new Error(`${values.bundle} does not exist`);
  if (!existsSync(values.key)) throw new Error(`${values.key} does not exist: the catalog key terminals pin signs OS offers too (npm run hq:publish makes it)`);
  mkdirSync(dirname(resolve(values.key)), { recursive: true });
  const { signer } = loadOrCreateCatalogKey(values.key);
  const pg = values.pg ?? process.env.KASSA_HQ_PG;
  const dir = resolve(values['catalog-dir'] ?? defaultCatalogDir(pg ? null : values.db));
  if (!values.keyring) process.stderr.write('no --keyring: the bundle\'s signature is not checked here (terminals check it)\n');
  const m = publishOs(dir, signer, values.bundle, { now: systemClock(), ...(values.keyring ? { keyring: values.keyring } : {}) });
  process.stdout.write(`published OS ${m.version} (${m.compatible}): ${(m.size / 1024 / 1024).toFixed(1)} MiB, sha256 ${m.sha256}; offered to terminals running an older version\n`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`hq:publish-os: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
