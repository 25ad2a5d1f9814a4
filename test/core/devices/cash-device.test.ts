/**
 * The kiosk's cash device as configured ("kind": "cashDevice", simulated on a PTY pair): started by
 * the device manager, attached to a self-checkout lane, driven through store IT's test actions as
 * the demo and the browser tests drive it. Pay cash → notes and coins counted in → paid, change
 * paid out by the hoppers; the device's state is shown to store IT, a jam too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Catalog } from '../../../core/catalog/repo';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { LaneService } from '../../../core/lane/host';
import { parseDeviceConfig } from '../../../core/devices/config';
import { startDevices, type StartedDevices } from '../../../core/devices/manager';
import { PROFILES } from '../../../core/profile';
import type { Db } from '../../../core/db';
import { run } from '../../helpers/lane';
import { demoDb } from '../../helpers/demo-lane';
import { testClock } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function kioskWithCashUnit(): Promise<{ s: LaneService; devices: StartedDevices; db: Db }> {
  const tmp = tempDir('kassa-cash-');
  const db = demoDb(tmp.dir);
  const parsed = parseDeviceConfig(JSON.stringify({ devices: [{ kind: 'cashDevice', id: 'cash', path: 'simulated' }] }));
  expect(parsed.errors).toEqual([]);
  const devices = await startDevices(parsed.devices, db, { log: () => {}, currency: 'SEK' });
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: 'K1' }, { now: testClock(), config: { mode: 'self', selfCash: true } });
  devices.attach(s);
  run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
  run(s, { cmd: 'openTill', float: [] });
  cleanups.push(() => tmp.cleanup(), () => void db.close(), () => devices.stop(), () => s.dispose());
  return { s, devices, db };
}

/** The customer feeds the money in as soon as the unit takes it (its inhibits are lifted a moment after "pay cash"). */
async function insertWhenAccepting(devices: StartedDevices, amount: string) {
  for (let i = 0; i < 100; i++) {
    const r = await devices.test('cash', 'insertCash', amount);
    if (r.ok) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error('the cash unit never took the money');
}

describe('the cash device in the lane', () => {
  it('pay cash: the simulated unit takes a note and a coin, the sale is paid, the change comes out of the hoppers', async () => {
    const { s, devices } = await kioskWithCashUnit();
    expect(s.snapshot().devices.list).toEqual([expect.objectContaining({ id: 'cash', kind: 'cash', state: 'online', detailCode: 'connected' })]);
    run(s, { cmd: 'scan', code: DEMO_ITEMS.dishSoap.codes[0]! }); // 29,90 → 30 kr
    run(s, { cmd: 'tenderCash' });
    expect(s.snapshot().checkout?.cash).toMatchObject({ via: 'device', phase: 'accepting', due: 3000 });
    expect(await insertWhenAccepting(devices, '2000')).toMatchObject({ ok: true, code: 'cashInserted' });
    await until('20 kr counted', () => s.snapshot().checkout?.cash?.inserted === 2000);
    expect(s.snapshot().checkout?.tenders).toEqual([]);
    expect(await devices.test('cash', 'insertCash', '5000')).toMatchObject({ ok: true });
    await until('paid', () => s.snapshot().checkout?.state === 'paid');
    await until('change paid', () => s.snapshot().checkout?.cash?.changePaid === 4000);
    expect(s.snapshot().checkout?.tenders).toMatchObject([{ kind: 'cash', amount: 7000 }]);
    expect(devices.describe()[0]?.printout).toMatch(/SE1K0A×96, SE100A×100/); // 4 × 10 kr
  });

  it('a jam: the unit stops, what it counted is paid, store IT sees the fault', async () => {
    const { s, devices } = await kioskWithCashUnit();
    run(s, { cmd: 'scan', code: DEMO_ITEMS.dishSoap.codes[0]! });
    run(s, { cmd: 'tenderCash' });
    await insertWhenAccepting(devices, '1000');
    await until('10 kr counted', () => s.snapshot().checkout?.cash?.inserted === 1000);
    await devices.test('cash', 'cashJam');
    await until('stopped', () => s.snapshot().checkout?.cash?.phase === 'stopped');
    expect(s.snapshot().checkout).toMatchObject({ state: 'subtotal', tenders: [{ kind: 'cash', amount: 1000 }] });
    expect(s.snapshot().lane.help?.reason).toBe('cash');
    await until('fault shown', () => s.snapshot().devices.list[0]?.detailCode === 'cashJam');
    await devices.test('cash', 'cashClear');
    await until('fault cleared', () => s.snapshot().devices.list[0]?.detailCode === 'connected', 5_000);
  });
});
