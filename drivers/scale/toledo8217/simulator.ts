/**
 * Mettler Toledo 8217 scale simulator on the device end of a serial line: answers 'W' with the
 * weight or a status reply, echoes between 'E' and 'F', flags unknown commands, exactly as the
 * fixture dialogues show. Fault injection: motion, over/under range, tare, garbage, silence.
 */
import { SerialPort } from 'serialport';
import { SERIAL_OPTIONS } from './protocol';

export interface ScaleSimState {
  grams: number;
  stable: boolean;
  tareGrams: number;
  capacityGrams: number;
  /** Does not answer at all (cable pulled, scale switched off). */
  silent: boolean;
}

export class ScaleSimulator {
  readonly state: ScaleSimState = { grams: 0, stable: true, tareGrams: 0, capacityGrams: 15_000, silent: false };
  private port: SerialPort | null = null;
  private echo = false;

  async open(path: string): Promise<void> {
    this.port = new SerialPort({ path, ...SERIAL_OPTIONS, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.port.on('data', (d: Buffer) => this.onBytes(d));
  }

  set(patch: Partial<ScaleSimState>): void {
    Object.assign(this.state, patch);
  }

  /** Sends raw bytes down the line (garbage injection). */
  inject(bytes: ArrayLike<number>): void {
    this.port?.write(Buffer.from(Uint8Array.from(bytes as ArrayLike<number>)));
  }

  private reply(bytes: number[]): void {
    if (!this.state.silent) this.port?.write(Buffer.from(bytes));
  }

  private onBytes(d: Buffer): void {
    for (const b of d) {
      if (this.echo) {
        if (b === 0x46) this.echo = false;
        else this.reply([b]);
        continue;
      }
      if (b === 0x0d || b === 0x0a) continue;
      if (b === 0x45) {
        this.echo = true;
        this.reply([0x02, 0x45, 0x0d]);
      } else if (b === 0x57) this.reply(this.weightReply());
      else this.reply([0x02, 0x3f, 0x40 | (this.state.tareGrams ? 0x20 : 0), 0x0d]);
    }
  }

  private weightReply(): number[] {
    const s = this.state;
    const net = s.grams - s.tareGrams;
    let status = 0;
    if (!s.stable) status |= 0x01;
    if (s.grams > s.capacityGrams) status |= 0x02;
    if (net < 0) status |= 0x04;
    if (status) return [0x02, 0x3f, status | (s.tareGrams ? 0x20 : 0), 0x0d];
    const kg = (net / 1000).toFixed(3).padStart(6, '0');
    return [0x02, ...[...kg].map((c) => c.charCodeAt(0)), ...(s.tareGrams ? [0x4e] : []), 0x0d];
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
