/**
 * Provisioning for store IT: `npm run provision -- --hq=<url> --token=<t> --catalog-key=<key>
 * [--db=data/kassa.db]` (`--token <t>` works too, whatever the token's first character), or `--file <provisioning.json>` (e.g. from a USB stick:
 * {"hq": "...", "token": "...", "catalogKeys": ["..."]}). Enrolls the terminal with its own new key,
 * pins HQ's catalog signing key(s), pulls the catalog and says "ready to sell" — or why not.
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

const FileSchema = z.object({ hq: z.string().url(), token: z.string().min(20).max(128), catalogKeys: z.array(z.string()).max(8).optional() }).strict();

async function main(): Promise<void> {
  const options = { hq: { type: 'string' }, token: { type: 'string' }, file: { type: 'string' }, 'catalog-key': { type: 'string', multiple: true }, db: { type: 'string', default: 'data/kassa.db' } } as const;
  // Tokens and keys may start with '-': each value is attached to its option before parsing.
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
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

main().catch((err: unknown) => {
  process.stderr.write(`provisioning failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
