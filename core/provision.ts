/**
 * Provisioning for store IT: `npm run provision -- --hq=<url> --token=<t> --catalog-key=<key>
 * [--db=data/kassa.db]` (`--token <t>` works too, whatever the token's first character), or `--file <provisioning.json>` (e.g. from a USB stick:
 * {"hq": "...", "token": "...", "catalogKeys": ["..."]}). Enrolls the terminal with its own new key,
 * pins HQ's catalog signing key(s), pulls the catalog and says "ready to sell" — or why not. With a
 * reflash token (HQ: `--issue-token STORE:LANE --reflash`) it is the lane's terminal again: its
 * journal and sales come back from the store's other tills first (core/peers/recover.ts), into an
 * empty data directory; when no peer can give them it stops, the lane refuses to sell until they
 * are back, and `npm run provision -- --recover [--db=…]` tries again. A till whose store has no
 * other till gets its sales back from HQ instead (core/peers/recover-hq.ts); `--recover --from-hq`
 * asks HQ when no peer could help (what only peers held is then lost, and they refuse the new chain).
 * A lane core already running on that database takes the new link up within a few seconds of
 * this finishing (core/sync/hq-sync.ts): no restart.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { z } from 'zod';
import { openDatabase } from './db';
import { enroll, loadHqLink } from './sync/link';
import { CatalogUpdater, pinCatalogKey } from './sync/catalog';
import { SOFTWARE_VERSION } from './sync/report';
import { recoverFromPeers, type Reflash } from './peers/recover';
import { recoverFromHq, recoverySource } from './peers/recover-hq';
import { RecoveryPending } from './peers/recovery-pending';
import { systemClock } from './clock';
import type { Db } from './db';
import type { HqLink } from './sync/link';

const FileSchema = z.object({ hq: z.string().url(), token: z.string().min(20).max(128), catalogKeys: z.array(z.string()).max(8).optional() }).strict();

async function main(): Promise<void> {
  const options = { hq: { type: 'string' }, token: { type: 'string' }, file: { type: 'string' }, 'catalog-key': { type: 'string', multiple: true }, db: { type: 'string', default: 'data/kassa.db' }, recover: { type: 'boolean' }, 'from-hq': { type: 'boolean' } } as const;
  // Tokens and keys may start with '-': each value is attached to its option before parsing.
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  if (values.recover) return recoverAgain(values.db, values['from-hq'] ?? false);
  let hq = values.hq;
  let token = values.token;
  let keys = values['catalog-key'] ?? [];
  if (values.file) {
    const f = FileSchema.safeParse(JSON.parse(readFileSync(values.file, 'utf8')));
    if (!f.success) throw new Error(`provisioning file ${values.file}: ${f.error.issues[0]?.path.join('.')}: ${f.error.issues[0]?.message}`);
    hq = f.data.hq;
    token = f.data.token;
    keys = [...keys, ...(f.data.catalogKeys ?? [])];
  }
  if (!hq || !token) throw new Error('give --hq=<url> and --token=<token>, or --file=<provisioning.json>');
  mkdirSync(dirname(resolve(values.db)), { recursive: true });
  const db = openDatabase(values.db);
  try {
    const existing = loadHqLink(db);
    if (existing) process.stderr.write(`this terminal was enrolled as ${existing.terminalId}; enrolling again with a new key\n`);
    for (const k of keys) pinCatalogKey(db, k); // checked before enrolling: a typo must not use up the token
    const r = await enroll(db, hq, token, SOFTWARE_VERSION);
    process.stdout.write(`enrolled as ${r.terminalId} (store ${r.storeId}, lane ${r.laneId}) at ${hq}\n`);
    const link = loadHqLink(db)!;
    if (r.reflash) await recover(db, link, r.reflash);
    const updater = new CatalogUpdater(db, link, { downloadPath: `${values.db}.catalog-download`, log: (l) => process.stdout.write(`${l}\n`) });
    const st = await updater.check();
    if (st.lastError) process.stdout.write(`catalog not updated: ${st.lastError}\n`);
    if (st.items === 0) {
      process.stdout.write(`not ready to sell: this terminal has no catalog yet (publish one at HQ: npm run hq:publish); the lane fetches it at its check-ins\n`);
      process.exitCode = 2;
      return;
    }
    process.stdout.write(`catalog ${st.version > 0 ? `version ${st.version} from HQ` : 'from this terminal'}: ${st.items} items\nready to sell\n`);
  } finally {
    db.close();
  }
}

/** `--recover`: a reflashed till whose recovery did not finish (no peer could give its journal) tries again. */
async function recoverAgain(file: string, fromHq: boolean): Promise<void> {
  const db = openDatabase(file);
  try {
    const link = loadHqLink(db);
    const pending = new RecoveryPending(db).get();
    if (!link || !pending) {
      process.stdout.write(`this till waits for no recovery: it ${link ? 'has its journal' : 'is not enrolled'}\n`);
      return;
    }
    await recover(db, link, pending.reflash, fromHq);
    process.stdout.write('ready to sell\n');
  } finally {
    db.close();
  }
}

/** A reflashed till (a reflash token re-enrolled the lane's terminal): its journal back from its peers (or HQ) before anything else. */
async function recover(db: Db, link: HqLink, reflash: Reflash, fromHq = false): Promise<void> {
  const started = performance.now();
  if (recoverySource(db, link, reflash, fromHq) === 'hq') {
    process.stdout.write(`this is the lane's terminal again (reflashed): ${fromHq ? 'as store IT asked, ' : 'the store has no other till: '}getting its sales back from HQ\n`);
    const r = await recoverFromHq(db, link, reflash, { now: systemClock, log: (l) => process.stdout.write(`${l}\n`) });
    process.stdout.write(`recovered ${r.sales} sales from HQ in ${((performance.now() - started) / 1000).toFixed(2)} s; the journal continues at entry ${r.recoveredSeq} after HQ's entry ${r.through.seq}; the till is closed: count the drawer and open it\n`);
    return;
  }
  process.stdout.write(`this is the lane's terminal again (reflashed): recovering its journal from the store's other tills\n`);
  const r = await recoverFromPeers(db, link, reflash, { now: systemClock, log: (l) => process.stdout.write(`${l}\n`) });
  for (const p of r.peers) process.stdout.write(`  lane ${p.laneId.padEnd(6)} ${p.terminalId}  ${p.problem ?? `holds ${p.sales ?? 0} of its sales (to entry ${p.chainSeq ?? 0})`}\n`);
  process.stdout.write(`recovered ${r.sales} sales and ${r.entries} journal entries (through entry ${r.through.seq}) in ${((performance.now() - started) / 1000).toFixed(2)} s; the journal continues at entry ${r.recoveredSeq}; ${r.unsent} sales go to HQ again${r.tillOpen ? '; the till is open again with its float' : ''}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`provisioning failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
