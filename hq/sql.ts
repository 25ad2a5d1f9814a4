/**
 * One small SQL surface over HQ's two backends: embedded SQLite (better-sqlite3, the default) and
 * PostgreSQL (pg). Statements use $1, $2 … placeholders; SQLite reads them as numbered parameters.
 * Transactions are serialized per process on SQLite and use a pooled client on PostgreSQL.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { readdirSync, readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { systemClock, type Clock } from '../core/clock';

export interface Sql {
  readonly dialect: 'sqlite' | 'postgres';
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

class Mutex {
  private last: Promise<unknown> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const r = this.last.then(fn, fn);
    this.last = r.catch(() => {});
    return r;
  }
}

export function sqliteSql(path: string): Sql {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // An acknowledged batch must survive a power cut: the terminal will not send it again.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  // Ingest writes megabytes per batch: the write-ahead log is copied back into the database by a
  // worker thread with its own connection, not inside an ingest's commit.
  const checkpoints = backgroundCheckpoints(db, path);
  // A transaction's commit writes the log without waiting for the disk; tx() then has the log fsynced
  // off the event loop and resolves only once it is on disk (walSync): what HQ acknowledges is as
  // durable as with a synchronous=FULL commit, but HQ reads and checks the next request while the
  // disk works, and commits made meanwhile share one fsync. Other statements commit with FULL.
  const synced = walSync(path);
  const light = db.prepare('PRAGMA synchronous = NORMAL');
  const full = db.prepare('PRAGMA synchronous = FULL');
  const mutex = new Mutex();
  // $1 … $n in order, each once, become positional ?; otherwise named @p1 … @pn (a number may repeat).
  const conv = (sql: string): { text: string; positional: boolean } => {
    const used = [...sql.matchAll(/\$(\d+)/g)].map((m) => Number(m[1]));
    const positional = used.every((n, i) => n === i + 1);
    return { text: positional ? sql.replace(/\$\d+/g, '?') : sql.replace(/\$(\d+)/g, '@p$1'), positional };
  };
  const value = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);
  // Statements are prepared once each (HQ runs the same few over and over).
  const cache = new Map<string, { st: Database.Statement; positional: boolean }>();
  const raw = (sql: string, p: unknown[] = []) => {
    let c = cache.get(sql);
    if (!c) {
      const { text, positional } = conv(sql);
      c = { st: db.prepare(text), positional };
      if (cache.size < 500) cache.set(sql, c);
    }
    const args = !p.length ? [] : c.positional ? p.map(value) : [Object.fromEntries(p.map((v, i) => [`p${i + 1}`, value(v)]))];
    return c.st.reader ? (c.st.all(...args) as never[]) : (c.st.run(...args), [] as never[]);
  };
  const inTx: Sql = {
    dialect: 'sqlite',
    query: async (sql, p) => raw(sql, p),
    tx: (fn) => fn(inTx),
    close: async () => {},
  };
  return {
    dialect: 'sqlite',
    query: async (sql, p) => mutex.run(async () => raw(sql, p)),
    tx: async (fn) => {
      const r = await mutex.run(async () => {
        light.run(); // (it cannot change inside a transaction)
        try {
          db.exec('BEGIN IMMEDIATE');
          const r = await fn(inTx);
          db.exec('COMMIT');
          return r;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        } finally {
          full.run();
        }
      });
      await synced();
      return r;
    },
    close: async () => {
      await checkpoints.stop();
      db.close();
    },
  };
}

/**
 * The database's write-ahead log fsynced off the event loop: each call resolves once a sync that began
 * after it was called has finished (so it covers every commit made before the call); calls made while
 * one runs share the next. A failed sync rejects its callers (nothing they commit is acknowledged).
 */
function walSync(path: string): () => Promise<void> {
  if (path === ':memory:') return () => Promise.resolve();
  let asked = 0;
  let covered = 0;
  let running: Promise<void> | null = null;
  const pump = async () => {
    while (covered < asked) {
      const upTo = asked;
      const log = await open(`${path}-wal`, 'r');
      try {
        await log.sync();
      } finally {
        await log.close();
      }
      covered = upTo;
    }
  };
  return async () => {
    const mine = ++asked;
    while (covered < mine) {
      running ??= pump().finally(() => {
        running = null;
      });
      await running;
    }
  };
}

