/**
 * Migrations 0013-0020, 0025, 0026 and 0028 on a real database file: each one on a file at the
 * version before it with representative rows, checked for the schema it makes and for the rows it keeps or moves, then
 * the file opened as the terminal opens it (every later migration). 0016 and 0017 on a lane that
 * sold before them are in retention.test.ts; 0001-0012 in migrations.test.ts.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, loadMigrations, migrate, openDatabase, schemaVersion } from '../../../core/db';
import { tempDir } from '../../helpers/tmp';

const all = loadMigrations(defaultMigrationsDir('terminal'));
let cleanups: Array<() => void> = [];
afterEach(() => {
  cleanups.forEach((c) => c());
  cleanups = [];
});

/** A database file at schema `version`, with `rows` written into it, closed. */
function fileAt(version: number, rows: (db: Database.Database) => void): string {
  const t = tempDir();
  cleanups.push(t.cleanup);
  const path = join(t.dir, 'lane.db');
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  migrate(db, all.slice(0, version));
  rows(db);
  db.close();
  return path;
}

/** The file reopened and brought to schema `version`. */
function upTo(path: string, version: number): Database.Database {
  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  const r = migrate(db, all.slice(0, version));
  expect(r.to).toBe(version);
  expect(schemaVersion(db)).toBe(version);
  return db;
}

const columns = (db: Database.Database, table: string) => db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
const indexes = (db: Database.Database) => db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((r) => r.name);
const tables = (db: Database.Database) => db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => r.name);

function sale(db: Database.Database, id: string, sequence: number): void {
  db.prepare("INSERT INTO sale VALUES (?, ?, '2026-11-23T09:00:00Z', '2026-11-23', '1', 100, 0, ?, '')").run(id, sequence, JSON.stringify({ saleId: id }));
}

