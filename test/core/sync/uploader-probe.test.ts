/**
 * After a long outage the uploader does not wait out its backoff: while HQ cannot be reached it
 * probes HQ cheaply (GET /v1/health) every `probeMs`, sends no batch into the dead link, and the
 * first probe HQ answers starts the drain. The backoff in the first test is an hour — as far as it
 * ever grows and beyond — so a backlog that drains at all drained because a probe saw HQ come back. A real HQ
 * (Fastify, SQLite) on loopback, stopped and started again on the same port; and a link that
 * swallows every packet (the fault proxy's blackhole), where requests hang until their timeout.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import type { Db } from '../../../core/db';
import { enroll, loadHqLink } from '../../../core/sync/link';
import { Uploader } from '../../../core/sync/uploader';
import { migrate, sqliteSql, type Sql } from '../../../hq/sql';
import { HqStore } from '../../../hq/store';
import { listenHq } from '../../helpers/hq-backends';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { FaultProxy } from '../../helpers/fault-proxy';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-uploader-probe-');
afterAll(() => tmp.cleanup());
const HOUR = 3_600_000;
const SALES = 25;

/** HQ on SQLite that can be stopped and started again on the same port. */
async function hq(name: string): Promise<{ sql: Sql; store: HqStore; port: number; start: () => Promise<void>; stop: () => Promise<void> }> {
  const sql = sqliteSql(join(tmp.dir, `${name}-hq.db`));
  await migrate(sql, join(__dirname, '../../../migrations/hq'));
  const store = new HqStore(sql);
  let close = async () => {};
  const h = {
    sql,
    store,
    port: 0,
    start: async () => {
      const app = await listenHq({ store, adminToken: 'probe-staff-token-0123456789' }, h.port);
      h.port = app.port;
      close = app.close;
    },
    stop: () => close(),
  };
  await h.start();
  return h;
}

/** A lane enrolled at `url` with SALES sales in its outbox. */
async function lane(name: string, url: string, store: HqStore): Promise<Db> {
  const db = demoDb(tmp.dir, `${name}-lane.db`);
  await enroll(db, url, await store.createEnrollmentToken('store-1', name), '0.1.0');
  const s = openDemoLane(db);
  for (let i = 0; i < SALES; i++) {
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
  }
  return db;
}

/** fetch, counting the probes and the batches that went out. */
function counting(): { fetchFn: typeof fetch; probes: number; batches: number } {
  const c = {
    probes: 0,
    batches: 0,
    fetchFn: ((input: string | URL | Request, init?: RequestInit) => {
      const path = new URL(input instanceof Request ? input.url : input).pathname;
      if (path === '/v1/health') c.probes++;
      if (path === '/v1/sales') c.batches++;
      return fetch(input, init);
    }) as typeof fetch,
  };
  return c;
}

async function heldAtHq(sql: Sql): Promise<{ n: number; d: number }> {
  const [r] = await sql.query<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT sale_id) AS d FROM sale');
  return { n: Number(r!.n), d: Number(r!.d) };
}

describe('the uploader after a long outage', () => {
  it('starts draining when HQ is back (a probe sees it), not when the long backoff ends', async () => {
    const h = await hq('restart');
    const db = await lane('restart', `http://127.0.0.1:${h.port}`, h.store);
    await h.stop();
    const c = counting();
    const up = new Uploader(db, loadHqLink(db)!, { batchSize: 10, minBackoffMs: HOUR, maxBackoffMs: HOUR, probeMs: 40, probeTimeoutMs: 1_000, timeoutMs: 5_000, fetchFn: c.fetchFn });
    up.start();
    // HQ is gone: the first batch fails, then probes fail; no further batch goes into the dead link.
    await until('the first batch failed', () => up.status().lastError !== null);
    await until('probes failing', () => c.probes >= 2);
    const sent = c.batches; // the first round (up to two batches in flight)
    await until('more probes failing', () => c.probes >= 6);
    expect(c.batches).toBe(sent);
    expect(up.status()).toMatchObject({ online: false, backlog: SALES });
    up.poke(); // a new sale while the probes say HQ is down: the probe decides, not a batch
    await until('more probes', () => c.probes >= 9);
    expect(c.batches).toBe(sent);

    await h.start(); // same port
    await until('drained after HQ came back', () => up.status().backlog === 0, 20_000);
    expect(up.status()).toMatchObject({ online: true, lastError: null, backlog: 0 });
    expect(await heldAtHq(h.sql)).toEqual({ n: SALES, d: SALES });
    // Once HQ answers batches, probing ends.
    const probes = c.probes;
    await new Promise((r) => setTimeout(r, 400));
    expect(c.probes).toBe(probes);
    up.stop();
    db.close();
    await h.stop();
    await h.sql.close();
  }, 60_000);

  it('a link that swallows every packet: requests hang until their timeout, the probes find the link back', async () => {
    const h = await hq('blackhole');
    const proxy = new FaultProxy(() => ({ host: '127.0.0.1', port: h.port }));
    const proxyUrl = `http://127.0.0.1:${await proxy.listen()}`;
    const db = await lane('blackhole', proxyUrl, h.store);
    proxy.mode = 'blackhole';
    const c = counting();
    // A short backoff this time: after a network failure it no longer times the next batch, the probes do.
    const up = new Uploader(db, loadHqLink(db)!, { batchSize: 10, minBackoffMs: 100, maxBackoffMs: HOUR, probeMs: 60, probeTimeoutMs: 150, timeoutMs: 300, fetchFn: c.fetchFn });
    up.start();
    await until('the first batch timed out', () => up.status().lastError?.startsWith('NETWORK') === true);
    const sent = c.batches;
    await until('probes timing out', () => c.probes >= 5);
    expect(proxy.hits.blackhole).toBeGreaterThan(0);
    expect(c.batches).toBe(sent);

    proxy.mode = 'pass';
    await until('drained after the link came back', () => up.status().backlog === 0, 20_000);
    expect(up.status()).toMatchObject({ online: true, lastError: null });
    expect(await heldAtHq(h.sql)).toEqual({ n: SALES, d: SALES });
    up.stop();
    db.close();
    await proxy.close();
    await h.stop();
    await h.sql.close();
  }, 60_000);
});
