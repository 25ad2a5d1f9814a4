/** Device discovery for store IT: serialport's list where it works, sysfs where it does not (no udevadm). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverDevices, serialPortsFromSysfs } from '../../../core/devices/discovery';
import { HidScannerSimulator } from '../../../drivers/hidpos/simulator';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('kassa-sysfs-');
afterAll(() => tmp.cleanup());

/** A sysfs tree like a terminal's: a USB serial adapter, a CDC-ACM scanner, a real UART and an empty UART slot. */
let trees = 0;
function fakeSysfs(): string {
  const root = join(tmp.dir, `sys${++trees}`);
  const usb = (name: string, vid: string, pid: string, product: string) => {
    const dev = join(root, 'devices/pci0000:00/usb1', name);
    mkdirSync(join(dev, `${name}:1.0`), { recursive: true });
    writeFileSync(join(dev, 'idVendor'), `${vid}\n`);
    writeFileSync(join(dev, 'idProduct'), `${pid}\n`);
    writeFileSync(join(dev, 'product'), `${product}\n`);
    writeFileSync(join(dev, 'serial'), 'A1B2\n');
    return join(dev, `${name}:1.0`);
  };
  const tty = (name: string, deviceDir: string | null, type?: string) => {
    const d = join(root, 'class/tty', name);
    mkdirSync(d, { recursive: true });
    if (deviceDir) symlinkSync(deviceDir, join(d, 'device'));
    if (type !== undefined) writeFileSync(join(d, 'type'), `${type}\n`);
  };
  tty('ttyUSB0', usb('1-1', '0403', '6001', 'FT232R USB UART'));
  tty('ttyACM0', usb('1-2', '0c2e', '0b61', 'Honeywell 1950g'));
  const uart = join(root, 'devices/platform/serial8250/tty0');
  mkdirSync(uart, { recursive: true });
  tty('ttyS0', uart, '4');
  tty('ttyS1', uart, '0');
  tty('tty0', null);
  return root;
}

describe('device discovery', () => {
  it('reads serial ports and their USB ids from sysfs, skipping empty UART slots and virtual ttys', () => {
    const ports = serialPortsFromSysfs(fakeSysfs());
    expect(ports).toEqual([
      { path: '/dev/ttyACM0', vendorId: '0c2e', productId: '0b61', manufacturer: null, product: 'Honeywell 1950g', serialNumber: 'A1B2' },
      { path: '/dev/ttyS0', vendorId: null, productId: null, manufacturer: null, product: null, serialNumber: null },
      { path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001', manufacturer: null, product: 'FT232R USB UART', serialNumber: 'A1B2' },
    ]);
  });

  it('when serialport cannot list (no udevadm), says so and lists from sysfs; HID devices come with their usage page', async () => {
    const sysRoot = fakeSysfs();
    const d = await discoverDevices({
      sysRoot,
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
      hid: new HidScannerSimulator({ vendorId: 0x0c2e, productId: 0x0b61 }),
    });
    expect(d.serial.map((p) => p.path)).toEqual(['/dev/ttyACM0', '/dev/ttyS0', '/dev/ttyUSB0']);
    expect(d.notes).toEqual([expect.stringMatching(/udevadm ENOENT.*sysfs/)]);
    expect(d.hid.filter((h) => h.barcodeScanner)).toEqual([expect.objectContaining({ vendorId: '0c2e', productId: '0b61', usagePage: 0x8c })]);
    expect(d.hid).toHaveLength(2); // the scanner's keyboard interface is listed too, not as a barcode scanner
  });

  it('fills in USB ids serialport left out', async () => {
    const d = await discoverDevices({ sysRoot: fakeSysfs(), list: async () => [{ path: '/dev/ttyUSB0' }], hid: new HidScannerSimulator() });
    expect(d.serial[0]).toMatchObject({ path: '/dev/ttyUSB0', vendorId: '0403', productId: '6001' });
    expect(d.notes).toEqual([]);
  });

  it('works on this machine with the real serialport and node-hid, without throwing', async () => {
    const d = await discoverDevices();
    expect(Array.isArray(d.serial) && Array.isArray(d.hid)).toBe(true);
  });
});