const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const db = new (require(workerData.module))(workerData.path);
db.pragma('busy_timeout = 0');
const timer = setInterval(() => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {} }, 500);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** PASSIVE checkpoints every 500 ms on a worker thread; SQLite's in-line ones if it cannot start. */
function backgroundCheckpoints(db: Database.Database, path: string): { stop(): Promise<void> } {
  if (path === ':memory:') return { stop: async () => {} };
  let worker: Worker;
  try {
    worker = new Worker(CHECKPOINT_WORKER, { eval: true, workerData: { module: createRequire(import.meta.url).resolve('better-sqlite3'), path } });
  } catch {
    return { stop: async () => {} };
  }
  worker.unref();
  db.pragma('wal_autocheckpoint = 0');
  db.pragma('journal_size_limit = 67108864');
  worker.on('error', () => db.open && db.pragma('wal_autocheckpoint = 1000'));
  return {
    stop: async () => {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.postMessage('stop');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))]);
      await worker.terminate();
    },
  };
}

/**
 * A text[] parameter for PostgreSQL in the binary array format (a Buffer, which pg sends as binary):
 * each element's UTF-8 bytes behind its length, instead of a text literal '{"…","…"}' that pg
 * builds by escaping every quote and backslash and PostgreSQL parses back. Cast it with `$n::text[]`.
 */
export function pgTextArray(values: readonly (string | null)[]): Buffer {
  const n = values.length;
  let size = n ? 20 : 12;
  for (const v of values) size += 4 + (v === null ? 0 : Buffer.byteLength(v, 'utf8'));
  const out = Buffer.allocUnsafe(size);
  let at = out.writeInt32BE(n ? 1 : 0, 0); // dimensions
  at = out.writeInt32BE(values.includes(null) ? 1 : 0, at); // has nulls
  at = out.writeInt32BE(25, at); // element type: text
  if (n) at = out.writeInt32BE(1, out.writeInt32BE(n, at)); // length, lower bound
  for (const v of values) {
    if (v === null) at = out.writeInt32BE(-1, at);
    else {
      const len = out.write(v, at + 4, 'utf8');
      out.writeInt32BE(len, at);
      at += 4 + len;
    }
  }
  return out;
}

/**
 * PostgreSQL; `schema` isolates a deployment (or a test run) in its own schema. A statement with
 * parameters is prepared once per connection (a named statement) and then only bound and run.
 */
export function postgresSql(connectionString: string, schema = 'public'): Sql {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  // Connections: twice the cores, at least 4. More only queue for the same CPUs: on 2 cores a pool of
  // 10 ingested 13,200–13,700 sales/s, one of 4 14,400–15,000/s, one of 3 12,000–13,100/s (bench/hq.ts).
  const pool = new pg.Pool({ connectionString, max: Math.max(4, 2 * availableParallelism()), options: `-c search_path=${schema}` });
  // BIGINT and NUMERIC come back as strings; HQ's numbers fit in a double.
  pg.types.setTypeParser(20, (v) => Number(v));
  pg.types.setTypeParser(1700, (v) => Number(v));
  pg.types.setTypeParser(1082, (v) => v); // DATE stays YYYY-MM-DD
  // The same few statements run over and over: each gets a name (hence a server-side prepared
  // statement on each connection that runs it); one-off statements (DDL, migrations) have no parameters.
  const names = new Map<string, string>();
  const config = (text: string, values: unknown[]): pg.QueryConfig => {
    if (!values.length) return { text, values };
    let name = names.get(text);
    if (!name && names.size < 200) names.set(text, (name = `kassa_${names.size + 1}`));
    return { name, text, values };
  };
  const wrap = (c: pg.Pool | pg.PoolClient): Sql => ({
    dialect: 'postgres',
    query: async (sql, p = []) => (await c.query(config(sql, p))).rows,
    tx: async (fn) => fn(wrap(c)),
    close: async () => {},
  });
  return {
    dialect: 'postgres',
    query: async (sql, p = []) => (await pool.query(config(sql, p))).rows,
    tx: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const r = await fn(wrap(client));
        await client.query('COMMIT');
        return r;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: async () => {
      await pool.end();
    },
  };
}

/** Applies migrations/hq/<dialect>/NNNN_*.sql in order, once each. */
export async function migrate(sql: Sql, dir: string, now: Clock = systemClock): Promise<number> {
  await sql.query('CREATE TABLE IF NOT EXISTS hq_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
  const done = new Set((await sql.query<{ version: number }>('SELECT version FROM hq_migration')).map((r) => Number(r.version)));
  const files = readdirSync(join(dir, sql.dialect))
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort();
  let applied = 0;
  for (const f of files) {
    const version = Number(f.slice(0, 4));
    if (done.has(version)) continue;
    const text = readFileSync(join(dir, sql.dialect, f), 'utf8');
    await sql.tx(async (q) => {
      for (const stmt of text.split(/;\s*\n/).map((s) => s.replace(/--[^\n]*\n/g, '\n').trim()).filter(Boolean)) await q.query(stmt);
      await q.query('INSERT INTO hq_migration (version, applied_at) VALUES ($1, $2)', [version, now().toISOString()]);
    });
    applied++;
  }
  return applied;
}
