/**
 * `npm run tse -- <register-client|export> --db <file> …`: store IT's acts on a German till's cloud
 * TSE (fiskaly SIGN DE, as `npm run provision -- --tse tse.json` chose it), outside the lane: an
 * export may take fiskaly an hour, and the admin PIN is never kept by the till.
 *
 *   npm run tse -- register-client --db data/kassa.db     (asks for the TSS admin's PIN)
 *   echo 123456 | npm run tse -- register-client --db data/kassa.db
 *   npm run tse -- export --db data/kassa.db --out tse-export.tar [--from N] [--to N]
 *
 * The till's client is named by its store and lane (the TSE's client id, ./till.ts tseClientId):
 * those HQ enrolled it as, or `--store S --lane L` for a till not enrolled at HQ. `register-client`
 * registers the provisioned fiskaly client UUID for this till (a client that is already this till's
 * is fine; one of another till, or deregistered, is refused with why). `export` writes the TSS's
 * TAR (this till's transactions, or the range of transaction numbers given) into a new file.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../../../common/cli-args';
import { readSecret } from '../../read-secret';
import { openDatabase } from '../../db';
import { loadHqLink } from '../../sync/link';
import { loadTseChoice } from './choice';
import { FiskalyTse } from './fiskaly';
import { tseClientId } from './till';

const USAGE = 'usage: npm run tse -- register-client --db <file> | export --db <file> --out <new file.tar> [--from N] [--to N]   (--store S --lane L for a till not enrolled at HQ)';

/** The till's fiskaly client from its database: which TSS, which client UUID, and the till's serial. */
function tillClient(dbPath: string, store?: string, lane?: string): { tse: FiskalyTse; serial: string; uuid: string } {
  if (!existsSync(dbPath)) throw new Error(`no database at ${dbPath}`);
  const db = openDatabase(dbPath);
  try {
    const choice = loadTseChoice(db);
    if (choice?.kind !== 'fiskaly') throw new Error(`${dbPath} signs with ${choice ? `the ${choice.kind} TSE` : 'no TSE chosen'}, not fiskaly: provision it with npm run provision -- --tse tse.json`);
    const link = loadHqLink(db);
    const storeId = link?.storeId ?? store;
    const laneId = link?.laneId ?? lane;
    if (!storeId || !laneId) throw new Error('this till is not enrolled at HQ: give --store and --lane, as the lane runs');
    const serial = tseClientId(storeId, laneId);
    const tse = new FiskalyTse({ baseUrl: choice.baseUrl, apiKey: choice.apiKey, apiSecret: choice.apiSecret, tssId: choice.tssId, clients: { [serial]: choice.clientId } });
    return { tse, serial, uuid: choice.clientId };
  } finally {
    db.close();
  }
}

function numberOf(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  if (!/^[1-9]\d{0,15}$/.test(v)) throw new Error(`${what} is a transaction number, got "${v}"`);
  return Number(v);
}

async function main(): Promise<void> {
  const options = { db: { type: 'string' }, out: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, store: { type: 'string' }, lane: { type: 'string' } } as const;
  const { values, positionals } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true, allowPositionals: true });
  const verb = positionals[0];
  if (!values.db || positionals.length !== 1 || (verb !== 'register-client' && verb !== 'export')) throw new Error(USAGE);
  if (verb === 'export') {
    if (!values.out) throw new Error(`give --out\n${USAGE}`);
    if (existsSync(values.out)) throw new Error(`${values.out} exists: the export is written to a new file`);
    const from = numberOf(values.from, '--from');
    const to = numberOf(values.to, '--to');
    const { tse, serial } = tillClient(values.db, values.store, values.lane);
    const tar = await tse.exportTar({ clientId: serial, ...(from !== undefined ? { fromTransaction: from } : {}), ...(to !== undefined ? { toTransaction: to } : {}) });
    writeFileSync(values.out, tar, { flag: 'wx' });
    process.stdout.write(`TSE export written: ${values.out} (${tar.length} bytes; ${from !== undefined || to !== undefined ? `transactions ${from ?? 1} to ${to ?? 'the last'} of the TSS` : `the transactions of till ${serial}`})\n`);
    return;
  }
  const { tse, serial, uuid } = tillClient(values.db, values.store, values.lane);
  const pin = await readSecret(`admin PIN of fiskaly TSS (for till ${serial}): `);
  if (!pin) throw new Error('no admin PIN given');
  const r = await tse.registerClient(serial, pin);
  process.stdout.write(r === 'registered' ? `fiskaly client ${uuid} registered for till ${serial}\n` : `fiskaly client ${uuid} was registered for till ${serial} already\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`tse: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
