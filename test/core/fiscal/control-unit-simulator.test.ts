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

describe('controlUnitFor (core/fiscal/control-unit/setup.ts)', () => {
  const legal = { address: 'Götgatan 1, Stockholm', orgNumber: '556677-8899', vatId: '', companyName: 'Kassa Livs AB' };
  const identity = { storeId: 'sthlm-01', storeName: 'Kassa Södermalm', laneId: '3', legal };
  const env = { KASSA_CONTROL_UNIT: 'simulator' };
  it('is off unless asked for, and only for a Swedish till', () => {
    expect(controlUnitFor('SE', ':memory:', identity, clock.now, () => {}, {})).toBeNull();
    expect(controlUnitFor('DE', ':memory:', identity, clock.now, () => {}, env)).toBeNull();
  });
  it('opens the simulator next to the database with the registration from the store’s particulars, not the environment', () => {
    const logs: string[] = [];
    const cu = controlUnitFor('SE', join(t.dir, 'lane.db'), identity, clock.now, (l) => logs.push(l), { ...env, KASSA_SE_ORGNR: '556000-0001', KASSA_SE_TILL_ID: 'X' })!;
    expect(cu.register).toEqual({ orgNumber: '556677-8899', companyName: 'Kassa Livs AB', address: 'Götgatan 1, Stockholm', tillId: 'sthlm-01-3' });
    expect(logs[0]).toContain(cu.unit.manufacturingNumber());
    expect(existsSync(join(t.dir, 'lane.db-cu.sqlite'))).toBe(true);
    cu.unit.close();
    expect(seRegisterOf({ ...identity, legal: { ...legal, tillId: 'SOD-K3' } }).tillId).toBe('SOD-K3');
  });
  it('refuses no particulars, a wrong organisation number, a missing company or address, and an unknown unit', () => {
    const withLegal = (l: Partial<typeof legal> | null) => ({ ...identity, legal: l === null ? null : { ...legal, ...l } });
    expect(() => controlUnitFor('SE', ':memory:', withLegal(null), clock.now, () => {}, env)).toThrow(/not provisioned \(npm run provision -- --legal store\.json\)/);
    expect(() => controlUnitFor('SE', ':memory:', withLegal({ orgNumber: '556677-8898' }), clock.now, () => {}, env)).toThrow(/orgNumber must be .* got "556677-8898"/);
    expect(() => controlUnitFor('SE', ':memory:', withLegal({ address: '' }), clock.now, () => {}, env)).toThrow(/\(address\)/);
    expect(() => controlUnitFor('SE', ':memory:', withLegal({ companyName: undefined }), clock.now, () => {}, env)).toThrow(/\(companyName\)/);
    expect(() => controlUnitFor('SE', ':memory:', identity, clock.now, () => {}, { KASSA_CONTROL_UNIT: 'cleancash' })).toThrow(/simulator or none/);
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
