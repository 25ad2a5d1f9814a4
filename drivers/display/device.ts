/** An Epson DM-D pole display on a serial port: shows two lines, writing only when they change. */
import { SerialPort } from 'serialport';
import { INIT, SELECT_CP858, twoLines } from './dmd';

export class PoleDisplay {
  private port: SerialPort | null = null;
  private shown = '';

  constructor(
    private readonly path: string,
    private readonly baudRate = 9600,
  ) {}

  async start(): Promise<void> {
    this.port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.port.on('error', () => {});
    this.port.write(Buffer.from([...INIT, ...SELECT_CP858]));
  }

  show(top: string, bottom: string): void {
    const key = `${top}\n${bottom}`;
    if (key === this.shown || !this.port?.isOpen) return;
    this.shown = key;
    this.port.write(Buffer.from(twoLines(top, bottom)));
  }

  async stop(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
