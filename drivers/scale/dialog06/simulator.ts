/**
 * A Dialog 06 price-computing scale on the device end of a serial line, byte for byte: ACK or NAK
 * to a price record, record 02 with the weight and its own price computation to EOT ENQ, NAK and a
 * record 09 status when it cannot weigh (in motion, below minimum, under zero, overloaded, not
 * moved since the last weighing), and, when told to, a checksum request (record 11). Fault
 * injection: motion, silence, garbage.
 */
import { SerialPort } from 'serialport';
import { ACK, checksumRecord, DIALOG06_SERIAL, NAK, PosFramer, priceToPay, resultRecord, statusRecord } from './protocol';

export interface Dialog06SimState {
  grams: number;
  stable: boolean;
  capacityGrams: number;
  minGrams: number;
  /** Does not answer at all. */
  silent: boolean;
  /** Asks the till for Dialog 06 checksums instead of weighing. */
  requireChecksums: boolean;
  /** Settles after this many result requests (motion → stable), when not stable. */
  settleAfterRequests: number | null;
}

export class Dialog06Simulator {
  readonly state: Dialog06SimState = { grams: 0, stable: true, capacityGrams: 15_000, minGrams: 40, silent: false, requireChecksums: false, settleAfterRequests: null };
  private port: SerialPort | null = null;
  private framer = new PosFramer();
  private price: { unitPrice: number; tareGrams: number } | null = null;
  private lastStatus = '00';
  /** Weight of the last weighing handed out; the same load again is refused (status 21). */
  private lastWeighed: number | null = null;
  readonly received: string[] = [];

  async open(path: string): Promise<void> {
    this.port = new SerialPort({ path, ...DIALOG06_SERIAL, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.port.on('error', () => {});
    this.port.on('data', (d: Buffer) => this.onBytes(d));
  }

  set(patch: Partial<Dialog06SimState>): void {
    Object.assign(this.state, patch);
    if (patch.grams !== undefined && patch.grams !== this.lastWeighed) this.lastWeighed = null; // the load changed
  }

  inject(bytes: ArrayLike<number>): void {
    this.port?.write(Buffer.from(Uint8Array.from(bytes)));
  }

  private send(bytes: number[]): void {
    if (!this.state.silent) this.port?.write(Buffer.from(bytes));
  }

  private onBytes(d: Buffer): void {
    for (const m of this.framer.push(d)) {
      this.received.push(m.kind);
      switch (m.kind) {
        case 'price':
          if (this.state.requireChecksums) {
            this.send(checksumRecord('2', '47'));
            break;
          }
          if (m.unitPrice === 0) {
            this.lastStatus = '11';
            this.send([NAK]);
            break;
          }
          this.price = { unitPrice: m.unitPrice, tareGrams: m.tareGrams };
          this.lastStatus = '00';
          this.send([ACK]);
          break;
        case 'resultRequest':
          this.result();
          break;
        case 'statusRequest':
          this.send(statusRecord(this.lastStatus));
          break;
        case 'checksums':
          this.send([ACK]);
          break;
        default:
          this.lastStatus = '01';
          this.send([NAK]);
      }
    }
  }

  private result(): void {
    const s = this.state;
    if (!this.price) {
      this.lastStatus = '10';
      return this.send([NAK]);
    }
    if (!s.stable && s.settleAfterRequests !== null && s.settleAfterRequests-- <= 0) s.stable = true;
    const net = s.grams - this.price.tareGrams;
    const status = s.grams > s.capacityGrams ? '32' : net < 0 ? '31' : !s.stable ? '20' : net < s.minGrams ? '30' : this.lastWeighed === s.grams ? '21' : null;
    if (status) {
      this.lastStatus = status;
      return this.send([NAK]);
    }
    this.lastStatus = '00';
    this.lastWeighed = s.grams;
    const unitPrice = this.price.unitPrice;
    this.price = null; // one price record, one weighing
    this.send(resultRecord({ grams: net, unitPrice, priceToPay: priceToPay(net, unitPrice) }));
  }

  async close(): Promise<void> {
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
