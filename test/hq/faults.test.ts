/**
 * Replication under faults, against SQLite and PostgreSQL: three terminals sell continuously while a
 * fault proxy between them and HQ delays, blackholes, resets, truncates and corrupts; HQ is killed
 * and restarted; one terminal (a real core process) is SIGKILLed right after HQ stored its batch but
 * before it marked the batch sent. At the end HQ holds every sale exactly once, per-terminal totals
 * equal the terminals' own, and no gaps are reported.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { openDatabase, type Db } from '../../core/db';
import { enroll, loadHqLink } from '../../core/sync/link';
import { Uploader } from '../../core/sync/uploader';
import { migrate } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import { buildHqServer } from '../../hq/server';
import type { CommandBody } from '../../protocol/terminal';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../helpers/core-process';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { FaultProxy, type FaultMode } from '../helpers/fault-proxy';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { hqBackends } from '../helpers/hq-backends';
import { until, untilAsync } from '../helpers/wait';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const tmp = tempDir('kassa-hq-faults-');
afterAll(() => tmp.cleanup());
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const backends = hqBackends(tmp.dir);

describe.each(backends)('replication under faults, HQ on $name', (backend) => {
  it('every sale exactly once, totals equal, no gaps', async () => {
    const sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    const store = new HqStore(sql);
    let hqPort = 0;
    let stopHq: () => Promise<void> = async () => {};
    const startHq = async () => {
      const app = await buildHqServer({ store, adminToken: 'x'.repeat(24) });
      await app.listen({ port: hqPort, host: '127.0.0.1' });
      hqPort = (app.server.address() as { port: number }).port;
      stopHq = () => app.close();
    };
    await startHq();
    const proxy = new FaultProxy(() => ({ host: '127.0.0.1', port: hqPort }));
    const proxyUrl = `http://127.0.0.1:${await proxy.listen()}`;
    const dir = tempDir('kassa-faults-lanes-');

    // Two lanes in this process, one as a real core process.
    const lanes: Array<{ db: Db; up: Uploader; sell: () => void }> = [];
    for (const name of ['a', 'b']) {
      const db = demoDb(dir.dir, `${name}.db`);
      await enroll(db, `http://127.0.0.1:${hqPort}`, await store.createEnrollmentToken('store-1', name), 'test');
      const up = new Uploader(db, { ...loadHqLink(db)!, hqUrl: proxyUrl }, { batchSize: 7, minBackoffMs: 30, maxBackoffMs: 300, idleMs: 50, timeoutMs: 1_000 });
      const s = openDemoLane(db);
      lanes.push({
        db,
        up,
        sell: () => {
          run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
          run(s, { cmd: 'tenderCash' });
          run(s, { cmd: 'complete' });
          up.poke();
        },
      });
      up.start();
    }
    const cPath = join(dir.dir, 'c.db');
    {
      const db = demoDb(dir.dir, 'c.db');
      await enroll(db, `http://127.0.0.1:${hqPort}`, await store.createEnrollmentToken('store-1', 'c'), 'test');
      db.prepare('UPDATE hq_link SET hq_url = ?').run(`${proxyUrl}/`);
      db.close();
    }
    /** One sale on the core process; false if it died meanwhile (its answer never comes). */
    const coreSell = async (client: ApiClient, exited: Promise<unknown>) => {
      const co = client.snapshot?.checkout;
      // A sale the crash interrupted is finished first (restored exactly where it was).
      const cmds: CommandBody[] = co?.state === 'paid' ? [{ cmd: 'complete' }] : co ? [{ cmd: 'tenderCash' }, { cmd: 'complete' }] : [{ cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]!, source: 'scanner' }, { cmd: 'tenderCash' }, { cmd: 'complete' }];
      for (const c of cmds) {
        const r = await Promise.race([client.send(c), exited.then(() => null)]).catch(() => null);
        if (!r || r.type !== 'ack') return false;
      }
      return true;
    };

    // Faults cycle while everyone sells.
    const modes: FaultMode[] = ['pass', 'delay', 'blackhole', 'pass', 'reset', 'truncate', 'pass', 'corrupt'];
    let m = 0;
    const flapper = setInterval(() => (proxy.mode = modes[m++ % modes.length]!), 120);

    let core = await startCoreProcess(cPath, [], 20_000, { KASSA_CRASH_AT: 'sync.afterSend', KASSA_SYNC_TIMEOUT_MS: '1000' });
    let client = await ApiClient.connect(core.port, core.token);
    await client.send({ cmd: 'signIn', operator: '1', pin: '1111' });
    await client.send({ cmd: 'openTill', float: [] });
    let cSales = 0;
    for (let i = 0; i < 40; i++) {
      for (const l of lanes) l.sell();
      if (core.child.exitCode === null && core.child.signalCode === null && (await coreSell(client, core.exited))) cSales++;
      if (i === 15) {
        await stopHq(); // HQ dies …
        await sleep(300);
        await startHq(); // … and comes back on the same port
      }
      await sleep(25);
    }
    // Every fault once more, each for sure, while the lanes keep sending.
    clearInterval(flapper);
    for (const mode of ['delay', 'blackhole', 'reset', 'truncate', 'corrupt'] as const) {
      proxy.mode = mode;
      const before = proxy.hits[mode];
      for (const l of lanes) l.sell();
      await until(`fault ${mode} hit`, () => proxy.hits[mode] > before, 10_000);
    }
    proxy.mode = 'pass';
    // The core died right after HQ took one of its batches; it comes back and sells on.
    if (core.child.signalCode !== 'SIGKILL') await coreSell(client, core.exited); // a sale makes it send now
    await until('core crashed after a send', () => core.child.signalCode === 'SIGKILL', 30_000);
    client.close();
    core = await startCoreProcess(cPath, [], 20_000, { KASSA_SYNC_TIMEOUT_MS: '1000' });
    client = await ApiClient.connect(core.port, core.token);
    for (let i = 0; i < 10; i++) if (await coreSell(client, core.exited)) cSales++;

    for (const l of lanes) await until('lane drained', () => l.up.status().backlog === 0, 60_000);
    // Drained as HQ knows it: its acknowledgement reaches the core's last sale (the lane's own status may lag a refresh).
    const coreId = (() => {
      const db = openDatabase(cPath);
      const id = loadHqLink(db)!.terminalId;
      db.close();
      return id;
    })();
    await untilAsync('core drained', async () => Number((await store.terminal(coreId))?.acked_through) === client.snapshot?.lastSale?.sequence, 60_000);
    await until('the core says so', () => client.snapshot?.sync?.backlog === 0, 10_000);
    client.close();
    await stopCoreProcess(core);
    for (const l of lanes) l.up.stop();

    // Every mode really happened.
    for (const mode of ['delay', 'blackhole', 'reset', 'truncate', 'corrupt'] as const) expect(proxy.hits[mode], mode).toBeGreaterThan(0);
    const cDb = openDatabase(cPath);
    const terminals = [...lanes.map((l) => l.db), cDb];
    for (const db of terminals) {
      const id = loadHqLink(db)!.terminalId;
      const mine = db.prepare<[], { n: number; t: number }>('SELECT count(*) AS n, sum(total) AS t FROM sale').get()!;
      const [hq] = await sql.query<{ n: number; t: number; d: number }>('SELECT count(*) AS n, sum(total) AS t, count(DISTINCT sale_id) AS d FROM sale WHERE terminal_id = $1', [id]);
      expect([Number(hq!.n), Number(hq!.d), Number(hq!.t)], id).toEqual([mine.n, mine.n, mine.t]);
      const t = await store.terminal(id);
      expect([Number(t!.acked_through), Number(t!.max_sequence)], 'no gaps').toEqual([mine.n, mine.n]);
    }
    expect(cSales).toBeGreaterThan(3);
    cDb.close();
    for (const l of lanes) l.db.close();
    await proxy.close();
    await stopHq();
    await sql.close();
    await backend.cleanup();
    dir.cleanup();
  }, 180_000);
});
