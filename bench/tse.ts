/**
 * German tills with the TSE simulator (its own fsync'd file), in one run, sale by sale in turn so
 * the machine's load falls on all alike: the simulator on the lane's thread, on a thread of its own
 * (core/fiscal/tse/thread.ts, as core/fiscal/tse/setup.ts runs it), and a till without a TSE.
 * Measured per till: scan → line committed (the first scan of a sale — the one that has the TSE
 * start a transaction — and the others); a scan that arrives right after the first scan's commit,
 * from its arrival to its commit (it waits behind whatever the lane's thread does first: the queued
 * TSE start on the lane's thread); and the whole `complete` command (the TSE finishing the
 * transaction its first scan started, inside the sale's commit; before paying, the bench lets the
 * TSE answer that start, as the seconds a payment takes do). Between commands the event loop runs,
 * as it does between a cashier's scans.
 *
 *   npx tsx bench/tse.ts            (KASSA_BENCH_SALES to change the count; default 400 sales of 5 scans)
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_ITEMS } from '../core/catalog/demo';
import { CommandSchema, type Command, type CommandBody } from '../protocol/terminal';
import { openGermanTill, type GermanTill } from '../test/helpers/de-till';
import { table } from './table';

const SALES = Number(process.env.KASSA_BENCH_SALES ?? 400);
const DIR = resolve('.bench', 'tse');
const CODES = [DEMO_ITEMS.milk, DEMO_ITEMS.dishSoap, DEMO_ITEMS.julmust, DEMO_ITEMS.bread].map((i) => i.codes[0]!);
let n = 0;

interface Run {
  name: string;
  till: GermanTill;
  firsts: number[];
  meanwhile: number[];
  scans: number[];
  completes: number[];
}

function timed(till: GermanTill, body: CommandBody, into: number[] | null, from?: number): void {
  const cmd = CommandSchema.parse({ ...body, id: `b${++n}` }) as Command;
  const t0 = from ?? performance.now();
  till.lane.handle(cmd);
  into?.push(performance.now() - t0);
}
const turn = () => new Promise<void>((r) => setImmediate(r));

/** The second scan arrives as soon as the first has committed: queued behind what the commit queued (the TSE start). */
function arriving(till: GermanTill, code: string, into: number[] | null): Promise<void> {
  const t0 = performance.now();
  return new Promise((done) =>
    setImmediate(() => {
      timed(till, { cmd: 'scan', code }, into, t0);
      done();
    }),
  );
}

async function sale(r: Run, i: number, warm: boolean): Promise<void> {
  const { till } = r;
  till.clock.advance(2_000);
  timed(till, { cmd: 'scan', code: CODES[i % CODES.length]! }, warm ? null : r.firsts);
  till.clock.advance(1_000);
  await arriving(till, CODES[(i + 1) % CODES.length]!, warm ? null : r.meanwhile);
  await turn();
  for (let l = 2; l < 5; l++) {
    till.clock.advance(2_000);
    timed(till, { cmd: 'scan', code: CODES[(i + l) % CODES.length]! }, warm ? null : r.scans);
    await turn();
  }
  // Paying takes the customer seconds: by completion the TSE has answered the sale's start (a till on a thread of its own would
  // otherwise wait at completion for a start still in flight — within milliseconds of the first scan, on a loaded machine).
  await till.lane.tse?.starts.settled();
  timed(till, { cmd: 'tenderCash', amount: 50_000 }, null);
  await turn();
  till.clock.advance(1_500);
  timed(till, { cmd: 'complete' }, warm ? null : r.completes);
  await turn();
}

function row(what: string, times: number[]): Record<string, string | number> {
  const s = [...times].sort((a, b) => a - b);
  const pct = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
  return { what, n: s.length, 'p50 ms': pct(50), 'p90 ms': pct(90), 'p99 ms': pct(99), 'max ms': s[s.length - 1]!.toFixed(2) };
}

async function main(): Promise<void> {
  rmSync(DIR, { recursive: true, force: true });
  const open = (name: string, opts: Parameters<typeof openGermanTill>[2]): Run => {
    mkdirSync(join(DIR, name), { recursive: true });
    return { name, till: openGermanTill(join(DIR, name), '2026-12-07T07:00:00.000Z', opts), firsts: [], meanwhile: [], scans: [], completes: [] };
  };
  const runs = [open('lane-thread', {}), open('own-thread', { thread: true }), open('no-tse', { tse: null })];
  for (let i = 0; i < SALES + 20; i++) for (const r of runs) await sale(r, i, i < 20);
  for (const r of runs) {
    await r.till.lane.tse?.starts.settled();
    r.till.close();
  }
  const what = (r: Run) => (r.name === 'lane-thread' ? 'TSE simulator on the lane thread' : r.name === 'own-thread' ? 'TSE simulator on its own thread' : 'no TSE');
  table(
    `German tills, ${SALES} sales of 5 scans each, in turn (ms; handle() of each command, the event loop turning between commands)`,
    runs.flatMap((r) => [
      row(`${what(r)}: scan → committed (first scan of a sale)`, r.firsts),
      row(`${what(r)}: scan arriving right after it, arrival → committed`, r.meanwhile),
      row(`${what(r)}: scan → committed (other scans)`, r.scans),
      row(`${what(r)}: complete`, r.completes),
    ]),
  );
}

void main();
