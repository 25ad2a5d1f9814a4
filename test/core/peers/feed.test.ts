/**
 * A terminal sends its own sales to its store's peer terminals with the same uploader, signed batch
 * protocol and key it sends them to HQ with, read through a peer feed (core/peers/feed.ts): from the
 * sales and the journal, so sales HQ already acknowledged — their outbox rows compacted away — still
 * reach a peer; each peer's watermark and refusals are its own. A real lane (SQLite file), a real HQ
 * (Fastify on loopback) and small real receivers on loopback that check every request's signature
 * with HQ's own code (test/helpers/sales-receiver.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReturnResult } from '../../../protocol/terminal';
import type { Db } from '../../../core/db';
import type { LaneService } from '../../../core/lane/host';
import { peerUploader } from '../../../core/peers/send';
import { PeerFeed } from '../../../core/peers/feed';
import { pinnedFetch } from '../../../core/peers/tls';
import { enroll, HqRequestError, loadHqLink, type HqLink } from '../../../core/sync/link';
import { HqLinkRepo } from '../../../core/sync/repo';
import { Uploader } from '../../../core/sync/uploader';
import { migrate, sqliteSql, type Sql } from '../../../hq/sql';
import { HqStore } from '../../../hq/store';
import { listenHq } from '../../helpers/hq-backends';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { exec, sellMilkForCash } from '../../helpers/lane';
import { listenSalesReceiver } from '../../helpers/sales-receiver';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-peer-feed-');
let sql: Sql;
let store: HqStore;
let hq: Awaited<ReturnType<typeof listenHq>>;

beforeAll(async () => {
  sql = sqliteSql(join(tmp.dir, 'hq.db'));
  await migrate(sql, join(__dirname, '../../../migrations/hq'));
  store = new HqStore(sql);
  hq = await listenHq({ store, adminToken: 'peer-feed-staff-token-0123456789' });
});
afterAll(async () => {
  await hq.close();
  await sql.close();
  tmp.cleanup();
});

interface Lane {
  db: Db;
  lane: LaneService;
  link: HqLink;
  /** The terminal's enrolled key, as a receiver knows it. */
  keys: Map<string, string>;
}

async function enrolledLane(name: string): Promise<Lane> {
  const db = demoDb(tmp.dir, `${name}.db`);
  await enroll(db, hq.url, await store.createEnrollmentToken('store-1', name), '0.1.0');
  const link = loadHqLink(db)!;
  return { db, lane: openDemoLane(db), link, keys: new Map([[link.terminalId, new HqLinkRepo(db).get()!.publicKey]]) };
}

function sell(l: Lane, n: number): void {
  for (let i = 0; i < n; i++) sellMilkForCash(l.lane);
}

