/** Wires a receipt printer to the print queue and the lane's device status. */
import { EscPosPrinter, type PrinterOptions, type PrinterState } from '../../drivers/escpos/printer';
import type { DeviceDetailCode, Snapshot } from '../../protocol/terminal';
import type { PrintQueue } from './queue';

export function printerStateOf(s: PrinterState): Snapshot['devices']['printer']['state'] {
  if (!s.connected) return s.unreadable ? 'unreadable' : 'offline';
  if (s.paperOut) return 'paperOut';
  if (s.coverOpen) return 'coverOpen';
  if (s.error === 'mechanical' || s.error === 'autocutter' || s.error === 'unrecoverable') return 'error';
  if (!s.online) return 'offline';
  if (s.paperNearEnd) return 'paperLow';
  return 'ok';
}

export function connectPrinter(
  target: PrinterOptions,
  queue: PrintQueue,
  onState: (state: Snapshot['devices']['printer']['state']) => void,
  log: (line: string) => void,
  onDrawer?: (open: boolean) => void,
): EscPosPrinter {
  const printer = new EscPosPrinter(target);
  printer.on('status', (s) => {
    onState(printerStateOf(s));
    // Most drawers pull pin 3 high while open.
    if (s.connected && onDrawer) onDrawer(s.drawerPin3High);
  });
  printer.on('warning', (w) => log(`printer: ${w}`));
  queue.attach(printer);
  printer.start();
  onState('offline');
  return printer;
}

/** The printer state as a code the UI words (beside printerDetail's English). */
export function printerDetailCode(s: PrinterState): DeviceDetailCode {
  if (!s.connected) return s.unreadable ? 'unreadable' : 'notConnected';
  if (s.paperOut) return 'paperOut';
  if (s.coverOpen) return 'coverOpen';
  if (s.error) return 'printerError';
  if (!s.online) return 'offline';
  if (s.paperNearEnd) return 'paperLow';
  return 'ready';
}

/** The printer state in words for store IT. */
export function printerDetail(s: PrinterState): string {
  if (!s.connected) return s.reason;
  if (s.paperOut) return 'paper out — receipts wait in the queue';
  if (s.coverOpen) return 'cover open';
  if (s.error) return `printer error (${s.error})`;
  if (!s.online) return 'offline';
  if (s.paperNearEnd) return 'paper low — change the roll soon';
  return 'ready';
}
