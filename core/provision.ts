/**
 * Provisioning for store IT: `npm run provision -- --hq=<url> --token=<t> --catalog-key=<key>
 * [--db=data/kassa.db] [--legal store.json] [--tse tse.json] [--control-unit none|simulator|<vendor>@<device>]` (`--legal` alone keeps the store's legal particulars —
 * address, orgNumber, vatId, companyName, tillId — in the database, core/markets/store-legal.ts; HQ's signed store record wins over them;
 * `--tse` alone which TSE a German till signs with, core/fiscal/tse/choice.ts; `--control-unit` Sweden's control unit,
 * core/fiscal/control-unit/config.ts) (`--token <t>` works too, whatever the token's first character), or `--file <provisioning.json>` (e.g. from a USB stick:
 * {"hq": "...", "token": "...", "catalogKeys": ["..."], "store": "...", "lane": "..."}; store and lane
 * are optional and, when given, must be what HQ enrolls the terminal as). Enrolls the terminal with its own new key,
 * pins HQ's catalog signing key(s), pulls the catalog and says "ready to sell" — or why not. With a
 * reflash token (HQ: `--issue-token STORE:LANE --reflash`) it is the lane's terminal again: its
 * journal and sales come back from the store's other tills first (core/peers/recover.ts), into an
 * empty data directory; when no peer can give them it stops, the lane refuses to sell until they
 * are back, and `npm run provision -- --recover [--db=…]` tries again. A till whose store has no
 * other till gets its sales back from HQ instead (core/peers/recover-hq.ts); `--recover --from-hq`
 * asks HQ when no peer could help (what only peers held is then lost, and they refuse the new chain).
 * A lane core already running on that database takes the new link up within a few seconds of
 * this finishing (core/sync/hq-sync.ts): no restart. The steps are core/provisioning/steps.ts,
 * shared with the first-boot provisioning screen (core --provisioning, core/provisioning/flow.ts).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { ProvisioningFileSchema, readProvisioning, type ProvisioningFile } from '../protocol/provisioning';
import { openDatabase } from './db';
import { loadHqLink } from './sync/link';
import { RecoveryPending } from './peers/recovery-pending';
import { catalogStep, enrollStep, recoverStep, type ProvisionEvent, type StepOptions } from './provisioning/steps';
import { systemClock } from './clock';
import { readStoreLegalFile, saveStoreLegal } from './markets/store-legal';
import { describeControlUnit, parseControlUnitArg, saveControlUnitConfig } from './fiscal/control-unit/config';
import { describeTseChoice, readTseChoiceFile, saveTseChoice } from './fiscal/tse/choice';

const say = (line: string) => process.stdout.write(`${line}\n`);

/** What each step did, in the words store IT's scripts read. */
function print(e: ProvisionEvent): void {
  if (e.step === 'enrolling' && e.was) process.stderr.write(`this terminal was enrolled as ${e.was}; enrolling again with a new key\n`);
  if (e.step === 'enrolled') say(`enrolled as ${e.terminalId} (store ${e.storeId}, lane ${e.laneId}) at ${e.hq}`);
  if (e.step === 'recovering') say(`this is the lane's terminal again (reflashed): ${e.source === 'hq' ? `${e.asked ? 'as store IT asked, ' : 'the store has no other till: '}getting its sales back from HQ` : `recovering its journal from the store's other tills`}`);
  if (e.step === 'recovered' && e.source === 'hq') {
    const r = e.result;
    say(`recovered ${r.sales} sales from HQ in ${e.seconds.toFixed(2)} s; the journal continues at entry ${r.recoveredSeq} after HQ's entry ${r.through.seq}; the till is closed: count the drawer and open it`);
  }
  if (e.step === 'recovered' && e.source === 'peers') {
    const r = e.result;
    for (const p of r.peers) say(`  lane ${p.laneId.padEnd(6)} ${p.terminalId}  ${p.problem ?? `holds ${p.sales ?? 0} of its sales (to entry ${p.chainSeq ?? 0})`}`);
    say(`recovered ${r.sales} sales and ${r.entries} journal entries (through entry ${r.through.seq}) in ${e.seconds.toFixed(2)} s; the journal continues at entry ${r.recoveredSeq}; ${r.unsent} sales go to HQ again${r.tillOpen ? '; the till is open again with its float' : ''}`);
  }
}

/** The payload from the flags or the file (the file's keys added to the flags'). */
function payloadOf(values: { hq?: string; token?: string; file?: string; 'catalog-key'?: string[] }): ProvisioningFile {
  let p: Partial<ProvisioningFile> = { hq: values.hq, token: values.token };
  if (values.file) {
    const r = readProvisioning(readFileSync(values.file, 'utf8'));
    if (!r.ok) throw new Error(`provisioning file ${values.file}: ${r.reason}`);
    p = r.payload;
  }
  if (!p.hq || !p.token) throw new Error('give --hq=<url> and --token=<token>, or --file=<provisioning.json>');
  const parsed = ProvisioningFileSchema.safeParse({ ...p, catalogKeys: [...(values['catalog-key'] ?? []), ...(p.catalogKeys ?? [])] });
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

async function main(): Promise<void> {
  const options = { hq: { type: 'string' }, token: { type: 'string' }, file: { type: 'string' }, 'catalog-key': { type: 'string', multiple: true }, db: { type: 'string', default: 'data/kassa.db' }, recover: { type: 'boolean' }, 'from-hq': { type: 'boolean' }, legal: { type: 'string' }, tse: { type: 'string' }, 'control-unit': { type: 'string' } } as const;
  // Tokens and keys may start with '-': each value is attached to its option before parsing.
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  const o: StepOptions = { dbPath: values.db, now: systemClock, log: say, on: print };
  if (values.recover) return recoverAgain(values.db, { ...o, fromHq: values['from-hq'] ?? false });
  if (values.legal || values.tse || values['control-unit']) {
    // The store's legal particulars (receipt lines; Sweden's registration), which TSE a German till signs with and
    // Sweden's control unit: kept in the terminal's database, read at every start.
    const legal = values.legal ? readStoreLegalFile(values.legal) : null;
    const tse = values.tse ? readTseChoiceFile(values.tse) : null;
    const unit = values['control-unit'] ? parseControlUnitArg(values['control-unit']) : null;
    mkdirSync(dirname(resolve(values.db)), { recursive: true });
    const ldb = openDatabase(values.db);
    try {
      if (legal) saveStoreLegal(ldb, legal);
      if (tse) saveTseChoice(ldb, tse);
      if (unit) saveControlUnitConfig(ldb, unit);
    } finally {
      ldb.close();
    }
    if (legal) say(`store particulars kept: ${[legal.companyName, legal.orgNumber, legal.address, legal.tillId].filter(Boolean).join(', ')}`);
    if (tse) say(`TSE kept: ${describeTseChoice(tse)} (used from the lane's next start)`);
    if (unit) say(`control unit kept: ${describeControlUnit(unit)}`);
    if (!values.hq && !values.token && !values.file) return;
  }
  const payload = payloadOf(values);
  mkdirSync(dirname(resolve(values.db)), { recursive: true });
  const db = openDatabase(values.db);
  try {
    const { link, reflash } = await enrollStep(db, payload, o);
    if (payload.controlUnit && !values['control-unit']) {
      saveControlUnitConfig(db, payload.controlUnit);
      say(`control unit kept: ${describeControlUnit(payload.controlUnit)} (from the provisioning file; --control-unit would win)`);
    }
    if (reflash) await recoverStep(db, link, reflash, o);
    const st = await catalogStep(db, link, { ...o, on: undefined });
    if (st.lastError) say(`catalog not updated: ${st.lastError}`);
    if (st.items === 0) {
      say(`not ready to sell: this terminal has no catalog yet (publish one at HQ: npm run hq:publish); the lane fetches it at its check-ins`);
      process.exitCode = 2;
      return;
    }
    say(`catalog ${st.version > 0 ? `version ${st.version} from HQ` : 'from this terminal'}: ${st.items} items\nready to sell`);
  } finally {
    db.close();
  }
}

/** `--recover [--from-hq]`: a reflashed till whose recovery did not finish (no peer could give its journal) tries again. */
async function recoverAgain(file: string, o: StepOptions & { fromHq: boolean }): Promise<void> {
  const db = openDatabase(file);
  try {
    const link = loadHqLink(db);
    const pending = new RecoveryPending(db).get();
    if (!link || !pending) {
      say(`this till waits for no recovery: it ${link ? 'has its journal' : 'is not enrolled'}`);
      return;
    }
    await recoverStep(db, link, pending.reflash, o, o.fromHq);
    say('ready to sell');
  } finally {
    db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`provisioning failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
