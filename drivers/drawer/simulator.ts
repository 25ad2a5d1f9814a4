/** A serial cash drawer on the device end of a PTY: the solenoid fires on its trigger bytes. */
import { SerialPort } from 'serialport';
import { DEFAULT_OPEN_COMMAND } from './serial';

export class DrawerSimulator {
  private port: SerialPort | null = null;
  private matched = 0;
  opens = 0;
  open = false;
  /** Bytes that were not part of a trigger (line noise). */
  stray = 0;

  constructor(private readonly trigger: readonly number[] = DEFAULT_OPEN_COMMAND) {}

  async attach(path: string, baudRate = 9600): Promise<void> {
    this.port = new SerialPort({ path, baudRate, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.port.on('error', () => {});
    this.port.on('data', (d: Buffer) => {
      for (const b of d) {
        if (b === this.trigger[this.matched]) {
          this.matched++;
          if (this.matched === this.trigger.length) {
            this.matched = 0;
            this.opens++;
            this.open = true;
          }
        } else {
          this.stray++;
          this.matched = b === this.trigger[0] ? 1 : 0;
        }
      }
    });
  }

  /** The cashier pushes the drawer shut. */
  shut(): void {
    this.open = false;
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
