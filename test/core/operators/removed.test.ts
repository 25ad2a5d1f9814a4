/**
 * An operator removed from the store's staff at HQ while signed in at a staffed lane is signed out
 * (core/operators/removed.ts): at once when no sale is open, else as soon as their sale is over —
 * never in the middle of it. The sign-out is journalled as theirs, marked `removedFromStaff`, and the
 * lane's screen is told why (SIGNED_OUT_NOT_STAFF, with the number). A real HQ (SQLite) hands the
 * staff list to the lane's check-in, as in the core.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchRemovedOperators } from '../../../core/operators/removed';
import { CatalogUpdater } from '../../../core/sync/catalog';
import { enroll, loadHqLink } from '../../../core/sync/link';
import { migrate, sqliteSql } from '../../../hq/sql';
import { removeStaff, setStaff } from '../../../hq/staff';
import { HqStore } from '../../../hq/store';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { listenHq } from '../../helpers/hq-backends';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const tmp = tempDir('kassa-removed-operator-');
afterAll(() => tmp.cleanup());

describe('an operator removed from the staff at HQ', () => {
  it('is signed out at once when no sale is open, and after the open sale otherwise; journalled and told', async () => {
    const sql = sqliteSql(join(tmp.dir, 'hq.db'));
    await migrate(sql, join(__dirname, '../../../migrations/hq'));
    const store = new HqStore(sql);
    const { url, close } = await listenHq({ store, adminToken: 'admin-token-for-removed-tests-0123456789' });
    const db = demoDb(tmp.dir, 'lane.db');
    await enroll(db, url, await store.createEnrollmentToken('s1', '1'), '0.1.0');
    const now = new Date();
    await setStaff(sql, { storeId: 's1', id: '12', name: 'Anna', role: 'cashier', pin: '4821' }, now);
    await setStaff(sql, { storeId: 's1', id: '14', name: 'Cecilia', role: 'supervisor', pin: '1414' }, now);

    const lane = openDemoLane(db); // signed in as the demo cashier 1, who is not on HQ's staff
    const told: Array<{ code: string; params?: Record<string, string | number> }> = [];
    lane.subscribeErrors((code, _message, params) => told.push({ code, ...(params ? { params } : {}) }));
    const log: string[] = [];
    const watch = watchRemovedOperators(lane, (l) => log.push(l));
    const updater = new CatalogUpdater(db, loadHqLink(db)!, { downloadPath: join(tmp.dir, 'dl'), onStaffApplied: watch.check });
    const signOuts = () => db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'operator.signOut' ORDER BY seq").all().map((r) => JSON.parse(r.body) as Record<string, unknown>);

    // HQ's list comes: the demo cashier is not on it, and no sale is open — signed out now.
    await updater.check();
    expect(lane.snapshot().lane).toMatchObject({ state: 'signedOut', operator: null });
    expect(told).toEqual([{ code: 'SIGNED_OUT_NOT_STAFF', params: { operator: '1' } }]);
    expect(signOuts()).toEqual([expect.objectContaining({ operator: '1', removedFromStaff: true })]);

    // Anna signs in and starts a sale; HQ removes her meanwhile: she finishes the sale, then she is signed out.
    run(lane, { cmd: 'signIn', operator: '12', pin: '4821' });
    run(lane, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    await removeStaff(sql, 's1', '12', now);
    await updater.check();
    expect(lane.snapshot().lane).toMatchObject({ state: 'selling', operator: '12' });
    run(lane, { cmd: 'scan', code: DEMO_ITEMS.bread.codes[0]! });
    run(lane, { cmd: 'tenderCash' });
    expect(run(lane, { cmd: 'complete' }).lastSale?.saleId).toEqual(expect.any(String));
    await until('signed out after her sale', () => lane.snapshot().lane.state === 'signedOut');
    expect(told.at(-1)).toEqual({ code: 'SIGNED_OUT_NOT_STAFF', params: { operator: '12' } });
    expect(signOuts().at(-1)).toEqual(expect.objectContaining({ operator: '12', removedFromStaff: true }));
    expect(() => run(lane, { cmd: 'signIn', operator: '12', pin: '4821' })).toThrow(/number or PIN|BAD_CREDENTIALS|wrong/i);

    // Someone still on the staff is left alone.
    run(lane, { cmd: 'signIn', operator: '14', pin: '1414' });
    watch.check();
    await new Promise((r) => setTimeout(r, 50));
    expect(lane.snapshot().lane).toMatchObject({ state: 'signedIn', operator: '14' });
    expect(log.filter((l) => /signed out/.test(l))).toHaveLength(2);

    watch.stop();
    lane.dispose();
    db.close();
    await close();
    await sql.close();
  });
});
