/**
 * HQ and replication, the same suite against embedded SQLite and a real PostgreSQL: enrollment with
 * one-time tokens, signed uploads drained from a real lane's outbox exactly once, contiguous
 * acknowledgement with gaps reported, quarantine of rows HQ refuses, HQ restarting mid-way, and
 * malformed or forged requests refused with 4xx and nothing stored.
 */
import { createHash, randomBytes, sign } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import type { Db } from '../../core/db';
import { enroll, loadHqLink, signedPost, type HqLink } from '../../core/sync/link';
import { Uploader } from '../../core/sync/uploader';
import { OUTBOX_BATCH_SQL, type OutboxRow } from '../../core/sync/repo';
import { ChainReader } from '../../core/sync/chain';
import { migrate, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { buildHqServer } from '../../hq/server';
import { SIGNATURE_HEADERS, signingString } from '../../protocol/hq';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { hqBackends } from '../helpers/hq-backends';
import { MONDAY } from '../helpers/clock';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const ADMIN = 'admin-token-for-tests-0123456789';

const tmp = tempDir('kassa-hq-');
afterAll(() => tmp.cleanup());
const backends = hqBackends(tmp.dir);

describe.each(backends)('HQ on $name', (backend) => {
  let sql: Sql;
  let store: HqStore;
  let url: string;
  let port = 0;
  let close: () => Promise<void>;
  const lanes = tempDir('kassa-hq-lanes-');

  const startHq = async () => {
    const app = await buildHqServer({ store, adminToken: ADMIN, bodyLimit: 256 * 1024 });
    await app.listen({ port, host: '127.0.0.1' });
    port = (app.server.address() as { port: number }).port;
    url = `http://127.0.0.1:${port}`;
    close = () => app.close();
  };
  const adminPost = async (path: string, body: unknown) =>
    (await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` }, body: JSON.stringify(body) })).json() as Promise<Record<string, string>>;
  const count = async (table: string) => Number((await sql.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  /** A lane with `n` completed cash sales, enrolled at HQ. */
  const enrolledLane = async (name: string, n: number): Promise<{ db: Db; link: HqLink }> => {
    const db = demoDb(lanes.dir, `${name}.db`);
    const s = openDemoLane(db);
    for (let i = 0; i < n; i++) {
      run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
      run(s, { cmd: 'tenderCash' });
      run(s, { cmd: 'complete' });
    }
    s.dispose();
    const { token } = await adminPost('/v1/admin/enrollment-tokens', { storeId: 'store-7', laneId: name });
    await enroll(db, url, token!, '0.1.0-test');
    return { db, link: loadHqLink(db)! };
  };

  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql);
    await startHq();
  });
  afterAll(async () => {
    await close();
    await sql.close();
    await backend.cleanup();
    lanes.cleanup();
  });

  it('enrolls with a one-time token; a used, unknown or expired token is refused', async () => {
    const { token } = await adminPost('/v1/admin/enrollment-tokens', { storeId: 'store-1', laneId: '1' });
    const db = demoDb(lanes.dir, 'enroll.db');
    const r = await enroll(db, url, token!, '0.1.0');
    expect(r).toMatchObject({ storeId: 'store-1', laneId: '1', terminalId: expect.stringMatching(/^T-/) });
    await expect(enroll(db, url, token!, '0.1.0')).rejects.toMatchObject({ status: 403, message: 'this enrollment token was already used' });
    await expect(enroll(db, url, 'x'.repeat(32), '0.1.0')).rejects.toMatchObject({ status: 403, message: 'unknown enrollment token' });
    const expired = await store.createEnrollmentToken('store-1', '2', -1);
    await expect(enroll(db, url, expired, '0.1.0')).rejects.toMatchObject({ message: 'this enrollment token has expired' });
    expect((await fetch(`${url}/v1/fleet`)).status).toBe(401);
    db.close();
  });

  it('drains a lane’s outbox exactly once; sending again changes nothing', async () => {
    const { db, link } = await enrolledLane('drain', 25);
    const outboxBefore = db.prepare('SELECT * FROM outbox ORDER BY sequence').all() as Array<Record<string, unknown>>;
    const up = new Uploader(db, link, { batchSize: 10 });
    await up.drain();
    // What HQ acknowledged is compacted on the lane (the sales stay).
    expect(db.prepare('SELECT (SELECT count(*) FROM outbox) AS outbox, (SELECT count(*) FROM sale) AS sales').get()).toEqual({ outbox: 0, sales: 25 });
    expect(up.status()).toMatchObject({ online: true, backlog: 0, quarantined: 0 });
    const t = await store.terminal(link.terminalId);
    expect(t).toMatchObject({ acked_through: 25, max_sequence: 25, backlog_count: 0 });
    const [{ n }] = (await sql.query<{ n: number }>('SELECT count(*) AS n FROM sale WHERE terminal_id = $1', [link.terminalId])) as [{ n: number }];
    expect(Number(n)).toBe(25);
    // The same rows once more (a terminal that lost HQ's answer, so neither recorded the ack nor
    // compacted): all duplicates, nothing new.
    const put = db.prepare('INSERT INTO outbox (sequence, sale_id, kind, payload, created_at) VALUES (@sequence, @sale_id, @kind, @payload, @created_at)');
    for (const row of outboxBefore) put.run(row);
    db.prepare('UPDATE sync_state SET acked_through = 0').run();
    await up.drain();
    const [{ m }] = (await sql.query<{ m: number }>('SELECT count(*) AS m FROM sale WHERE terminal_id = $1', [link.terminalId])) as [{ m: number }];
    expect(Number(m)).toBe(25);
    // The fleet page's count is HQ's own counter, kept by ingest: duplicates do not add to it.
    const fleet = (await (await fetch(`${url}/v1/fleet`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { terminals: Array<{ terminal_id: string; sales: number; rejected: number }> };
    expect(fleet.terminals.find((x) => x.terminal_id === link.terminalId)).toMatchObject({ sales: 25, rejected: 0 });
    const laneTotal = db.prepare<[], { t: number }>('SELECT sum(total) AS t FROM sale').get()!.t;
    const [{ h }] = (await sql.query<{ h: number }>('SELECT sum(total) AS h FROM sale WHERE terminal_id = $1', [link.terminalId])) as [{ h: number }];
    expect(Number(h)).toBe(laneTotal);
    db.close();
  });

  it('two batches in flight may land in either order: every sale once, the backlog ends at zero', async () => {
    const { db, link } = await enrolledLane('reorder', 30);
    let n = 0;
    // The first request of each pair is held back until the second one has been answered
    // (or a moment has passed, when there is no second one).
    let release: (() => void) | null = null;
    let reordered = 0;
    const fetchFn: typeof fetch = async (input, init) => {
      const mine = n++;
      if (mine % 2 === 0) {
        const second = await new Promise<boolean>((r) => {
          release = () => r(true);
          setTimeout(() => r(false), 300);
        });
        if (second) reordered++;
        return fetch(input, init);
      }
      const res = await fetch(input, init);
      const r = release as (() => void) | null;
      release = null;
      r?.();
      return res;
    };
    const up = new Uploader(db, link, { batchSize: 10, fetchFn });
    await up.drain();
    expect(reordered).toBeGreaterThanOrEqual(1);
    expect(up.status()).toMatchObject({ backlog: 0, quarantined: 0 });
    expect(await store.terminal(link.terminalId)).toMatchObject({ acked_through: 30, max_sequence: 30, backlog_count: 0 });
    const [{ c, d }] = (await sql.query<{ c: number; d: number }>('SELECT count(*) AS c, count(DISTINCT sale_id) AS d FROM sale WHERE terminal_id = $1', [link.terminalId])) as [{ c: number; d: number }];
    expect([Number(c), Number(d)]).toEqual([30, 30]);
    db.close();
  });

  it('a check-in counted before the last batch landed does not bring the backlog back', async () => {
    const { db, link } = await enrolledLane('checkin-race', 12);
    const up = new Uploader(db, link, { batchSize: 12 });
    // The check-in's report is made while nothing is acknowledged yet: 12 waiting.
    const stale = up.status();
    expect(stale).toMatchObject({ backlog: 12, ackedThrough: 0 });
    await up.drain();
    expect(await store.terminal(link.terminalId)).toMatchObject({ acked_through: 12, backlog_count: 0 });
    // It reaches HQ after the batch did: HQ recounts against what it has acknowledged since.
    const report = { count: stale.backlog, oldestAt: stale.oldestUnsentAt, ackedThrough: stale.ackedThrough };
    const checkin = { clock: new Date(MONDAY).toISOString(), softwareVersion: '0.1.0-test', catalog: { version: 0, expiresAt: null }, devices: [], alerts: [] };
    await store.checkin(link.terminalId, { ...checkin, backlog: report });
    expect(await store.terminal(link.terminalId)).toMatchObject({ backlog_count: 0, backlog_oldest: null });
    // Two more sales counted after the acknowledgement are two waiting.
    await store.checkin(link.terminalId, { ...checkin, backlog: { count: 2, oldestAt: stale.oldestUnsentAt, ackedThrough: 12 } });
    expect(await store.terminal(link.terminalId)).toMatchObject({ backlog_count: 2, backlog_oldest: stale.oldestUnsentAt });
    // A terminal too old to say what it counted against is taken at its word.
    await store.checkin(link.terminalId, { ...checkin, backlog: { count: 5, oldestAt: null } });
    expect(await store.terminal(link.terminalId)).toMatchObject({ backlog_count: 5 });
    db.close();
  });

  it('acknowledges the highest contiguous sequence and reports gaps until they are filled', async () => {
    const { db, link } = await enrolledLane('gaps', 4);
    // Sequence 3 gets lost on the way: HQ receives 1 and 2, then 4 (each batch with its piece of the journal chain).
    const rows = db.prepare<[number, number], OutboxRow>(OUTBOX_BATCH_SQL).all(0, 1000);
    expect(rows.map((r) => r.sequence)).toEqual([1, 2, 3, 4]);
    const reader = new ChainReader(db);
    const upload = async (batch: OutboxRow[]) => {
      const { entries, links } = reader.piece(batch);
      const sales = batch.map((r) => ({ sequence: r.sequence, saleId: r.sale_id, kind: 'sale' as const, businessDate: r.business_date, total: r.total, createdAt: r.created_at, body: r.payload, entry: entries.get(r.sequence) }));
      return (await signedPost(link, '/v1/sales', { clock: new Date().toISOString(), backlog: { count: 1, oldestAt: null }, sales, links })) as { ackedThrough: number; gaps: unknown; rejected: unknown[] };
    };
    expect(await upload(rows.slice(0, 2))).toMatchObject({ ackedThrough: 2, gaps: [], rejected: [] });
    // 4 arrives before 3: stored (its join with 3 is checked when 3 comes), the gap reported.
    expect(await upload(rows.slice(3))).toMatchObject({ ackedThrough: 2, gaps: [{ from: 3, to: 3 }], rejected: [] });
    const t1 = await store.terminal(link.terminalId);
    expect(t1).toMatchObject({ acked_through: 2, max_sequence: 4 });
    const fleet = (await (await fetch(`${url}/v1/fleet`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as { terminals: Array<{ terminal_id: string; gaps: number }> };
    expect(fleet.terminals.find((x) => x.terminal_id === link.terminalId)!.gaps).toBe(1);
    // The terminal sends from its own acknowledgement: 3 arrives, the gap closes.
    const up = new Uploader(db, link, { batchSize: 10 });
    await up.drain();
    expect(await store.terminal(link.terminalId)).toMatchObject({ acked_through: 4, rejected_count: 0, chain_alert: null });
    expect(up.status()).toMatchObject({ backlog: 0, quarantined: 0 });
    db.close();
  });

  it('keeps selling while HQ is down; after HQ restarts the backlog drains', async () => {
    const { db, link } = await enrolledLane('restart', 5);
    await close();
    const up = new Uploader(db, link, { batchSize: 2 });
    await expect(up.sendBatch()).rejects.toMatchObject({ code: 'NETWORK' });
    expect(up.status()).toMatchObject({ online: false, backlog: 5 });
    await startHq(); // same port, same storage
    await up.drain();
    expect(up.status()).toMatchObject({ online: true, backlog: 0 });
    expect(await store.terminal(link.terminalId)).toMatchObject({ acked_through: 5 });
    db.close();
  });

  it('a row HQ refuses for good is quarantined with the reason and does not block the queue', async () => {
    const { db, link } = await enrolledLane('quarantine', 3);
    // Sequence 2 claims a sale id HQ already has from another terminal (its journal entry says otherwise).
    const [other] = await sql.query<{ sale_id: string }>('SELECT sale_id FROM sale_seq LIMIT 1');
    db.pragma('foreign_keys = OFF');
    db.prepare('UPDATE sale SET sale_id = ? WHERE sequence = 2').run(other!.sale_id);
    db.prepare('UPDATE outbox SET sale_id = ? WHERE sequence = 2').run(other!.sale_id);
    db.pragma('foreign_keys = ON');
    const up = new Uploader(db, link, { batchSize: 10 });
    await up.drain();
    expect(up.status()).toMatchObject({ backlog: 0, quarantined: 1 });
    expect(db.prepare('SELECT sequence, reason FROM outbox_quarantine').all()).toEqual([{ sequence: 2, reason: expect.stringMatching(/^journal entry \d+ is sale.completed .*, not the sale .* it was sent as$/) }]);
    expect(await store.terminal(link.terminalId)).toMatchObject({ acked_through: 3, sales_count: 2, rejected_count: 1, chain_alert: expect.stringMatching(/not the sale/) });
    // HQ keeps what it refused, as it arrived, with the reason.
    expect(await sql.query('SELECT sequence, sale_id, reason FROM rejected_sale WHERE terminal_id = $1', [link.terminalId])).toEqual([{ sequence: 2, sale_id: other!.sale_id, reason: expect.stringMatching(/not the sale/) }]);
    db.close();
  });

  it('malformed, oversized, unsigned, forged, replayed and revoked requests: 4xx with a reason, nothing stored', async () => {
    const { db, link } = await enrolledLane('bad', 1);
    const before = await count('sale');
    const post = (body: string, headers: Record<string, string>) => fetch(`${url}/v1/sales`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const signedHeaders = (body: string, over: Partial<Record<string, string>> = {}) => {
      const time = new Date().toISOString();
      const nonce = randomBytes(18).toString('base64url');
      const sig = sign(null, Buffer.from(signingString('POST', '/v1/sales', time, nonce, createHash('sha256').update(body).digest('hex'))), link.privateKey).toString('base64url');
      return { [SIGNATURE_HEADERS.terminal]: link.terminalId, [SIGNATURE_HEADERS.time]: time, [SIGNATURE_HEADERS.nonce]: nonce, [SIGNATURE_HEADERS.signature]: sig, ...over } as Record<string, string>;
    };
    const expectError = async (res: Response, status: number, error: string) => {
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error, message: expect.any(String) });
    };
    await expectError(await post('{"clock":', signedHeaders('{"clock":')), 400, 'BAD_JSON');
    const big = JSON.stringify({ pad: 'x'.repeat(300 * 1024) });
    await expectError(await post(big, signedHeaders(big)), 413, 'BODY_TOO_LARGE');
    const wrong = JSON.stringify({ clock: 5, backlog: { count: 0, oldestAt: null }, sales: [] });
    await expectError(await post(wrong, signedHeaders(wrong)), 400, 'INVALID');
    const ok = JSON.stringify({ clock: new Date().toISOString(), backlog: { count: 0, oldestAt: null }, sales: [{ sequence: 9, saleId: 'forged-1', kind: 'sale', businessDate: '2026-11-25', total: 100, createdAt: '2026-11-25T10:00:00Z', body: '{}' }] });
    await expectError(await post(ok, {}), 401, 'UNSIGNED');
    const h = signedHeaders(ok);
    await expectError(await post(ok.replace('"total":100', '"total":999'), h), 401, 'BAD_SIGNATURE'); // body changed after signing
    const genuine = await post(ok, h); // a genuine request, but its sale is no entry of the terminal's journal: quarantined
    expect(genuine.status).toBe(200);
    expect(await genuine.json()).toMatchObject({ accepted: 0, rejected: [{ sequence: 9, reason: 'sale 9 came without its journal entry' }] });
    await expectError(await post(ok, h), 401, 'REPLAYED'); // the same request again
    await expectError(await post(ok, signedHeaders(ok, { [SIGNATURE_HEADERS.terminal]: 'T-nobody' })), 401, 'UNKNOWN_TERMINAL');
    await expectError(await post(ok, signedHeaders(ok, { [SIGNATURE_HEADERS.time]: '2020-01-01T00:00:00Z' })), 401, 'STALE_REQUEST');
    expect(await count('sale')).toBe(before); // nothing stored
    expect((await adminPost(`/v1/admin/terminals/${link.terminalId}/revoke`, {})).revoked).toBe(link.terminalId);
    await expectError(await post(ok, signedHeaders(ok)), 403, 'REVOKED');
    db.close();
  });
});