const count = (db: Db, table: string) => db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
const sorted = (m: Map<number, unknown>) => [...m.keys()].sort((a, b) => a - b);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('the peer feed', () => {
  it('sends a peer every sale, those HQ acknowledged and the outbox compacted away included, as HQ got them', async () => {
    const l = await enrolledLane('compacted');
    const saleId = sellMilkForCash(l.lane);
    const ret = exec(l.lane, { cmd: 'returnLines', receiptCode: `R${saleId.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Sour' }).result as ReturnResult;
    expect(ret.refund).toBeGreaterThan(0);
    sell(l, 9);
    await new Uploader(l.db, l.link, { batchSize: 4 }).drain();
    // HQ has all 11 and the outbox kept none of them.
    expect(count(l.db, 'outbox')).toBe(0);
    const atHq = await sql.query<{ sequence: number; sale_id: string; kind: string; total: number; created_at: string; body: string }>(
      'SELECT sequence, sale_id, kind, total, created_at, body FROM sale WHERE terminal_id = ? ORDER BY sequence',
      [l.link.terminalId],
    );
    expect(atHq.map((r) => Number(r.sequence))).toEqual(range(1, 11));

    const peer = await listenSalesReceiver({ keys: l.keys });
    const { uploader, feed } = peerUploader(l.db, l.link, { terminalId: 'peer-a', url: peer.url, key: peer.key }, { batchSize: 4 });
    expect(uploader.status()).toMatchObject({ backlog: 11, ackedThrough: 0 });
    await uploader.drain();
    expect(sorted(peer.held)).toEqual(range(1, 11));
    expect([...peer.arrivals.values()].every((n) => n === 1)).toBe(true);
    // What the peer holds is what HQ holds: the same sales, kinds, totals, times and bodies (read from the journal).
    expect([...peer.held.values()].sort((a, b) => a.sequence - b.sequence).map((s) => ({ sequence: s.sequence, sale_id: s.saleId, kind: s.kind, total: s.total, created_at: s.createdAt, body: s.body }))).toEqual(
      atHq.map((r) => ({ ...r, sequence: Number(r.sequence), total: Number(r.total) })),
    );
    expect(peer.held.get(2)).toMatchObject({ kind: 'return', saleId: ret.returnId });
    // Each with its journal entry: the peer can follow the chain as HQ does.
    expect([...peer.held.values()].every((s) => s.entry?.hash.length === 64)).toBe(true);
    expect(feed.state()).toMatchObject({ peerId: 'peer-a', ackedThrough: 11, lastError: null, quarantined: 0 });
    expect(feed.state().lastSuccess).not.toBeNull();
    expect(uploader.status()).toMatchObject({ backlog: 0, ackedThrough: 11, online: true });
    // HQ's side is as it was.
    expect(new Uploader(l.db, l.link).status()).toMatchObject({ backlog: 0, ackedThrough: 11, quarantined: 0 });
    await peer.close();
    l.db.close();
  }, 60_000);

  it('keeps each peer’s watermark: a peer that was away gets what it missed, the other is not sent anything again', async () => {
    const l = await enrolledLane('two-peers');
    const a = await listenSalesReceiver({ keys: l.keys, answerDelayMs: 20 });
    const b = await listenSalesReceiver({ keys: l.keys, answerDelayMs: 20 });
    const toA = peerUploader(l.db, l.link, { terminalId: 'peer-a', url: a.url, key: a.key }, { batchSize: 2, timeoutMs: 2_000 });
    const toB = peerUploader(l.db, l.link, { terminalId: 'peer-b', url: b.url, key: b.key }, { batchSize: 2, timeoutMs: 2_000 });
    sell(l, 3);
    await toA.uploader.drain();
    await toB.uploader.drain();
    await b.stop();
    sell(l, 4);
    await toA.uploader.drain();
    await expect(toB.uploader.drain()).rejects.toMatchObject({ code: 'NETWORK' });
    expect([toA.feed.ackedThrough(), toB.feed.ackedThrough()]).toEqual([7, 3]);
    expect(toB.feed.state().lastError).toMatch(/^NETWORK/);
    expect(toB.uploader.status()).toMatchObject({ backlog: 4, ackedThrough: 3 });
    // Two feeds over one database, each reading its own row.
    expect(new PeerFeed(l.db, 'peer-b').state()).toMatchObject({ ackedThrough: 3 });
    expect(new PeerFeed(l.db, 'peer-c').state()).toMatchObject({ ackedThrough: 0, lastAttempt: null });

    await b.start();
    sell(l, 1);
    await toB.uploader.drain();
    await toA.uploader.drain();
    expect([toA.feed.ackedThrough(), toB.feed.ackedThrough()]).toEqual([8, 8]);
    expect(toB.feed.state().lastError).toBeNull();
    for (const peer of [a, b]) {
      expect(sorted(peer.held)).toEqual(range(1, 8));
      expect(sorted(peer.arrivals)).toEqual(range(1, 8));
      expect([...peer.arrivals.values()].every((n) => n === 1)).toBe(true); // each from its own watermark, never from the start again
    }
    expect([a.maxConcurrent, b.maxConcurrent]).toEqual([1, 1]); // one batch at a time to a peer (core/peers/send.ts says why)
    await a.close();
    await b.close();
    l.db.close();
  }, 60_000);

  it('sends everything again to a peer that holds less than it acknowledged (wiped and reflashed, or a power cut took its copy back)', async () => {
    const l = await enrolledLane('lost-copy');
    const peer = await listenSalesReceiver({ keys: l.keys });
    const { uploader, feed } = peerUploader(l.db, l.link, { terminalId: 'peer-a', url: peer.url, key: peer.key }, { batchSize: 3 });
    sell(l, 5);
    await uploader.drain();
    expect(feed.ackedThrough()).toBe(5);
    // The peer's copy is gone; the next sale reaches it alone, and it says it holds nothing before it.
    peer.held.clear();
    sell(l, 1);
    await uploader.drain();
    expect(feed.ackedThrough()).toBe(6);
    expect(sorted(peer.held)).toEqual(range(1, 6));
    expect(peer.arrivals.get(1)).toBe(2); // sent again from the start, once
    await peer.close();
    l.db.close();
  }, 60_000);

  it('runs on its own: while the peer is away it probes the peer, and sends as soon as the peer answers', async () => {
    const l = await enrolledLane('probing');
    sell(l, 5);
    const peer = await listenSalesReceiver({ keys: l.keys });
    await peer.stop();
    let probes = 0;
    const pinned = pinnedFetch(peer.key);
    const fetchFn = ((input: string | URL | Request, init?: RequestInit) => {
      if (new URL(input instanceof Request ? input.url : input).pathname === '/v1/health') probes++;
      return pinned(input, init);
    }) as typeof fetch;
    const { uploader, feed } = peerUploader(l.db, l.link, { terminalId: 'peer-a', url: peer.url, key: peer.key }, { batchSize: 2, probeMs: 30, probeTimeoutMs: 500, timeoutMs: 2_000, minBackoffMs: 3_600_000, maxBackoffMs: 3_600_000, fetchFn });
    uploader.start();
    await until('probes failing', () => probes >= 3);
    expect(feed.state()).toMatchObject({ ackedThrough: 0, lastError: expect.stringMatching(/^NETWORK/) });
    await peer.start();
    await until('sent to the peer once it answered', () => feed.ackedThrough() === 5);
    sell(l, 1);
    uploader.poke();
    await until('a new sale follows', () => feed.ackedThrough() === 6);
    uploader.stop();
    expect(sorted(peer.held)).toEqual(range(1, 6));
    await peer.close();
    l.db.close();
  }, 60_000);

  it('a sale one peer refuses for good is set aside for that peer only; the others and HQ take it', async () => {
    const l = await enrolledLane('refused');
    sell(l, 6);
    const all = await listenSalesReceiver({ keys: l.keys });
    const inAck = await listenSalesReceiver({ keys: l.keys, refuse: (s) => (s.sequence === 2 ? 'chain does not follow' : null) });
    const invalid = await listenSalesReceiver({ keys: l.keys, refuse: (s) => (s.sequence === 5 ? 'malformed' : null), refuseAs: 'invalid' });
    const peers = { all, inAck, invalid };
    const sent = Object.fromEntries(Object.entries(peers).map(([id, p]) => [id, peerUploader(l.db, l.link, { terminalId: id, url: p.url, key: p.key }, { batchSize: 3 })]));
    for (const s of Object.values(sent)) await s.uploader.drain();

    expect(sent.all!.feed.refused()).toEqual([]);
    expect(sent.inAck!.feed.refused()).toEqual([{ sequence: 2, reason: 'chain does not follow', at: expect.any(String) }]);
    expect(sent.invalid!.feed.refused()).toEqual([{ sequence: 5, reason: 'sale 5: malformed', at: expect.any(String) }]);
    expect(sorted(all.held)).toEqual(range(1, 6));
    expect(sorted(inAck.held)).toEqual([1, 3, 4, 5, 6]);
    expect(sorted(invalid.held)).toEqual([1, 2, 3, 4, 6]);
    for (const s of Object.values(sent)) expect(s.feed.ackedThrough()).toBe(6);
    expect(sent.inAck!.uploader.status()).toMatchObject({ quarantined: 1, backlog: 0 });
    expect(sent.invalid!.uploader.status()).toMatchObject({ quarantined: 1, backlog: 0 });
    // HQ's outbox is untouched by a peer's refusal: nothing quarantined, all six still to send, and HQ takes them.
    expect(count(l.db, 'outbox_quarantine')).toBe(0);
    const toHq = new Uploader(l.db, l.link);
    expect(toHq.status()).toMatchObject({ backlog: 6, ackedThrough: 0, quarantined: 0 });
    await toHq.drain();
    expect(toHq.status()).toMatchObject({ backlog: 0, ackedThrough: 6, quarantined: 0 });
    for (const p of Object.values(peers)) await p.close();
    l.db.close();
  }, 60_000);

  it('the receiver’s signature check is real: a request signed with another key is refused and nothing is recorded as sent', async () => {
    const l = await enrolledLane('forged');
    sell(l, 2);
    const peer = await listenSalesReceiver({ keys: l.keys });
    const forged: HqLink = { ...l.link, privateKey: generateKeyPairSync('ed25519').privateKey };
    const { uploader, feed } = peerUploader(l.db, forged, { terminalId: 'peer-a', url: peer.url, key: peer.key });
    const err: unknown = await uploader.drain().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HqRequestError);
    expect(err).toMatchObject({ status: 401, code: 'BAD_SIGNATURE' });
    expect(peer.unsigned).toEqual(['BAD_SIGNATURE']);
    expect(peer.held.size).toBe(0);
    expect(feed.state()).toMatchObject({ ackedThrough: 0, lastSuccess: null, lastError: expect.stringMatching(/^BAD_SIGNATURE/) });
    // The terminal's own key gets through.
    await peerUploader(l.db, l.link, { terminalId: 'peer-a', url: peer.url, key: peer.key }).uploader.drain();
    expect(sorted(peer.held)).toEqual([1, 2]);
    await peer.close();
    l.db.close();
  }, 60_000);
});
