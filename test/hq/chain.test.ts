/**
 * HQ checks what it stores (issue 18, 4 and 5), on both backends: sales that are not entries of
 * the terminal's own signed, unbroken journal chain — content altered on the way, entries signed
 * with another key or not at all, a hole in the chain, a journal that went back and was sold on
 * again — are quarantined with the reason and flagged on the fleet page, never stored; HQ keeps the
 * head of each terminal's chain, and the journal verifier holding that anchor reports a journal
 * whose tail was cut off (which every verifier without it passes).
 */
import { execFile } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync, sign } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { openDatabase, type Db } from '../../core/db';
import { entryHash, Journal } from '../../core/journal';
import { loadOrCreateTerminalSigner } from '../../core/journal/signer';
import { Catalog } from '../../core/catalog/repo';
import { LaneService } from '../../core/lane/host';
import { PROFILES } from '../../core/profile';
import { testClock } from '../helpers/clock';
import { enroll, loadHqLink, signedPost, type HqLink } from '../../core/sync/link';
import { ChainReader } from '../../core/sync/chain';
import { OUTBOX_BATCH_SQL, type OutboxRow } from '../../core/sync/repo';
import { Uploader } from '../../core/sync/uploader';
import { migrate, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import type { ChainLink, SaleUpload } from '../../protocol/hq';
import { keyIdOfSpki } from '../../protocol/journal-chain';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { hqBackends, listenHq } from '../helpers/hq-backends';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const ADMIN = 'admin-token-for-chain-tests-0123456789';
const tmp = tempDir('kassa-hq-chain-');
afterAll(() => tmp.cleanup());

/** `n` cash sales on a lane (signed in with the till open, again if it was before). */
function sell(db: Db, n: number): void {
  const open = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM till_session WHERE closed_at IS NULL').get()!.n > 0;
  const s = open ? new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Testbutiken', laneId: '1' }, { now: testClock(), journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db) }) }) : openDemoLane(db);
  for (let i = 0; i < n; i++) {
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
  }
  s.dispose();
}

/** The batch the uploader would send for outbox rows after `after` (as protocol objects, to alter). */
function batchOf(db: Db, after: number, limit = 100): { sales: SaleUpload[]; links: ChainLink[] } {
  const rows = db.prepare<[number, number], OutboxRow>(OUTBOX_BATCH_SQL).all(after, limit);
  const { entries, links } = new ChainReader(db).piece(rows);
  const sales = rows.map((r): SaleUpload => ({ sequence: r.sequence, saleId: r.sale_id, kind: 'sale', businessDate: r.business_date, total: r.total, createdAt: r.created_at, body: r.payload, entry: entries.get(r.sequence) }));
  return { sales, links };
}

describe.each(hqBackends(tmp.dir))('HQ on $name checks the journal chain', (backend) => {
  let sql: Sql;
  let store: HqStore;
  let url: string;
  let close: () => Promise<void>;

  const adminFetch = async (path: string, body?: unknown) =>
    (await fetch(`${url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<
      Record<string, unknown>
    >;
  const enrolledLane = async (name: string, n: number): Promise<{ db: Db; link: HqLink; path: string }> => {
    const path = join(tmp.dir, `${backend.name}-${name}.db`);
    const db = demoDb(tmp.dir, `${backend.name}-${name}.db`);
    sell(db, n);
    const { token } = await adminFetch('/v1/admin/enrollment-tokens', { storeId: 'store-c', laneId: name });
    await enroll(db, url, token as string, '0.1.0-test');
    return { db, link: loadHqLink(db)!, path };
  };
  const post = (link: HqLink, b: { sales: SaleUpload[]; links: ChainLink[] }) =>
    signedPost(link, '/v1/sales', { clock: new Date().toISOString(), backlog: { count: 0, oldestAt: null }, ...b }) as Promise<{ ackedThrough: number; accepted: number; rejected: Array<{ sequence: number; reason: string }> }>;
  const stored = async (link: HqLink) => Number((await sql.query<{ n: number }>('SELECT count(*) AS n FROM sale WHERE terminal_id = $1', [link.terminalId]))[0]!.n);
  const fleetRow = async (link: HqLink) =>
    ((await adminFetch('/v1/fleet')) as { terminals: Array<{ terminal_id: string; problems: Array<{ code: string; text: string }> }> }).terminals.find((t) => t.terminal_id === link.terminalId)!;

  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql);
    ({ url, close } = await listenHq({ store, adminToken: ADMIN }));
  });
  afterAll(async () => {
    await close();
    await sql.close();
    await backend.cleanup();
  });

  it('altered, re-signed, unsigned or holed pieces are quarantined whole, with the reason', async () => {
    const { db, link } = await enrolledLane('forged', 3);
    const genuine = batchOf(db, 0);
    const cases: Array<[string, (b: { sales: SaleUpload[]; links: ChainLink[] }) => void, RegExp]> = [
      // The body changed on the way (the request itself is signed with the terminal's HQ key: whoever holds that key alone).
      ['altered', (b) => (b.sales[1]!.body = b.sales[1]!.body.replace(/"total":(\d+)/, '"total":1')), /^journal entry \d+ does not hash to what the terminal sent \(altered content\)$/],
      // Hashes made again over the altered content and signed with another key.
      [
        're-signed',
        (b) => {
          const { privateKey, publicKey } = generateKeyPairSync('ed25519');
          const keyId = keyIdOfSpki(publicKey.export({ format: 'der', type: 'spki' }));
          const all = [...b.links, ...b.sales.map((s) => s.entry!)].sort((x, y) => x.seq - y.seq);
          let prev = all[0]!.prevHash;
          for (const e of all) {
            const body = 'body' in e ? (e as ChainLink).body : b.sales.find((s) => s.entry === e)!.body;
            e.prevHash = prev;
            e.hash = entryHash(prev, { ...e, body });
            e.signature = sign(null, Buffer.from(e.hash, 'hex'), privateKey).toString('base64');
            e.keyId = keyId;
            prev = e.hash;
          }
        },
        /^journal entry \d+ is signed with key [0-9a-f]{16}, not the terminal's enrolled key [0-9a-f]{16}$/,
      ],
      ['bad signature', (b) => (b.sales[2]!.entry!.signature = Buffer.alloc(64, 7).toString('base64')), /^journal entry \d+'s signature does not verify with the terminal's enrolled key$/],
      ['unsigned', (b) => (b.sales[1]!.entry!.signature = null), /^journal entry \d+ is not signed, outside a signer outage$/],
      ['holed', (b) => b.links.splice(b.links.length - 1, 1), /^journal entry \d+ is missing between the batch's entries \(a gap in the chain\)$/],
    ];
    for (const [name, alter, reason] of cases) {
      const b = structuredClone(genuine);
      alter(b);
      const ack = await post(link, b);
      expect(ack.accepted, name).toBe(0);
      expect(ack.rejected.map((r) => r.sequence), name).toEqual([1, 2, 3]);
      for (const r of ack.rejected) expect(r.reason, name).toMatch(reason);
      expect(await stored(link), name).toBe(0);
    }
    // Quarantined once, with the first refusal's reason; the terminal is flagged with the last problem.
    const t = await store.terminal(link.terminalId);
    expect(t).toMatchObject({ sales_count: 0, rejected_count: 3, chain_alert: expect.stringMatching(/a gap in the chain/), chain_seq: 0 });
    const kept = await sql.query<{ sequence: number; reason: string; body: string }>('SELECT sequence, reason, body FROM rejected_sale WHERE terminal_id = $1 ORDER BY sequence', [link.terminalId]);
    expect(kept.map((k) => [k.sequence, k.reason, k.body === genuine.sales[k.sequence - 1]!.body])).toEqual([
      [1, expect.stringMatching(/altered content/), true],
      [2, expect.stringMatching(/altered content/), false], // kept as it arrived
      [3, expect.stringMatching(/altered content/), true],
    ]);
    const row = await fleetRow(link);
    expect(row.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['journal', 'quarantined']));
    expect(row.problems.find((p) => p.code === 'journal')!.text).toMatch(/^journal chain: journal entry \d+ is missing between the batch's entries/);
    db.close();
  });

  it('a genuine lane drains with its chain checked; its head is HQ’s anchor, and a journal cut off after it fails the verifier that holds it', async () => {
    const { db, link, path } = await enrolledLane('anchor', 5);
    const up = new Uploader(db, link, { batchSize: 2 });
    await up.drain();
    expect(up.status()).toMatchObject({ backlog: 0, quarantined: 0 });
    expect(await stored(link)).toBe(5);
    const last = db.prepare<[], { seq: number; hash: string }>('SELECT j.seq, j.hash FROM sale s JOIN journal j ON j.seq = s.journal_seq ORDER BY s.sequence DESC LIMIT 1').get()!;
    const anchor = await adminFetch(`/v1/admin/terminals/${link.terminalId}/anchor`);
    expect(anchor).toMatchObject({ terminalId: link.terminalId, seq: last.seq, hash: last.hash, alert: null });
    db.close();

    // The last two sales are removed from journal, sale and outbox together: the chain left is whole.
    const cut = join(tmp.dir, `${backend.name}-cut.db`);
    copyFileSync(path, cut);
    const c = openDatabase(cut);
    const from = c.prepare<[], { seq: number }>('SELECT journal_seq AS seq FROM sale WHERE sequence = 4').get()!.seq;
    c.exec('PRAGMA foreign_keys = OFF');
    for (const trg of c.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'journal'").all()) c.exec(`DROP TRIGGER ${trg.name}`);
    c.prepare('DELETE FROM journal WHERE seq >= ?').run(from);
    c.exec('DELETE FROM sale WHERE sequence >= 4; DELETE FROM outbox WHERE sequence >= 4;');
    c.close();
    const verify = (file: string, ...args: string[]) =>
      promisify(execFile)('npx', ['tsx', join(__dirname, '../../scripts/journal-verify.ts'), file, ...args], { cwd: join(__dirname, '../..') }).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, out: e.stdout }),
      );
    expect(await verify(cut)).toMatchObject({ code: 0, out: expect.stringMatching(/^OK: /) });
    const truncated = await verify(cut, '--anchor', `${last.seq}:${last.hash}`);
    expect(truncated.code).toBe(1);
    expect(truncated.out).toMatch(new RegExp(`^TRUNCATED: the journal ends at entry ${from - 1}, but entry ${last.seq}:${last.hash.slice(0, 16)}… was anchored outside the till: entries ${from}–${last.seq} are missing`));
    // The same from HQ's record, with the staff token in a file.
    const tokenFile = join(tmp.dir, 'staff-token');
    writeFileSync(tokenFile, `${ADMIN}\n`);
    expect(await verify(cut, '--hq', url, '--hq-token-file', tokenFile)).toMatchObject({ code: 1, out: expect.stringMatching(/^TRUNCATED: /) });
    // The untouched journal holds the anchor; a rewritten one (another hash at that entry) does not.
    expect(await verify(path, '--anchor', `${last.seq}:${last.hash}`)).toMatchObject({ code: 0, out: expect.stringMatching(/^OK: .*; holds the anchored entry /) });
    expect(await verify(path, '--anchor', `${last.seq}:${'0'.repeat(64)}`)).toMatchObject({ code: 1, out: expect.stringMatching(new RegExp(`^FORKED: entry ${last.seq} is not the anchored one`)) });
  }, 120_000);

  it('a journal that went back (restored from a copy) and sold on is refused as a fork and flagged', async () => {
    const { db, link, path } = await enrolledLane('fork', 2);
    db.close();
    const copy = join(tmp.dir, `${backend.name}-fork-copy.db`);
    copyFileSync(path, copy);
    // The lane sells one more and reaches HQ.
    const a = openDatabase(path);
    sell(a, 1);
    await new Uploader(a, link).drain();
    expect(await stored(link)).toBe(3);
    const headBefore = await store.terminal(link.terminalId);
    a.close();
    // The copy (its journal two sales back) is put in place and sells two others: sequence 3 again, then 4.
    const b = openDatabase(copy);
    sell(b, 2);
    const up = new Uploader(b, link);
    await up.drain();
    expect(up.status()).toMatchObject({ backlog: 0, quarantined: 2 });
    const reasons = b.prepare<[], { sequence: number; reason: string }>('SELECT sequence, reason FROM outbox_quarantine ORDER BY sequence').all();
    expect(reasons[0]).toEqual({ sequence: 3, reason: expect.stringMatching(/^sequence 3 already holds sale /) });
    expect(reasons[1]).toEqual({ sequence: 4, reason: expect.stringMatching(/^the journal chain forks at sale 3: HQ holds entry \d+ \([0-9a-f]{12}…\), the terminal now sends entry \d+/) });
    expect(await stored(link)).toBe(3);
    const t = await store.terminal(link.terminalId);
    expect(t).toMatchObject({ chain_seq: headBefore!.chain_seq, chain_hash: headBefore!.chain_hash, chain_alert: expect.stringMatching(/forks|went back/) });
    expect((await fleetRow(link)).problems.map((p) => p.code)).toContain('journal');
    b.close();
  });

  it('batches landing out of order: a later piece that does not follow the earlier one is flagged when the earlier one comes', async () => {
    const { db, link, path } = await enrolledLane('order', 0);
    db.close();
    const copy = join(tmp.dir, `${backend.name}-order-copy.db`);
    copyFileSync(path, copy);
    const a = openDatabase(path);
    sell(a, 2);
    const b = openDatabase(copy);
    sell(b, 1);
    // Sale 2 of the lane arrives first (its join with sale 1 waits), then a different sale 1 (the copy's): the join does not hold.
    expect((await post(link, batchOf(a, 1))).rejected).toEqual([]);
    expect((await post(link, batchOf(b, 0))).rejected).toEqual([]);
    expect(await store.terminal(link.terminalId)).toMatchObject({ chain_alert: expect.stringMatching(/^the journal chain forks: sale 2, received earlier, does not continue from sale 1/) });
    a.close();
    b.close();
  });
  it('a store peer may send a till’s sales on its behalf: checked against that till’s own chain, its own contact untouched; no other store’s till may', async () => {
    const origin = await enrolledLane('lost', 3);
    const peer = await enrolledLane('peer', 0);
    const before = (await store.terminal(origin.link.terminalId))!;
    const relay = (link: HqLink, b: { sales: SaleUpload[]; links: ChainLink[] }) =>
      signedPost(link, `/v1/peers/${origin.link.terminalId}/sales`, { clock: new Date().toISOString(), backlog: { count: 0, oldestAt: null }, ...b }) as Promise<{ ackedThrough: number; accepted: number; duplicates: number; rejected: unknown[] }>;
    // Altered on the way by the peer: refused to the peer alone — nothing written against the till
    // (no quarantined sale, no alert, no acknowledgement moved) that could stop the honest peers speaking for it.
    const altered = batchOf(origin.db, 0);
    altered.sales[0]!.body = altered.sales[0]!.body.replace(/"total":(\d+)/, '"total":1');
    await expect(relay(peer.link, altered)).rejects.toMatchObject({ status: 422, code: 'RELAY_REFUSED' });
    expect(await stored(origin.link)).toBe(0);
    expect(await store.terminal(origin.link.terminalId)).toMatchObject({ acked_through: before.acked_through, chain_alert: null, rejected_count: before.rejected_count });
    // Genuine: stored once, however often it is sent, and said who sent it.
    expect(await relay(peer.link, batchOf(origin.db, 0))).toMatchObject({ ackedThrough: 3, accepted: 3 });
    expect(await relay(peer.link, batchOf(origin.db, 0))).toMatchObject({ ackedThrough: 3, accepted: 0, duplicates: 3 });
    const after = (await store.terminal(origin.link.terminalId))!;
    expect(after.relayed_by).toBe(peer.link.terminalId);
    expect([after.last_contact, after.last_clock]).toEqual([before.last_contact, before.last_clock]);
    expect((await fleetRow(origin.link)).problems).toContainEqual({ code: 'relayed', text: expect.stringMatching(new RegExp(`^its sales were sent by store peer ${peer.link.terminalId} \\d+ s ago: the till has not sent them itself$`)) });
    // The till itself, back: its own batch is answered as duplicates.
    expect(await post(origin.link, batchOf(origin.db, 0))).toMatchObject({ ackedThrough: 3, accepted: 0 });
    expect(await stored(origin.link)).toBe(3);
    // A till of another store, or a till for itself, may not.
    const { token } = await adminFetch('/v1/admin/enrollment-tokens', { storeId: 'store-other', laneId: '9' });
    const strangerDb = demoDb(tmp.dir, `${backend.name}-stranger.db`);
    await enroll(strangerDb, url, token as string, '0.1.0-test');
    await expect(relay(loadHqLink(strangerDb)!, batchOf(origin.db, 0))).rejects.toMatchObject({ status: 403, code: 'NOT_A_PEER' });
    await expect(relay(origin.link, batchOf(origin.db, 0))).rejects.toMatchObject({ status: 403, code: 'NOT_A_PEER' });
  });
});
