/**
 * Device discovery for store IT: the serial ports and HID devices on this terminal, with USB vendor
 * and product ids where there are any. serialport's own listing needs udevadm on Linux; where it
 * fails (or leaves the ids out) the ports and their ids are read from sysfs instead.
 */
import { existsSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SerialPort } from 'serialport';
import { nodeHidBackend, type HidBackend } from '../../drivers/hidpos/backend';
import { HID_POS_USAGE_PAGE } from '../../drivers/hidpos/scanner';

export interface FoundSerialPort {
  path: string;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
}

export interface FoundHidDevice {
  path: string | null;
  vendorId: string;
  productId: string;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
  usagePage: number | null;
  /** A HID POS barcode scanner interface (usage page 0x8C). */
  barcodeScanner: boolean;
}

export interface Discovery {
  serial: FoundSerialPort[];
  hid: FoundHidDevice[];
  /** What could not be looked at, in words (no udevadm, no libusb …). */
  notes: string[];
}

const read = (file: string): string | null => {
  try {
    return readFileSync(file, 'utf8').trim() || null;
  } catch {
    return null;
  }
};
const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** USB ids of a tty from sysfs: walk up from its device to the USB device that has idVendor. */
function usbInfo(sysRoot: string, tty: string): Omit<FoundSerialPort, 'path'> | null {
  const link = join(sysRoot, 'class/tty', tty, 'device');
  if (!existsSync(link)) return null;
  let dir: string;
  try {
    dir = realpathSync(link);
  } catch {
    return null;
  }
  for (let i = 0; i < 6 && dir.length > 1; i++, dir = dirname(dir)) {
    const vendorId = read(join(dir, 'idVendor'));
    if (vendorId) return { vendorId, productId: read(join(dir, 'idProduct')), manufacturer: read(join(dir, 'manufacturer')), product: read(join(dir, 'product')), serialNumber: read(join(dir, 'serial')) };
  }
  return { vendorId: null, productId: null, manufacturer: null, product: null, serialNumber: null };
}

/** Serial ports from sysfs: ttys that have a device behind them (USB adapters, ACM scanners, UARTs). */
export function serialPortsFromSysfs(sysRoot = '/sys'): FoundSerialPort[] {
  let names: string[];
  try {
    names = readdirSync(join(sysRoot, 'class/tty'));
  } catch {
    return [];
  }
  const out: FoundSerialPort[] = [];
  for (const tty of names.sort()) {
    if (!/^tty(USB|ACM|S|AMA|XRUSB)\d+$/.test(tty)) continue;
    // Legacy UART slots without a chip behind them report type 0.
    if (tty.startsWith('ttyS') && (read(join(sysRoot, 'class/tty', tty, 'type')) ?? '0') === '0') continue;
    const info = usbInfo(sysRoot, tty);
    if (info) out.push({ path: `/dev/${tty}`, ...info });
  }
  return out;
}

export async function discoverDevices(opts: { list?: () => Promise<Array<{ path: string; vendorId?: string | undefined; productId?: string | undefined; manufacturer?: string | undefined; serialNumber?: string | undefined }>>; sysRoot?: string; hid?: HidBackend } = {}): Promise<Discovery> {
  const notes: string[] = [];
  const sysRoot = opts.sysRoot ?? '/sys';
  const fromSys = serialPortsFromSysfs(sysRoot);
  let serial: FoundSerialPort[];
  try {
    const listed = await Promise.race([
      (opts.list ?? (() => SerialPort.list()))(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('serial port listing timed out')), 3_000).unref()),
    ]);
    serial = listed.map((p) => {
      const sys = fromSys.find((s) => s.path === p.path) ?? usbInfo(sysRoot, basename(p.path));
      return {
        path: p.path,
        vendorId: p.vendorId ?? sys?.vendorId ?? null,
        productId: p.productId ?? sys?.productId ?? null,
        manufacturer: p.manufacturer ?? sys?.manufacturer ?? null,
        product: sys?.product ?? null,
        serialNumber: p.serialNumber ?? sys?.serialNumber ?? null,
      };
    });
    for (const s of fromSys) if (!serial.some((p) => p.path === s.path)) serial.push(s);
  } catch (err) {
    notes.push(`serial port listing failed (${err instanceof Error ? err.message : String(err)}; it needs udevadm); ports read from sysfs instead`);
    serial = fromSys;
  }
  let hid: FoundHidDevice[] = [];
  try {
    hid = (await (opts.hid ?? nodeHidBackend()).devices()).map((d) => ({
      path: d.path ?? null,
      vendorId: hex4(d.vendorId),
      productId: hex4(d.productId),
      manufacturer: d.manufacturer ?? null,
      product: d.product ?? null,
      serialNumber: d.serialNumber ?? null,
      usagePage: d.usagePage ?? null,
      barcodeScanner: d.usagePage === HID_POS_USAGE_PAGE,
    }));
  } catch (err) {
    notes.push(`HID devices cannot be listed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { serial, hid, notes };
}
