/**
 * Migration 0030_tse on a real file at version 29 with a sale in it: the TSE's tables are made,
 * their rules hold (a row is signed or names its outage, never both, never neither), the sale stays.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { defaultMigrationsDir, loadMigrations, migrate, schemaVersion } from '../../../core/db';
import { tempDir } from '../../helpers/tmp';

const all = loadMigrations(defaultMigrationsDir('terminal'));
const t = tempDir();
afterEach(() => t.cleanup());

it('adds tse_outage and tse_signature to a lane that sold before, keeping its sales', () => {
  const path = join(t.dir, 'lane.db');
  const before = new Database(path);
  migrate(before, all.slice(0, 29));
  before.prepare("INSERT INTO sale (sale_id, sequence, completed_at, business_date, operator, total, rounding, body, receipt_text) VALUES ('s1', 1, '2026-11-23T09:00:00Z', '2026-11-23', '1', 100, 0, '{}', '')").run();
  before.close();

  const db = new Database(path);
  db.pragma('foreign_keys = ON');
  expect(migrate(db, all.slice(0, 30)).to).toBe(30);
  expect(schemaVersion(db)).toBe(30);
  expect(db.prepare('SELECT sale_id, sequence FROM sale').all()).toEqual([{ sale_id: 's1', sequence: 1 }]);
  const cols = (table: string) => db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => c.name);
  expect(cols('tse_outage')).toEqual(['outage_id', 'started_at', 'reason', 'ended_at', 'unsigned_sales']);
  expect(cols('tse_signature')).toEqual(['sale_id', 'client_id', 'process_type', 'process_data', 'tse_serial', 'transaction_number', 'signature_counter', 'start_time', 'end_time', 'signature', 'public_key', 'outage_id', 'aborted_at', 'recorded_at']);

  const put = db.prepare("INSERT INTO tse_signature (sale_id, client_id, process_type, process_data, signature, outage_id, recorded_at) VALUES (?, 'k-1', 'Kassenbeleg-V1', '', ?, ?, '2026-11-23T09:00:00Z')");
  db.prepare("INSERT INTO tse_outage (started_at, reason) VALUES ('2026-11-23T09:00:00Z', 'TSE_UNAVAILABLE')").run();
  put.run('signed', 'c2ln', null);
  put.run('unsigned', null, 1);
  expect(() => put.run('neither', null, null)).toThrow(/CHECK/);
  expect(() => put.run('both', 'c2ln', 1)).toThrow(/CHECK/);
  expect(() => put.run('no-such-outage', null, 9)).toThrow(/FOREIGN KEY/);
  db.close();
});