describe('migration 0013_hq_link', () => {
  it('adds the HQ link, quarantine and sync state, one row each where one is meant, and keeps the outbox', () => {
    const path = fileAt(12, (db) => {
      sale(db, 's1', 1);
      db.prepare("INSERT INTO outbox VALUES (1, 's1', 'sale', '{\"saleId\":\"s1\"}', '2026-11-23T09:00:00Z', NULL)").run();
    });
    const db = upTo(path, 13);
    expect(tables(db)).toEqual(expect.arrayContaining(['hq_link', 'outbox_quarantine', 'sync_state']));
    expect(columns(db, 'hq_link')).toEqual(['id', 'hq_url', 'terminal_id', 'store_id', 'lane_id', 'private_key', 'public_key', 'enrolled_at']);
    expect(db.prepare('SELECT sequence, sale_id, acked_at FROM outbox').all()).toEqual([{ sequence: 1, sale_id: 's1', acked_at: null }]);
    const link = db.prepare("INSERT INTO hq_link VALUES (?, 'https://hq', 't1', 'st1', '1', 'priv', 'pub', 'now')");
    link.run(1);
    expect(() => link.run(2)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO sync_state (id) VALUES (2)").run()).toThrow(/CHECK/);
    db.prepare("INSERT INTO outbox_quarantine VALUES (1, 'bad total', 'now')").run();
    expect(() => db.prepare("INSERT INTO outbox_quarantine VALUES (9, 'no such row', 'now')").run()).toThrow(/FOREIGN KEY/);
    db.close();
  });
});

describe('migration 0014_catalog_updates', () => {
  it('adds pinned catalog keys (checked sizes) and the updater state, and leaves the catalog as it was', () => {
    const path = fileAt(13, (db) => {
      db.prepare("INSERT INTO catalog_meta VALUES ('version', '41'), ('publishedAt', '2026-11-20T00:00:00Z')").run();
      db.prepare("INSERT INTO vat_class VALUES ('food', 'Livsmedel', 1200)").run();
    });
    const db = upTo(path, 14);
    expect(tables(db)).toEqual(expect.arrayContaining(['catalog_key', 'catalog_sync']));
    expect(db.prepare('SELECT key, value FROM catalog_meta ORDER BY key').all()).toEqual([
      { key: 'publishedAt', value: '2026-11-20T00:00:00Z' },
      { key: 'version', value: '41' },
    ]);
    expect(db.prepare('SELECT * FROM vat_class').all()).toEqual([{ id: 'food', name: 'Livsmedel', rate_bp: 1200 }]);
    const key = db.prepare('INSERT INTO catalog_key VALUES (?, ?, ?)');
    key.run('a'.repeat(16), 'k'.repeat(43), 'now');
    expect(() => key.run('short', 'k'.repeat(43), 'now')).toThrow(/CHECK/);
    expect(() => key.run('b'.repeat(16), 'k'.repeat(44), 'now')).toThrow(/CHECK/);
    db.prepare("INSERT INTO catalog_sync (id, last_check) VALUES (1, 'now')").run();
    expect(() => db.prepare('INSERT INTO catalog_sync (id) VALUES (2)').run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0015_outbox_watermark', () => {
  /** Outbox rows 1-6: 1-3 and 5 acknowledged (5 out of order), 4 and 6 not; row 2 quarantined. */
  function lane(withState: boolean) {
    return fileAt(14, (db) => {
      for (let n = 1; n <= 6; n++) {
        sale(db, `s${n}`, n);
        const acked = [1, 2, 3, 5].includes(n) ? `2026-11-23T10:0${n}:00Z` : null;
        db.prepare('INSERT INTO outbox VALUES (?, ?, ?, ?, ?, ?)').run(n, `s${n}`, n === 4 ? 'return' : 'sale', `{"n":${n}}`, `2026-11-23T09:0${n}:00Z`, acked);
      }
      db.prepare("INSERT INTO outbox_quarantine VALUES (2, 'rejected', '2026-11-23T10:02:00Z')").run();
      if (withState) db.prepare("INSERT INTO sync_state VALUES (1, '2026-11-23T10:05:00Z', 'NETWORK: down', '2026-11-23T10:06:00Z')").run();
    });
  }
  const kept = [1, 2, 3, 4, 5, 6].map((n) => ({ sequence: n, sale_id: `s${n}`, kind: n === 4 ? 'return' : 'sale', payload: `{"n":${n}}`, created_at: `2026-11-23T09:0${n}:00Z` }));

  it('moves the acknowledgements into one watermark (the highest acknowledged sequence), keeping the sync state row', () => {
    const db = upTo(lane(true), 15);
    expect(db.prepare('SELECT * FROM sync_state').all()).toEqual([
      { id: 1, last_success: '2026-11-23T10:05:00Z', last_error: 'NETWORK: down', last_attempt: '2026-11-23T10:06:00Z', acked_through: 5 },
    ]);
    // Every outbox row is kept as it was, without its own acknowledgement.
    expect(columns(db, 'outbox')).toEqual(['sequence', 'sale_id', 'kind', 'payload', 'created_at']);
    expect(db.prepare('SELECT * FROM outbox ORDER BY sequence').all()).toEqual(kept);
    expect(indexes(db)).not.toContain('outbox_unacked');
    expect(db.prepare('SELECT sequence, reason FROM outbox_quarantine').all()).toEqual([{ sequence: 2, reason: 'rejected' }]);
    db.close();
  });

  it('makes the sync state row where there was none', () => {
    const db = upTo(lane(false), 15);
    expect(db.prepare('SELECT * FROM sync_state').all()).toEqual([{ id: 1, last_success: null, last_error: null, last_attempt: null, acked_through: 5 }]);
    expect(db.prepare('SELECT * FROM outbox ORDER BY sequence').all()).toEqual(kept);
    db.close();
  });

  it('starts at 0 on a lane that never sent anything (an empty outbox or none acknowledged)', () => {
    const empty = upTo(fileAt(14, () => {}), 15);
    expect(empty.prepare('SELECT acked_through FROM sync_state').all()).toEqual([{ acked_through: 0 }]);
    empty.close();
    const unsent = upTo(
      fileAt(14, (db) => {
        sale(db, 's1', 1);
        db.prepare("INSERT INTO outbox VALUES (1, 's1', 'sale', '{}', 'now', NULL)").run();
      }),
      15,
    );
    expect(unsent.prepare('SELECT acked_through FROM sync_state').all()).toEqual([{ acked_through: 0 }]);
    expect(unsent.prepare('SELECT count(*) AS n FROM outbox').get()).toEqual({ n: 1 });
    unsent.close();
  });

  it('leaves the watermark and the rows as they are through the later migrations, as the terminal opens the file', () => {
    const path = lane(true);
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(all.length);
    expect(db.prepare('SELECT acked_through FROM sync_state').get()).toEqual({ acked_through: 5 });
    expect(db.prepare('SELECT sequence, sale_id, kind, payload, created_at FROM outbox ORDER BY sequence').all()).toEqual(kept);
    db.close();
  });
});

describe('migration 0018_print_job_sent_index', () => {
  it('indexes printed jobs by time and keeps every job', () => {
    const path = fileAt(17, (db) => {
      db.prepare("INSERT INTO print_job (job_key, kind, created_at, bytes, state, sent_at, bytes_sha256) VALUES ('a', 'receipt', '2026-11-23T09:00:00Z', x'', 'sent', '2026-11-23T09:00:01Z', ?), ('b', 'report', '2026-11-23T09:01:00Z', x'1b40', 'queued', NULL, NULL)").run('c'.repeat(64));
    });
    const db = upTo(path, 18);
    expect(indexes(db)).toContain('print_job_sent');
    expect(db.prepare('SELECT job_key, kind, state, hex(bytes) AS bytes, bytes_sha256 FROM print_job ORDER BY job_key').all()).toEqual([
      { job_key: 'a', kind: 'receipt', state: 'sent', bytes: '', bytes_sha256: 'c'.repeat(64) },
      { job_key: 'b', kind: 'report', state: 'queued', bytes: '1B40', bytes_sha256: null },
    ]);
    const plan = db.prepare<[], { detail: string }>("EXPLAIN QUERY PLAN SELECT job_key FROM print_job WHERE state = 'sent' AND created_at < '2026-11-24'").all().map((r) => r.detail).join('\n');
    expect(plan).toMatch(/print_job_sent/);
    db.close();
  });
});

describe('migration 0019_gift_card_ranges', () => {
  it('adds gift card ranges (prefix, length and check digit checked) and keeps the cards there were', () => {
    const path = fileAt(18, (db) => {
      db.prepare("INSERT INTO voucher (code, balance) VALUES ('97520000000', 15000)").run();
    });
    const db = upTo(path, 19);
    expect(columns(db, 'gift_card_range')).toEqual(['prefix', 'length', 'check_digit', 'issue']);
    expect(db.prepare('SELECT code, balance FROM voucher').all()).toEqual([{ code: '97520000000', balance: 15000 }]);
    const range = db.prepare('INSERT INTO gift_card_range (prefix, length, check_digit) VALUES (?, ?, ?)');
    range.run('9752', 11, 'luhn');
    expect(db.prepare('SELECT issue FROM gift_card_range').get()).toEqual({ issue: 0 });
    expect(() => range.run('97a', 11, 'luhn')).toThrow(/CHECK/);
    expect(() => range.run('12', 3, 'none')).toThrow(/CHECK/); // no room for a number after the prefix
    expect(() => range.run('13', 12, 'crc')).toThrow(/CHECK/);
    expect(() => range.run('14', 21, 'gtin')).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0020_print_job_confirmed', () => {
  it("turns 'sent' into printed where the write completed and uncertain where a crash cut it off, names each receipt's sale, and indexes the states", () => {
    const sha = 'c'.repeat(64);
    const path = fileAt(19, (db) => {
      const job = db.prepare('INSERT INTO print_job (job_key, kind, created_at, bytes, state, sent_at, bytes_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)');
      job.run('receipt:s1', 'receipt', '2026-11-23T09:00:00Z', Buffer.alloc(0), 'sent', '2026-11-23T09:00:01Z', sha); // written: bytes dropped
      job.run('receipt:s2', 'receipt', '2026-11-23T09:01:00Z', Buffer.from([0x1b, 0x40]), 'sent', '2026-11-23T09:01:01Z', sha); // cut off by a crash
      job.run('return:r1', 'return', '2026-11-23T09:02:00Z', Buffer.from([0x1b, 0x40]), 'queued', null, sha);
      job.run('copy:c1', 'copy', '2026-11-23T09:03:00Z', Buffer.from([0x1b, 0x40]), 'uncertain', '2026-11-23T09:03:01Z', sha);
      job.run('z:1', 'report', '2026-11-23T09:04:00Z', Buffer.alloc(0), 'sent', '2026-11-23T09:04:01Z', sha);
    });
    const db = upTo(path, 20);
    expect(columns(db, 'print_job')).toEqual(['job_key', 'kind', 'created_at', 'bytes', 'state', 'sent_at', 'bytes_sha256', 'sale_id']);
    expect(db.prepare('SELECT job_key, state, sale_id, hex(bytes) AS bytes, sent_at FROM print_job ORDER BY created_at').all()).toEqual([
      { job_key: 'receipt:s1', state: 'printed', sale_id: 's1', bytes: '', sent_at: '2026-11-23T09:00:01Z' },
      { job_key: 'receipt:s2', state: 'uncertain', sale_id: 's2', bytes: '1B40', sent_at: '2026-11-23T09:01:01Z' },
      { job_key: 'return:r1', state: 'queued', sale_id: 'r1', bytes: '1B40', sent_at: null },
      { job_key: 'copy:c1', state: 'uncertain', sale_id: null, bytes: '1B40', sent_at: '2026-11-23T09:03:01Z' },
      { job_key: 'z:1', state: 'printed', sale_id: null, bytes: '', sent_at: '2026-11-23T09:04:01Z' },
    ]);
    expect(indexes(db)).toEqual(expect.arrayContaining(['print_job_queued', 'print_job_uncertain', 'print_job_done']));
    expect(indexes(db)).not.toContain('print_job_sent');
    const plan = (sql: string) => db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all().map((r) => r.detail).join('\n');
    expect(plan("SELECT job_key FROM print_job WHERE state IN ('printed', 'settled') AND created_at < '2026-11-24'")).toMatch(/print_job_done/);
    expect(plan("SELECT sale_id FROM print_job WHERE state = 'uncertain' AND sale_id IS NOT NULL ORDER BY created_at, job_key LIMIT 1")).toMatch(/print_job_uncertain/);
    const setState = db.prepare("UPDATE print_job SET state = ? WHERE job_key = 'return:r1'");
    for (const st of ['sending', 'printed', 'uncertain', 'settled']) setState.run(st);
    expect(() => setState.run('sent')).toThrow(/CHECK/);
    db.close();
    // Then opened as the terminal opens it (every later migration).
    const lane = openDatabase(path);
    expect(schemaVersion(lane)).toBe(all.length);
    lane.close();
  });
});

describe('migration 0025_recovery_pending', () => {
  it('adds the reflash answer a till waits on, one row at most, and nothing waits on a till that was never reflashed', () => {
    const db = upTo(fileAt(24, () => {}), 25);
    expect(db.prepare('SELECT * FROM recovery_pending').all()).toEqual([]);
    db.prepare("INSERT INTO recovery_pending (id, reflash, since) VALUES (1, '{}', '2026-11-23T09:00:00Z')").run();
    expect(() => db.prepare("INSERT INTO recovery_pending (id, reflash, since) VALUES (2, '{}', '2026-11-23T09:00:00Z')").run()).toThrow(/CHECK/);
    db.close();
  });
});

describe('migration 0026_peer_tail_parked', () => {
  it('adds what each peer holds after the last sale (0 where nothing was sent so) and indexes parked baskets, keeping the peers’ rows', () => {
    const path = fileAt(25, (db) => {
      db.prepare("INSERT INTO peer_send (peer_id, acked_through, last_success) VALUES ('t-2', 7, '2026-11-23T09:00:00Z')").run();
    });
    const db = upTo(path, 26);
    expect(db.prepare('SELECT peer_id, acked_through, last_success, tail_seq FROM peer_send').all()).toEqual([{ peer_id: 't-2', acked_through: 7, last_success: '2026-11-23T09:00:00Z', tail_seq: 0 }]);
    expect(indexes(db)).toEqual(expect.arrayContaining(['peer_entry_basket', 'journal_basket']));
    for (const table of ['peer_entry', 'journal']) {
      const plan = db.prepare<[], { detail: string }>(`EXPLAIN QUERY PLAN SELECT body FROM ${table} WHERE json_extract(body, '$.suspendId') = 'x' AND kind IN ('sale.suspended', 'sale.resumed') AND kind = 'sale.resumed'`).all().map((r) => r.detail).join('\n');
      expect(plan).toMatch(/_basket/);
    }
    db.close();
  });
});

describe('migration 0028_card_decision', () => {
  it('adds the open card decision, one row at most, and none on a lane that had none', () => {
    const db = upTo(fileAt(27, () => {}), 28);
    expect(columns(db, 'card_decision')).toEqual(['id', 'attempt_id', 'reason', 'terminal_receipt', 'terminal_answered', 'unreachable_since', 'updated_at']);
    expect(db.prepare('SELECT * FROM card_decision').all()).toEqual([]);
    const put = db.prepare("INSERT INTO card_decision VALUES (?, 'a1', 'no answer', '[]', ?, NULL, '2026-11-23T09:00:00Z')");
    put.run(1, 0);
    expect(() => put.run(2, 0)).toThrow(/CHECK/);
    db.prepare('DELETE FROM card_decision').run();
    expect(() => put.run(1, 2)).toThrow(/CHECK/);
    db.close();
  });
});
