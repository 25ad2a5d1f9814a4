/**
 * `npm run hq:legal -- <set|show> --store S …`: store IT keeps the store's particulars at HQ
 * (hq/store-legal.ts, as `PUT /v1/admin/stores/:store/legal` does); every terminal of the store gets
 * the signed record at its next check-in and prints it from its next receipt on.
 *
 *   npm run hq:legal -- set --store S1 --country SE --company "Kassa Livs AB" --org 556677-8899 \
 *       --address "Götgatan 1, 118 46 Stockholm" --vat SE556677889901
 *   npm run hq:legal -- set --store S1 --address "Ringvägen 2, 118 60 Stockholm"   (the rest as kept)
 *   npm run hq:legal -- show --store S1
 *
 * `set` changes what it is given and keeps the rest; the first `set` of a store gives --org and
 * --address (and --country, by whose rules HQ checks the organisation number and VAT id: SE, DE, DK,
 * NO, FI, GB). `--company ''` or `--vat ''` clears them. Storage options as `npm run hq`: --db
 * data/hq.db | --pg <url>.
 */
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { systemClock } from '../core/clock';
import { openHqStorage, STORAGE_OPTIONS } from './paths';
import { setStoreLegal, storeLegalAdmin } from './store-legal';

const options = {
  ...STORAGE_OPTIONS,
  store: { type: 'string' },
  country: { type: 'string' },
  company: { type: 'string' },
  org: { type: 'string' },
  address: { type: 'string' },
  vat: { type: 'string' },
} as const;

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true, allowPositionals: true });
  const verb = positionals[0];
  if (!verb || !['set', 'show'].includes(verb) || positionals.length > 1) throw new Error('set | show (see hq/legal-cli.ts)');
  if (!values.store) throw new Error('give --store STORE');
  const storeId = values.store;
  const { sql } = await openHqStorage(values);
  try {
    const now = systemClock();
    const kept = await storeLegalAdmin(sql, storeId, now);
    if (verb === 'show') {
      if (!kept) throw new Error(`HQ keeps no particulars for store ${storeId}: set them with npm run hq:legal -- set --store ${storeId} --country … --org … --address …`);
      const l = kept.legal;
      const rows: [string, string][] = [
        ['store', storeId],
        ['country', kept.country ?? '(not given: numbers not checked by a market’s rules)'],
        ['company', l.companyName ?? ''],
        ['org', l.orgNumber],
        ['address', l.address],
        ['vat', l.vatId],
        ['revision', String(kept.version)],
        ['updated', kept.updatedAt],
      ];
      for (const [k, v] of rows) process.stdout.write(`${k}\t${v}\n`);
      return;
    }
    const given = { companyName: values.company, orgNumber: values.org, address: values.address, vatId: values.vat };
    if (Object.values(given).every((v) => v === undefined) && values.country === undefined) throw new Error('give what to set: --country, --company, --org, --address, --vat');
    if (!kept && (given.orgNumber === undefined || given.address === undefined)) throw new Error(`store ${storeId} has no particulars at HQ yet: give --org and --address (and --country)`);
    const base = kept?.legal ?? { orgNumber: '', address: '', vatId: '' };
    const company = given.companyName ?? base.companyName ?? '';
    const body = {
      orgNumber: given.orgNumber ?? base.orgNumber,
      address: given.address ?? base.address,
      vatId: given.vatId ?? base.vatId,
      ...(company ? { companyName: company } : {}),
      ...(values.country !== undefined ? { country: values.country.toUpperCase() } : {}),
    };
    const revision = await setStoreLegal(sql, storeId, body, now);
    process.stdout.write(`store ${storeId}: particulars saved as revision ${revision}; the terminals take them at their next check-in and print them from their next receipt on\n`);
  } finally {
    await sql.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`hq:legal: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
