/**
 * Starts the configured devices and their simulators, wires them to the lane, and stops them.
 * A device that fails to start is logged and left out; the lane sells without it.
 */
import type { LaneService } from '../checkout/service';
import type { Db } from '../db';
import { PrintQueue } from '../printing/queue';
import { connectPrinter } from '../printing/device';
import { scaleWeightSource, type WeightSource } from './scale';
import { feedScanner } from './scanner';
import type { DeviceConfig } from './config';
import { PrinterSimulator } from '../../drivers/escpos/simulator';
import { openPtyPair } from '../../drivers/serial/pty';
import { ScaleSimulator } from '../../drivers/scale/simulator';
import { ToledoScale } from '../../drivers/scale/device';
import { SerialScanner } from '../../drivers/scanner/serial';
import { PoleDisplay } from '../../drivers/display/device';
import { DisplaySimulator } from '../../drivers/display/simulator';
import { feedDisplay } from './display';

export interface StartedDevices {
  printQueue: PrintQueue | null;
  scale: WeightSource | null;
  /** Connects devices that feed the lane (scanners, printer status); call once the lane exists. */
  attach(service: LaneService): void;
  stop(): Promise<void>;
}

export async function startDevices(devices: readonly DeviceConfig[], db: Db, log: (line: string) => void): Promise<StartedDevices> {
  const stops: Array<() => Promise<void> | void> = [];
  const attachers: Array<(s: LaneService) => void> = [];
  let printQueue: PrintQueue | null = null;
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
  let scale: WeightSource | null = null;
  for (const d of devices) {
    try {
      if (d.kind === 'escposPrinter') {
        let host = '127.0.0.1';
        let port: number;
        if (d.transport.type === 'simulated') {
          const sim = new PrinterSimulator();
          port = await sim.listen(0);
          stops.push(() => sim.close());
          log(`${d.id}: simulated ESC/POS printer on 127.0.0.1:${port}`);
        } else {
          host = d.transport.host;
          port = d.transport.port;
        }
        const queue = new PrintQueue(db);
        printQueue = queue;
        attachers.push((s) => {
          const printer = connectPrinter({ host, port, ...(d.pollMs ? { pollMs: d.pollMs } : {}) }, queue, (st) => s.setPrinterState(st), log, (open) => s.setDrawerOpen(open));
          stops.push(() => {
            printer.stop();
            queue.stop();
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
        scale = scaleWeightSource(dev);
      } else if (d.kind === 'poleDisplay') {
        let path = d.path;
        if (path === 'simulated') {
          path = await simulatedSerial(async (device) => {
            const sim = new DisplaySimulator();
            await sim.open(device);
            return sim;
          });
          log(`${d.id}: simulated DM-D pole display on ${path}`);
        }
        const dev = new PoleDisplay(path);
        await dev.start();
        stops.unshift(() => dev.stop());
        attachers.push((s) => feedDisplay(dev, s));
      } else {
        const dev = new SerialScanner({ path: d.path, ...(d.baudRate ? { baudRate: d.baudRate } : {}), ...(d.suffix ? { suffix: d.suffix } : {}) });
        await dev.start();
        stops.unshift(() => dev.stop());
        attachers.push((s) => feedScanner(dev, s, log));
      }
    } catch (err) {
      log(`${d.id}: not started (${err instanceof Error ? err.message : String(err)}); the lane sells without it`);
    }
  }
  return {
    printQueue,
    scale,
    attach(service) {
      for (const a of attachers) a(service);
    },
    async stop() {
      for (const s of stops) await s();
    },
  };
}
