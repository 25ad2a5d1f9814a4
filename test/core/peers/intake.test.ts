/**
 * A till takes its peers' batches as core/peers/intake.ts does: each body read, checked and kept by
 * the peer batch worker in the copies' own file (core/db/copies-file.ts), whose only writer it is —
 * the lane's file is not written at all — and answered once committed, so the lane's thread reads
 * what it acknowledged. Refusals are what they were: a tampered batch is refused whole and nothing is
 * kept. A worker that dies is started again, and a batch sent again is taken once. Real lanes on their
 * own files, the very bodies their uploaders send.
 */
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { PeerBatchWorker } from '../../../core/peers/batch-host';
import { PeerCopies } from '../../../core/peers/copies';
import { PeerIntake } from '../../../core/peers/intake';
import type { PeerIdentity } from '../../../core/peers/server';
import { ChainReader } from '../../../core/sync/chain';
import { encodeSales, salesRequest } from '../../../core/sync/encode';
import { OutboxRepo } from '../../../core/sync/repo';
import { MONDAY } from '../../helpers/clock';
import { sellMilkForCash } from '../../helpers/lane';
import { sellingTill, type SellingTill } from '../../helpers/peer-tills';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-peer-intake-');
afterAll(() => tmp.cleanup());
const NOW = new Date(MONDAY);

/** The body `t`'s uploader sends for its sales after `after` (at most `limit`). */
function bodyOf(t: SellingTill, after: number, limit: number): Buffer {
  const rows = new OutboxRepo(t.db).batch(after, limit);
  const piece = new ChainReader(t.db).piece(rows);
  return salesRequest({ clock: NOW.toISOString(), backlog: { count: 0, oldestAt: null }, links: piece.links }, encodeSales(rows, 3_000_000, piece.entries));
}

const peerOf = (t: SellingTill): PeerIdentity => ({ terminalId: 'A', publicKey: 'unused here', journalKey: t.key });

/** A receiving till: its lane's file, the copies as its thread reads them, and a worker. */
function receiving(name: string): { db: Db; copies: PeerCopies; worker: PeerBatchWorker; intake: PeerIntake } {
  const db = openDatabase(join(tmp.dir, `${name}.db`));
  const copies = new PeerCopies(db);
  const worker = new PeerBatchWorker(db);
  return { db, copies, worker, intake: new PeerIntake(copies, worker) };
}

/** Changes another connection committed to the lane's file (SQLite's data_version). */
const laneVersion = (db: Db) => db.pragma('data_version', { simple: true }) as number;

describe('a till taking its peers’ batches', () => {
  it('reads, checks and keeps each batch on the worker, in the copies’ own file — the lane’s file is not written; a tampered one is refused whole', async () => {
    const a = sellingTill(tmp.dir, 'intake-a');
    for (let i = 0; i < 6; i++) sellMilkForCash(a.lane);
    const r = receiving('intake-copies');
    const peer = peerOf(a);
    const before = laneVersion(r.db);
    for (const after of [0, 3]) {
      expect(await r.intake.keep!(peer, bodyOf(a, after, 3), NOW)).toMatchObject({ ok: true, ack: { ackedThrough: after + 3, accepted: 3, rejected: [] } });
      // Committed before it is answered: the lane's thread reads it at once.
      expect(r.copies.heads()[0]).toMatchObject({ terminalId: 'A', ackedThrough: after + 3, lastContact: NOW.toISOString() });
    }
    expect(r.copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 6 });
    expect(laneVersion(r.db)).toBe(before);
    expect(r.db.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name LIKE 'peer_head%' OR name LIKE 'peer_sale%' OR name LIKE 'peer_entry%'").pluck().get()).toBe(0);

    // A sale's body changed on the way: the check fails, and nothing is kept.
    sellMilkForCash(a.lane);
    const sent = JSON.parse(bodyOf(a, 6, 1).toString('utf8')) as { sales: Array<{ body: string }> };
    sent.sales[0]!.body = sent.sales[0]!.body.replace('"quantity":1', '"quantity":2');
    const kept = await r.intake.keep!(peer, Buffer.from(JSON.stringify(sent)), NOW);
    expect(kept.ok && kept.ack.rejected).toHaveLength(1);
    expect(r.copies.heads()[0]).toMatchObject({ ackedThrough: 6, alert: expect.any(String) });
    // Not JSON, not a batch, or a peer whose journal key the roster does not give yet: said so, as the listener said before.
    expect(await r.intake.keep!(peer, Buffer.from('{"sales": ['), NOW)).toMatchObject({ ok: false, code: 'BAD_JSON' });
    expect(await r.intake.keep!(peer, Buffer.from('{"sales": 1}'), NOW)).toMatchObject({ ok: false, code: 'INVALID' });
    expect(await r.intake.keep!({ ...peer, journalKey: null }, bodyOf(a, 6, 1), NOW)).toMatchObject({ ok: false, code: 'NO_JOURNAL_KEY' });
    expect(r.copies.heads()[0]).toMatchObject({ ackedThrough: 6 });
    await r.worker.close();
  }, 60_000);

  it('a worker that dies is started again; a batch sent again is taken once', async () => {
    const a = sellingTill(tmp.dir, 'again-a');
    for (let i = 0; i < 4; i++) sellMilkForCash(a.lane);
    const r = receiving('again-copies');
    const peer = peerOf(a);
    expect(await r.intake.keep!(peer, bodyOf(a, 0, 4), NOW)).toMatchObject({ ok: true, ack: { ackedThrough: 4, accepted: 4 } });
    await (r.worker as unknown as { worker: Worker }).worker.terminate();
    expect(await r.intake.keep!(peer, bodyOf(a, 0, 4), NOW)).toMatchObject({ ok: true, ack: { ackedThrough: 4, accepted: 0, duplicates: 4 } });
    expect(r.worker.started).toBe(2);
    expect(r.copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 4 });
    await r.worker.close();
  }, 60_000);
});
