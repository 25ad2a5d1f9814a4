/**
 * The control unit simulator: a control code per receipt, the control data stored in its own file
 * (kept across a restart, never changed or deleted), bad receipt data refused, and an outage.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ControlUnitSimulator } from '../../../core/fiscal/control-unit/simulator';
import { ControlUnitError, validOrgNumber, type ControlUnitRequest } from '../../../core/fiscal/control-unit/port';
import { ManualClock } from '../../../core/clock';
import { controlUnitFor, seRegisterOf } from '../../../core/fiscal/control-unit/setup';
import { describeControlUnit, loadControlUnitConfig, parseControlUnitArg, saveControlUnitConfig } from '../../../core/fiscal/control-unit/config';
import { loadStoreLegal, readStoreLegalFile, saveStoreLegal } from '../../../core/markets/store-legal';
import { openDatabase } from '../../../core/db';
import { tempDir } from '../../helpers/tmp';

let t: { dir: string; cleanup: () => void };
let clock: ManualClock;
const req = (over: Partial<ControlUnitRequest> = {}): ControlUnitRequest => ({ orgNumber: '556677-8899', tillId: 'K3', at: '2026-12-07T09:15:00.000Z', receiptNumber: 17, type: 'normal', total: 4685, vat: [{ rate: 2500, vat: 598 }, { rate: 1200, vat: 182 }], ...over });

beforeEach(() => {
  t = tempDir('kassa-cu-');
  clock = new ManualClock('2026-12-07T09:15:00.000Z');
});
afterEach(() => t.cleanup());

describe('control unit simulator', () => {
  it('checks organisation numbers with their Luhn digit', () => {
    expect(validOrgNumber('556677-8899')).toBe(true);
    expect(validOrgNumber('556677-8897')).toBe(false);
    expect(validOrgNumber('5566778897')).toBe(false);
  });

  it('answers a control code per receipt and stores the control data, kept across a restart', () => {
    const file = join(t.dir, 'lane.db-cu.sqlite');
    const cu = new ControlUnitSimulator(file, clock.now);
    const a = cu.register(req());
    const copy = cu.register(req({ type: 'kopia' }));
    expect(a.controlCode).toMatch(/^[0-9A-F]{64}$/);
    expect(copy.controlCode).not.toBe(a.controlCode);
    expect(cu.register(req()).controlCode).toBe(a.controlCode); // same data, same unit: same code
    const number = cu.manufacturingNumber();
    expect(a.manufacturingNumber).toBe(number);
    cu.close();
    const again = new ControlUnitSimulator(file, clock.now);
    expect(again.manufacturingNumber()).toBe(number);
    const recs = again.records();
    expect(recs.map((r) => [r.seq, r.type, r.receiptNumber, r.total, r.controlCode])).toEqual([
      [1, 'normal', 17, 4685, a.controlCode],
      [2, 'kopia', 17, 4685, copy.controlCode],
      [3, 'normal', 17, 4685, a.controlCode],
    ]);
    expect(recs[0]).toMatchObject({ orgNumber: '556677-8899', tillId: 'K3', at: '2026-12-07T09:15:00.000Z', vat: [{ rate: 2500, vat: 598 }, { rate: 1200, vat: 182 }] });
    again.close();
    // The stored control data cannot be changed or deleted, not even by writing the file directly.
    const raw = new Database(file);
    expect(() => raw.prepare('UPDATE cu_record SET total = 1').run()).toThrow(/cannot be changed/);
    expect(() => raw.prepare('DELETE FROM cu_record').run()).toThrow(/cannot be deleted/);
    raw.close();
  });

  it('refuses bad receipt data with a typed error and stores nothing', () => {
    const cu = new ControlUnitSimulator(':memory:', clock.now);
    for (const bad of [req({ orgNumber: '556677-8897' }), req({ type: 'proforma' as never }), req({ total: 1.5 }), req({ tillId: 'kassa 3 !' })]) {
      expect(() => cu.register(bad)).toThrow(ControlUnitError);
    }
    expect(cu.records()).toEqual([]);
    cu.close();
  });

  it('does not answer while unplugged (in process, or by the marker file) and stores nothing', () => {
    const file = join(t.dir, 'cu.sqlite');
    const cu = new ControlUnitSimulator(file, clock.now);
    cu.unplug();
    expect(() => cu.register(req())).toThrow(expect.objectContaining({ code: 'CU_UNAVAILABLE' }));
    cu.plugIn();
    writeFileSync(`${file}.unplugged`, '');
    expect(() => cu.manufacturingNumber()).toThrow(expect.objectContaining({ code: 'CU_UNAVAILABLE' }));
    expect(cu.records()).toEqual([]);
    cu.close();
  });
});

describe('controlUnitFor (core/fiscal/control-unit/setup.ts): the unit store IT provisioned, never the environment', () => {
  const legal = { address: 'Götgatan 1, Stockholm', orgNumber: '556677-8899', vatId: '', companyName: 'Kassa Livs AB' };
  const identity = { storeId: 'sthlm-01', storeName: 'Kassa Södermalm', laneId: '3', legal };
  const simulator = { kind: 'simulator' } as const;
  it('gives a Swedish till with none provisioned, or a vendor unit without a driver, no unit to register with; other countries none at all', () => {
    const logs: string[] = [];
    const none = controlUnitFor('SE', ':memory:', identity, clock.now, (l) => logs.push(l), null)!;
    expect(none.port).toBeNull();
    expect(none.device).toBe('none');
    expect(logs[0]).toMatch(/none is provisioned on this Swedish till: it makes no receipts until store IT provisions one: npm run provision -- --control-unit/);
    expect(controlUnitFor('SE', ':memory:', identity, clock.now, () => {}, { kind: 'none' })!.port).toBeNull();
    const vendor = controlUnitFor('SE', ':memory:', identity, clock.now, () => {}, { kind: 'vendor', vendor: 'cleancash', device: '/dev/ttyUSB0' })!;
    expect([vendor.port, vendor.device]).toEqual([null, 'cleancash @ /dev/ttyUSB0']);
    expect(controlUnitFor('DE', ':memory:', identity, clock.now, () => {}, simulator)).toBeNull();
  });
  it('opens the simulator next to the database with the registration from the store’s particulars, read again for each receipt', () => {
    const logs: string[] = [];
    const live = { ...identity };
    const cu = controlUnitFor('SE', join(t.dir, 'lane.db'), live, clock.now, (l) => logs.push(l), simulator)!;
    expect(cu.register()).toEqual({ orgNumber: '556677-8899', companyName: 'Kassa Livs AB', address: 'Götgatan 1, Stockholm', tillId: 'sthlm-01-3' });
    expect(cu.device).toBe(`simulator ${cu.port!.manufacturingNumber()}`);
    expect(logs[0]).toContain(cu.port!.manufacturingNumber());
    expect(existsSync(join(t.dir, 'lane.db-cu.sqlite'))).toBe(true);
    live.legal = { ...legal, address: 'Ringvägen 2, Stockholm' };
    expect(cu.register().address).toBe('Ringvägen 2, Stockholm');
    cu.port!.close();
    expect(seRegisterOf({ ...identity, legal: { ...legal, tillId: 'SOD-K3' } }).tillId).toBe('SOD-K3');
  });
  it('says at start, and refuses every registration, without particulars, with a wrong organisation number, a missing company or address', () => {
    const withLegal = (l: Partial<typeof legal> | null) => ({ ...identity, legal: l === null ? null : { ...legal, ...l } });
    const cases: Array<[Partial<typeof legal> | null, RegExp]> = [
      [null, /not provisioned \(HQ's store record, or npm run provision -- --legal store\.json\)/],
      [{ orgNumber: '556677-8898' }, /orgNumber must be .* got "556677-8898"/],
      [{ address: '' }, /\(address\)/],
      [{ companyName: undefined }, /\(companyName\)/],
    ];
    for (const [l, why] of cases) {
      const logs: string[] = [];
      const cu = controlUnitFor('SE', ':memory:', withLegal(l), clock.now, (line) => logs.push(line), simulator)!;
      expect(logs[0]).toMatch(why);
      expect(() => cu.register()).toThrow(why);
      cu.port!.close();
    }
  });
});

describe('the control unit as provisioned (core/fiscal/control-unit/config.ts)', () => {
  it('reads --control-unit as store IT types it, keeps it in the database, and refuses anything else by name', () => {
    expect(parseControlUnitArg('none')).toEqual({ kind: 'none' });
    expect(parseControlUnitArg('simulator')).toEqual({ kind: 'simulator' });
    expect(parseControlUnitArg('cleancash@/dev/ttyUSB0')).toEqual({ kind: 'vendor', vendor: 'cleancash', device: '/dev/ttyUSB0' });
    expect(() => parseControlUnitArg('cleancash')).toThrow(/--control-unit is none, simulator or <vendor>@<device>.*got "cleancash"/);
    expect(() => parseControlUnitArg('Clean Cash@x')).toThrow(/a vendor is 2–32 lower-case letters/);
    const db = openDatabase(join(t.dir, 'cu-config.db'));
    expect(loadControlUnitConfig(db)).toBeNull();
    saveControlUnitConfig(db, parseControlUnitArg('cleancash@10.0.0.7:4000'));
    expect(loadControlUnitConfig(db)).toEqual({ kind: 'vendor', vendor: 'cleancash', device: '10.0.0.7:4000' });
    saveControlUnitConfig(db, { kind: 'simulator' });
    expect(describeControlUnit(loadControlUnitConfig(db))).toBe('simulator');
    db.prepare("UPDATE terminal_meta SET value = '{\"kind\":\"magic\"}' WHERE key = 'se.control_unit'").run();
    expect(() => loadControlUnitConfig(db)).toThrow(/control unit refused \(in the database\)/);
    db.close();
  });
});

describe('the store’s particulars in the terminal’s database (core/markets/store-legal.ts)', () => {
  it('are kept as provisioned, read back checked, and a bad file or stored value is refused by field', () => {
    const db = openDatabase(join(t.dir, 'legal.db'));
    expect(loadStoreLegal(db)).toBeNull();
    const file = join(t.dir, 'store.json');
    writeFileSync(file, JSON.stringify({ address: 'Götgatan 1, Stockholm', orgNumber: '556677-8899', vatId: 'SE556677889901', companyName: 'Kassa Livs AB', tillId: 'SOD-K3' }));
    saveStoreLegal(db, readStoreLegalFile(file));
    expect(loadStoreLegal(db)).toEqual({ address: 'Götgatan 1, Stockholm', orgNumber: '556677-8899', vatId: 'SE556677889901', companyName: 'Kassa Livs AB', tillId: 'SOD-K3' });
    writeFileSync(file, JSON.stringify({ address: 'x', orgNumber: '1', vatId: '', tillId: 'SOD K3!' }));
    expect(() => readStoreLegalFile(file)).toThrow(/tillId a kassabeteckning is 1–16 letters, digits or dashes/);
    writeFileSync(file, '{not json');
    expect(() => readStoreLegalFile(file)).toThrow(/store particulars refused/);
    db.prepare("UPDATE terminal_meta SET value = '{\"address\":1}' WHERE key = 'store.legal'").run();
    expect(() => loadStoreLegal(db)).toThrow(/store particulars refused \(in the database\): address/);
    db.close();
  });
});
