/**
 * WAL checkpoints off the lane's thread. SQLite normally copies the write-ahead log back into the
 * database file inside whichever commit crosses the threshold — a pause of several milliseconds in
 * the middle of a scan. The core turns that off on its own connection and lets a worker thread with
 * a second connection checkpoint (PASSIVE: never waits for, never blocks the lane) every second.
 * Durability is unchanged: every commit is already synced in the WAL.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from '.';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
const pageSize = db.pragma('page_size', { simple: true });
const timer = setInterval(() => {
  try {
    const r = db.pragma('wal_checkpoint(PASSIVE)')[0];
    // A lane that never pauses never lets a passive checkpoint catch up, and the WAL would grow
    // without end: past the limit, restart it from the start when the lane is between commits
    // (busy_timeout 0: if the lane is writing, try again next time).
    if (r && r.log * pageSize > workerData.walLimit) db.pragma('wal_checkpoint(TRUNCATE)');
  } catch (err) { parentPort.postMessage(String(err && err.message || err)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** The write-ahead log is restarted once it passes this (bytes). */
const WAL_LIMIT = 64 * 1024 * 1024;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts background checkpoints for `db` (a file database); falls back to SQLite's own if the worker cannot start. */
export function startCheckpointer(db: Db, opts: { everyMs?: number; log?: (line: string) => void } = {}): Checkpointer {
  if (db.memory || db.readonly) return { stop: async () => {} };
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker;
  try {
    worker = new Worker(WORKER, { eval: true, workerData: { module, path: db.name, everyMs: opts.everyMs ?? 1_000, walLimit: WAL_LIMIT } });
  } catch (err) {
    opts.log?.(`background checkpoints not started (${err instanceof Error ? err.message : String(err)}); SQLite checkpoints in-line`);
    return { stop: async () => {} };
  }
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`journal_size_limit = ${WAL_LIMIT}`); // the WAL file shrinks back after a big catalog update
  let failed = false;
  const fallBack = (why: string) => {
    if (failed) return;
    failed = true;
    opts.log?.(`background checkpoints stopped (${why}); SQLite checkpoints in-line again`);
    if (db.open) db.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('message', (m: unknown) => opts.log?.(`checkpoint: ${String(m)}`));
  worker.on('error', (err) => fallBack(err.message));
  return {
    stop: async () => {
      if (failed) return;
      const done = new Promise<void>((res) => worker.once('exit', () => res()));
      worker.postMessage('stop');
      await Promise.race([done, new Promise((r) => setTimeout(r, 2_000))]);
      await worker.terminate();
      if (db.open) db.pragma('wal_autocheckpoint = 1000');
    },
  };
}
