/**
 * The device-kind registry: every kind devices.json may name has its module; the payment terminal
 * is one of them, the --zvt shortcut stands for its entry, and it runs through the device holder
 * like any device (status, store IT's unplug test) while a restart of the devices leaves it running.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceSchema, paymentTerminalEntry, withPaymentTerminal, type DeviceConfig } from '../../../core/devices/config';
import { DEVICE_KINDS } from '../../../core/devices/kinds/registry';
import { DeviceHolder } from '../../../core/devices/holder';
import type { Db } from '../../../core/db';
import type { LaneService } from '../../../core/lane/host';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { ZvtSimulator } from '../../../drivers/zvt/simulator';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

describe('device-kind registry', () => {
  it('has a module for every kind the device file may name, and nothing else', () => {
    const kinds = DeviceSchema.options.map((o) => o.shape.kind.value).sort();
    expect(Object.keys(DEVICE_KINDS).sort()).toEqual(kinds);
    for (const k of kinds) expect(typeof DEVICE_KINDS[k].start).toBe('function');
  });

  it('--zvt stands for a valid zvtTerminal entry; it replaces the file’s, the demo adds a simulated one only where the file has none', () => {
    for (const flag of ['simulated', 'tcp:10.0.0.7:20007', 'serial:/dev/ttyUSB0']) expect(DeviceSchema.safeParse(paymentTerminalEntry(flag)).success).toBe(true);
    expect(paymentTerminalEntry('tcp:10.0.0.7:20007')).toEqual({ kind: 'zvtTerminal', id: 'payment-terminal', transport: { type: 'tcp', host: '10.0.0.7', port: 20007 } });
    const file: DeviceConfig[] = [
      { kind: 'keyboardWedge', id: 'wedge' },
      { kind: 'zvtTerminal', id: 'card', transport: { type: 'serial', path: '/dev/ttyS0' } },
    ];
    expect(withPaymentTerminal(file, { flag: 'simulated', demo: false }).map((d) => d.id)).toEqual(['wedge', 'payment-terminal']);
    expect(withPaymentTerminal(file, { flag: null, demo: true })).toEqual(file);
    expect(withPaymentTerminal(file.slice(0, 1), { flag: null, demo: true }).map((d) => d.id)).toEqual(['wedge', 'payment-terminal']);
    expect(withPaymentTerminal(file.slice(0, 1), { flag: null, demo: false }).map((d) => d.id)).toEqual(['wedge']);
  });
});

describe('the payment terminal as a device', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: Db;
  let holder: DeviceHolder;
  let s: LaneService;
  const log: string[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    db = demoDb(tmp.dir);
    const amend = (list: readonly DeviceConfig[]) => withPaymentTerminal(list, { flag: 'simulated', demo: false });
    holder = await DeviceHolder.start([{ kind: 'keyboardWedge', id: 'wedge' }], db, { log: (l) => log.push(l), dbPath: `${tmp.dir}/lane.db` }, amend);
    expect(holder.payments).not.toBeNull();
    s = openDemoLane(db, { payments: holder.payments! });
    holder.attach(s);
  });
  afterEach(async () => {
    s.dispose();
    await holder.stop();
    db.close();
    tmp.cleanup();
  });

  const terminal = () => s.snapshot().devices.list.find((d) => d.id === 'payment-terminal');

  it('registers, is unplugged and plugged back by store IT, and keeps running when the devices restart', async () => {
    await until('registered', () => terminal()?.detailCode === 'registered', 10_000);
    expect(terminal()?.kind).toBe('payment');
    expect(holder.describe().find((d) => d.id === 'payment-terminal')?.actions).toEqual(['simulateOffline']);
    expect((await holder.test('payment-terminal', 'simulateOffline')).code).toBe('terminalDown');
    await until('offline', () => terminal()?.state === 'offline', 10_000);
    expect((await holder.test('payment-terminal', 'simulateOffline')).code).toBe('terminalUp');
    await until('registered again', () => terminal()?.detailCode === 'registered', 15_000);
    const r = await holder.restart([]);
    expect(r).toEqual({ started: 0, notes: [] });
    expect(holder.describe().map((d) => d.id)).toEqual(['payment-terminal']);
    expect(terminal()?.state).toBe('online');
  });
});

describe('registering with a terminal that is busy', () => {
  it('tries again while the terminal says "please wait" and is registered once it is free; a refusal stands', async () => {
    const tmp = tempDir();
    const db = demoDb(tmp.dir);
    const sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300 });
    const port = await sim.listen(0);
    sim.busy = true; // still finishing what it did before the till connected
    const log: string[] = [];
    const holder = await DeviceHolder.start([{ kind: 'zvtTerminal', id: 'card', transport: { type: 'tcp', host: '127.0.0.1', port } }], db, { log: (l) => log.push(l), dbPath: `${tmp.dir}/lane.db` });
    const s = openDemoLane(db, { payments: holder.payments! });
    holder.attach(s);
    const card = () => s.snapshot().devices.list.find((d) => d.id === 'card');
    try {
      await until('registering', () => card()?.detailCode === 'registering', 10_000);
      expect(card()?.state).toBe('warning');
      await until('asked twice', () => sim.commands.filter((c) => c === '0600').length >= 2, 10_000);
      sim.busy = false;
      await until('registered', () => card()?.detailCode === 'registered', 15_000);
      expect(log.some((l) => l.includes('please wait (trying again)'))).toBe(true);

      // A refusal (wrong currency) is not tried again until the link comes up again.
      sim.refuseRegistration = 0x6f;
      await sim.close();
      await until('offline', () => card()?.state === 'offline', 10_000);
      await sim.listen(port);
      await until('refused', () => card()?.detailCode === 'registrationRefused', 15_000);
      const asked = sim.commands.filter((c) => c === '0600').length;
      await new Promise((r) => setTimeout(r, 1_500));
      expect(sim.commands.filter((c) => c === '0600').length).toBe(asked);
    } finally {
      s.dispose();
      await holder.stop();
      await sim.close();
      db.close();
      tmp.cleanup();
    }
  });
});
