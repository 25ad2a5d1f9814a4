/**
 * The store peers' copies in a file of their own beside the lane's (core/db/copies-file.ts, terminal
 * migration 0034): a till whose copies were in its lane's file gets them moved as it opens it — every
 * row, the copy still verifying — and the lane's file keeps none; stopped between the move and 0034,
 * the next start moves them again and holds each once. In memory, the copies are the lane's own tables.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMigrationsDir, loadMigrations, migrate, openDatabase, schemaVersion } from '../../../core/db';
import { copiesDb, copiesPath, moveCopiesOut } from '../../../core/db/copies-file';
import { PeerCopies } from '../../../core/peers/copies';
import { ChainReader } from '../../../core/sync/chain';
import { encodeSales, salesRequest } from '../../../core/sync/encode';
import { OutboxRepo } from '../../../core/sync/repo';
import { SalesBatchSchema, type SalesBatch } from '../../../protocol/hq';
import { MONDAY } from '../../helpers/clock';
import { sellMilkForCash } from '../../helpers/lane';
import { sellingTill, type SellingTill } from '../../helpers/peer-tills';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-copies-file-');
afterAll(() => tmp.cleanup());
const NOW = new Date(MONDAY);
const all = loadMigrations(defaultMigrationsDir('terminal'));

function batchOf(t: SellingTill): SalesBatch {
  const rows = new OutboxRepo(t.db).batch(0, 100);
  const piece = new ChainReader(t.db).piece(rows);
  return SalesBatchSchema.parse(JSON.parse(salesRequest({ clock: NOW.toISOString(), backlog: { count: 0, oldestAt: null }, links: piece.links }, encodeSales(rows, 3_000_000, piece.entries)).toString('utf8')));
}

const peerTables = (db: Database.Database) => db.prepare("SELECT count(*) FROM sqlite_schema WHERE tbl_name IN ('peer_head', 'peer_sale', 'peer_entry')").pluck().get();

/** A lane's file at schema 0033 holding a's sales as copies in its own tables (as tills kept them before 0034). */
function oldTill(name: string, a: SellingTill): string {
  const held = openDatabase(join(tmp.dir, `${name}-source.db`));
  expect(new PeerCopies(held).ingest('A', a.key, batchOf(a), NOW).rejected).toEqual([]);
  const path = join(tmp.dir, `${name}.db`);
  const old = new Database(path);
  old.pragma('journal_mode = WAL');
  migrate(old, all.slice(0, 33));
  old.prepare('ATTACH ? AS src').run(copiesPath(held.name));
  for (const t of ['peer_head', 'peer_sale', 'peer_entry']) old.exec(`INSERT INTO main.${t} SELECT * FROM src.${t}`);
  old.exec('DETACH src');
  expect(old.prepare('SELECT count(*) FROM peer_entry').pluck().get()).toBeGreaterThan(3);
  old.close();
  return path;
}

describe('the copies’ own file', () => {
  it('a till whose copies are in its lane’s file has them moved as it opens it; the lane’s file keeps none', () => {
    const a = sellingTill(tmp.dir, 'a');
    for (let i = 0; i < 3; i++) sellMilkForCash(a.lane);
    const path = oldTill('moved', a);
    const entries = new Database(path, { readonly: true }).prepare('SELECT count(*) FROM peer_entry').pluck().get();
    const db = openDatabase(path);
    expect(schemaVersion(db)).toBe(all.length);
    expect(peerTables(db)).toBe(0);
    const copies = new PeerCopies(db);
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 3 });
    expect(copiesDb(db).prepare('SELECT count(*) FROM peer_entry').pluck().get()).toBe(entries);
    expect(copies.heads()).toEqual([expect.objectContaining({ terminalId: 'A', ackedThrough: 3, lastContact: NOW.toISOString() })]);
  });

  it('stopped after the move and before 0034, the next start moves them again: each row held once', () => {
    const a = sellingTill(tmp.dir, 'b');
    for (let i = 0; i < 2; i++) sellMilkForCash(a.lane);
    const path = oldTill('twice', a);
    const first = new Database(path);
    moveCopiesOut(first, all, path);
    expect(schemaVersion(first)).toBe(33);
    first.close();
    const db = openDatabase(path);
    expect(peerTables(db)).toBe(0);
    expect(new PeerCopies(db).verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 2 });
    expect(copiesDb(db).prepare('SELECT count(*) FROM peer_sale').pluck().get()).toBe(2);
  });

  it('in memory, the copies are the lane’s own tables', () => {
    const a = sellingTill(tmp.dir, 'c');
    sellMilkForCash(a.lane);
    const db = openDatabase(':memory:');
    expect(copiesDb(db)).toBe(db);
    expect(new PeerCopies(db).ingest('A', a.key, batchOf(a), NOW)).toMatchObject({ accepted: 1 });
    expect(peerTables(db)).toBeGreaterThan(0);
  });
});
