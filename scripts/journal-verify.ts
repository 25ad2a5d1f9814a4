// Verifies a terminal's journal from its database file alone (read-only):
//   npm run journal:verify -- <db file> [--key <keyId> …]   (--key: only these signing keys are trusted,
//   e.g. the terminal key HQ enrolled; without it every key recorded in the file is accepted)
// The archived part (journal-archive/ beside the database, docs/retention.md) is verified too.
// Exit code 0: the chain, sequence and signatures verify; 1: the first bad entry is named; 2: usage.
import { existsSync } from 'node:fs';
import { verifyArchivedJournal, verifyJournalFile } from '../core/journal/file';

const args = process.argv.slice(2);
const keys = new Set<string>();
for (let i = args.indexOf('--key'); i >= 0; i = args.indexOf('--key')) {
  const k = args[i + 1];
  if (k) keys.add(k);
  args.splice(i, 2);
}
const path = args[0];
if (!path || !existsSync(path)) {
  console.error('usage: npm run journal:verify -- <terminal database file>');
  process.exit(2);
}
try {
  const trusted = keys.size ? keys : undefined;
  const a = verifyArchivedJournal(path, undefined, trusted);
  if (!a.ok) {
    console.log(`TAMPERED: archive ${a.file}: ${a.reason}`);
    process.exit(1);
  }
  const r = verifyJournalFile(path, trusted);
  if (r.ok) {
    const archived = a.files ? ` (entries 1–${r.archivedThrough} in ${a.files} verified archive files)` : '';
    console.log(`OK: ${r.entries} entries, ${r.signed} signed, ${r.unsigned} unsigned (in signer outages), head ${r.head.slice(0, 16)}…${archived}`);
    process.exit(0);
  }
  console.log(`TAMPERED: entry ${r.seq}: ${r.reason}`);
  process.exit(1);
} catch (err) {
  console.error(`cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
