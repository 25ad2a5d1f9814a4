/**
 * A till's batches to its store peers are read, encoded, signed and sent by a worker thread with a
 * read-only connection of its own (core/peers/batch-host.ts, core/peers/batch-worker.ts): the lane's
 * thread only records the answers. What a peer gets is what it got before — every sale once, in
 * order, signed with the till's key — and a worker that dies mid-batch loses nothing: it is started
 * again, the death is logged, and the batch it held is sent again from the watermark. A real lane
 * (SQLite file), a real HQ for enrollment, and a small real receiver on loopback that checks every
 * request's signature (test/helpers/sales-receiver.ts).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../core/db';
import type { LaneService } from '../../../core/lane/host';
import { PeerBatchWorker } from '../../../core/peers/batch-host';
import { peerUploader } from '../../../core/peers/send';
import { enroll, loadHqLink, type HqLink } from '../../../core/sync/link';
import { HqLinkRepo } from '../../../core/sync/repo';
import { migrate, sqliteSql, type Sql } from '../../../hq/sql';
import { HqStore } from '../../../hq/store';
import { listenHq } from '../../helpers/hq-backends';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { sellMilkForCash } from '../../helpers/lane';
import { listenSalesReceiver } from '../../helpers/sales-receiver';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-peer-worker-');
let sql: Sql;
let store: HqStore;
let hq: Awaited<ReturnType<typeof listenHq>>;

beforeAll(async () => {
  sql = sqliteSql(join(tmp.dir, 'hq.db'));
  await migrate(sql, join(__dirname, '../../../migrations/hq'));
  store = new HqStore(sql);
  hq = await listenHq({ store, adminToken: 'peer-worker-staff-token-0123456789' });
});
afterAll(async () => {
  await hq.close();
  await sql.close();
  tmp.cleanup();
});

async function enrolledLane(name: string): Promise<{ db: Db; lane: LaneService; link: HqLink; keys: Map<string, string> }> {
  const db = demoDb(tmp.dir, `${name}.db`);
  await enroll(db, hq.url, await store.createEnrollmentToken('store-1', name), '0.1.0');
  const link = loadHqLink(db)!;
  return { db, lane: openDemoLane(db), link, keys: new Map([[link.terminalId, new HqLinkRepo(db).get()!.publicKey]]) };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const sorted = (m: Map<number, unknown>) => [...m.keys()].sort((a, b) => a - b);

describe('the peer batch worker', () => {
  it('builds and sends every batch off the lane’s thread; the peer gets each sale once, in order, as before', async () => {
    const l = await enrolledLane('worker');
    for (let i = 0; i < 11; i++) sellMilkForCash(l.lane);
    const peer = await listenSalesReceiver({ keys: l.keys });
    const worker = new PeerBatchWorker(l.db);
    const { uploader, feed } = peerUploader(l.db, l.link, { terminalId: 'peer-a', url: peer.url, key: peer.key }, { batchSize: 4 }, worker);
    // What the lane's thread reads of the sales: only whether there is one to send (a batch of one row), never a batch.
    const readHere: number[] = [];
    const batch = feed.batch.bind(feed);
    feed.batch = (after, limit) => (readHere.push(limit), batch(after, limit));
    await uploader.drain();
    expect(sorted(peer.held)).toEqual(range(1, 11));
    expect([...peer.arrivals.values()].every((n) => n === 1)).toBe(true);
    expect([...peer.held.values()].every((s) => s.entry?.hash.length === 64)).toBe(true);
    expect(readHere.every((n) => n === 1)).toBe(true);
    expect(feed.state()).toMatchObject({ ackedThrough: 11, lastError: null });
    expect(uploader.status()).toMatchObject({ backlog: 0, online: true });
    expect(worker.started).toBe(1);
    await worker.close();
    await peer.close();
    l.db.close();
  }, 60_000);

  it('a worker that dies mid-batch loses nothing: it is logged, started again, and the batch goes again from the watermark', async () => {
    const l = await enrolledLane('crash');
    for (let i = 0; i < 6; i++) sellMilkForCash(l.lane);
    const peer = await listenSalesReceiver({ keys: l.keys, answerDelayMs: 300 });
    const log: string[] = [];
    const worker = new PeerBatchWorker(l.db, (line) => log.push(line));
    const { uploader, feed } = peerUploader(l.db, l.link, { terminalId: 'peer-a', url: peer.url, key: peer.key }, { batchSize: 3, minBackoffMs: 20, maxBackoffMs: 50 }, worker);
    uploader.start();
    // The first batch is at the peer, unanswered: the worker dies now.
    await until('a batch on its way', () => peer.maxConcurrent > 0);
    await (worker as unknown as { worker: Worker }).worker.terminate();
    await until('every sale acknowledged', () => feed.ackedThrough() === 6);
    uploader.stop();
    expect(log.some((line) => /batch worker ended/.test(line))).toBe(true);
    expect(log.some((line) => /started again/.test(line))).toBe(true);
    expect(worker.started).toBe(2);
    expect(sorted(peer.held)).toEqual(range(1, 6));
    expect(peer.arrivals.get(1)).toBe(2); // the batch it held, sent again (the copy keeps it once)
    await worker.close();
    await peer.close();
    l.db.close();
  }, 60_000);

  it('a worker that cannot start (its file gone from under the lane) leaves the work to the lane’s thread, logged, and nothing is lost', async () => {
    const l = await enrolledLane('no-start');
    for (let i = 0; i < 4; i++) sellMilkForCash(l.lane);
    const peer = await listenSalesReceiver({ keys: l.keys });
    const log: string[] = [];
    const worker = new PeerBatchWorker(l.db, (line) => log.push(line));
    const { uploader, feed } = peerUploader(l.db, l.link, { terminalId: 'peer-a', url: peer.url, key: peer.key }, { batchSize: 3, minBackoffMs: 20, maxBackoffMs: 50 }, worker);
    // The lane keeps its open file; a second connection to it cannot be opened.
    rmSync(l.db.name);
    uploader.start();
    await until('every sale acknowledged', () => feed.ackedThrough() === 4);
    uploader.stop();
    expect(worker.started).toBe(3);
    expect(log.filter((line) => /does not start/.test(line))).toHaveLength(1);
    expect(sorted(peer.held)).toEqual(range(1, 4));
    await worker.close();
    await peer.close();
    l.db.close();
  }, 60_000);

  it('is ended cleanly: a batch still waiting fails as unanswered, and none is taken after', async () => {
    const l = await enrolledLane('close');
    sellMilkForCash(l.lane);
    const peer = await listenSalesReceiver({ keys: l.keys, answerDelayMs: 300 });
    const worker = new PeerBatchWorker(l.db);
    const send = worker.sender({ peerId: 'peer-a', url: peer.url, peerKey: peer.key, salesPath: '/v1/sales', link: l.link, shape: { batchSize: 10, maxBatchBytes: 400_000, softwareVersion: '0.1.0' }, timeoutMs: 5_000 }).send;
    const waiting = send(0, 10, new Date().toISOString()).then(() => 'answered', (e: Error) => e.message);
    await until('a batch on its way', () => peer.maxConcurrent > 0);
    const thread = (worker as unknown as { worker: Worker }).worker;
    const exited = new Promise<number>((res) => thread.once('exit', res));
    await worker.close();
    expect(await waiting).toMatch(/closed/);
    await exited;
    await expect(send(0, 10, new Date().toISOString())).rejects.toThrow(/closed/);
    expect(feedAcked(l.db)).toBe(0);
    await peer.close();
    l.db.close();
  }, 60_000);
});

const feedAcked = (db: Db) => db.prepare<[], { n: number | null }>("SELECT max(acked_through) AS n FROM peer_send WHERE peer_id = 'peer-a'").get()?.n ?? 0;
