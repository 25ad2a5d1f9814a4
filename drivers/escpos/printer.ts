/**
 * ESC/POS receipt printer over TCP (raw port 9100) or the Linux USB printer device file
 * (/dev/usb/lp*): connection with reconnect and backoff, real-time status polling (DLE EOT 1, 2,
 * 4), and writing job bytes. A fault is a status event, never an exception that reaches a sale.
 * Reachability is the drivers' `state` event (drivers/contract.ts); `status` carries more: paper,
 * cover, drawer pin and errors as the printer reports them.
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { Retry } from '../../common/backoff';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { DeviceFileStream } from './device-file';
import { applyDleEot, blockingFault, DLE_EOT, StatusStreamParser, UNKNOWN_STATUS, type PrinterStatus } from './status';

export interface PrinterOptions {
  /** TCP printer: host and port. */
  host?: string;
  port?: number;
  /** USB printer class device file, e.g. /dev/usb/lp0 (instead of host/port). */
  path?: string;
  /** Status polling interval; paper-out is seen within about this long. */
  pollMs?: number;
  /** Replies missing for this long: the printer is treated as unreachable. */
  silenceMs?: number;
}

/** Nothing of the job went out: the printer was not reachable when it was to be sent. */
export class PrinterNotReached extends Error {
  constructor() {
    super('printer not connected');
    this.name = 'PrinterNotReached';
  }
}

export type PrinterState = { connected: false; reason: string } | ({ connected: true } & PrinterStatus);

export interface PrinterEvents {
  state: [DriverStateChange];
  status: [PrinterState];
  warning: [string];
}

export class EscPosPrinter extends EventEmitter<PrinterEvents> implements DeviceDriver {
  private socket: Socket | DeviceFileStream | null = null;
  private parser = new StatusStreamParser();
  private pendingPolls: Array<1 | 2 | 4> = [];
  private round: PrinterStatus = { ...UNKNOWN_STATUS, online: true };
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly retry = new Retry(() => this.connect(), 200, 5_000);
  private lastReply = 0;
  private lastPoll = 0;
  private stopped = false;
  /** What the printer last reported (or why it is not connected). */
  status: PrinterState = { connected: false, reason: 'not connected yet' };

  constructor(private readonly opts: PrinterOptions) {
    super();
  }

  get state(): DriverState {
    return this.status.connected ? 'online' : 'offline';
  }
  get reason(): string {
    return this.status.connected ? 'connected' : this.status.reason;
  }

  /** Connects in the background (retrying with backoff) and resolves at once. */
  async start(): Promise<void> {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.retry.cancel();
    this.socket?.destroy();
    this.socket = null;
  }

  /** Connected and nothing blocks printing. */
  ready(): boolean {
    return this.socket !== null && !this.socket.destroyed && this.status.connected && blockingFault(this.status) === null;
  }

  private setState(s: PrinterState): void {
    const changed = JSON.stringify(s) !== JSON.stringify(this.status);
    const linkChanged = s.connected !== this.status.connected;
    this.status = s;
    if (linkChanged) this.emit('state', { state: this.state, reason: this.reason });
    if (changed) this.emit('status', s);
  }

  private connect(): void {
    if (this.stopped) return;
    const sock = this.opts.path ? new DeviceFileStream(this.opts.path) : new Socket();
    this.socket = sock;
    if (sock instanceof Socket) sock.setNoDelay(true);
    sock.once('connect', () => {
      this.retry.reset();
      this.parser = new StatusStreamParser();
      this.pendingPolls = [];
      this.lastReply = performance.now();
      this.lastPoll = this.lastReply;
      this.poll();
      this.pollTimer = setInterval(() => this.poll(), this.opts.pollMs ?? 200);
    });
    sock.on('data', (d) => this.onData(d));
    sock.on('error', () => {});
    sock.on('close', () => {
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = null;
      if (this.socket === sock) this.socket = null;
      if (this.stopped) return; // stopping is not a fault to report
      this.setState({ connected: false, reason: 'connection closed' });
      this.retry.schedule();
    });
    if (sock instanceof Socket) sock.connect(this.opts.port ?? 9100, this.opts.host ?? '127.0.0.1');
    else sock.connect();
  }

  private poll(): void {
    const sock = this.socket;
    if (!sock || sock.destroyed) return;
    const now = performance.now();
    // A tick far later than due means this process was stalled (a long disk flush, a busy machine):
    // the printer's replies may be waiting unread, so silence is judged on the next tick, not this one.
    const stalled = now - this.lastPoll > 3 * (this.opts.pollMs ?? 200);
    this.lastPoll = now;
    if (!stalled && now - this.lastReply > (this.opts.silenceMs ?? 2_000)) {
      this.emit('warning', 'printer stopped answering status requests; reconnecting');
      sock.destroy();
      return;
    }
    if (this.pendingPolls.length > 6) return; // replies are late; do not pile up requests
    for (const n of [1, 2, 4] as const) {
      this.pendingPolls.push(n);
      sock.write(DLE_EOT(n));
    }
  }

  private onData(d: Buffer): void {
    for (const ev of this.parser.push(d)) {
      if (ev.type === 'garbage') {
        this.emit('warning', `unexpected byte 0x${ev.byte.toString(16)} from the printer ignored`);
        continue;
      }
      this.lastReply = performance.now();
      if (ev.type === 'asb') {
        this.setState({ connected: true, ...ev.status });
        continue;
      }
      const n = this.pendingPolls.shift();
      if (!n) continue;
      this.round = applyDleEot(n === 1 ? { ...UNKNOWN_STATUS, online: true } : this.round, n, ev.byte);
      if (n === 4) this.setState({ connected: true, ...this.round });
    }
  }

  /**
   * Kicks the cash drawer now with the real-time pulse DLE DC4 1 m t (pin 2, 500 ms), which the
   * printer carries out even while paper is out or a job is held; false if the printer is unreachable.
   */
  pulseDrawer(pin: 2 | 5 = 2): boolean {
    const sock = this.socket;
    if (!sock || sock.destroyed || !this.status.connected) return false;
    sock.write(Uint8Array.of(0x10, 0x14, 0x01, pin === 2 ? 0x00 : 0x01, 0x05));
    return true;
  }

  /**
   * Writes a job's bytes; resolves when they are handed to the network. Rejects with PrinterNotReached
   * when the link is down before any byte went out (the job can wait and go again), with another
   * error when it dropped while they were going (some of the job may have printed).
   */
  write(bytes: Uint8Array): Promise<void> {
    const sock = this.socket;
    if (!sock || sock.destroyed || !this.status.connected) return Promise.reject(new PrinterNotReached());
    return new Promise((res, rej) => sock.write(bytes, (err) => (err ? rej(err) : res())));
  }
}
