// Verifies a terminal's journal from its database file alone (read-only):
//   npm run journal:verify -- <db file> [--key <keyId> …] [--anchor <seq>:<hash>] [--hq <url> --hq-token-file <file>]
// --key: only these signing keys are trusted (e.g. the terminal key HQ enrolled); without it every
//   key recorded in the file is accepted.
// --anchor: an entry someone outside the till holds (HQ's fleet page "Journal head", or the head a Z
//   report printed): a journal cut off before it, or different there, is reported.
// --hq with --hq-token-file (the staff token, in a file): takes the anchor from HQ's record of the terminal.
// The archived part (journal-archive/ beside the database, docs/retention.md) is verified too.
// Exit code 0: the chain, sequence, signatures and anchor verify; 1: the first problem is named; 2: usage.
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { checkAnchor, parseAnchor, terminalIdOf, verifyArchivedJournal, verifyJournalFile, type Anchor } from '../core/journal/file';

const USAGE = 'usage: npm run journal:verify -- <terminal database file> [--key <keyId> …] [--anchor <seq>:<hash>] [--hq <url> --hq-token-file <file>]';
const OPTIONS = { key: { type: 'string', multiple: true }, anchor: { type: 'string' }, hq: { type: 'string' }, 'hq-token-file': { type: 'string' } } as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
try {
  parsed = parseArgs({ args: attachOptionValues(process.argv.slice(2), OPTIONS), options: OPTIONS, allowPositionals: true });
} catch (err) {
  console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  process.exit(2);
}
const opt = parsed.values;
const keys = new Set(opt.key ?? []);
const rest = parsed.positionals;
const fail = (msg: string, code: number): never => {
  console.error(msg);
  process.exit(code);
};
const path = rest[0];
if (!path || !existsSync(path)) fail(USAGE, 2);

async function anchorFromHq(url: string, tokenFile: string): Promise<Anchor> {
  const terminal = terminalIdOf(path!);
  if (!terminal) return fail('this terminal was never enrolled at HQ: HQ holds no anchor for it', 2);
  const token = readFileSync(tokenFile, 'utf8').trim();
  const res = await fetch(new URL(`/v1/admin/terminals/${encodeURIComponent(terminal)}/anchor`, url), { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(15_000) });
  const body = (await res.json().catch(() => ({}))) as { seq?: number; hash?: string | null; message?: string };
  if (!res.ok) return fail(`HQ did not give the anchor (${res.status}): ${body.message ?? ''}`, 2);
  if (!body.hash || typeof body.seq !== 'number') return fail(`HQ holds no checked sale of ${terminal} yet: no anchor`, 2);
  return { seq: body.seq, hash: body.hash };
}

async function main(): Promise<void> {
  let anchor: Anchor | null = null;
  if (opt.anchor !== undefined) anchor = parseAnchor(opt.anchor) ?? fail('--anchor takes <seq>:<64 hex digits>, as the fleet page and the Z report show it', 2);
  else if (opt.hq !== undefined) anchor = await anchorFromHq(opt.hq, opt['hq-token-file'] ?? fail('--hq needs --hq-token-file <file with the staff token>', 2));
  const trusted = keys.size ? keys : undefined;
  const a = verifyArchivedJournal(path!, undefined, trusted);
  if (!a.ok) {
    console.log(`TAMPERED: archive ${a.file}: ${a.reason}`);
    process.exit(1);
  }
  const r = verifyJournalFile(path!, trusted);
  if (!r.ok) {
    console.log(`TAMPERED: entry ${r.seq}: ${r.reason}`);
    process.exit(1);
  }
  const archived = a.ok && a.heldAtHq ? ` (entries 1–${a.heldAtHq} are HQ's record: this till was recovered from HQ${a.files ? `; through ${r.archivedThrough} in ${a.files} verified archive files` : ''})` : a.ok && a.files ? ` (entries 1–${r.archivedThrough} in ${a.files} verified archive files)` : '';
  const held = anchor ? checkAnchor(path!, anchor) : null;
  if (held && !held.ok) {
    console.log(`${held.verdict}: ${held.reason}`);
    process.exit(1);
  }
  console.log(`OK: ${r.entries} entries, ${r.signed} signed, ${r.unsigned} unsigned (in signer outages), head ${r.head.slice(0, 16)}…${archived}${held ? `; ${held.detail}` : ''}`);
}

main().catch((err: unknown) => fail(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`, 2));
