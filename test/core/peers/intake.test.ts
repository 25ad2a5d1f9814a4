/**
 * A till takes its peers' batches as core/peers/intake.ts does: each body read and its piece of chain
 * checked on the peer batch worker (its own read-only connection), then kept on the lane's thread
 * with that verdict — but only if the copy still gives the check the same inputs; a verdict made with
 * other inputs is made again. Refusals are what they were: a tampered batch is refused whole and
 * nothing is kept. Real lanes on their own files, the very bodies their uploaders send.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { PeerBatchWorker } from '../../../core/peers/batch-host';
import { PeerCopies } from '../../../core/peers/copies';
import type { Prechecked } from '../../../core/peers/copy-place';
import { PeerIntake } from '../../../core/peers/intake';
import type { PeerIdentity } from '../../../core/peers/server';
import { ChainReader } from '../../../core/sync/chain';
import { encodeSales, salesRequest } from '../../../core/sync/encode';
import { OutboxRepo } from '../../../core/sync/repo';
import { SalesBatchSchema } from '../../../protocol/hq';
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

/** A receiving till's copies, with a record of the verdicts each batch was kept with. */
function receiving(name: string): { db: Db; copies: PeerCopies; kept: Array<Prechecked | null> } {
  const db = openDatabase(join(tmp.dir, `${name}.db`));
  const copies = new PeerCopies(db);
  const kept: Array<Prechecked | null> = [];
  const ingest = copies.ingest.bind(copies);
  copies.ingest = (id, keys, batch, now, pre = null) => (kept.push(pre), ingest(id, keys, batch, now, pre));
  return { db, copies, kept };
}

describe('a till taking its peers’ batches', () => {
  it('reads and checks each batch on the worker and keeps it with that verdict; a tampered one is refused whole', async () => {
    const a = sellingTill(tmp.dir, 'intake-a');
    for (let i = 0; i < 6; i++) sellMilkForCash(a.lane);
    const r = receiving('intake-copies');
    const worker = new PeerBatchWorker(r.db);
    const intake = new PeerIntake(r.copies, worker);
    const peer = peerOf(a);
    for (const after of [0, 3]) {
      const parsed = await intake.parse!(peer, bodyOf(a, after, 3));
      if (!parsed.ok) throw new Error(parsed.message);
      expect(parsed.pre).toMatchObject({ chain: { ok: true } });
      expect(await intake.receive(peer, parsed.batch, NOW, parsed.pre)).toMatchObject({ ackedThrough: after + 3, accepted: 3, rejected: [] });
    }
    // Each kept with the worker's verdict (not checked again on the lane's thread).
    expect(r.kept.map((p) => p?.chain.ok)).toEqual([true, true]);
    expect(r.copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 6 });

    // A sale's body changed on the way: the worker's check fails, and nothing is kept.
    sellMilkForCash(a.lane);
    const sent = JSON.parse(bodyOf(a, 6, 1).toString('utf8')) as { sales: Array<{ body: string }> };
    sent.sales[0]!.body = sent.sales[0]!.body.replace('"quantity":1', '"quantity":2');
    const tampered = Buffer.from(JSON.stringify(sent));
    const parsed = await intake.parse!(peer, tampered);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(parsed.pre?.chain.ok).toBe(false);
    const ack = await intake.receive(peer, parsed.batch, NOW, parsed.pre);
    expect(ack.rejected).toHaveLength(1);
    expect(r.copies.heads()[0]).toMatchObject({ ackedThrough: 6, alert: expect.any(String) });
    // Not JSON, or not a batch: said so, as the listener said before.
    expect(await intake.parse!(peer, Buffer.from('{"sales": ['))).toMatchObject({ ok: false, code: 'BAD_JSON' });
    expect(await intake.parse!(peer, Buffer.from('{"sales": 1}'))).toMatchObject({ ok: false, code: 'INVALID' });
    await worker.close();
  }, 60_000);

  it('a verdict made with other inputs than the copy now gives is not taken: the batch is checked again as it is kept', () => {
    const a = sellingTill(tmp.dir, 'stale-a');
    const other = sellingTill(tmp.dir, 'stale-other');
    for (let i = 0; i < 4; i++) sellMilkForCash(a.lane);
    const r = receiving('stale-copies');
    const batch = (after: number, limit: number) => SalesBatchSchema.parse(JSON.parse(bodyOf(a, after, limit).toString('utf8')));
    // Checked with another till's key (the roster changed meanwhile): refused there; with A's own key, taken.
    const wrongKey = r.copies.precheck('A', other.key, batch(0, 2));
    expect(wrongKey?.chain.ok).toBe(false);
    expect(r.copies.ingest('A', a.key, batch(0, 2), NOW, wrongKey)).toMatchObject({ ackedThrough: 2, accepted: 2, rejected: [] });
    // A verdict that says yes, for a piece starting elsewhere: not taken for a tampered batch.
    const good = r.copies.precheck('A', a.key, batch(0, 4))!;
    expect(good.chain.ok).toBe(true);
    const bad = batch(2, 2);
    bad.sales[0]!.body = bad.sales[0]!.body.replace('"quantity":1', '"quantity":2');
    expect(r.copies.ingest('A', a.key, bad, NOW, good).rejected).toHaveLength(2);
    expect(r.copies.heads()[0]).toMatchObject({ ackedThrough: 2 });
  });
});
