/**
 * WAL checkpoints off the lane's thread. SQLite normally copies the write-ahead log back into the
 * database file inside whichever commit crosses the threshold — a pause of several milliseconds in
 * the middle of a scan. The core turns that off on its own connection and lets a worker thread with
 * a second connection checkpoint (PASSIVE: never waits for, never blocks the lane) once enough has
 * gathered in the log (CHECKPOINT_AT).
 *
 * Not every second: once a checkpoint has copied the whole log, the next commit starts the log over
 * and SQLite flushes it then (its new header and that first commit), whatever the commit's
 * durability. Checkpointing each second put those two flushes on nearly every scan of a lane at a
 * person's pace; at 16 MB it is one scan in several hundred (core/db/durability.ts). How much is in
 * the log is read from the wal-index header in the -shm file (mxFrame and nBackfill, as
 * https://www.sqlite.org/walformat.html documents them); a torn read only moves one checkpoint. Its
 * descriptor stays open for the life of the process (see the worker: closing it would let another
 * process's connection reset the wal-index under the core).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from '.';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { openSync, readSync } = require('node:fs');
const Database = require(workerData.module);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 0');
const pageSize = db.pragma('page_size', { simple: true });
const header = Buffer.alloc(100);
// The -shm file is opened once and never closed while the core runs: closing any descriptor of a
// file drops every POSIX lock this process holds on it — SQLite's shared lock on the wal-index among
// them — and the next process to open the database (journal:verify, provision, a backup) would then
// take the wal-index for its own, truncate it, and the core's mapping of it would fault (SIGBUS).
let shm = null;
// Frames in the log not yet copied to the database (the wal-index header: mxFrame at byte 16,
// nBackfill at byte 96, both in the machine's byte order); unknown: checkpoint.
function pendingBytes() {
  try {
    if (shm === null) shm = openSync(workerData.path + '-shm', 'r');
    if (readSync(shm, header, 0, 100, 0) < 100) return Infinity;
    const mxFrame = header.readUInt32LE(16);
    const nBackfill = header.readUInt32LE(96);
    return mxFrame >= nBackfill ? (mxFrame - nBackfill) * pageSize : Infinity;
  } catch {
    return Infinity;
  }
}
const timer = setInterval(() => {
  try {
    if (pendingBytes() < workerData.checkpointAt) return;
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
/** A checkpoint runs once this much is waiting in the log (bytes). */
export const CHECKPOINT_AT = 16 * 1024 * 1024;

export interface Checkpointer {
  stop(): Promise<void>;
}

/** Starts background checkpoints for `db` (a file database); falls back to SQLite's own if the worker cannot start. */
export function startCheckpointer(db: Db, opts: { everyMs?: number; checkpointAt?: number; log?: (line: string) => void } = {}): Checkpointer {
  if (db.memory || db.readonly) return { stop: async () => {} };
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  let worker: Worker;
  try {
    worker = new Worker(WORKER, { eval: true, workerData: { module, path: db.name, everyMs: opts.everyMs ?? 1_000, walLimit: WAL_LIMIT, checkpointAt: opts.checkpointAt ?? CHECKPOINT_AT } });
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
