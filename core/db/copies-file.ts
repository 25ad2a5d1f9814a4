/**
 * The store peers' copies (issue 19, core/peers/copies.ts) in a file of their own beside the lane's,
 * `<lane file>-peers.sqlite` (as the control unit simulator's `<lane file>-cu.sqlite`; a data
 * directory wiped takes it too), with its own migrations (migrations/peers). The peer batch worker
 * (core/peers/batch-worker.ts) is its only writer: it keeps each peer's batch and checks the copied
 * entries' signatures there, so keeping a batch never takes the lane's write lock — the lane's file
 * has one writer, the lane. The lane's thread reads the copies through a connection of its own to that
 * file (`copiesDb`: returns and receipt copies of another lane's receipt, parked baskets, the store
 * report, the service screen, relaying a lost peer's sales, a reflashed till's copy); in WAL, neither
 * waits for the other. (Not attached to the lane's connection: a transaction begun IMMEDIATE on a
 * connection takes the write lock of every file attached to it, and this SQLite build opens no file
 * read-only by URI.)
 *
 * A database in memory cannot be opened twice: there the copies are tables of the lane's own database
 * and the work stays on the lane's thread (core/peers/batch-host.ts).
 *
 * The copies were in the lane's file until terminal migration 0034: a file migrated before it has them
 * moved here as it is opened (`moveCopiesOut`), before 0034 drops them there.
 */
import Database from 'better-sqlite3';
import { defaultMigrationsDir, durableFile, loadMigrations, migrate, schemaVersion, type Db, type Migration } from './migrate';

/** The copies' file beside a lane's file. */
export const copiesPath = (lanePath: string): string => `${lanePath}-peers.sqlite`;

/** Terminal migrations: the copies' tables came with 0022; 0034 drops them from the lane's file. */
const COPIES_CAME = 22;
const COPIES_LEFT = 34;
export const COPIES_FILE_MIGRATION = COPIES_LEFT;

/** Each lane connection's connection to its copies (one per thread: the worker's is its own). */
const connections = new WeakMap<Db, Db>();

/** Where a lane's copies are read and written: its copies' file (opened once per lane connection), or the lane's own database in memory. */
export function copiesDb(lane: Db): Db {
  if (lane.memory) return lane;
  const held = connections.get(lane);
  if (held?.open) return held;
  const c = openCopiesFile(lane.name);
  connections.set(lane, c);
  return c;
}

/** Closes a lane's connection to its copies (with the lane's, on shutdown). */
export function closeCopies(lane: Db): void {
  const c = connections.get(lane);
  connections.delete(lane);
  if (c && c !== lane && c.open) c.close();
}

function openCopiesFile(lanePath: string): Db {
  const path = copiesPath(lanePath);
  const c = new Database(path);
  try {
    c.pragma('busy_timeout = 5000');
    // A batch is kept without an fsync of its own (core/peers/copies.ts, commitLight); the rest as the lane's file.
    durableFile(c);
    migrate(c, loadMigrations(defaultMigrationsDir('peers')), path);
    return c;
  } catch (err) {
    c.close();
    throw err;
  }
}

/** A lane in memory holds its copies' tables itself (the copies' migrations, on a database made now). */
export function copiesInMemory(lane: Db): void {
  for (const m of loadMigrations(defaultMigrationsDir('peers'))) lane.exec(m.sql);
}

/**
 * A lane's file from before terminal migration 0034 with copies in it: its schema is brought to the
 * last one with them (0033), and what it holds is copied into the copies' file in one transaction
 * there (committed with an fsync) — only then may 0034 drop them. Stopped in between, the next start
 * copies again (the rows held are taken once: the same rows).
 */
export function moveCopiesOut(lane: Db, migrations: Migration[], path: string): void {
  const from = schemaVersion(lane);
  if (lane.memory || from < COPIES_CAME || from >= COPIES_LEFT || migrations.length < COPIES_LEFT) return;
  migrate(lane, migrations.slice(0, COPIES_LEFT - 1), path);
  const c = copiesDb(lane);
  c.prepare('ATTACH ? AS lane').run(path);
  try {
    const heads = 'terminal_id, chain_seq, chain_hash, chain_outage, acked_through, max_sequence, last_contact, alert, alert_at, rejected_count, audited_seq';
    const sales = 'terminal_id, sequence, sale_id, kind, business_date, total, created_at, body, journal_seq, journal_hash';
    const entries = 'terminal_id, seq, at, kind, ref, body, prev_hash, hash, signature, key_id';
    c.transaction(() => {
      c.exec(`INSERT OR REPLACE INTO main.peer_head (${heads}) SELECT ${heads} FROM lane.peer_head`);
      c.exec(`INSERT OR IGNORE INTO main.peer_sale (${sales}) SELECT ${sales} FROM lane.peer_sale`);
      c.exec(`INSERT OR IGNORE INTO main.peer_entry (${entries}) SELECT ${entries} FROM lane.peer_entry`);
    }).immediate();
  } finally {
    c.exec('DETACH lane');
  }
}
