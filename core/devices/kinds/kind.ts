/**
 * What one device kind module gives the device manager (core/devices/manager.ts): from its entry
 * in devices.json it builds the driver (or, for a "simulated" entry, the simulator and the driver
 * talking to it), says how the device's status reads for the lane and store IT, what test actions
 * store IT has, and what it hands the lane (print queue, scale, drawer, cash unit, payment
 * terminal). The registry (./registry.ts) maps each kind to its module.
 */
import type { LaneService } from '../../lane/host';
import type { Db } from '../../db';
import type { Clock } from '../../clock';
import type { PrintQueue } from '../../printing/queue';
import type { LogoImage } from '../../printing/logo';
import type { CashDevicePort } from '../../payments/cash-device';
import type { PaymentPort } from '../../payments/port';
import type { DeviceConfig } from '../config';
import type { CashDrawer } from '../drawer';
import type { WeightSource } from '../scale';
import type { DeviceDetailCode, DeviceStatus, DeviceTestCode } from '../../../protocol/terminal';
import type { DriverState } from '../../../drivers/contract';

export const DEVICE_ACTIONS = ['testPrint', 'openDrawer', 'showText', 'readWeight', 'simulateScan', 'simulateOffline', 'insertCash', 'cashJam', 'cashFull', 'cashShort', 'cashClear'] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

export interface DeviceTestOutcome {
  ok: boolean;
  code: DeviceTestCode;
  params: Record<string, string | number>;
  message: string;
}

/** A test's outcome: its code and parameters for the UI, its English for logs. */
export function outcome(ok: boolean, code: DeviceTestCode, message: string, params: Record<string, string | number> = {}): DeviceTestOutcome {
  return { ok, code, params, message };
}

export type DeviceStatusReading = Pick<DeviceStatus, 'state' | 'detail' | 'detailCode'>;

/** A running device as the manager keeps it. */
export interface Managed {
  id: string;
  kind: DeviceStatus['kind'];
  connection: string;
  status(): DeviceStatusReading;
  /** Subscribes to status changes. */
  watch(changed: () => void): void;
  actions: Partial<Record<DeviceAction, (arg: string) => DeviceTestOutcome | Promise<DeviceTestOutcome>>>;
  /** What a simulated device has printed or shown, as text. */
  printout?: () => string;
}

/** A driver's reachability as the lane's status ("online, connected" / "offline, not connected: why"). */
export function linkStatus(d: { state: DriverState; reason: string }, onlineText = 'connected', onlineCode: DeviceDetailCode = 'connected'): DeviceStatusReading {
  return d.state === 'online' ? { state: 'online', detail: onlineText, detailCode: onlineCode } : { state: 'offline', detail: `not connected: ${d.reason}`, detailCode: 'notConnected' };
}

export interface DeviceManagerOptions {
  log: (line: string) => void;
  /** The core's clock (print jobs, test pages, the simulated payment terminal). */
  now?: Clock;
  /** Printed at the top of receipts and test pages. */
  logo?: LogoImage | null;
  /** The store's currency: a cash device takes only its coins and notes; card payments are in it. */
  currency?: string;
  /** The store's time zone and locale (the payment terminal's dates; the simulated terminal's language). */
  timeZone?: string;
  locale?: string;
  /** The lane's database file: a simulated payment terminal keeps its own record beside it. */
  dbPath?: string;
  /**
   * A print queue that outlives this set of devices (the lane keeps it across a restart with a new
   * configuration): the printer attaches to it and lets go of it on stop.
   */
  printQueue?: PrintQueue;
}

/** What a kind module gets to build its device. */
export interface KindContext {
  db: Db;
  opts: DeviceManagerOptions;
  log: (line: string) => void;
  now: Clock;
  /** Runs at stop, after the device's own stop (simulators, PTY pairs). */
  onStop(fn: () => Promise<void> | void): void;
  /** A simulator on the device end of a fresh PTY pair; returns the path the driver opens. */
  simulatedSerial(open: (device: string) => Promise<{ close(): Promise<void> }>): Promise<string>;
  /** The print queue a printer started before this one in the same set, if any. */
  printQueue: PrintQueue | null;
}

/** What a started device gives the manager. */
export interface StartedDevice {
  managed: Managed;
  /** Connects it to the lane, once the lane exists. */
  attach?(service: LaneService): void;
  /** Attached before the other devices (the printer). */
  attachFirst?: boolean;
  /** Stops its driver. */
  stop(): Promise<void> | void;
  /** What it hands the lane. */
  provides?: {
    printQueue?: PrintQueue;
    scale?: WeightSource;
    /** A drawer of its own (serial) wins over one behind the printer. */
    drawer?: { drawer: CashDrawer; priority: 'own' | 'printer' };
    cash?: CashDevicePort;
    payments?: PaymentPort;
  };
}

export interface DeviceKind<C extends DeviceConfig> {
  /** A kind whose device the lane holds for its whole run (the payment terminal): restarting the devices leaves it running. */
  lasting?: boolean;
  start(config: C, ctx: KindContext): Promise<StartedDevice>;
}
