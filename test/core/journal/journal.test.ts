import { rawAppend } from '../../helpers/journal';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { canonicalJson, GENESIS_HASH, Journal } from '../../../core/journal';
import { tempDir } from '../../helpers/tmp';

let cleanup: (() => void) | null = null;
afterEach(() => cleanup?.());

function setup() {
  const t = tempDir();
  cleanup = t.cleanup;
  const path = join(t.dir, 'j.db');
  const db = openDatabase(path);
  return { db, path, journal: new Journal(db) };
}

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it('refuses values that are not JSON', () => {
    expect(() => canonicalJson({ x: Number.NaN })).toThrow();
    expect(() => canonicalJson({ x: () => 1 })).toThrow();
  });
});

describe('journal', () => {
  it('chains entries with SHA-256 and verifies', () => {
    const { db, journal } = setup();
    const write = db.transaction((i: number) => rawAppend(journal, 'sale.completed', `s${i}`, { i, total: i * 100 }, '2026-11-24T10:00:00.000Z'));
    const first = write(1);
    expect(first.seq).toBe(1);
    expect(first.prevHash).toBe(GENESIS_HASH);
    for (let i = 2; i <= 20; i++) write(i);
    const v = journal.verify();
    expect(v).toMatchObject({ ok: true, entries: 20 });
    db.close();
  });

  it('must be written inside a transaction', () => {
    const { db, journal } = setup();
    expect(() => rawAppend(journal, 'x', null, {}, 'now')).toThrow(/transaction/);
    db.close();
  });

  it('detects an entry edited behind its back', () => {
    const { db, journal, path } = setup();
    const write = db.transaction((i: number) => rawAppend(journal, 'sale.completed', `s${i}`, { i }, 'now'));
    for (let i = 1; i <= 5; i++) write(i);
    db.close();
    // A tamperer with file access drops the trigger and edits an entry.
    const raw = new Database(path);
    raw.exec('DROP TRIGGER journal_append_only_update');
    raw.prepare(`UPDATE journal SET body = '{"i":99}' WHERE seq = 3`).run();
    raw.close();
    const again = openDatabase(path);
    expect(new Journal(again).verify()).toEqual({ ok: false, seq: 3, reason: 'hash does not match the entry' });
    again.close();
  });

  it('detects a deleted entry as a gap', () => {
    const { db, journal, path } = setup();
    const write = db.transaction((i: number) => rawAppend(journal, 'k', null, { i }, 'now'));
    for (let i = 1; i <= 4; i++) write(i);
    db.close();
    const raw = new Database(path);
    raw.exec('DROP TRIGGER journal_append_only_delete');
    raw.prepare('DELETE FROM journal WHERE seq = 2').run();
    raw.close();
    const again = openDatabase(path);
    expect(new Journal(again).verify()).toMatchObject({ ok: false, seq: 3 });
    again.close();
  });
});
