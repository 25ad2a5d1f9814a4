/**
 * A terminal cut off from HQ for (a simulated) 72 hours: 10,000 sales wait in its outbox while it
 * keeps selling. The real core process shows store IT the link as down with the backlog and its age;
 * when the link returns (a slow one, through the fault proxy) the backlog drains batch by batch
 * with the progress visible in the Terminal API and at HQ, and HQ ends with every sale exactly once.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../e2e/harness';
import { openServiceScreen } from '../e2e/pages';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../core/catalog/demo';
import { enroll } from '../../core/sync/link';
import { ApiClient, startCoreProcess, stopCoreProcess } from '../helpers/core-process';
import { demoDb, openDemoLane } from '../helpers/demo-lane';
import { sqliteHqBehindProxy } from '../helpers/hq-backends';
import { run } from '../helpers/lane';
import { tempDir } from '../helpers/tmp';
import { until } from '../helpers/wait';

const tmp = tempDir('kassa-drain-');
let browser: Browser | null = null;
afterAll(async () => {
  await browser?.close();
  tmp.cleanup();
});
const SALES = 10_000;

describe('a terminal offline for 72 hours', () => {
  it('drains 10,000 sales when the link returns, with the progress visible to store IT', async () => {
    const { sql, store, proxy, url: hqUrl, close: closeHq } = await sqliteHqBehindProxy(tmp.dir, 'drain-staff-token-0123456789');

    // Enrolled while the link worked; then 72 hours of selling with HQ out of reach.
    const laneDb = join(tmp.dir, 'lane.db');
    const db = demoDb(tmp.dir, 'lane.db');
    await enroll(db, hqUrl, await store.createEnrollmentToken('store-1', '1'), '0.1.0');
    proxy.mode = 'reset';
    const start = Date.now() - 72 * 3600_000;
    let clock = start;
    const lane = openDemoLane(db, { now: () => new Date(clock) });
    let total = 0;
    for (let i = 0; i < SALES; i++) {
      clock = start + Math.floor((i * 72 * 3600_000) / SALES);
      run(lane, { cmd: 'scan', code: (i % 2 ? DEMO_ITEMS.milk : DEMO_ITEMS.bread).codes[0]! });
      run(lane, { cmd: 'tenderCash' });
      total += run(lane, { cmd: 'complete' }).lastSale!.total;
    }
    db.close();

    // The core starts with the link still down: store IT sees it, and the backlog's age.
    const core = await startCoreProcess(laneDb, [], 30_000, { KASSA_SYNC_TIMEOUT_MS: '2000' });
    const client = await ApiClient.connect(core.port, core.token);
    await until('offline shown', () => client.snapshot?.sync?.online === false && client.snapshot.sync.lastError !== null, 20_000);
    const sync = client.snapshot!.sync!;
    expect(sync.backlog).toBe(SALES);
    expect(Date.now() - Date.parse(sync.oldestUnsentAt!)).toBeGreaterThan(71 * 3600_000);
    expect(sync.lastSuccess).toBe(null);
    // Store IT sees the same on the service screen, in the lane's own UI.
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`http://127.0.0.1:${core.port}/#token=${core.token}`);
    await openServiceScreen(page);
    await page.getByTestId('hq-status').waitFor();
    await expect.poll(async () => (await page.getByTestId('hq-online').textContent()) ?? '').toMatch(/HK ej nåbart/);
    await expect.poll(async () => (await page.getByTestId('hq-backlog').textContent()) ?? '').toMatch(/^10000 \(Äldsta: 7[12] tim\)$/);
    mkdirSync(join(process.cwd(), 'test-artifacts'), { recursive: true });
    await page.screenshot({ path: join(process.cwd(), 'test-artifacts', 'hq-backlog-72h.png') });

    // The link comes back, slow (every packet delayed): the backlog goes down batch by batch.
    proxy.delayMs = 150;
    proxy.mode = 'delay';
    const from = client.messages.length;
    const hqSeen: number[] = [];
    const hqWatch = setInterval(() => {
      void store.fleet().then((f) => {
        const b = f[0]?.backlog_count;
        if (typeof b === 'number' && hqSeen.at(-1) !== b) hqSeen.push(b);
      });
    }, 200);
    await until(
      'drained',
      () => client.snapshot?.sync?.backlog === 0 && client.snapshot.sync.online,
      240_000,
    );
    clearInterval(hqWatch);
    expect(proxy.hits.delay).toBeGreaterThan(0);
    // Progress: the backlog as the lane's screens were told it (after each batch HQ answered):
    // several intermediate figures, always going down, ending at zero.
    const seen: number[] = [];
    for (const m of client.messages.slice(from)) {
      const b = m.type === 'snapshot' ? m.snapshot.sync?.backlog : undefined;
      if (b !== undefined && seen.at(-1) !== b) seen.push(b);
    }
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
    expect(seen.at(-1)).toBe(0);
    expect(hqSeen.filter((b) => b > 0 && b < SALES).length).toBeGreaterThanOrEqual(2); // HQ's fleet view saw it shrink too
    expect(client.snapshot!.sync!.lastSuccess).not.toBe(null);
    await expect.poll(async () => (await page.getByTestId('hq-backlog').textContent()) ?? '').toBe('0');
    await expect.poll(async () => (await page.getByTestId('hq-online').textContent()) ?? '').toMatch(/HK nåbart/);

    const [row] = await sql.query<{ n: number; d: number; t: number }>('SELECT count(*) AS n, count(DISTINCT sale_id) AS d, sum(total) AS t FROM sale');
    expect({ n: Number(row!.n), d: Number(row!.d), t: Number(row!.t) }).toEqual({ n: SALES, d: SALES, t: total });
    const [fleet] = await store.fleet();
    expect(fleet).toMatchObject({ acked_through: SALES, gaps: 0, backlog_count: 0 });
    client.close();
    await stopCoreProcess(core);
    await closeHq();
  }, 400_000);
});
