/**
 * A HID POS scanner at the node-hid boundary (there is no /dev/uhid to make a real HID device):
 * a `HidBackend` whose one device answers like a Honeywell scanner — it lists with its vendor and
 * product id and usage page 0x8C, sends scanned-data reports exactly as node-hid hands them over
 * (64 bytes, report id first, continuation for long codes), stays silent until it gets feature
 * report 0xFE 01 when it needs the mode switch, and can be unplugged, replugged and made to send
 * garbage.
 */
import { EventEmitter } from 'node:events';
import type { HidBackend, HidHandle, HidInfo } from './backend';
import { encodeReports } from './report';

class SimHandle extends EventEmitter implements HidHandle {
  closed = false;
  constructor(private readonly sim: HidScannerSimulator) {
    super();
  }
  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    if (this.closed) throw new Error('device closed');
    this.sim.featureReports.push([...data]);
    if (data[0] === 0xfe && data[1] === 0x01) this.sim.hidPosMode = true;
    return data.length;
  }
  async close(): Promise<void> {
    this.closed = true;
    this.sim.release(this);
  }
}

export class HidScannerSimulator implements HidBackend {
  readonly name = 'simulated HID';
  readonly info: HidInfo;
  plugged = true;
  /** False until the mode-switch feature report arrives, for models that need it. */
  hidPosMode: boolean;
  readonly featureReports: number[][] = [];
  private open_: SimHandle | null = null;
  private readonly needsModeSwitch: boolean;

  constructor(opts: { vendorId?: number; productId?: number; needsModeSwitch?: boolean; product?: string } = {}) {
    this.info = {
      vendorId: opts.vendorId ?? 0x0c2e,
      productId: opts.productId ?? 0x0b61,
      product: opts.product ?? 'Simulated 1950g',
      manufacturer: 'Kassa',
      serialNumber: 'SIM0001',
      usagePage: 0x8c,
      usage: 0x02,
      interface: 0,
      path: '/dev/hidraw-sim0',
    };
    this.needsModeSwitch = opts.needsModeSwitch ?? true;
    this.hidPosMode = !this.needsModeSwitch;
  }

  async devices(): Promise<HidInfo[]> {
    // A composite scanner also lists its keyboard interface.
    return this.plugged ? [{ ...this.info, usagePage: 0x01, usage: 0x06, interface: 1, path: '/dev/hidraw-sim1' }, { ...this.info }] : [];
  }

  async open(path: string): Promise<HidHandle> {
    if (!this.plugged || path !== this.info.path) throw new Error(`cannot open HID device ${path}`);
    if (this.open_) throw new Error(`${path} is already open`);
    this.open_ = new SimHandle(this);
    return this.open_;
  }

  release(h: SimHandle): void {
    if (this.open_ === h) this.open_ = null;
  }

  get isOpen(): boolean {
    return this.open_ !== null;
  }

  /** Sends the reports for one code; false if nobody would see them (unplugged, wrong mode, closed). */
  scan(code: string, aim: string | null = ']E0', vendorSymbology = 0): boolean {
    return this.send(encodeReports(code, aim, vendorSymbology));
  }

  /** Raw reports, as recorded from a device. */
  send(reports: ArrayLike<number>[]): boolean {
    const h = this.open_;
    if (!h || !this.plugged || !this.hidPosMode) return false;
    for (const r of reports) h.emit('data', Buffer.from(Uint8Array.from(r)));
    return true;
  }

  /** The cable is pulled: node-hid's read fails with an error and the device leaves the list. */
  unplug(): void {
    this.plugged = false;
    this.hidPosMode = !this.needsModeSwitch; // power is lost: a replugged scanner starts in its default mode
    this.open_?.emit('error', new Error('could not read from HID device'));
  }

  plug(): void {
    this.plugged = true;
  }
}
