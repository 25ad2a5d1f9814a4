/**
 * Starts the configured devices and their simulators, wires them to the lane, reports each
 * device's live status to it, offers store IT test actions, and stops them. Each device kind is one
 * module in ./kinds, found through the registry. A device that is not there keeps being retried
 * with backoff in its driver; a device that cannot even be built is logged and left out. Either way
 * the lane sells without it.
 */
import type { LaneService } from '../lane/host';
import type { Db } from '../db';
import type { PrintQueue } from '../printing/queue';
import type { CashDevicePort } from '../payments/cash-device';
import type { PaymentPort } from '../payments/port';
import type { DeviceStatus } from '../../protocol/terminal';
import { openPtyPair } from '../../drivers/serial/pty';
import { systemClock } from '../clock';
import type { DeviceConfig } from './config';
import type { CashDrawer } from './drawer';
import type { WeightSource } from './scale';
import { kindOf } from './kinds/registry';
import { outcome, type DeviceAction, type DeviceManagerOptions, type DeviceTestOutcome, type KindContext, type Managed, type StartedDevice } from './kinds/kind';

export { DEVICE_ACTIONS, type DeviceAction, type DeviceManagerOptions, type DeviceTestOutcome } from './kinds/kind';

export interface StartedDevices {
  printQueue: PrintQueue | null;
  scale: WeightSource | null;
  /** The payment terminal's port, when one is configured and could be built. */
  payments: PaymentPort | null;
  /** Connects devices that feed the lane (scanners, printer status); call once the lane exists. */
  attach(service: LaneService): void;
  /** Runs a store-IT test action on one device. */
  test(id: string, action: DeviceAction, arg?: string): Promise<DeviceTestOutcome>;
  /** The devices, their actions, and (for simulated printers) the paper. */
  describe(): Array<{ id: string; kind: DeviceStatus['kind']; actions: DeviceAction[]; printout: string | null }>;
  stop(): Promise<void>;
}

/** What the started devices hand the lane: the last of each kind wins, a drawer of its own over the printer's. */
interface Provided {
  printQueue: PrintQueue | null;
  scale: WeightSource | null;
  ownDrawer: CashDrawer | null;
  printerDrawer: CashDrawer | null;
  cash: CashDevicePort | null;
  payments: PaymentPort | null;
}

function collect(p: Provided, d: StartedDevice, sharedQueue: PrintQueue | null): void {
  const g = d.provides;
  if (!g) return;
  if (g.printQueue && (p.printQueue === null || p.printQueue !== sharedQueue)) p.printQueue = g.printQueue;
  if (g.scale) p.scale = g.scale;
  if (g.drawer?.priority === 'own') p.ownDrawer = g.drawer.drawer;
  if (g.drawer?.priority === 'printer') p.printerDrawer = g.drawer.drawer;
  if (g.cash) p.cash = g.cash;
  if (g.payments) p.payments = g.payments;
}

/** Tells the lane a device's status now and at each change; each change goes to the log too (store IT reads there what happened when). */
function reportStatus(m: Managed, service: LaneService, log: (line: string) => void): void {
  let last = '';
  const report = () => {
    const st = m.status();
    const line = `${st.state} (${st.detail})`;
    if (last && line !== last) log(`${m.id}: ${line}`);
    last = line;
    service.setDeviceStatus({ id: m.id, kind: m.kind, connection: m.connection, ...st });
  };
  m.watch(report);
  report();
}

export async function startDevices(devices: readonly DeviceConfig[], db: Db, options: DeviceManagerOptions | ((line: string) => void)): Promise<StartedDevices> {
  const opts: DeviceManagerOptions = typeof options === 'function' ? { log: options } : options;
  const { log } = opts;
  const started: StartedDevice[] = [];
  /** Simulators and PTY pairs, closed after every driver stopped. */
  const afterStops: Array<() => Promise<void> | void> = [];
  const provided: Provided = { printQueue: null, scale: null, ownDrawer: null, printerDrawer: null, cash: null, payments: null };
  const ctx: KindContext = {
    db,
    opts,
    log,
    now: opts.now ?? systemClock,
    onStop: (fn) => void afterStops.push(fn),
    async simulatedSerial(open) {
      const pty = await openPtyPair();
      const sim = await open(pty.device);
      afterStops.push(async () => {
        await sim.close();
        await pty.close();
      });
      return pty.host;
    },
    get printQueue() {
      return provided.printQueue;
    },
  };

  for (const d of devices) {
    try {
      const dev = await kindOf(d).start(d, ctx);
      started.push(dev);
      collect(provided, dev, opts.printQueue ?? null);
    } catch (err) {
      log(`${d.id}: not started (${err instanceof Error ? err.message : String(err)}); the lane sells without it`);
    }
  }

  const managed = started.map((d) => d.managed);
  return {
    printQueue: provided.printQueue,
    scale: provided.scale,
    payments: provided.payments,
    attach(service) {
      for (const d of [...started.filter((x) => x.attachFirst).reverse(), ...started.filter((x) => !x.attachFirst)]) d.attach?.(service);
      service.setCashDrawer(provided.ownDrawer ?? provided.printerDrawer);
      service.setCashDevice(provided.cash);
      for (const m of managed) reportStatus(m, service, log);
    },
    async test(id, action, arg = '') {
      const m = managed.find((x) => x.id === id);
      if (!m) return outcome(false, 'noDevice', `no device "${id}"`, { id });
      const fn = m.actions[action];
      if (!fn) return outcome(false, 'noAction', `${id} cannot ${action}`, { id, action });
      try {
        return await fn(arg);
      } catch (err) {
        const detail = err instanceof Error ? err.message : String(err);
        return outcome(false, 'failed', detail, { detail });
      }
    },
    describe() {
      return managed.map((m) => ({ id: m.id, kind: m.kind, actions: Object.keys(m.actions) as DeviceAction[], printout: m.printout ? m.printout() : null }));
    },
    async stop() {
      for (const d of [...started].reverse()) await d.stop();
      for (const s of afterStops) await s();
    },
  };
}
