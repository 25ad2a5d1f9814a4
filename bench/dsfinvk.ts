/**
 * The DSFinV-K export of a busy day: 5,000 sales (1–4 items, some with a deposit, cash) sold through
 * the real lane service with the TSE simulator and closed with a Z, then exported (read, mapped,
 * written) — target ≤ 2 s for the day. The sold day is kept in .bench/ and reused by the next run.
 *
 *   npm run bench:dsfinvk            (KASSA_BENCH_SALES to change the count)
 */
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { openDatabase } from '../core/db';
import { buildTables, exportDsfinvk } from '../core/fiscal/dsfinvk/export';
import { closeDay, openGermanTill, sellCash } from '../test/helpers/de-till';
import { table } from './table';

const SALES = Number(process.env.KASSA_BENCH_SALES ?? 5_000);
const DIR = resolve('.bench', `dsfinvk-${SALES}`);
const CODES = [DEMO_ITEMS.milk, DEMO_ITEMS.dishSoap, DEMO_ITEMS.julmust, DEMO_ITEMS.bread, DEMO_ITEMS.beer, DEMO_ITEMS.snus].map((i) => i.codes[0]!);
const OPTS = { timeZone: 'Europe/Berlin', softwareVersion: 'bench' };

function sellDay(): void {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const till = openGermanTill(DIR, '2026-12-07T06:00:00.000Z');
  const t0 = performance.now();
  for (let i = 0; i < SALES; i++) {
    const codes = Array.from({ length: 1 + (i % 4) }, (_, k) => CODES[(i * 7 + k * 3) % CODES.length]!).filter((c) => c !== DEMO_ITEMS.beer.codes[0] && c !== DEMO_ITEMS.snus.codes[0]);
    sellCash(till, codes.length ? codes : [CODES[0]!], 50_000);
    if (i % 1000 === 999) console.error(`sold ${i + 1} (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  closeDay(till);
  till.close();
}

if (!existsSync(join(DIR, 'lane.db'))) sellDay();
const db = openDatabase(join(DIR, 'lane.db'), { readonly: true });
const runs: Array<Record<string, string | number>> = [];
for (let r = 0; r < 3; r++) {
  const out = join(DIR, `export-${r}`);
  rmSync(out, { recursive: true, force: true });
  // The whole export first (cold on the first run, as the command runs it), then its read+map part alone.
  const t0 = performance.now();
  const s = exportDsfinvk(db, { from: '2026-12-07', to: '2026-12-07' }, out, OPTS);
  const t1 = performance.now();
  const { tables } = buildTables(db, { from: '2026-12-07', to: '2026-12-07' }, OPTS);
  const t2 = performance.now();
  const bytes = readdirSync(out).reduce((a, f) => a + statSync(join(out, f)).size, 0);
  runs.push({ run: r + 1, receipts: s.closings[0]!.receipts, lines: tables.lines.length, 'whole export ms': (t1 - t0).toFixed(0), 'read+map ms': (t2 - t1).toFixed(0), 'MB written': (bytes / 1e6).toFixed(1), 'target ms': 2000 });
}
db.close();
table(`DSFinV-K export of one day of ${SALES} sales (Z 1)`, runs);
