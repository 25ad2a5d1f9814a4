/**
 * `npm run demo:day -- --profile DE --sales N --db <file> [--date YYYY-MM-DD]`: sells a demo day
 * through the real lane service into a new database and closes it with a Z, printed on stdout (for
 * a Swedish till with its control unit, the Z-dagrapport). The date defaults to the core clock's
 * today in the store's time zone. See core/demo-day/day.ts for what the day holds.
 */
import { parseArgs } from 'node:util';
import { attachOptionValues } from '../../common/cli-args';
import { storeDate, systemClock } from '../clock';
import { profileFor } from '../profile';
import { sellDemoDay } from './day';

const USAGE = 'usage: npm run demo:day -- --profile <SE|DE|DK|NO|FI|GB> --sales <N> --db <new file> [--date YYYY-MM-DD]';

async function main(): Promise<void> {
  const options = { profile: { type: 'string' }, sales: { type: 'string' }, db: { type: 'string' }, date: { type: 'string' } } as const;
  const { values } = parseArgs({ args: attachOptionValues(process.argv.slice(2), options), options, strict: true });
  if (!values.profile || !values.sales || !values.db) throw new Error(`give --profile, --sales and --db\n${USAGE}`);
  if (!/^\d+$/.test(values.sales)) throw new Error(`--sales is a whole number, got "${values.sales}"`);
  const profile = profileFor(values.profile);
  const date = values.date ?? storeDate(systemClock(), profile.timeZone);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const r = await sellDemoDay({ profile: profile.country, sales: Number(values.sales), dbPath: values.db, date, log });
  process.stdout.write(`${r.reportText}\n`);
  const fiscal = r.tse ? 'signed by the TSE simulator' : r.controlUnit ? 'registered with the control unit simulator' : 'no fiscal device';
  process.stdout.write(`\n${r.profile.country} ${date}: ${r.completed} sales, ${r.returns} return, ${r.cancelled} cancelled basket (${fiscal}); Z ${r.report.zNumber} in ${values.db}\n`);
  if (r.tse) process.stdout.write(`DSFinV-K: npm run dsfinvk -- --db ${values.db} --from ${date} --to ${date} --out <dir>\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo:day: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
