/** An ESC/POS receipt printer (kind "escposPrinter") over TCP, USB, or its simulator; a drawer may hang off it. */
import type { EscPosPrinter } from '../../../drivers/escpos/printer';
import { PrinterSimulator } from '../../../drivers/escpos/simulator';
import { PrintQueue } from '../../printing/queue';
import { connectPrinter, printerDetail, printerDetailCode, printerStateOf } from '../../printing/device';
import { encodeReceipt } from '../../../drivers/escpos/receipt';
import { uuidv7 } from '../../ids';
import type { DeviceConfig } from '../config';
import { outcome, type DeviceKind, type Managed, type StartedDevice } from './kind';

type Config = Extract<DeviceConfig, { kind: 'escposPrinter' }>;

export const escposPrinter: DeviceKind<Config> = {
  async start(d, ctx): Promise<StartedDevice> {
    const { db, now, log } = ctx;
    const logo = ctx.opts.logo ?? null;
    let target: { host: string; port: number } | { path: string };
    let connection: string;
    let sim: PrinterSimulator | null = null;
    if (d.transport.type === 'simulated') {
      const s = new PrinterSimulator();
      sim = s;
      // Nobody stands at a simulated drawer: it is pushed shut after a cashier's while (the
      // "drawer left open" alert stays meaningful in the demo).
      s.autoShutDrawerMs = d.transport.drawerShutMs ?? 8_000;
      const port = await s.listen(0);
      ctx.onStop(() => s.close());
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
    const sharedQueue = ctx.opts.printQueue ?? null;
    const shared = sharedQueue !== null && ctx.printQueue !== sharedQueue;
    const queue: PrintQueue = shared && sharedQueue ? sharedQueue : new PrintQueue(db, now);
    // attach() creates the printer: it reports to the lane from its first status on.
    let printer: EscPosPrinter | null = null;
    let stopPrinter: (() => Promise<void>) | null = null;
    const managed: Managed = {
      id: d.id,
      kind: 'printer',
      connection,
      status: () => {
        if (!printer) return { state: 'offline', detail: 'starting', detailCode: 'starting' };
        const st = printerStateOf(printer.status);
        return { state: st === 'ok' ? 'online' : st === 'paperLow' ? 'warning' : st === 'offline' ? 'offline' : 'warning', detail: printerDetail(printer.status), detailCode: printerDetailCode(printer.status) };
      },
      watch: (changed) => printer?.on('status', changed),
      actions: {
        testPrint: () => {
          const at = now().toISOString();
          const text = `TEST PAGE\n${d.id}: ${connection}\n${at}\nÅÄÖ åäö ÜüßÉé €\n[BARCODE] KASSA-TEST\n[QR] kassa test page ${at}\n`;
          queue.enqueue(`test:${uuidv7(now().getTime())}`, 'report', encodeReceipt(text, { logo }), at);
          return printer?.ready() ? outcome(true, 'testPageSent', 'test page sent to the printer') : outcome(true, 'testPageQueued', 'test page queued: it prints when the printer is ready');
        },
        ...(d.drawer !== false ? { openDrawer: () => (printer?.pulseDrawer() ? outcome(true, 'drawerPulseSent', 'drawer pulse sent') : outcome(false, 'notReachable', 'the printer is not reachable')) } : {}),
      },
      ...(sim ? { printout: () => (sim as PrinterSimulator).printedText() } : {}),
    };
    return {
      managed,
      // The printer is wired before every other device: its state is the lane's first.
      attach(s) {
        const p = connectPrinter({ ...target, ...(d.pollMs ? { pollMs: d.pollMs } : {}), ...(d.confirm ? { confirm: d.confirm } : {}) }, queue, (st) => s.setPrinterState(st), log, (open) => s.setDrawerOpen(open));
        printer = p;
        const onUncertain = (w: string) => log(`${d.id}: ${w}`);
        queue.on('uncertain', onUncertain);
        stopPrinter = async () => {
          queue.off('uncertain', onUncertain);
          await p.stop();
          if (shared) queue.detach();
          else queue.stop();
        };
      },
      attachFirst: true,
      stop: () => stopPrinter?.(),
      provides: {
        printQueue: queue,
        ...(d.drawer !== false ? { drawer: { drawer: { open: () => printer?.pulseDrawer() ?? false }, priority: 'printer' as const } } : {}),
      },
    };
  },
};
