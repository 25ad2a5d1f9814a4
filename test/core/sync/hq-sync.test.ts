/**
 * The lane's sync loop against a real HQ on a real TCP port: a printer that has not answered yet
 * when the lane starts raises no "offline" alert at HQ (it showed one for the five minutes until
 * the next check-in); if it is still not answering when its start-up grace ends, the lane checks
 * in again then, without waiting for the next round.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clockFrom } from '../../../core/clock';
import { enroll } from '../../../core/sync/link';
import { HqSync } from '../../../core/sync/hq-sync';
import { migrate, sqliteSql, type Sql } from '../../../hq/sql';
import { HqStore } from '../../../hq/store';
import { buildHqServer } from '../../../hq/server';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { MONDAY } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-hq-sync-');
const clock = clockFrom(MONDAY);
let sql: Sql;
let store: HqStore;
let url: string;
let close: () => Promise<void>;

beforeAll(async () => {
  sql = sqliteSql(join(tmp.dir, 'hq.db'));
  await migrate(sql, join(__dirname, '../../../migrations/hq'), clock);
  store = new HqStore(sql, { now: clock });
  const app = await buildHqServer({ store, adminToken: 'sync-staff-token-0123456789' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  close = () => app.close();
});
afterAll(async () => {
  await close?.();
  await sql?.close();
  tmp.cleanup();
});

describe('check-ins and the devices’ start-up grace', () => {
  it('a printer still starting raises no alert at HQ; one still down after the grace is checked in then', async () => {
    const db = demoDb(tmp.dir, 'lane.db');
    await enroll(db, url, await store.createEnrollmentToken('store-1', '4'), '0.1.0', fetch, clock);
    const lane = openDemoLane(db, { now: clock });
    const startedAt = clock();
    // As the device manager reports it before the printer first answers.
    lane.setDeviceStatus({ id: 'printer', kind: 'printer', connection: 'TCP 10.0.0.5:9100', state: 'offline', detail: 'starting' });
    const sync = new HqSync(db, lane, { dbPath: join(tmp.dir, 'lane.db'), now: clock, startedAt, log: () => {}, catalogPollMs: 300_000, deviceGraceMs: 1_500 });
    sync.start();
    const terminal = async () => (await store.fleet()).find((t) => t.store_id === 'store-1')!;
    for (let i = 0; i < 100 && !(await terminal()).checkin_at; i++) await new Promise((r) => setTimeout(r, 20));
    const first = await terminal();
    expect(first.alerts).toEqual([]);
    expect(first.devices).toEqual([{ id: 'printer', kind: 'printer', state: 'starting', detail: 'starting (not answering yet: starting)' }]);
    // The grace ends with the printer still silent: HQ hears of it then, not five minutes later.
    let after = first;
    for (let i = 0; i < 200 && after.alerts.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 25));
      after = await terminal();
    }
    expect(clock().getTime() - startedAt.getTime()).toBeLessThan(60_000);
    expect(after.alerts).toEqual([{ code: 'DEVICE_OFFLINE', message: 'printer (printer): starting', since: expect.any(String) }]);
    expect(after.devices).toEqual([{ id: 'printer', kind: 'printer', state: 'offline', detail: 'starting' }]);
    sync.stop();
    lane.dispose();
    db.close();
  });
});
