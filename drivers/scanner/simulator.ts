/** A serial barcode scanner simulator on the device end of a PTY: "scans" codes with the suffix. */
import { SerialPort } from 'serialport';

export class ScannerSimulator {
  private port: SerialPort | null = null;
  constructor(private readonly suffix: 'CR' | 'LF' | 'CRLF' = 'CR') {}

  async open(path: string, baudRate = 9600): Promise<void> {
    this.port = new SerialPort({ path, baudRate, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
  }

  private end(): string {
    return this.suffix === 'CR' ? '\r' : this.suffix === 'LF' ? '\n' : '\r\n';
  }

  /** Sends one code as the scanner would (optionally with an AIM prefix such as "]E0"). */
  scan(code: string, aim = ''): Promise<void> {
    return this.write(Buffer.from(aim + code + this.end(), 'latin1'));
  }

  /** Sends raw bytes (line noise, a 10 kB line …). */
  write(bytes: Buffer): Promise<void> {
    return new Promise((res, rej) => {
      if (!this.port) return rej(new Error('not open'));
      this.port.write(bytes, (err) => (err ? rej(err) : this.port!.drain(() => res())));
    });
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
