/**
 * A serial line that stays open: it opens the port, and when the port goes away (cable pulled,
 * USB adapter unplugged, device file gone) it reports `offline` and keeps trying to open it again
 * with exponential backoff and jitter, reporting `online` when it is back. Faults are events, never
 * exceptions that reach a caller; writes while offline are refused (return false).
 */
import { EventEmitter } from 'node:events';
import { statSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { Retry } from '../../common/backoff';
import type { DriverState } from '../contract';

/** The device behind a path (follows links), or null when it is gone (unplugged). */
export function deviceId(path: string): string | null {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}:${st.rdev}`;
  } catch {
    return null;
  }
}

export interface SerialLinkOptions {
  path: string;
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd' | 'mark' | 'space';
  stopBits?: 1 | 1.5 | 2;
  /** First retry delay; doubles up to maxBackoffMs. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often the device file is checked while open (an unplugged device's file disappears). */
  watchMs?: number;
}

/** A line's state: the drivers' one vocabulary (drivers/contract.ts). */
export type LinkState = DriverState;

export interface SerialLinkEvents {
  data: [Buffer];
  state: [LinkState, string];
  warning: [string];
}

export class SerialLink extends EventEmitter<SerialLinkEvents> {
  private port: SerialPort | null = null;
  private watchTimer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly retrier: Retry;
  state: LinkState = 'offline';
  reason = 'not opened yet';
  /** How many times the line came back after being lost. */
  reconnects = 0;
  private everOnline = false;

  constructor(readonly opts: SerialLinkOptions) {
    super();
    this.retrier = new Retry(() => void this.open(), opts.minBackoffMs ?? 200, opts.maxBackoffMs ?? 5_000);
  }

  /** Opens the port; resolves once the first attempt is over (online or not) — it never rejects. */
  async start(): Promise<LinkState> {
    this.stopped = false;
    await this.open();
    return this.state;
  }

  private set(state: LinkState, reason: string): void {
    if (state === this.state && reason === this.reason) return;
    const changed = state !== this.state;
    this.state = state;
    this.reason = reason;
    if (changed) this.emit('state', state, reason);
  }

  private open(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const port = new SerialPort({
      path: this.opts.path,
      baudRate: this.opts.baudRate ?? 9600,
      dataBits: this.opts.dataBits ?? 8,
      parity: this.opts.parity ?? 'none',
      stopBits: this.opts.stopBits ?? 1,
      autoOpen: false,
    });
    return new Promise<void>((resolve) => {
      port.open((err) => {
        if (err || this.stopped) {
          if (!err) port.close(() => {});
          this.set('offline', err ? err.message : 'stopped');
          this.retry();
          resolve();
          return;
        }
        this.port = port;
        // A hung-up tty does not always fail its reads (a PTY whose other end closed reads as
        // end-of-file forever), so the device file itself is watched: gone, or replaced by another
        // device (replugged), means this port is dead.
        const opened = deviceId(this.opts.path);
        this.watchTimer = setInterval(() => {
          if (this.port !== port) return;
          const now = deviceId(this.opts.path);
          if (now !== opened) {
            this.emit('warning', `${this.opts.path}: device ${now === null ? 'unplugged' : 'replaced'}`);
            port.close(() => {});
          }
        }, this.opts.watchMs ?? 250);
        this.watchTimer.unref();
        this.retrier.reset();
        if (this.everOnline) this.reconnects++;
        this.everOnline = true;
        port.on('data', (d: Buffer) => this.emit('data', d));
        port.on('error', (e) => this.emit('warning', `${this.opts.path}: ${e.message}`));
        port.on('close', () => {
          if (this.port !== port) return;
          this.port = null;
          if (this.watchTimer) clearInterval(this.watchTimer);
          this.watchTimer = null;
          if (this.stopped) return;
          this.set('offline', 'the line was lost');
          this.retry();
        });
        this.set('online', 'open');
        resolve();
      });
    });
  }

  private retry(): void {
    if (!this.stopped) this.retrier.schedule();
  }

  /** Sends bytes if the line is up; false if it is not (the caller decides what that means). */
  write(bytes: ArrayLike<number>): boolean {
    const p = this.port;
    if (!p?.isOpen) return false;
    p.write(Buffer.from(Uint8Array.from(bytes)));
    return true;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retrier.cancel();
    if (this.watchTimer) clearInterval(this.watchTimer);
    this.watchTimer = null;
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
    this.set('offline', 'stopped');
  }
}
