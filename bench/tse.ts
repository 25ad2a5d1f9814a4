/**
 * A German till with the TSE simulator (its own fsync'd file): scan → line committed (every scan,
 * and the first scan of a sale alone: the one that has the TSE start a transaction), and the whole
 * `complete` command (the TSE finishing — or starting and finishing — the transaction inside the
 * sale's commit). Between commands the event loop runs, as it does between a cashier's scans, so
 * work queued off the scan path gets its turn. Prints a table per run.
 *
 *   npx tsx bench/tse.ts            (KASSA_BENCH_SALES to change the count; default 400 sales of 5 scans)
 */
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { CommandSchema, type Command, type CommandBody } from '../protocol/terminal';
import { openGermanTill, type GermanTill } from '../test/helpers/de-till';
import { table } from './table';

const SALES = Number(process.env.KASSA_BENCH_SALES ?? 400);
const DIR = resolve('.bench', 'tse');
const CODES = [DEMO_ITEMS.milk, DEMO_ITEMS.dishSoap, DEMO_ITEMS.julmust, DEMO_ITEMS.bread].map((i) => i.codes[0]!);
let n = 0;

function timed(till: GermanTill, body: CommandBody, into: number[]): void {
  const cmd = CommandSchema.parse({ ...body, id: `b${++n}` }) as Command;
  const t0 = performance.now();
  till.lane.handle(cmd);
  into.push(performance.now() - t0);
}
const turn = () => new Promise<void>((r) => setImmediate(r));

function row(what: string, times: number[]): Record<string, string | number> {
  const s = [...times].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
  return { what, n: s.length, 'p50 ms': pct(50), 'p90 ms': pct(90), 'p99 ms': pct(99), 'max ms': s[s.length - 1]!.toFixed(2) };
}

async function main(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  const till = openGermanTill(DIR, '2026-12-07T07:00:00.000Z');
  const scans: number[] = [];
  const firsts: number[] = [];
  const completes: number[] = [];
  for (let i = 0; i < SALES + 20; i++) {
    const warm = i < 20;
    for (let l = 0; l < 5; l++) {
      till.clock.advance(2_000);
      timed(till, { cmd: 'scan', code: CODES[(i + l) % CODES.length]! }, warm ? [] : l === 0 ? firsts : scans);
      await turn();
    }
    timed(till, { cmd: 'tenderCash', amount: 50_000 }, []);
    await turn();
    till.clock.advance(1_500);
    timed(till, { cmd: 'complete' }, warm ? [] : completes);
    await turn();
  }
  till.close();
  table(`German till, TSE simulator: ${SALES} sales of 5 scans (ms, handle() of each command; the event loop turns between commands)`, [
    row('scan → committed (first scan of a sale)', firsts),
    row('scan → committed (other scans)', scans),
    row('scan → committed (all)', [...firsts, ...scans]),
    row('complete (with the TSE)', completes),
  ]);
}

void main();
