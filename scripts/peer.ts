// Store IT's view of this till's store peers (issue 19), on the till's database:
//   npm run peer -- list [--db=data/kassa.db]                       the roster's peers and their addresses
//   npm run peer -- add <terminalId> <host:port> [--db=<file>]     where a peer listens, typed in by hand
//   npm run peer -- remove <terminalId> [--db=<file>]              forget that address again
// Who a peer is comes only from the store roster HQ signed (core/peers/roster.ts): an address for a
// terminal the roster does not name is kept but not used until a roster names it. A running lane
// reads the addresses each time it looks for its peers: no restart.
// Exit code 0: done; 1: refused (the reason is printed); 2: usage.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { systemClock } from '../core/clock';
import { openDatabase, type Db } from '../core/db';
import { RosterRepo } from '../core/peers/roster';
import { HqLinkRepo } from '../core/sync/repo';

const USAGE = 'usage: npm run peer -- list | add <terminalId> <host:port> | remove <terminalId>  [--db=data/kassa.db]';
const OPTIONS = { db: { type: 'string', default: 'data/kassa.db' } } as const;

const fail = (msg: string, code: number): never => {
  process.stderr.write(`${msg}\n`);
  process.exit(code);
};

let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
try {
  parsed = parseArgs({ args: attachOptionValues(process.argv.slice(2), OPTIONS), options: OPTIONS, allowPositionals: true, strict: true });
} catch (err) {
  fail(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`, 2);
}
const [command, ...args] = parsed!.positionals;
const dbPath = parsed!.values.db;

/** Columns padded to their widest cell. */
function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

function list(db: Db, roster: RosterRepo): void {
  const self = new HqLinkRepo(db).get();
  const held = roster.current();
  if (!self) process.stdout.write('this till is not enrolled at HQ (npm run provision): it has no store roster\n');
  else if (!held) process.stdout.write(`no store roster from HQ yet: the till gets one at its next check-in with HQ (store ${self.storeId})\n`);
  else {
    const peers = roster.peers(self.terminalId);
    process.stdout.write(`store ${held.storeId}, roster signed by HQ at ${held.issuedAt}; this till is ${self.terminalId} (lane ${self.laneId})\n`);
    if (peers.length === 0) process.stdout.write('the roster names no other till of this store\n');
    else {
      const rows = [['terminal', 'lane', 'address', 'from', 'HQ acked', 'last contact with HQ']];
      for (const p of peers) rows.push([p.terminalId, p.laneId, p.address ?? '-', p.addressFrom ?? '-', String(p.hqAckedThrough), p.lastContact ?? 'never']);
      process.stdout.write(`${table(rows)}\n`);
    }
  }
  const named = new Set(held?.terminals.map((t) => t.terminalId) ?? []);
  for (const a of roster.addresses()) if (!named.has(a.terminalId)) process.stdout.write(`address ${a.address} for ${a.terminalId} is not used: the store roster does not name that terminal\n`);
}

function main(): void {
  if (command !== 'list' && command !== 'add' && command !== 'remove') return fail(USAGE, 2);
  const want = { list: 0, add: 2, remove: 1 }[command];
  if (args.length !== want) return fail(USAGE, 2);
  if (!existsSync(dbPath)) return fail(`no till database at ${dbPath} (give --db=<file>)`, 1);
  const db = openDatabase(dbPath);
  try {
    const roster = new RosterRepo(db);
    if (command === 'list') return list(db, roster);
    const terminalId = args[0]!;
    if (command === 'remove') {
      if (!roster.removeAddress(terminalId)) return fail(`no address was added by hand for ${terminalId}`, 1);
      process.stdout.write(`removed the address added by hand for ${terminalId}\n`);
      return;
    }
    roster.addAddress(terminalId, args[1]!, systemClock().toISOString());
    const known = roster.current()?.terminals.some((t) => t.terminalId === terminalId) ?? false;
    process.stdout.write(`${terminalId} is at ${args[1]}${known ? '' : ' (kept, but not used until the store roster from HQ names this terminal)'}\n`);
  } catch (err) {
    fail(`refused: ${err instanceof Error ? err.message : String(err)}`, 1);
  } finally {
    if (db.open) db.close();
  }
}

main();
