/**
 * Serial barcode scanner: each code ends with a configurable suffix (CR, LF or CR LF) and may start
 * with an AIM symbology id. Garbage (control bytes, non-text) and over-long lines are dropped with
 * a warning; the next good scan works.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { SerialLink } from '../serial/link';

export interface SerialScannerOptions {
  path: string;
  baudRate?: number;
  suffix?: 'CR' | 'LF' | 'CRLF';
  /** Longest code accepted; longer lines are dropped (a 10 kB line never reaches the checkout). */
  maxLength?: number;
}

export interface ScannerEvents {
  /** Same shape from every scanner driver: the code (AIM id kept), its AIM symbology id if sent, the source. */
  scan: [{ code: string; symbology: string | null; source: 'scanner'; at: number }];
  warning: [string];
  state: [DriverStateChange];
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

export class SerialScanner extends EventEmitter<ScannerEvents> implements DeviceDriver {
  private readonly link: SerialLink;
  private framer: LineFramer;

  constructor(private readonly opts: SerialScannerOptions) {
    super();
    this.framer = new LineFramer(opts.suffix ?? 'CR', opts.maxLength ?? 256);
    this.link = new SerialLink({ path: opts.path, baudRate: opts.baudRate ?? 9600 });
    this.link.on('data', (d) => {
      for (const ev of this.framer.push(d)) {
        if ('warning' in ev) this.emit('warning', ev.warning);
        else this.emit('scan', { code: ev.line, symbology: /^\][A-Za-z][0-9A-Za-z]/.exec(ev.line)?.[0] ?? null, source: 'scanner', at: performance.now() });
      }
    });
    this.link.on('state', (state, reason) => {
      // A half line from before the cable was pulled is not the start of the next scan.
      this.framer = new LineFramer(this.opts.suffix ?? 'CR', this.opts.maxLength ?? 256);
      this.emit('state', { state, reason });
    });
    this.link.on('warning', (w) => this.emit('warning', `scanner port: ${w}`));
  }

  get state(): DriverState {
    return this.link.state;
  }
  get reason(): string {
    return this.link.reason;
  }

  /** Opens the line; a scanner that is not there yet is retried in the background. */
  async start(): Promise<void> {
    await this.link.start();
  }

  async stop(): Promise<void> {
    await this.link.stop();
  }
}
