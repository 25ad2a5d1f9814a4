/**
 * `npm run dsfinvk -- --db <file> --from <YYYY-MM-DD> --to <YYYY-MM-DD> --out <dir>`, or
 * `--z <n>` for one closing: writes the DSFinV-K export of a German till's database (read only;
 * the till may keep running) — every closed till day (Z) whose business date is in the range.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../../../common/cli-args';
import { openDatabase } from '../../db';
import { PROFILES } from '../../profile';
import { DsfinvkError, type Selection } from './read';
import { exportDsfinvk } from './export';

const USAGE = 'usage: npm run dsfinvk -- --db <file> (--from <YYYY-MM-DD> --to <YYYY-MM-DD> | --z <n>) --out <dir>';

function selectionOf(v: { from?: string | undefined; to?: string | undefined; z?: string | undefined }): Selection {
  if (v.z !== undefined) {
    if (v.from !== undefined || v.to !== undefined) throw new DsfinvkError('DSFINVK_BAD_RANGE', 'give either --z or --from and --to, not both');
    if (!/^\d+$/.test(v.z)) throw new DsfinvkError('DSFINVK_BAD_RANGE', `--z is a Z number: "${v.z}"`);
    return { z: Number(v.z) };
  }
  if (v.from === undefined || v.to === undefined) throw new DsfinvkError('DSFINVK_BAD_RANGE', `give --from and --to (or --z)\n${USAGE}`);
  return { from: v.from, to: v.to };
}

function main(): void {
  const options = { db: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, z: { type: 'string' }, out: { type: 'string' } } as const;
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  if (!values.db || !values.out) throw new Error(`give --db and --out\n${USAGE}`);
  const sel = selectionOf(values);
  if (!existsSync(values.db)) throw new Error(`no database at ${values.db}`);
  const db = openDatabase(values.db, { readonly: true });
  try {
    const s = exportDsfinvk(db, sel, values.out, { timeZone: PROFILES.DE.timeZone, softwareVersion: process.env.npm_package_version ?? 'unknown' });
    for (const c of s.closings) process.stdout.write(`Z ${c.zNumber}  ${c.businessDate}  ${c.receipts} receipts\n`);
    for (const w of s.warnings) process.stderr.write(`dsfinvk: warning: ${w}\n`);
    process.stdout.write(`${s.files.length} files in ${values.out}: ${Object.entries(s.rows).map(([k, n]) => `${k} ${n}`).join(', ')}\n`);
  } finally {
    db.close();
  }
}

try {
  main();
} catch (err) {
  process.stderr.write(`dsfinvk: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}
