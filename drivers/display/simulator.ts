/**
 * DM-D pole display simulator on the device end of a serial line: interprets ESC @, ESC t n,
 * FF (clear), US $ x y (cursor) and text into a 2 × 20 character screen (CP858).
 */
import { SerialPort } from 'serialport';
import { COLUMNS } from './dmd';

const CP858: Record<number, string> = { 0x86: 'å', 0x84: 'ä', 0x94: 'ö', 0x8f: 'Å', 0x8e: 'Ä', 0x99: 'Ö', 0x81: 'ü', 0x9a: 'Ü', 0x82: 'é', 0xe1: 'ß', 0xd5: '€' };

export class DisplaySimulator {
  private port: SerialPort | null = null;
  private screen: string[][] = [new Array<string>(COLUMNS).fill(' '), new Array<string>(COLUMNS).fill(' ')];
  private x = 0;
  private y = 0;
  private pending: number[] = [];

  async open(path: string, baudRate = 9600): Promise<void> {
    this.port = new SerialPort({ path, baudRate, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.port.on('data', (d: Buffer) => this.onBytes(d));
  }

  lines(): [string, string] {
    return [this.screen[0]!.join(''), this.screen[1]!.join('')];
  }

  private clear(): void {
    this.screen = [new Array<string>(COLUMNS).fill(' '), new Array<string>(COLUMNS).fill(' ')];
    this.x = 0;
    this.y = 0;
  }

  private onBytes(d: Buffer): void {
    const b = [...this.pending, ...d];
    this.pending = [];
    for (let i = 0; i < b.length; i++) {
      const c = b[i]!;
      const need = (n: number) => {
        if (i + n >= b.length) {
          this.pending = b.slice(i);
          return false;
        }
        return true;
      };
      if (c === 0x1b) {
        if (!need(1)) break;
        if (b[i + 1] === 0x40) {
          this.clear();
          i += 1;
        } else if (b[i + 1] === 0x74) {
          if (!need(2)) break;
          i += 2;
        } else i += 1;
      } else if (c === 0x0c) this.clear();
      else if (c === 0x1f) {
        if (!need(3)) break;
        if (b[i + 1] === 0x24) {
          this.x = Math.min(COLUMNS, Math.max(1, b[i + 2]!)) - 1;
          this.y = Math.min(2, Math.max(1, b[i + 3]!)) - 1;
        }
        i += 3;
      } else if (c >= 0x20) {
        if (this.x < COLUMNS) this.screen[this.y]![this.x] = c < 0x7f ? String.fromCharCode(c) : (CP858[c] ?? '?');
        this.x++;
      }
    }
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
