/**
 * `npm run hq:staff -- <add|remove|list> …`: store IT keeps the store's staff at HQ (hq/staff.ts);
 * every terminal of the store gets the change at its next check-in.
 *
 *   npm run hq:staff -- add --store S1 --id 12 --name "Anna Berg" --role cashier     (asks for the PIN)
 *   echo 4821 | npm run hq:staff -- add --store S1 --id 12 --name "Anna Berg" --role cashier
 *   npm run hq:staff -- add --store S1 --id 12 --name "Anna Berg" --role supervisor --keep-pin
 *   npm run hq:staff -- remove --store S1 --id 12
 *   npm run hq:staff -- list --store S1
 *   npm run hq:staff -- badge --store S1 --id 12            (prints a badge's barcode, once)
 *   npm run hq:staff -- revoke-badges --store S1 --id 12    (a badge lost: every one of theirs)
 *
 * `--store '*'` is every store. The PIN is read from standard input (a prompt that does not echo
 * when it is a terminal), never from the command line, where it would stay in the shell's history.
 * Storage options as `npm run hq`: --db data/hq.db | --pg <url>.
 */
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../common/cli-args';
import { readSecret } from '../core/read-secret';
import { systemClock } from '../core/clock';
import { openHqStorage, STORAGE_OPTIONS } from './paths';
import { listStaff, removeStaff, setStaff } from './staff';
import { issueBadge, revokeBadges } from './staff-badges';

async function main(): Promise<void> {
  const options = { ...STORAGE_OPTIONS, store: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, 'keep-pin': { type: 'boolean', default: false } } as const;
  const { values, positionals } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true, allowPositionals: true });
  const verb = positionals[0];
  if (!verb || !['add', 'remove', 'list', 'badge', 'revoke-badges'].includes(verb) || positionals.length > 1) throw new Error('add | remove | list | badge | revoke-badges (see hq/staff-cli.ts)');
  if (!values.store) throw new Error("give --store STORE (or --store '*' for every store)");
  if (verb !== 'list' && !values.id) throw new Error('give --id, the operator number');
  if (verb === 'add' && (!values.name || !values.role)) throw new Error('give --name and --role (cashier, supervisor or it)');
  const pin = verb === 'add' && !values['keep-pin'] ? await readSecret(`PIN for ${values.name} (4 to 8 digits): `) : undefined;
  const { sql } = await openHqStorage(values);
  try {
    const now = systemClock();
    if (verb === 'add') {
      const revision = await setStaff(sql, { storeId: values.store, id: values.id!, name: values.name!, role: values.role!, ...(pin !== undefined ? { pin } : {}) }, now);
      process.stdout.write(`operator ${values.id} (${values.name}, ${values.role}) saved for ${values.store === '*' ? 'every store' : `store ${values.store}`}; staff revision ${revision}: the terminals take it at their next check-in\n`);
    } else if (verb === 'badge') {
      const { badge, revision } = await issueBadge(sql, values.store, values.id!, now);
      process.stdout.write(`badge for operator ${values.id}: ${badge}\nPrint it as a Code 128 barcode; it cannot be shown again. Staff revision ${revision}: it works at every till of ${values.store === '*' ? 'every store' : `store ${values.store}`} after their next check-in\n`);
    } else if (verb === 'revoke-badges') {
      const { revoked } = await revokeBadges(sql, values.store, values.id!, now);
      process.stdout.write(revoked ? `${revoked} badge(s) of operator ${values.id} revoked; the terminals refuse them after their next check-in\n` : `operator ${values.id} holds no badge issued at HQ\n`);
    } else if (verb === 'remove') {
      if (!(await removeStaff(sql, values.store, values.id!, now))) throw new Error(`no operator ${values.id} on the staff of ${values.store}`);
      process.stdout.write(`operator ${values.id} removed; the terminals drop them at their next check-in\n`);
    } else {
      for (const m of await listStaff(sql, values.store)) process.stdout.write(`${m.id}\t${m.name}\t${m.role}\t${m.storeId === '*' ? 'every store' : m.storeId}\t${m.updatedAt}\n`);
    }
  } finally {
    await sql.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`hq:staff: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
