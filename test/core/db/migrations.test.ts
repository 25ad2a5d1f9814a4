import Database from 'better-sqlite3';
import { mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, defaultMigrationsDir, loadMigrations, migrate, MigrationError, openDatabase, schemaVersion } from '../../../core/db';
import { tempDir } from '../../helpers/tmp';

const migrations = loadMigrations(defaultMigrationsDir('terminal'));
let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});
function tmp() {
  const t = tempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}
function tables(db: Database.Database): string[] {
  return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);
}

describe('openDatabase', () => {
  it('creates a WAL database with FULL sync, foreign keys and a busy timeout, at the latest schema', () => {
    const db = openDatabase(join(tmp(), 'nested', 'kassa.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.pragma('page_size', { simple: true })).toBe(8192); // a journal entry of ~2 KB: three to a page
    db.close();
  });

  it('keeps the page size of a file created before 8 KB pages', () => {
    const path = join(tmp(), 'old.db');
    const old = new Database(path);
    old.exec('CREATE TABLE t (x)');
    old.close();
    const db = openDatabase(path);
    expect(db.pragma('page_size', { simple: true })).toBe(4096);
    db.close();
  });

  it('refuses a database newer than the code, clearly, and leaves it untouched', () => {
    const path = join(tmp(), 'future.db');
    const raw = new Database(path);
    raw.exec('CREATE TABLE keep (x INTEGER)');
    raw.pragma(`user_version = ${migrations.length + 3}`);
    raw.close();
    let err: unknown;
    try {
      openDatabase(path);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseTooNewError);
    expect((err as Error).message).toMatch(new RegExp(`schema version ${migrations.length + 3}.*only up to version ${migrations.length}`));
    const check = new Database(path);
    expect(schemaVersion(check)).toBe(migrations.length + 3);
    expect(tables(check)).toEqual(['keep']);
    check.close();
  });

  it('applies pending migrations in one transaction: a failing one changes nothing', () => {
    const dir = tmp();
    const migDir = join(dir, 'migrations');
    mkdirSync(migDir);
    copyFileSync(join(defaultMigrationsDir('terminal'), migrations[0]!.file), join(migDir, migrations[0]!.file));
    writeFileSync(join(migDir, '0002_broken.sql'), 'CREATE TABLE fine (x INTEGER);\nCREATE TABLE vat_class (oops);');
    const db = new Database(join(dir, 'x.db'));
    expect(() => migrate(db, loadMigrations(migDir))).toThrow(MigrationError);
    expect(schemaVersion(db)).toBe(0);
    expect(tables(db)).toEqual([]);
    db.close();
  });

  it('rejects migration folders with gaps in the numbering', () => {
    const migDir = tmp();
    writeFileSync(join(migDir, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(join(migDir, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(migDir)).toThrow(/without gaps/);
  });
});

/** Applies migrations up to `n` on a fresh in-memory database. */
function at(n: number): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, migrations.slice(0, n));
  return db;
}

describe('migration 0001_catalog', () => {
  it('creates the catalog with its constraints', () => {
    const db = at(1);
    expect(tables(db)).toEqual(['barcode', 'catalog_meta', 'department', 'item', 'vat_class']);
    db.prepare("INSERT INTO vat_class VALUES ('food', 'Livsmedel', 1200)").run();
    db.prepare("INSERT INTO department VALUES ('d1', 'Mejeri')").run();
    db.prepare("INSERT INTO item (id, name, department_id, vat_class_id, unit, price) VALUES ('i1', 'Mjölk', 'd1', 'food', 'piece', 1695)").run();
    db.prepare("INSERT INTO barcode VALUES ('07310865000019', 'i1')").run();
    expect(() => db.prepare("INSERT INTO barcode VALUES ('123', 'i1')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO barcode VALUES ('07310865000026', 'nope')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO item (id, name, department_id, vat_class_id, unit, price) VALUES ('i2', 'x', 'd1', 'food', 'litre', 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO item (id, name, department_id, vat_class_id, unit, price) VALUES ('i3', 'x', 'd1', 'food', 'piece', -1)").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0002_lane_state', () => {
  it('keeps exactly one lane state row', () => {
    const db = at(2);
    expect(tables(db)).toEqual(expect.arrayContaining(['lane_state', 'command_log', 'terminal_meta']));
    db.prepare("INSERT INTO lane_state VALUES (1, 1, '{}', 'now')").run();
    expect(() => db.prepare("INSERT INTO lane_state VALUES (2, 1, '{}', 'now')").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0003_sales_journal_outbox', () => {
  it('makes the journal append-only and ties outbox rows to sales', () => {
    const db = at(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['sale', 'journal', 'outbox']));
    const h = 'a'.repeat(64);
    db.prepare("INSERT INTO journal VALUES (1, 'now', 'test', NULL, '{}', ?, ?)").run('0'.repeat(64), h);
    expect(() => db.prepare("UPDATE journal SET kind = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    expect(() => db.prepare("INSERT INTO outbox VALUES (1, 'missing', 'sale', '{}', 'now', NULL)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO sale VALUES ('s1', 1, 'now', '2026-11-24', '1', 100, 0, '{}', 'r')").run();
    db.prepare("INSERT INTO outbox VALUES (1, 's1', 'sale', '{}', 'now', NULL)").run();
    expect(() => db.prepare("INSERT INTO outbox VALUES (2, 's1', 'sale', '{}', 'now', NULL)").run()).toThrow(/UNIQUE/);
    db.close();
  });
});

describe('migration 0004_operators_receipts', () => {
  it('stores operators with a role and an scrypt hash only', () => {
    const db = at(4);
    expect(tables(db)).toEqual(expect.arrayContaining(['operator', 'receipt']));
    db.prepare("INSERT INTO operator (id, name, role, pin_hash) VALUES ('1', 'A', 'cashier', 'scrypt$16384$8$1$x$y')").run();
    expect(() => db.prepare("INSERT INTO operator (id, name, role, pin_hash) VALUES ('2', 'B', 'boss', 'scrypt$x')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO operator (id, name, role, pin_hash) VALUES ('3', 'C', 'cashier', '1234')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO operator (id, name, role, pin_hash) VALUES ('abc', 'D', 'cashier', 'scrypt$x')").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0005_till_sessions', () => {
  it('allows one open till session at a time and ties cash movements to a session', () => {
    const db = at(5);
    expect(tables(db)).toEqual(expect.arrayContaining(['till_session', 'cash_movement']));
    db.prepare("INSERT INTO till_session (session_id, opened_at, opened_by, open_seq, float_total) VALUES ('a', 'now', '1', 1, 0)").run();
    expect(() => db.prepare("INSERT INTO till_session (session_id, opened_at, opened_by, open_seq, float_total) VALUES ('b', 'now', '1', 2, 0)").run()).toThrow(/UNIQUE/);
    db.prepare("UPDATE till_session SET closed_at = 'later' WHERE session_id = 'a'").run();
    db.prepare("INSERT INTO till_session (session_id, opened_at, opened_by, open_seq, float_total) VALUES ('b', 'now', '1', 2, 0)").run();
    expect(() => db.prepare("INSERT INTO cash_movement VALUES ('m', 'nope', 'pickup', 100, 'r', '1', NULL, 'now')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO cash_movement VALUES ('m', 'b', 'pickup', 0, 'r', '1', NULL, 'now')").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0006_vouchers', () => {
  it('keeps gift card balances non-negative', () => {
    const db = at(6);
    db.prepare("INSERT INTO voucher (code, balance) VALUES ('97520000000', 100)").run();
    expect(() => db.prepare("UPDATE voucher SET balance = -1").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO voucher (code, balance) VALUES ('12ab', 1)").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0007_journal_signatures', () => {
  it('adds signatures to the append-only journal and a key registry', () => {
    const db = at(7);
    expect(tables(db)).toEqual(expect.arrayContaining(['journal_key', 'terminal_key']));
    const cols = (db.prepare("SELECT name FROM pragma_table_info('journal')").all() as Array<{ name: string }>).map((c) => c.name);
    expect(cols).toEqual(expect.arrayContaining(['signature', 'key_id']));
    db.prepare("INSERT INTO journal (seq, at, kind, ref, body, prev_hash, hash, signature, key_id) VALUES (1, 'now', 'k', NULL, '{}', ?, ?, 'c2ln', 'abc')").run('0'.repeat(64), 'b'.repeat(64));
    expect(() => db.prepare("UPDATE journal SET signature = NULL").run()).toThrow(/append-only/);
    db.close();
  });
});

describe('migration 0008_returns', () => {
  it('ties returned lines to a real sale with positive quantities', () => {
    const db = at(8);
    db.prepare("INSERT INTO sale VALUES ('s1', 1, 'now', '2026-11-24', '1', 100, 0, '{}', 'r')").run();
    db.prepare("INSERT INTO return_line VALUES ('r1', 's1', 'L1', 1, 100)").run();
    expect(() => db.prepare("INSERT INTO return_line VALUES ('r1', 'nope', 'L2', 1, 100)").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO return_line VALUES ('r2', 's1', 'L1', 0, 100)").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0009_promotions', () => {
  it('stores promotion rules as valid JSON only', () => {
    const db = at(9);
    db.prepare(`INSERT INTO promotion VALUES ('p', '{"id":"p"}')`).run();
    expect(() => db.prepare(`INSERT INTO promotion VALUES ('q', '{not json')`).run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0010_suspend', () => {
  it('keeps parked baskets with their resume mark', () => {
    const db = at(10);
    db.prepare("INSERT INTO suspended_sale (suspend_id, created_at, operator, payload) VALUES ('a', 'now', '1', '{}')").run();
    expect(db.prepare("UPDATE suspended_sale SET resumed_at = 'later' WHERE suspend_id = 'a' AND resumed_at IS NULL").run().changes).toBe(1);
    expect(db.prepare("UPDATE suspended_sale SET resumed_at = 'again' WHERE suspend_id = 'a' AND resumed_at IS NULL").run().changes).toBe(0);
    db.close();
  });
});

describe('migration 0011_operator_badges', () => {
  it('stores only badge hashes, tied to an operator', () => {
    const db = at(11);
    db.prepare("INSERT INTO operator (id, name, role, pin_hash) VALUES ('7', 'S', 'supervisor', 'scrypt$x')").run();
    db.prepare('INSERT INTO operator_badge (badge_hash, operator_id) VALUES (?, ?)').run('a'.repeat(64), '7');
    expect(() => db.prepare('INSERT INTO operator_badge (badge_hash, operator_id) VALUES (?, ?)').run('Bsecret', '7')).toThrow(/CHECK/);
    expect(() => db.prepare('INSERT INTO operator_badge (badge_hash, operator_id) VALUES (?, ?)').run('b'.repeat(64), '99')).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('migration 0012_print_jobs', () => {
  it('keeps one job per key in a known state', () => {
    const db = at(12);
    db.prepare("INSERT INTO print_job (job_key, kind, created_at, bytes, state) VALUES ('receipt:1', 'receipt', 'now', x'1b40', 'queued')").run();
    expect(db.prepare("INSERT OR IGNORE INTO print_job (job_key, kind, created_at, bytes, state) VALUES ('receipt:1', 'receipt', 'now', x'00', 'queued')").run().changes).toBe(0);
    expect(() => db.prepare("UPDATE print_job SET state = 'printed'").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0035_cash_movement_owner', () => {
  it("keeps every movement and takes the owner's own money (Privatentnahme, Privateinlage) as movements too", () => {
    const db = at(34);
    db.prepare("INSERT INTO till_session (session_id, opened_at, opened_by, open_seq, float_total) VALUES ('s', 'now', '1', 1, 0)").run();
    db.prepare("INSERT INTO cash_movement VALUES ('m1', 's', 'pickup', 5000, 'Tresor', '1', '7', 'now')").run();
    expect(() => db.prepare("INSERT INTO cash_movement VALUES ('m2', 's', 'privateWithdrawal', 2000, 'Inhaber', '1', '7', 'now')").run()).toThrow(/CHECK/);
    migrate(db, migrations.slice(0, 35));
    db.prepare("INSERT INTO cash_movement VALUES ('m2', 's', 'privateWithdrawal', 2000, 'Inhaber', '1', '7', 'now')").run();
    db.prepare("INSERT INTO cash_movement VALUES ('m3', 's', 'privateDeposit', 1000, 'Inhaber', '1', NULL, 'now')").run();
    expect(db.prepare('SELECT movement_id, kind, amount FROM cash_movement ORDER BY movement_id').all()).toEqual([
      { movement_id: 'm1', kind: 'pickup', amount: 5000 },
      { movement_id: 'm2', kind: 'privateWithdrawal', amount: 2000 },
      { movement_id: 'm3', kind: 'privateDeposit', amount: 1000 },
    ]);
    expect(() => db.prepare("INSERT INTO cash_movement VALUES ('m4', 'nope', 'pickup', 100, 'r', '1', NULL, 'now')").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO cash_movement VALUES ('m4', 's', 'gift', 100, 'r', '1', NULL, 'now')").run()).toThrow(/CHECK/);
    db.close();
  });
});
