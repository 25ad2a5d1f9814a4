/**
 * Provisioning for store IT: `npm run provision -- --hq <url> --token <t> [--db data/kassa.db]`, or
 * `--file <provisioning.json>` (e.g. from a USB stick: {"hq": "...", "token": "..."}). Enrolls the
 * terminal with its own new key and says "ready to sell" — or why not.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { openDatabase } from './db';
import { enroll, loadHqLink } from './sync/link';

const FileSchema = z.object({ hq: z.string().url(), token: z.string().min(20).max(128) }).strict();

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { hq: { type: 'string' }, token: { type: 'string' }, file: { type: 'string' }, db: { type: 'string', default: 'data/kassa.db' } }, strict: true });
  let hq = values.hq;
  let token = values.token;
  if (values.file) {
    const f = FileSchema.safeParse(JSON.parse(readFileSync(values.file, 'utf8')));
    if (!f.success) throw new Error(`provisioning file ${values.file}: ${f.error.issues[0]?.path.join('.')}: ${f.error.issues[0]?.message}`);
    hq = f.data.hq;
    token = f.data.token;
  }
  if (!hq || !token) throw new Error('give --hq <url> and --token <token>, or --file <provisioning.json>');
  mkdirSync(dirname(resolve(values.db)), { recursive: true });
  const db = openDatabase(values.db);
  try {
    const existing = loadHqLink(db);
    if (existing) process.stderr.write(`this terminal was enrolled as ${existing.terminalId}; enrolling again with a new key\n`);
    const r = await enroll(db, hq, token, process.env.npm_package_version ?? '0.1.0');
    process.stdout.write(`enrolled as ${r.terminalId} (store ${r.storeId}, lane ${r.laneId}) at ${hq}\nready to sell\n`);
  } finally {
    db.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`provisioning failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
