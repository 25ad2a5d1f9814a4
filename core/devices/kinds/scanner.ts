/** Barcode scanners: serial (kind "serialScanner"), HID POS (kind "hidScanner", or its simulator), keyboard wedge (kind "keyboardWedge"). */
import { SerialScanner } from '../../../drivers/scanner/serial';
import { HidPosScanner } from '../../../drivers/hidpos/scanner';
import { HidScannerSimulator } from '../../../drivers/hidpos/simulator';
import { nodeHidBackend } from '../../../drivers/hidpos/backend';
import { feedScanner } from '../scanner';
import type { DeviceConfig } from '../config';
import { linkStatus, outcome, type DeviceKind } from './kind';

export const serialScanner: DeviceKind<Extract<DeviceConfig, { kind: 'serialScanner' }>> = {
  async start(d, ctx) {
    const dev = new SerialScanner({ path: d.path, ...(d.baudRate ? { baudRate: d.baudRate } : {}), ...(d.suffix ? { suffix: d.suffix } : {}) });
    await dev.start();
    return {
      managed: { id: d.id, kind: 'scanner', connection: `serial ${d.path}`, status: () => linkStatus(dev, 'ready to scan', 'readyToScan'), watch: (c) => dev.on('state', c), actions: {} },
      attach: (s) => feedScanner(dev, s, ctx.log),
      stop: () => dev.stop(),
    };
  },
};

export const hidScanner: DeviceKind<Extract<DeviceConfig, { kind: 'hidScanner' }>> = {
  async start(d, ctx) {
    const sim = d.simulated ? new HidScannerSimulator({ vendorId: d.vendorId, productId: d.productId }) : null;
    const dev = new HidPosScanner(sim ?? nodeHidBackend(), { vendorId: d.vendorId, productId: d.productId, ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}), ...(d.modeSwitch !== undefined ? { modeSwitch: d.modeSwitch } : {}) });
    await dev.start();
    const vidpid = `${d.vendorId.toString(16).padStart(4, '0')}:${d.productId.toString(16).padStart(4, '0')}`;
    return {
      managed: {
        id: d.id,
        kind: 'scanner',
        connection: `USB HID POS ${vidpid}${sim ? ' (simulated)' : ''}`,
        status: () => (dev.state === 'online' ? { state: 'online', detail: 'ready to scan', detailCode: 'readyToScan' } : { state: 'offline', detail: dev.reason, detailCode: 'notConnected' }),
        watch: (c) => dev.on('state', c),
        actions: sim ? { simulateScan: (arg) => (sim.scan(arg || '7310865004703') ? outcome(true, 'scanned', 'scanned') : outcome(false, 'notReachable', 'the scanner is not connected')) } : {},
      },
      attach: (s) => feedScanner(dev, s, ctx.log),
      stop: () => dev.stop(),
    };
  },
};

/** A keyboard-wedge scanner types into the lane UI: the lane only learns how to tell it from a person. */
export const keyboardWedge: DeviceKind<Extract<DeviceConfig, { kind: 'keyboardWedge' }>> = {
  async start(d) {
    const w = { maxKeyGapMs: d.maxKeyGapMs ?? 30, minLength: d.minLength ?? 4 };
    return {
      managed: {
        id: d.id,
        kind: 'scanner',
        connection: 'keyboard wedge (USB keyboard)',
        status: () => ({ state: 'online', detail: `scans are keystrokes ≤ ${w.maxKeyGapMs} ms apart, at least ${w.minLength} characters` }),
        watch: () => {},
        actions: {},
      },
      attach: (s) => s.setWedge(w),
      stop: () => {},
    };
  },
};
