/**
 * A batch is bounded by its bytes as well as its count: sales that are large (many lines) never
 * make a request HQ refuses as too large (413), which would stop the queue for good. A real HQ
 * (Fastify, SQLite) on loopback with a small body limit.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { enroll, loadHqLink } from '../../../core/sync/link';
import { Uploader } from '../../../core/sync/uploader';
import { migrate, sqliteSql } from '../../../hq/sql';
import { listenHq } from '../../helpers/hq-backends';
import { HqStore } from '../../../hq/store';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-uploader-batches-');
afterAll(() => tmp.cleanup());

describe('upload batches', () => {
  it('end at the byte limit before the count: every request fits under HQ’s body limit, every sale arrives once', async () => {
    const sql = sqliteSql(join(tmp.dir, 'hq.db'));
    await migrate(sql, join(__dirname, '../../../migrations/hq'));
    const store = new HqStore(sql);
    const app = await listenHq({ store, adminToken: 'batch-staff-token-0123456789', bodyLimit: 48 * 1024 });
    const url = app.url;
    const db = demoDb(tmp.dir, 'lane.db');
    await enroll(db, url, await store.createEnrollmentToken('store-1', '1'), '0.1.0');
    const lane = openDemoLane(db);
    const SALES = 60;
    for (let i = 0; i < SALES; i++) {
      for (const item of [DEMO_ITEMS.milk, DEMO_ITEMS.bread, DEMO_ITEMS.butter, DEMO_ITEMS.filmjolk]) run(lane, { cmd: 'scan', code: item.codes[0]! });
      run(lane, { cmd: 'tenderCash' });
      run(lane, { cmd: 'complete' });
    }
    const sizes: number[] = [];
    const fetchFn = ((input: string | URL | Request, init?: RequestInit) => {
      if (init?.body instanceof Uint8Array) sizes.push(init.body.length);
      return fetch(input, init);
    }) as typeof fetch;
    // 50 such sales are well over 48 KB: by count alone the first request would be refused.
    const up = new Uploader(db, loadHqLink(db)!, { batchSize: 50, maxBatchBytes: 40_000, fetchFn });
    await up.drain();
    expect(up.status()).toMatchObject({ backlog: 0, lastError: null, quarantined: 0 });
    expect(sizes.length).toBeGreaterThan(2);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(40_000);
    const [r] = await sql.query<{ n: number; d: number }>('SELECT count(*) AS n, count(DISTINCT sale_id) AS d FROM sale');
    expect({ n: Number(r!.n), d: Number(r!.d) }).toEqual({ n: SALES, d: SALES });
    db.close();
    await app.close();
    await sql.close();
  }, 60_000);
});
