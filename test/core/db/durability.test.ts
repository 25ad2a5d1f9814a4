/**
 * What reaches the disk before a command is answered (core/db/durability.ts), watched with strace on
 * a real core process: a scan is committed without a flush of its own; a tender, a completed sale and
 * a sign-in are flushed (fsync of the write-ahead log on the lane's thread) before their answer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Operators, seedDemoOperators } from '../../../core/operators';
import type { CommandBody } from '../../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess, type CoreProcess } from '../../helpers/core-process';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const hasStrace = spawnSync('strace', ['-V']).status === 0;
const tmp = tempDir('kassa-durability-');
let core: CoreProcess;
let api: ApiClient;
const dbPath = join(tmp.dir, 'lane.db');

beforeAll(async () => {
  const db = openDatabase(dbPath);
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  db.close();
  core = await startCoreProcess(dbPath);
  api = await ApiClient.connect(core.port, core.token);
});
afterAll(async () => {
  api?.close();
  if (core) await stopCoreProcess(core);
  tmp.cleanup();
});

/**
 * Runs `cmds` (`pauseMs` apart) with strace attached to the core; returns the fsyncs of the WAL on the
 * lane's own thread (the checkpointer's worker thread flushes on its own and no command waits for it).
 * A checkpoint that caught up with the whole log makes SQLite flush the next commit whatever its
 * durability (it starts the log over): the checkpointer waits for 16 MB in the log, so not here.
 */
async function commitFlushes(cmds: CommandBody[], pauseMs = 0): Promise<number> {
  const out = join(tmp.dir, `strace-${Date.now()}.txt`);
  const strace: ChildProcess = spawn('strace', ['-f', '-y', '-e', 'trace=fsync,fdatasync', '-o', out, '-p', String(core.child.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let attached = '';
  strace.stderr!.on('data', (d) => (attached += String(d)));
  await until('strace attached', () => /attached/i.test(attached), 10_000);
  for (const cmd of cmds) {
    if (pauseMs) await new Promise((r) => setTimeout(r, pauseMs));
    const r = await api.send(cmd);
    expect(r.type, JSON.stringify(r)).toBe('ack');
  }
  strace.kill('SIGINT');
  await new Promise((r) => strace.once('exit', r));
  // Lines: "<tid> fsync(<fd></path/lane.db-wal>) = 0", the lane's thread's id being the process id.
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith(`${core.child.pid} `) && /(fsync|fdatasync)\(\d+<[^>]*lane\.db-wal>/.test(l)).length;
}

describe.skipIf(!hasStrace)('durability of a commit (strace on the core process)', () => {
  it('signs in and opens the till with a flush each; twenty scans without one, quickly or at a person\'s pace; the tender and the completed sale with one', async () => {
    expect(await commitFlushes([{ cmd: 'signIn', operator: '7', pin: '7777' }, { cmd: 'openTill', float: [{ denomination: 10_000, count: 1 }] }])).toBeGreaterThanOrEqual(2);
    const scans: CommandBody[] = Array.from({ length: 20 }, (_, i) => ({ cmd: 'scan', code: (i % 2 ? DEMO_ITEMS.milk : DEMO_ITEMS.bread).codes[0]! }));
    // SQLite flushes the first commit made at the lighter level on a connection once; after that, none.
    expect((await api.send(scans[0]!)).type).toBe('ack');
    expect(await commitFlushes(scans)).toBe(0);
    // At a person's pace too (the background checkpointer waits for 16 MB in the log, so it does not
    // start the log over, and make the next scan flush, every second).
    expect(await commitFlushes(scans.slice(0, 4), 1_300)).toBe(0);
    expect(await commitFlushes([{ cmd: 'tenderCash' }])).toBeGreaterThanOrEqual(1);
    expect(await commitFlushes([{ cmd: 'complete', receipt: 'none' }])).toBeGreaterThanOrEqual(1);
  });
});
