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
 * Runs `cmds` with strace attached to the core; returns how many commits were flushed on the lane's
 * own thread: fsyncs of the WAL after frames were written. (The checkpointer's worker thread flushes
 * on its own schedule and is not what a command waits for; a writer that restarts an emptied WAL
 * syncs its new 32-byte header and its first commit, at most once per checkpoint, whatever the
 * commit's durability.)
 */
async function commitFlushes(cmds: CommandBody[]): Promise<number> {
  const out = join(tmp.dir, `strace-${Date.now()}.txt`);
  const strace: ChildProcess = spawn('strace', ['-f', '-y', '-e', 'trace=fsync,fdatasync,pwrite64', '-o', out, '-p', String(core.child.pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let attached = '';
  strace.stderr!.on('data', (d) => (attached += String(d)));
  await until('strace attached', () => /attached/i.test(attached), 10_000);
  for (const cmd of cmds) {
    const r = await api.send(cmd);
    expect(r.type, JSON.stringify(r)).toBe('ack');
  }
  strace.kill('SIGINT');
  await new Promise((r) => strace.once('exit', r));
  // Lines: "<tid> pwrite64(<fd></path/lane.db-wal>, "…", <size>, <offset>) = <n>" and "<tid> fsync(<fd></path/lane.db-wal>) = 0".
  let flushes = 0;
  let lastWrite: 'header' | 'frames' | null = null;
  let restarted = false;
  for (const line of readFileSync(out, 'utf8').split('\n')) {
    if (!line.startsWith(`${core.child.pid} `) || !line.includes('lane.db-wal>')) continue;
    if (line.includes('pwrite64(')) {
      lastWrite = /, 32, 0\) = /.test(line) ? 'header' : 'frames';
      if (lastWrite === 'header') restarted = true;
    } else if (/(fsync|fdatasync)\(/.test(line)) {
      // SQLite also syncs the first commit into a restarted WAL, whatever its durability.
      if (lastWrite === 'frames' && restarted) restarted = false;
      else if (lastWrite === 'frames') flushes++;
      lastWrite = null;
    }
  }
  return flushes;
}

describe.skipIf(!hasStrace)('durability of a commit (strace on the core process)', () => {
  it('signs in and opens the till with a flush each; twenty scans without one; the tender and the completed sale with one', async () => {
    expect(await commitFlushes([{ cmd: 'signIn', operator: '7', pin: '7777' }, { cmd: 'openTill', float: [{ denomination: 10_000, count: 1 }] }])).toBeGreaterThanOrEqual(2);
    const scans: CommandBody[] = Array.from({ length: 20 }, (_, i) => ({ cmd: 'scan', code: (i % 2 ? DEMO_ITEMS.milk : DEMO_ITEMS.bread).codes[0]! }));
    // SQLite flushes the first commit made at the lighter level on a connection once; after that, none.
    expect((await api.send(scans[0]!)).type).toBe('ack');
    expect(await commitFlushes(scans)).toBe(0);
    expect(await commitFlushes([{ cmd: 'tenderCash' }])).toBeGreaterThanOrEqual(1);
    expect(await commitFlushes([{ cmd: 'complete', receipt: 'none' }])).toBeGreaterThanOrEqual(1);
  });
});
