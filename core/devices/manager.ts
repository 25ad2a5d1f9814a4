/**
 * Starts the configured devices and their simulators, wires them to the lane, reports each
 * device's live status to it, offers store IT test actions, and stops them. A device that is not
 * there keeps being retried with backoff in its driver; a device that cannot even be built is logged
 * and left out. Either way the lane sells without it.
 */
import type { LaneService } from '../lane/host';
import type { Db } from '../db';
import { PrintQueue } from '../printing/queue';
import { connectPrinter, printerDetail, printerDetailCode, printerStateOf } from '../printing/device';
import { encodeReceipt } from '../printing/escpos-receipt';
import { dialog06WeightSource, scaleWeightSource, type WeightSource } from './scale';
import { feedScanner } from './scanner';
import type { DeviceConfig } from './config';
import type { CashDrawer } from './drawer';
import type { DeviceDetailCode, DeviceStatus, DeviceTestCode } from '../../protocol/terminal';
import type { EscPosPrinter } from '../../drivers/escpos/printer';
import { PrinterSimulator } from '../../drivers/escpos/simulator';
import { openPtyPair } from '../../drivers/serial/pty';
import { ScaleSimulator } from '../../drivers/scale/simulator';
import { ToledoScale } from '../../drivers/scale/device';
import { Dialog06Scale } from '../../drivers/scale/dialog06-device';
import { Dialog06Simulator } from '../../drivers/scale/dialog06-simulator';
import { SerialScanner } from '../../drivers/scanner/serial';
import { PoleDisplay } from '../../drivers/display/device';
import { DisplaySimulator } from '../../drivers/display/simulator';
import { HidPosScanner } from '../../drivers/hidpos/scanner';
import { HidScannerSimulator } from '../../drivers/hidpos/simulator';
import { nodeHidBackend } from '../../drivers/hidpos/backend';
import { SerialDrawer } from '../../drivers/drawer/serial';
import { DrawerSimulator } from '../../drivers/drawer/simulator';
import { displayLines, feedDisplay } from './display';
import { startCashDevice } from './cash';
import type { CashDevicePort } from '../payments/cash-device';
import type { LogoImage } from '../printing/logo';
import { uuidv7 } from '../ids';
import { systemClock, type Clock } from '../clock';

export const DEVICE_ACTIONS = ['testPrint', 'openDrawer', 'showText', 'readWeight', 'simulateScan', 'simulateOffline', 'insertCash', 'cashJam', 'cashFull', 'cashShort', 'cashClear'] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

export interface DeviceTestOutcome {
  ok: boolean;
  code: DeviceTestCode;
  params: Record<string, string | number>;
  message: string;
}

/** A test's outcome: its code and parameters for the UI, its English for logs. */
function outcome(ok: boolean, code: DeviceTestCode, message: string, params: Record<string, string | number> = {}): DeviceTestOutcome {
  return { ok, code, params, message };
}

interface Managed {
  id: string;
  kind: DeviceStatus['kind'];
  connection: string;
  status(): Pick<DeviceStatus, 'state' | 'detail' | 'detailCode'>;
  /** Subscribes to status changes. */
  watch(changed: () => void): void;
  actions: Partial<Record<DeviceAction, (arg: string) => DeviceTestOutcome | Promise<DeviceTestOutcome>>>;
  /** What a simulated printer has put on paper, as text. */
  printout?: () => string;
}

export interface StartedDevices {
  printQueue: PrintQueue | null;
  scale: WeightSource | null;
  /** Connects devices that feed the lane (scanners, printer status); call once the lane exists. */
  attach(service: LaneService): void;
  /** Runs a store-IT test action on one device. */
  test(id: string, action: DeviceAction, arg?: string): Promise<DeviceTestOutcome>;
  /** The devices, their actions, and (for simulated printers) the paper. */
  describe(): Array<{ id: string; kind: DeviceStatus['kind']; actions: DeviceAction[]; printout: string | null }>;
  stop(): Promise<void>;
}

export interface DeviceManagerOptions {
  log: (line: string) => void;
  /** The core's clock (print jobs, test pages). */
  now?: Clock;
  /** Printed at the top of receipts and test pages. */
  logo?: LogoImage | null;
  /** The store's currency: a cash device takes only its coins and notes. */
  currency?: string;
  /**
   * A print queue that outlives this set of devices (the lane keeps it across a restart with a new
   * configuration): the printer attaches to it and lets go of it on stop.
   */
  printQueue?: PrintQueue;
}

