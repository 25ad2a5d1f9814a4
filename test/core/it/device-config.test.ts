/**
 * Store IT's device configuration editor on a real file: every problem is named by device and
 * field and nothing is saved; a valid configuration is written atomically and the running devices
 * are replaced by the new set (the lane's receipts go to the new printer), journalled with who.
 * And the core reads `<db>.devices.json` at start when it was saved there.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDeviceConfig } from '../../../core/devices/config';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { CoreError } from '../../../core/errors';
import { startCore } from '../../../core/main';
import { openDatabase } from '../../../core/db';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { ApiClient } from '../../helpers/core-process';
import { run } from '../../helpers/lane';
import { IT, openStoreItLane, SUPERVISOR, type StoreItLane } from '../../helpers/store-it';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const START = {
  devices: [
    { kind: 'escposPrinter', id: 'printer', transport: { type: 'simulated' }, pollMs: 50 },
    { kind: 'keyboardWedge', id: 'wedge', maxKeyGapMs: 25, minLength: 6 },
  ],
};
const NEXT = {
  devices: [
    { kind: 'escposPrinter', id: 'bon', transport: { type: 'simulated' }, pollMs: 50 },
    { kind: 'hidScanner', id: 'scanner', vendorId: 0x0c2e, productId: 0x0b61, simulated: true },
  ],
};

let tmp: ReturnType<typeof tempDir>;
let lane: StoreItLane;

beforeEach(async () => {
  tmp = tempDir('kassa-it-config-');
  const file = join(tmp.dir, 'devices.json');
  writeFileSync(file, JSON.stringify(START, null, 2));
  lane = await openStoreItLane(tmp.dir, { devices: START, devicesFile: file });
});
afterEach(async () => {
  await lane.close();
  tmp.cleanup();
});

const refusal = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    return (e as CoreError).code;
  }
  throw new Error('not refused');
};

describe('device configuration checks', () => {
  it('names every problem of every device by field, with a code the UI words', () => {
    const { devices, problems } = checkDeviceConfig(
      JSON.stringify({
        devices: [
          { kind: 'escposPrinter', id: 'ok', transport: { type: 'tcp', host: '10.0.0.5', port: 9100 } },
          { kind: 'escposPrinter', id: 'Bad Id', transport: { type: 'tcp', host: '10.0.0.6', port: 70000 }, colour: 'red' },
          { kind: 'toledoScale', id: 'scale' },
          { kind: 'coffeeMachine', id: 'x' },
          { kind: 'serialScanner', id: 'ok', path: '/dev/ttyACM0' },
          { kind: 'serialScanner', id: 'scan', path: 'COM3', baudRate: 1234, suffix: 'TAB' },
          { kind: 'escposPrinter', id: 'p3', transport: { type: 'tcp', host: '10.0.0.7', port: '9100' } },
          7,
        ],
      }),
    );
    expect(devices.map((d) => d.id)).toEqual(['ok']);
    expect(problems.map((p) => [p.device, p.field, p.code])).toEqual([
      ['Bad Id', 'id', 'format'],
      ['Bad Id', 'transport.port', 'tooBig'],
      ['Bad Id', null, 'unknownField'],
      ['scale', 'path', 'missing'],
      ['x', 'kind', 'unknownKind'],
      ['ok', 'id', 'duplicateId'],
      ['scan', 'path', 'format'],
      ['scan', 'baudRate', 'oneOf'],
      ['scan', 'suffix', 'oneOf'],
      ['p3', 'transport.port', 'wrongType'],
      ['#8', null, 'notObject'],
    ]);
    const byCode = Object.fromEntries(problems.map((p) => [`${p.device}/${p.field === 'suffix' ? 'suffix' : p.code}`, p]));
    expect(byCode['Bad Id/tooBig']!.params).toMatchObject({ max: 65535 });
    expect(byCode['Bad Id/unknownField']!.params).toEqual({ keys: 'colour' });
    expect(byCode['scan/oneOf']!.params.options).toBe('9600, 19200, 38400, 57600, 115200');
    expect(byCode['scan/format']!.params).toMatchObject({ hint: 'path' });
    expect(byCode['p3/wrongType']!.params).toEqual({ expected: 'number', got: 'string' });
    expect(byCode['x/unknownKind']!.message).toMatch(/"coffeeMachine" is not a device kind \(escposPrinter, /);
    expect(checkDeviceConfig('{"devices": [').problems[0]).toMatchObject({ code: 'json', device: null, params: { line: 1, column: 14 } });
    // A syntax error is placed by line and column, as an editor counts them.
    const broken = '{\n  "devices": [\n    { "kind": "toledoScale", "id": "s" }\n    { "kind": "x" }\n  ]\n}\n';
    expect(checkDeviceConfig(broken).problems[0]).toMatchObject({ code: 'json', params: { line: 4, column: 5 } });
    // A duplicate id is reported together with the other problems, also when a device is invalid otherwise.
    const dup = checkDeviceConfig(JSON.stringify({ devices: [{ kind: 'toledoScale', id: 's' }, { kind: 'toledoScale', id: 's', path: '/dev/ttyS0' }] }));
    expect(dup.problems.map((p) => [p.device, p.field, p.code])).toEqual([
      ['s', 'path', 'missing'],
      ['s', 'id', 'duplicateId'],
    ]);
    expect(checkDeviceConfig('{"printers": []}').problems[0]).toMatchObject({ code: 'notList', field: 'devices' });
    expect(checkDeviceConfig('{"devices": []}').problems).toEqual([]);
    // The kiosk image's screens (beside the devices, read by the kiosk session) are checked too.
    expect(checkDeviceConfig('{"devices": [], "screens": {"lane": "HDMI-A-1", "customer": "off"}}').problems).toEqual([]);
    expect(checkDeviceConfig('{"devices": [], "screens": {"lane": 1, "main": "DP-1"}}').problems.map((p) => [p.device, p.field, p.code])).toEqual([
      ['screens', 'lane', 'wrongType'],
      ['screens', null, 'unknownField'],
    ]);
  });
});

describe('device configuration editor (store IT)', () => {
  it('is for store IT only: a cashier is asked for IT, a supervisor is refused, IT reads the file', () => {
    expect(refusal(() => lane.it.readConfig(undefined))).toBe('APPROVAL_REQUIRED');
    expect(refusal(() => lane.it.readConfig(SUPERVISOR))).toBe('APPROVAL_DENIED');
    expect(refusal(() => lane.it.readConfig({ operator: '9', pin: '0000' }))).toBe('BAD_CREDENTIALS');
    const r = lane.it.readConfig(IT);
    expect(r).toMatchObject({ source: 'file', file: lane.devicesFile, problems: [], saved: false });
    expect(JSON.parse(r.text)).toEqual(START);
  });

  it('an invalid configuration is not saved: the file, the devices and the journal stay as they were', async () => {
    const before = readFileSync(lane.devicesFile);
    const journalBefore = lane.db.prepare('SELECT count(*) AS n FROM journal').get();
    const bad = JSON.stringify({ devices: [{ kind: 'escposPrinter', id: 'printer', transport: { type: 'tcp', host: '', port: 9100 } }, { kind: 'keyboardWedge', id: 'wedge', maxKeyGapMs: 500 }] });
    const r = await lane.it.saveConfig(bad, true, IT);
    expect(r.saved).toBe(false);
    expect(r.problems.map((p) => `${p.device}.${p.field}:${p.code}`)).toEqual(['printer.transport.host:tooSmall', 'wedge.maxKeyGapMs:tooBig']);
    expect(readFileSync(lane.devicesFile)).toEqual(before);
    expect(lane.devices.describe().map((d) => d.id)).toEqual(['printer', 'wedge']);
    expect(lane.db.prepare('SELECT count(*) AS n FROM journal').get()).toEqual(journalBefore);
    // A check alone never saves, even a valid text.
    const check = await lane.it.saveConfig(JSON.stringify(NEXT), false, IT);
    expect(check).toMatchObject({ saved: false, problems: [] });
    expect(readFileSync(lane.devicesFile)).toEqual(before);
  });

  it('a valid configuration is written atomically and applied: old devices stop, new ones run, receipts print on the new printer', async () => {
    await until('printer online', () => lane.service.snapshot().devices.list.some((d) => d.id === 'printer' && d.state === 'online'));
    const text = JSON.stringify(NEXT, null, 2);
    const r = await lane.it.saveConfig(text, true, IT);
    expect(r).toMatchObject({ saved: true, started: 2, problems: [], notes: [] });
    expect(readFileSync(lane.devicesFile, 'utf8')).toBe(`${text}\n`);
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(lane.devices.describe().map((d) => d.id)).toEqual(['bon', 'scanner']);
    // The lane's device list follows: the removed ones are gone, the new ones come online.
    await until('new devices online', () => {
      const list = lane.service.snapshot().devices.list;
      return list.map((d) => d.id).sort().join() === 'bon,scanner' && list.every((d) => d.state === 'online');
    });
    expect(lane.service.snapshot().devices.wedge).toEqual({ maxKeyGapMs: 30, minLength: 4 }); // the wedge settings left with the wedge
    // Device tests reach the new set; the lane's receipts go to the new printer through the same queue.
    expect(await lane.devices.test('scanner', 'simulateScan', DEMO_ITEMS.milk.codes[0]!)).toMatchObject({ ok: true });
    await until('scanned line', () => (lane.service.snapshot().checkout?.lines.length ?? 0) === 1);
    run(lane.service, { cmd: 'tenderCash' });
    run(lane.service, { cmd: 'complete' });
    const paper = () => lane.devices.describe().find((d) => d.id === 'bon')!.printout ?? '';
    await until('receipt printed on the new printer', () => paper().includes('Testbutiken'));
    // Journalled and logged with who.
    const entry = lane.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'device.config'").get();
    expect(JSON.parse(entry!.body)).toMatchObject({ by: '9', file: lane.devicesFile, devices: ['bon', 'scanner'], lane: '1', operator: '1' });
    expect(lane.lines.some((l) => /device configuration saved to .*devices\.json by operator 9/.test(l))).toBe(true);
    // What the editor shows now is the saved file.
    expect(lane.it.readConfig(IT).text).toBe(`${text}\n`);
  });
});

describe('the core and its device file', () => {
  it('without --devices, store IT saves beside the database and the core uses that file from then on', async () => {
    const dir = tempDir('kassa-it-core-');
    try {
      const dbPath = join(dir.dir, 'kassa.db');
      const db = openDatabase(dbPath);
      generateCatalog(db, { items: 50 });
      seedDemoOperators(new Operators(db));
      db.close();
      const token = randomBytes(24).toString('base64url');
      const opts = { db: dbPath, port: 0, profile: 'SE', demo: false, storeId: 'st-1', storeName: 'Butik', laneId: '3', uiDir: null, token, devices: null, log: () => {} };
      let core = await startCore(opts);
      let client = await ApiClient.connect(core.port, core.token);
      expect(client.snapshot!.devices.list).toEqual([]);
      const text = JSON.stringify({ devices: [{ kind: 'keyboardWedge', id: 'wedge', maxKeyGapMs: 20, minLength: 5 }] });
      const saved = await client.send({ cmd: 'saveDeviceConfig', text, save: true, approval: IT });
      expect(saved).toMatchObject({ type: 'ack', result: { deviceConfig: { saved: true, file: `${dbPath}.devices.json`, started: 1 } } });
      expect(existsSync(`${dbPath}.devices.json`)).toBe(true);
      const log = await client.send({ cmd: 'serviceLog', filter: 'DEVICE CONFIGURATION SAVED', approval: IT });
      expect(log.type === 'ack' && log.result && 'serviceLog' in log.result ? log.result.serviceLog.lines.map((l) => l.text) : log).toEqual([
        `device configuration saved to ${dbPath}.devices.json by operator 9 (1 devices: wedge); restarting the devices`,
      ]);
      client.close();
      await core.close();
      core = await startCore(opts);
      client = await ApiClient.connect(core.port, core.token);
      expect(client.snapshot!.devices.list.map((d) => d.id)).toEqual(['wedge']);
      expect(client.snapshot!.devices.wedge).toEqual({ maxKeyGapMs: 20, minLength: 5 });
      const info = await client.send({ cmd: 'serviceInfo', approval: IT });
      expect(info).toMatchObject({ type: 'ack', result: { serviceInfo: { storeId: 'st-1', laneId: '3', devicesFile: `${dbPath}.devices.json`, database: dbPath, terminalId: null } } });
      client.close();
      await core.close();
    } finally {
      dir.cleanup();
    }
  });
});
