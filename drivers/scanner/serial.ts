/**
 * Serial barcode scanner: each code ends with a configurable suffix (CR, LF or CR LF) and may start
 * with an AIM symbology id. Garbage (control bytes, non-text) and over-long lines are dropped with
 * a warning; the next good scan works.
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';

export interface SerialScannerOptions {
  path: string;
  baudRate?: number;
  suffix?: 'CR' | 'LF' | 'CRLF';
  /** Longest code accepted; longer lines are dropped (a 10 kB line never reaches the checkout). */
  maxLength?: number;
}

export interface ScannerEvents {
  scan: [{ code: string; source: 'scanner'; at: number }];
  warning: [string];
  state: ['online' | 'offline'];
}

/** Splits a byte stream into scanner lines; pure, for tests and the device alike. */
export class LineFramer {
  private buf: number[] = [];
  private overflow = false;
  constructor(
    private readonly suffix: 'CR' | 'LF' | 'CRLF',
    private readonly maxLength: number,
  ) {}

  push(chunk: ArrayLike<number>): Array<{ line: string } | { warning: string }> {
    const out: Array<{ line: string } | { warning: string }> = [];
    const end = this.suffix === 'CR' ? 0x0d : 0x0a;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === end) {
        if (this.overflow) out.push({ warning: `scanner line longer than ${this.maxLength} bytes dropped` });
        else if (this.buf.length) out.push(this.finish());
        this.buf = [];
        this.overflow = false;
        continue;
      }
      if (this.suffix === 'CRLF' && b === 0x0d) continue;
      if (this.overflow) continue;
      this.buf.push(b);
      if (this.buf.length > this.maxLength) {
        this.overflow = true;
        this.buf = [];
      }
    }
    return out;
  }

  private finish(): { line: string } | { warning: string } {
    // Printable ASCII, plus GS (FNC1 in GS1 data); anything else means line noise.
    const bad = this.buf.find((b) => !(b === 0x1d || (b >= 0x20 && b < 0x7f)));
    if (bad !== undefined) return { warning: `scanner line with a stray byte 0x${bad.toString(16).padStart(2, '0')} dropped` };
    return { line: String.fromCharCode(...this.buf) };
  }
}

export class SerialScanner extends EventEmitter<ScannerEvents> {
  private port: SerialPort | null = null;
  private framer: LineFramer;

  constructor(private readonly opts: SerialScannerOptions) {
    super();
    this.framer = new LineFramer(opts.suffix ?? 'CR', opts.maxLength ?? 256);
  }

  async start(): Promise<void> {
    this.port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate ?? 9600, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.emit('state', 'online');
    this.port.on('data', (d: Buffer) => {
      for (const ev of this.framer.push(d)) {
        if ('warning' in ev) this.emit('warning', ev.warning);
        else this.emit('scan', { code: ev.line, source: 'scanner', at: performance.now() });
      }
    });
    this.port.on('close', () => this.emit('state', 'offline'));
    this.port.on('error', (e) => this.emit('warning', `scanner port: ${e.message}`));
  }

  async stop(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