const serialStatus = (d: { state: 'online' | 'offline'; reason: string }, onlineText = 'connected', onlineCode: DeviceDetailCode = 'connected') =>
  d.state === 'online' ? { state: 'online' as const, detail: onlineText, detailCode: onlineCode } : { state: 'offline' as const, detail: `not connected: ${d.reason}`, detailCode: 'notConnected' as const };

export async function startDevices(devices: readonly DeviceConfig[], db: Db, opts: DeviceManagerOptions | ((line: string) => void)): Promise<StartedDevices> {
  const { log, logo = null, printQueue: sharedQueue = null, now = systemClock } = typeof opts === 'function' ? { log: opts } : opts;
  const stops: Array<() => Promise<void> | void> = [];
  const attachers: Array<(s: LaneService) => void> = [];
  const managed: Managed[] = [];
  let printQueue: PrintQueue | null = null;
  let scale: WeightSource | null = null;
  let serialDrawer: CashDrawer | null = null;
  let printerDrawer: CashDrawer | null = null;
  let cashPort: CashDevicePort | null = null;
  /** A simulator on the device end of a fresh PTY pair; returns the path the driver opens. */
  const simulatedSerial = async (open: (device: string) => Promise<{ close(): Promise<void> }>): Promise<string> => {
    const pty = await openPtyPair();
    const sim = await open(pty.device);
    stops.push(async () => {
      await sim.close();
      await pty.close();
    });
    return pty.host;
  };

  for (const d of devices) {
    try {
      if (d.kind === 'escposPrinter') {
        let target: { host: string; port: number } | { path: string };
        let connection: string;
        let sim: PrinterSimulator | null = null;
        if (d.transport.type === 'simulated') {
          sim = new PrinterSimulator();
          // Nobody stands at a simulated drawer: it is pushed shut after a cashier's while (the
          // "drawer left open" alert stays meaningful in the demo).
          sim.autoShutDrawerMs = d.transport.drawerShutMs ?? 8_000;
          const port = await sim.listen(0);
          const s = sim;
          stops.push(() => s.close());
          target = { host: '127.0.0.1', port };
          connection = `simulated, TCP 127.0.0.1:${port}`;
          log(`${d.id}: simulated ESC/POS printer on 127.0.0.1:${port}`);
        } else if (d.transport.type === 'usb') {
          target = { path: d.transport.path };
          connection = `USB ${d.transport.path}`;
        } else {
          target = { host: d.transport.host, port: d.transport.port };
          connection = `TCP ${d.transport.host}:${d.transport.port}`;
        }
        const shared: boolean = sharedQueue !== null && printQueue !== sharedQueue;
        const queue: PrintQueue = shared && sharedQueue ? sharedQueue : new PrintQueue(db, now);
        if (printQueue === null || printQueue !== sharedQueue) printQueue = queue;
        let printer: EscPosPrinter | null = null;
        if (d.drawer !== false) printerDrawer = { open: () => printer?.pulseDrawer() ?? false };
        const m: Managed = {
          id: d.id,
          kind: 'printer',
          connection,
          status: () => {
            if (!printer) return { state: 'offline', detail: 'starting', detailCode: 'starting' };
            const st = printerStateOf(printer.state);
            return { state: st === 'ok' ? 'online' : st === 'paperLow' ? 'warning' : st === 'offline' ? 'offline' : 'warning', detail: printerDetail(printer.state), detailCode: printerDetailCode(printer.state) };
          },
          watch: (changed) => printer?.on('status', changed), // attach() creates the printer first
          actions: {
            testPrint: () => {
              const at = now().toISOString();
              const text = `TEST PAGE\n${d.id}: ${connection}\n${at}\nÅÄÖ åäö ÜüßÉé €\n[BARCODE] KASSA-TEST\n[QR] kassa test page ${at}\n`;
              queue.enqueue(`test:${uuidv7(now().getTime())}`, 'report', encodeReceipt(text, { logo }), at);
              return printer?.ready() ? outcome(true, 'testPageSent', 'test page sent to the printer') : outcome(true, 'testPageQueued', 'test page queued: it prints when the printer is ready');
            },
            ...(d.drawer !== false ? { openDrawer: () => (printer?.pulseDrawer() ? outcome(true, 'drawerPulseSent', 'drawer pulse sent') : outcome(false, 'notReachable', 'the printer is not reachable')) } : {}),
          },
          ...(sim ? { printout: () => sim.printedText() } : {}),
        };
        managed.push(m);
        attachers.unshift((s) => {
          printer = connectPrinter({ ...target, ...(d.pollMs ? { pollMs: d.pollMs } : {}) }, queue, (st) => s.setPrinterState(st), log, (open) => s.setDrawerOpen(open));
          const p = printer;
          const onUncertain = (w: string) => log(`${d.id}: ${w}`);
          queue.on('uncertain', onUncertain);
          stops.push(() => {
            queue.off('uncertain', onUncertain);
            p.stop();
            if (shared) queue.detach();
            else queue.stop();
          });
        });
      } else if (d.kind === 'toledoScale') {
        let path = d.path;
        if (path === 'simulated') {
          path = await simulatedSerial(async (device) => {
            const sim = new ScaleSimulator();
            await sim.open(device);
            sim.set({ grams: 1234, stable: true });
            return sim;
          });
          log(`${d.id}: simulated Toledo 8217 scale on ${path} (1,234 kg on the plate)`);
        }
        const dev = new ToledoScale(path, d.pollMs);
        dev.on('warning', (w) => log(`${d.id}: ${w}`));
        await dev.start();
        stops.unshift(() => dev.stop());
        const source = scaleWeightSource(dev);
        scale = source;
        managed.push({
          id: d.id,
          kind: 'scale',
          connection: `serial ${d.path === 'simulated' ? `${path} (simulated)` : path}`,
          status: () => (dev.isOnline() ? { state: 'online', detail: 'answering', detailCode: 'answering' } : { state: 'offline', detail: dev.reason, detailCode: 'notConnected' }),
          watch: (changed) => dev.on('state', changed),
          actions: {
            readWeight: () => {
              const w = source.weight();
              return 'grams' in w ? outcome(true, 'weight', `${(w.grams / 1000).toFixed(3)} kg, stable`, { grams: w.grams }) : outcome(false, 'noWeight', `no weight: ${w.refused}`, { reason: w.refused });
            },
          },
        });
      } else if (d.kind === 'dialog06Scale') {
        let path = d.path;
        if (path === 'simulated') {
          path = await simulatedSerial(async (device) => {
            const sim = new Dialog06Simulator();
            await sim.open(device);
            sim.set({ grams: 1234, stable: true });
            return sim;
          });
          log(`${d.id}: simulated Dialog 06 scale on ${path} (1,234 kg on the plate)`);
        }
        const dev = new Dialog06Scale({ path, serial: { ...(d.baudRate ? { baudRate: d.baudRate } : {}), ...(d.parity ? { parity: d.parity } : {}) } });
        dev.on('warning', (w) => log(`${d.id}: ${w}`));
        await dev.start();
        stops.unshift(() => dev.stop());
        scale = dialog06WeightSource(dev);
        managed.push({
          id: d.id,
          kind: 'scale',
          connection: `serial ${path}, Dialog 06${d.path === 'simulated' ? ' (simulated)' : ''}`,
          status: () => (dev.state === 'online' ? { state: 'online', detail: 'answering', detailCode: 'answering' } : { state: 'offline', detail: dev.reason, detailCode: 'notConnected' }),
          watch: (changed) => dev.on('state', changed),
          actions: {
            readWeight: async () => {
              const st = await dev.checkStatus();
              return st ? outcome(st.code === '00', 'scaleStatus', `scale status ${st.code}: ${st.text}`, { status: st.code, text: st.text }) : outcome(false, 'noAnswer', 'the scale does not answer');
            },
          },
        });
      } else if (d.kind === 'poleDisplay') {
        let path = d.path;
        let sim: DisplaySimulator | null = null;
        if (path === 'simulated') {
          path = await simulatedSerial(async (device) => {
            sim = new DisplaySimulator();
            await sim.open(device);
            return sim;
          });
          log(`${d.id}: simulated DM-D pole display on ${path}`);
        }
        const dev = new PoleDisplay(path);
        dev.on('warning', (w) => log(`${d.id}: ${w}`));
        await dev.start();
        stops.unshift(() => dev.stop());
        let lane: LaneService | null = null;
        attachers.push((s) => {
          lane = s;
          feedDisplay(dev, s);
        });
        // The test text's timer back to the lane's lines never fires after the devices (and the lane's database) are gone.
        let back: NodeJS.Timeout | null = null;
        stops.unshift(() => void (back && clearTimeout(back)));
        managed.push({
          id: d.id,
          kind: 'display',
          connection: `serial ${path}${d.path === 'simulated' ? ' (simulated)' : ''}`,
          status: () => serialStatus(dev),
          watch: (changed) => dev.on('state', changed),
          actions: {
            showText: (arg) => {
              const text = arg || 'Kassa display test';
              dev.show(text.slice(0, 20), text.slice(20, 40));
              // The lane's own lines come back with its next change.
              if (back) clearTimeout(back);
              back = setTimeout(() => lane && dev.show(...displayLines(lane.snapshot())), 5_000);
              back.unref();
              return dev.state === 'online' ? outcome(true, 'textShown', 'text sent to the display (for 5 s)', { seconds: 5 }) : outcome(false, 'notReachable', 'the display is not connected');
            },
          },
          ...(sim ? { printout: () => (sim as DisplaySimulator).lines().join('\n') } : {}),
        });
      } else if (d.kind === 'serialScanner') {
        const dev = new SerialScanner({ path: d.path, ...(d.baudRate ? { baudRate: d.baudRate } : {}), ...(d.suffix ? { suffix: d.suffix } : {}) });
        await dev.start();
        stops.unshift(() => dev.stop());
        attachers.push((s) => feedScanner(dev, s, log));
        managed.push({ id: d.id, kind: 'scanner', connection: `serial ${d.path}`, status: () => serialStatus(dev, 'ready to scan', 'readyToScan'), watch: (c) => dev.on('state', c), actions: {} });
      } else if (d.kind === 'hidScanner') {
        const sim = d.simulated ? new HidScannerSimulator({ vendorId: d.vendorId, productId: d.productId }) : null;
        const dev = new HidPosScanner(sim ?? nodeHidBackend(), { vendorId: d.vendorId, productId: d.productId, ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}), ...(d.modeSwitch !== undefined ? { modeSwitch: d.modeSwitch } : {}) });
        await dev.start();
        stops.unshift(() => dev.stop());
        attachers.push((s) => feedScanner(dev, s, log));
        const vidpid = `${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}`;
        managed.push({
          id: d.id,
          kind: 'scanner',
          connection: `USB HID POS ${vidpid}${sim ? ' (simulated)' : ''}`,
          status: () => (dev.state === 'online' ? { state: 'online', detail: 'ready to scan', detailCode: 'readyToScan' } : { state: 'offline', detail: dev.reason, detailCode: 'notConnected' }),
          watch: (c) => dev.on('state', c),
          actions: sim ? { simulateScan: (arg) => (sim.scan(arg || '7310865004703') ? outcome(true, 'scanned', 'scanned') : outcome(false, 'notReachable', 'the scanner is not connected')) } : {},
        });
      } else if (d.kind === 'cashDevice') {
        const cash = await startCashDevice(d, { db, currency: typeof opts === 'function' ? 'SEK' : (opts.currency ?? 'SEK'), log, simulatedSerial });
        stops.unshift(() => cash.stop());
        cashPort = cash.port;
        managed.push(cash.managed);
      } else if (d.kind === 'keyboardWedge') {
        const w = { maxKeyGapMs: d.maxKeyGapMs ?? 30, minLength: d.minLength ?? 4 };
        attachers.push((s) => s.setWedge(w));
        managed.push({
          id: d.id,
          kind: 'scanner',
          connection: 'keyboard wedge (USB keyboard)',
          status: () => ({ state: 'online', detail: `scans are keystrokes ≤ ${w.maxKeyGapMs} ms apart, at least ${w.minLength} characters` }),
          watch: () => {},
          actions: {},
        });
      } else {
        let path = d.path;
        let sim: DrawerSimulator | null = null;
        if (path === 'simulated') {
          path = await simulatedSerial(async (device) => {
            sim = new DrawerSimulator(d.openCommand);
            await sim.attach(device, d.baudRate);
            return sim;
          });
          log(`${d.id}: simulated serial cash drawer on ${path}`);
        }
        const dev = new SerialDrawer(path, d.openCommand, d.baudRate);
        dev.on('warning', (w) => log(`${d.id}: ${w}`));
        await dev.start();
        stops.unshift(() => dev.stop());
        serialDrawer = dev;
        managed.push({
          id: d.id,
          kind: 'drawer',
          connection: `serial ${path}`,
          status: () => serialStatus(dev),
          watch: (c) => dev.on('state', c),
          actions: { openDrawer: () => (dev.open() ? outcome(true, 'drawerOpened', 'drawer opened') : outcome(false, 'notReachable', 'the drawer is not connected')) },
          ...(sim ? { printout: () => `simulated drawer: opened ${(sim as DrawerSimulator).opens} time(s)` } : {}),
        });
      }
    } catch (err) {
      log(`${d.id}: not started (${err instanceof Error ? err.message : String(err)}); the lane sells without it`);
    }
  }

  const drawer = serialDrawer ?? printerDrawer;
  return {
    printQueue,
    scale,
    attach(service) {
      for (const a of attachers) a(service);
      service.setCashDrawer(drawer);
      service.setCashDevice(cashPort);
      for (const m of managed) {
        // Each change of a device's state goes to the log too: store IT reads there what happened when.
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
      for (const s of stops) await s();
    },
  };
}
