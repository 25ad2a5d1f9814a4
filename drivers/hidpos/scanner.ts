/**
 * A HID POS barcode scanner (usage page 0x8C) through node-hid: finds it by vendor/product id,
 * switches it into HID POS mode with feature report 0xFE 01 where the model needs that, joins
 * continuation reports into one scan, and when it is unplugged reports `offline` and looks for it
 * again with backoff. Faults are events; nothing it receives can throw into the checkout.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import type { HidBackend, HidHandle, HidInfo } from './backend';
import { Retry } from '../../common/backoff';
import { HID_POS_MODE_FEATURE, NEEDS_MODE_SWITCH_VENDORS, ReportAssembler } from './report';

export const HID_POS_USAGE_PAGE = 0x8c;

export interface HidScannerOptions {
  vendorId: number;
  productId: number;
  /** Pick one of several identical scanners. */
  serialNumber?: string;
  /** Send the switch-to-HID-POS feature report: true, false, or by vendor (default). */
  modeSwitch?: boolean;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface HidScannerEvents {
  /** Same shape as every scanner driver's scan, plus the raw AIM id. */
  scan: [{ code: string; symbology: string | null; aim: string | null; source: 'scanner'; at: number }];
  warning: [string];
  state: [DriverStateChange];
}

export class HidPosScanner extends EventEmitter<HidScannerEvents> implements DeviceDriver {
  private handle: HidHandle | null = null;
  private assembler = new ReportAssembler();
  private readonly retrier: Retry;
  private stopped = true;
  state: DriverState = 'offline';
  reason = 'not opened yet';
  device: HidInfo | null = null;

  constructor(
    private readonly backend: HidBackend,
    private readonly opts: HidScannerOptions,
  ) {
    super();
    this.retrier = new Retry(() => void this.connect(), opts.minBackoffMs ?? 250, opts.maxBackoffMs ?? 5_000);
  }

  /** Resolves after the first attempt (online or not); never rejects. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  private set(state: DriverState, reason: string): void {
    const changed = state !== this.state;
    this.state = state;
    this.reason = reason;
    if (changed) this.emit('state', { state, reason });
  }

  /** The scanner's HID POS interface among everything plugged in. */
  private pick(list: HidInfo[]): HidInfo | undefined {
    const mine = list.filter(
      (d) => d.vendorId === this.opts.vendorId && d.productId === this.opts.productId && d.path && (!this.opts.serialNumber || d.serialNumber === this.opts.serialNumber),
    );
    // A scanner may expose a keyboard interface too; prefer the bar code scanner usage page.
    return mine.find((d) => d.usagePage === HID_POS_USAGE_PAGE) ?? mine.find((d) => d.usagePage === undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const id = `${hex4(this.opts.vendorId)}:${hex4(this.opts.productId)}`;
    let handle: HidHandle | null = null;
    try {
      const info = this.pick(await this.backend.devices());
      if (!info) throw new Error(`no HID POS scanner ${id} plugged in`);
      handle = await this.backend.open(info.path!);
      if (this.stopped) {
        await handle.close().catch(() => {});
        return;
      }
      const needsSwitch = this.opts.modeSwitch ?? NEEDS_MODE_SWITCH_VENDORS.has(info.vendorId);
      if (needsSwitch) await handle.sendFeatureReport(Array.from(HID_POS_MODE_FEATURE));
      this.handle = handle;
      this.device = info;
      this.assembler = new ReportAssembler();
      this.retrier.reset();
      const h = handle;
      h.on('data', (report) => this.onReport(report));
      h.on('error', (err) => void this.lost(h, err.message));
      this.set('online', `${info.product ?? 'scanner'} ${id}`);
    } catch (err) {
      if (handle) await handle.close().catch(() => {});
      this.set('offline', err instanceof Error ? err.message : String(err));
      this.retry();
    }
  }

  private onReport(report: Buffer): void {
    const r = this.assembler.push(report);
    if (r.warning) this.emit('warning', `HID scanner: ${r.warning}`);
    if (r.scan) this.emit('scan', { code: r.scan.code, symbology: r.scan.aim, aim: r.scan.aim, source: 'scanner', at: performance.now() });
  }

  private async lost(h: HidHandle, why: string): Promise<void> {
    if (this.handle !== h) return;
    this.handle = null;
    h.removeAllListeners();
    await h.close().catch(() => {});
    if (this.stopped) return;
    this.set('offline', `scanner lost: ${why}`);
    this.retry();
  }

  private retry(): void {
    if (!this.stopped) this.retrier.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retrier.cancel();
    const h = this.handle;
    this.handle = null;
    if (h) {
      h.removeAllListeners();
      await h.close().catch(() => {});
    }
    this.set('offline', 'stopped');
  }
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
