/**
 * A Swedish till's control unit provisioned while the lane runs (first-boot provisioning's stick):
 * the lane's TillControlUnit takes the new unit from its next check, closes the old one, re-arms
 * its probe for the new one only; and a unit whose store particulars have not come yet is made all
 * the same (a core that cannot start helps nobody) — the till refuses every sale, saying why, until
 * HQ's store record brings them.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock';
import { openDatabase } from '../../../core/db';
import { controlUnitFor, controlUnitSwapper } from '../../../core/fiscal/control-unit/setup';
import { TillControlUnit } from '../../../core/fiscal/control-unit/till';
import { Journal } from '../../../core/journal';
import { parseControlUnitArg } from '../../../protocol/terminal';
import { tempDir } from '../../helpers/tmp';

let t: { dir: string; cleanup: () => void };
let clock: ManualClock;
beforeEach(() => {
  t = tempDir('kassa-cu-swap-');
  clock = new ManualClock('2026-12-08T09:15:00.000Z');
});
afterEach(() => t.cleanup());

const legal = { address: 'Götgatan 1, 118 46 Stockholm', orgNumber: '556677-8899', vatId: '', companyName: 'Kassa Livs AB' };

describe('a control unit provisioned while the lane runs', () => {
  it('takes the unit from the next check, without a restart, and says so on every screen', () => {
    const dbPath = join(t.dir, 'lane.db');
    const db = openDatabase(dbPath);
    const identity = { storeId: 'store-se', storeName: 'Kassa Livs', laneId: '1', legal };
    const logs: string[] = [];
    const start = controlUnitFor('SE', dbPath, identity, clock.now, (l) => logs.push(l), null)!;
    let told = 0;
    const cu = new TillControlUnit(db, start, new Journal(db), { now: clock.now, changed: () => told++, everyMs: 20 });
    expect(() => cu.check(clock.now().toISOString())).toThrow(/No control unit is provisioned/);
    expect(cu.view()).toMatchObject({ state: 'unconfigured', device: 'none' });
    controlUnitSwapper({ controlUnit: cu }, 'SE', dbPath, identity, clock.now, (l) => logs.push(l))(parseControlUnitArg('simulator'));
    expect(told).toBe(1);
    expect(() => cu.check(clock.now().toISOString())).not.toThrow();
    expect(cu.view()).toMatchObject({ state: 'ok', device: expect.stringMatching(/^simulator KSIM/), tillId: 'store-se-1' });
    expect(logs.some((l) => /registers receipts of till store-se-1/.test(l))).toBe(true);
    // The unit now in use is the one the lane closes when it stops.
    const port = cu.currentPort!;
    expect(port.manufacturingNumber()).toMatch(/^KSIM/);
    cu.stop();
    port.close?.();
    db.close();
  });

  it('a unit without the store’s particulars: made and logged, every sale refused with why, until the particulars come', () => {
    const dbPath = join(t.dir, 'lane.db');
    const db = openDatabase(dbPath);
    const identity: { storeId: string; storeName: string; laneId: string; legal: typeof legal | null } = { storeId: 'store-se', storeName: 'Kassa Livs', laneId: '2', legal: null };
    const logs: string[] = [];
    const unit = controlUnitFor('SE', dbPath, identity, clock.now, (l) => logs.push(l), { kind: 'simulator' })!;
    expect(logs[0]).toMatch(/the store's particulars are not provisioned .*: the till makes no receipts until they are provisioned/);
    const cu = new TillControlUnit(db, unit, new Journal(db));
    expect(() => cu.check(clock.now().toISOString())).toThrow(/the store's particulars are not provisioned.*the till may not make receipts until then/);
    expect(cu.view()).toMatchObject({ state: 'unconfigured', reason: expect.stringMatching(/particulars are not provisioned/) });
    identity.legal = legal; // HQ's store record came with a check-in
    expect(() => cu.check(clock.now().toISOString())).not.toThrow();
    expect(cu.view()).toMatchObject({ state: 'ok', tillId: 'store-se-2' });
    unit.port!.close();
    db.close();
  });

  it('takes a control unit’s device as a serial port or host:port only (it is logged and shown)', () => {
    expect(parseControlUnitArg('cleancash@/dev/ttyUSB0')).toMatchObject({ device: '/dev/ttyUSB0' });
    expect(parseControlUnitArg('cleancash@10.0.0.7:4000')).toMatchObject({ device: '10.0.0.7:4000' });
    for (const bad of ['cleancash@/dev/tty\nkassa kiosk session: lane UI on X', 'cleancash@/etc/passwd', 'cleancash@$(reboot)', 'cleancash@host']) expect(() => parseControlUnitArg(bad), bad).toThrow(/a device is a serial port/);
  });
});
