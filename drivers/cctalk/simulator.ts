/**
 * A cash unit on the device end of a ccTalk line, byte for byte: a coin acceptor (address 2), a
 * bill validator with escrow (address 40) and one hopper per change coin (addresses 3…), all on
 * one serial line as on a real ccTalk bus. It answers only frames addressed to one of its devices
 * with a good checksum (others are dropped and counted), and it can be told to take a coin or a
 * note, to jam, to have its cashbox (stacker) full, to hold too few coins for change, to stop
 * answering, or to put garbage on the line.
 */
import { SerialPort } from 'serialport';
import { ADDRESS, BILL_ESCROW, BILL_EVENT, BILL_STACKED, bufferedEventsData, bytesOf, CCTALK_SERIAL, CcTalkFramer, COIN_ERROR, encodeFrame, FAULT, FIRST_HOPPER, H, HOPPER_ENABLE, nextCounter, ROUTE, type Frame } from './protocol';

/** What a simulated unit takes and pays out, per currency (minor units). */
export const SIM_CASH = {
  SEK: { country: 'SE', coins: ['SE100A', 'SE200A', 'SE500A', 'SE1K0A'], bills: ['SE0020A', 'SE0050A', 'SE0100A', 'SE0200A', 'SE0500A'], hoppers: ['SE1K0A', 'SE100A'] },
  EUR: { country: 'EU', coins: ['EU001A', 'EU002A', 'EU005A', 'EU010A', 'EU020A', 'EU050A', 'EU100A', 'EU200A'], bills: ['EU0005A', 'EU0010A', 'EU0020A', 'EU0050A', 'EU0100A'], hoppers: ['EU200A', 'EU100A', 'EU050A', 'EU020A', 'EU010A', 'EU005A', 'EU002A', 'EU001A'] },
} as const;

interface EventBuffer {
  counter: number;
  events: Array<[number, number]>;
}

interface Hopper {
  address: number;
  coinId: string;
  value: number;
  level: number;
  enabled: boolean;
  counter: number;
  remaining: number;
  lastPaid: number;
  lastUnpaid: number;
  /** A jam stops it mid-payout. */
  jammed: boolean;
}

export interface CashSimOptions {
  currency?: keyof typeof SIM_CASH;
  /** Coins in each hopper at start (default 100). */
  hopperLevel?: number;
  /** Time to pay out one coin (ms). */
  coinMs?: number;
  /** A note held in escrow goes back to the customer after this long without a route (ms). */
  escrowMs?: number;
}

export class CashSimulator {
  private port: SerialPort | null = null;
  private readonly framer = new CcTalkFramer();
  private readonly coins: EventBuffer = { counter: 0, events: [] };
  private readonly bills: EventBuffer = { counter: 0, events: [] };
  private coinInhibit = [0, 0];
  private billInhibit = [0, 0];
  private coinMaster = false;
  private billMaster = false;
  private escrow: { type: number; timer: NodeJS.Timeout } | null = null;
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly hoppers: Hopper[];
  readonly country: string;
  readonly coinIds: readonly string[];
  readonly billIds: readonly string[];
  /** Fault states: a jammed coin path, a full note stacker. */
  coinJam = false;
  stackerFull = false;
  /** Answers nothing (unplugged, powered off). */
  silent = false;
  /** Frames dropped for a bad checksum, and every request it received (header, address). */
  readonly received: Array<{ dest: number; header: number }> = [];
  get badChecksums(): number {
    return this.framer.badChecksums;
  }

  constructor(private readonly opts: CashSimOptions = {}) {
    const set = SIM_CASH[opts.currency ?? 'SEK'];
    this.country = set.country;
    this.coinIds = set.coins;
    this.billIds = set.bills;
    this.hoppers = set.hoppers.map((coinId, i) => ({ address: FIRST_HOPPER + i, coinId, value: simCoinValue(coinId), level: opts.hopperLevel ?? 100, enabled: false, counter: 0, remaining: 0, lastPaid: 0, lastUnpaid: 0, jammed: false }));
  }

  async open(path: string): Promise<void> {
    this.port = new SerialPort({ path, ...CCTALK_SERIAL, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.port.on('error', () => {});
    this.port.on('data', (d: Buffer) => {
      for (const e of this.framer.push(d)) if (e.kind === 'frame') this.onFrame(e.frame);
    });
  }

  /** Accepting coins / notes right now (master inhibit off and that denomination enabled). */
  get accepting(): { coins: boolean; notes: boolean } {
    return { coins: this.coinMaster && (this.coinInhibit[0]! | this.coinInhibit[1]!) !== 0, notes: this.billMaster && (this.billInhibit[0]! | this.billInhibit[1]!) !== 0 };
  }

  /** A customer drops a coin of this value (minor units). Returns whether it was taken. */
  insertCoin(value: number): boolean {
    const pos = this.coinIds.findIndex((id) => simCoinValue(id) === value) + 1;
    if (pos === 0) return this.push(this.coins, [0, COIN_ERROR.reject]);
    if (this.coinJam) return this.push(this.coins, [0, COIN_ERROR.creditSensorBlocked]);
    if (!this.coinMaster || !bit(this.coinInhibit, pos)) return this.push(this.coins, [0, COIN_ERROR.inhibited]);
    this.push(this.coins, [pos, 1]);
    return true;
  }

  /** A customer feeds a note of this value: validated, held in escrow until the host routes it. */
  insertNote(value: number): boolean {
    const type = this.billIds.findIndex((id) => simBillValue(id) === value) + 1;
    if (type === 0) return this.push(this.bills, [0, BILL_EVENT.invalidValidation]);
    if (this.stackerFull) return this.push(this.bills, [0, BILL_EVENT.stackerFull]);
    if (!this.billMaster) return this.push(this.bills, [0, BILL_EVENT.masterInhibit]);
    if (!bit(this.billInhibit, type)) return this.push(this.bills, [0, BILL_EVENT.inhibitedSerial]);
    if (this.escrow) return this.push(this.bills, [0, BILL_EVENT.invalidTransport]);
    const timer = this.later(() => {
      this.escrow = null;
      this.push(this.bills, [0, BILL_EVENT.returnedFromEscrow]);
    }, this.opts.escrowMs ?? 30_000);
    this.escrow = { type, timer };
    this.push(this.bills, [type, BILL_ESCROW]);
    return true;
  }

  /** A fault: a coin jams the coin path, or the note stacker (cashbox) is full. */
  fault(kind: 'jam' | 'full'): void {
    if (kind === 'jam') {
      this.coinJam = true;
      this.push(this.coins, [0, COIN_ERROR.creditSensorBlocked]);
    } else {
      this.stackerFull = true;
      this.push(this.bills, [0, BILL_EVENT.stackerFull]);
    }
  }

  /** Staff cleared the jam / emptied the cashbox. */
  clearFaults(): void {
    if (this.stackerFull) this.push(this.bills, [0, BILL_EVENT.stackerOk]);
    this.coinJam = false;
    this.stackerFull = false;
    for (const h of this.hoppers) h.jammed = false;
  }

  /** Leaves `coins` coins in the hopper paying out `value` (all hoppers when value is omitted): short change. */
  setHopperLevel(coins: number, value?: number): void {
    for (const h of this.hoppers) if (value === undefined || h.value === value) h.level = coins;
  }

  /** Bytes as they are, e.g. line noise. */
  inject(bytes: ArrayLike<number>): void {
    this.port?.write(Buffer.from(Uint8Array.from(bytes)));
  }

  private push(buf: EventBuffer, ev: [number, number]): boolean {
    buf.counter = nextCounter(buf.counter);
    buf.events.unshift(ev);
    buf.events.length = Math.min(buf.events.length, 5);
    return ev[0] !== 0;
  }

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private reply(to: Frame, data: ArrayLike<number> = [], header: number = H.reply): void {
    if (this.silent) return;
    this.port?.write(Buffer.from(encodeFrame({ dest: to.src, src: to.dest, header, data })));
  }

  private onFrame(f: Frame): void {
    const hopper = this.hoppers.find((h) => h.address === f.dest);
    if (f.dest !== ADDRESS.coin && f.dest !== ADDRESS.bill && !hopper) return; // not one of ours (or our own echo)
    this.received.push({ dest: f.dest, header: f.header });
    if (f.header === H.simplePoll) return this.reply(f);
    if (f.header === H.manufacturer) return this.reply(f, bytesOf('KAS'));
    if (f.header === H.productCode) return this.reply(f, bytesOf('Kassa cash simulator'));
    if (hopper) return this.hopperCommand(hopper, f);
    if (f.dest === ADDRESS.coin) return this.coinCommand(f);
    return this.billCommand(f);
  }

  private coinCommand(f: Frame): void {
    switch (f.header) {
      case H.equipmentCategory:
        return this.reply(f, bytesOf('Coin Acceptor'));
      case H.coinId: {
        const id = this.coinIds[(f.data[0] ?? 0) - 1];
        return this.reply(f, bytesOf(id ?? '......'));
      }
      case H.modifyInhibit:
        if (f.data.length !== 2) return this.reply(f, [], H.nak);
        this.coinInhibit = [f.data[0]!, f.data[1]!];
        return this.reply(f);
      case H.requestInhibit:
        return this.reply(f, this.coinInhibit);
      case H.modifyMasterInhibit:
        if (f.data.length !== 1) return this.reply(f, [], H.nak);
        this.coinMaster = (f.data[0]! & 1) === 1;
        return this.reply(f);
      case H.requestMasterInhibit:
        return this.reply(f, [this.coinMaster ? 1 : 0]);
      case H.readCredits:
        return this.reply(f, bufferedEventsData(this.coins.counter, this.coins.events));
      case H.selfCheck:
        return this.reply(f, [this.coinJam ? 3 : FAULT.ok]); // 3: fault on the credit sensor
      default:
        return; // not supported: no answer, as a real device
    }
  }

  private billCommand(f: Frame): void {
    switch (f.header) {
      case H.equipmentCategory:
        return this.reply(f, bytesOf('Bill Validator'));
      case H.billId: {
        const id = this.billIds[(f.data[0] ?? 0) - 1];
        return this.reply(f, bytesOf(id ?? '.......'));
      }
      case H.countryScaling:
        // Bill values are whole units of the currency: × 100 in hundredths.
        return this.reply(f, String.fromCharCode(...f.data) === this.country ? [100, 0, 2] : [0, 0, 0]);
      case H.modifyInhibit:
        if (f.data.length !== 2) return this.reply(f, [], H.nak);
        this.billInhibit = [f.data[0]!, f.data[1]!];
        return this.reply(f);
      case H.requestInhibit:
        return this.reply(f, this.billInhibit);
      case H.modifyMasterInhibit:
        if (f.data.length !== 1) return this.reply(f, [], H.nak);
        this.billMaster = (f.data[0]! & 1) === 1;
        return this.reply(f);
      case H.requestMasterInhibit:
        return this.reply(f, [this.billMaster ? 1 : 0]);
      case H.readBills:
        return this.reply(f, bufferedEventsData(this.bills.counter, this.bills.events));
      case H.routeBill:
        return this.route(f);
      case H.selfCheck:
        return this.reply(f, [this.stackerFull ? FAULT.stackerFull : FAULT.ok]);
      default:
        return;
    }
  }

  private route(f: Frame): void {
    const code = f.data[0];
    if (!this.escrow) return this.reply(f, [ROUTE.escrowEmpty]);
    if (code === ROUTE.extendEscrow) return this.reply(f);
    const { type, timer } = this.escrow;
    clearTimeout(timer);
    this.timers.delete(timer);
    this.escrow = null;
    if (code === ROUTE.stack && !this.stackerFull) {
      this.push(this.bills, [type, BILL_STACKED]);
      return this.reply(f);
    }
    if (code === ROUTE.stack) {
      this.push(this.bills, [0, BILL_EVENT.stackerFull]);
      this.push(this.bills, [0, BILL_EVENT.returnedFromEscrow]);
      return this.reply(f, [ROUTE.failed]);
    }
    this.push(this.bills, [0, BILL_EVENT.returnedFromEscrow]);
    return this.reply(f);
  }

  private hopperCommand(h: Hopper, f: Frame): void {
    switch (f.header) {
      case H.equipmentCategory:
        return this.reply(f, bytesOf('Payout'));
      case H.hopperCoin:
        return this.reply(f, bytesOf(h.coinId));
      case H.enableHopper:
        h.enabled = f.data[0] === HOPPER_ENABLE;
        return this.reply(f);
      case H.hopperStatus:
        return this.reply(f, [h.counter, h.remaining, h.lastPaid, h.lastUnpaid]);
      case H.testHopper:
        // Register 1: bit 7 payout disabled; register 2: nothing set.
        return this.reply(f, [h.enabled ? 0 : 0x80, 0]);
      case H.selfCheck:
        return this.reply(f, [h.jammed ? FAULT.payoutJammed : h.level === 0 ? FAULT.coinDispensing : FAULT.ok]);
      case H.dispense:
        return this.dispense(h, f);
      case H.emergencyStop: {
        const left = h.remaining;
        h.lastUnpaid += left;
        h.remaining = 0;
        return this.reply(f, [left]);
      }
      default:
        return;
    }
  }

  /** Header 167: 8 security bytes (this hopper is unencrypted and ignores them) and the number of coins. */
  private dispense(h: Hopper, f: Frame): void {
    const n = f.data[8];
    if (f.data.length !== 9 || n === undefined || n === 0 || !h.enabled || h.remaining > 0) return this.reply(f, [], H.nak);
    h.counter = nextCounter(h.counter);
    h.remaining = n;
    h.lastPaid = 0;
    h.lastUnpaid = 0;
    this.reply(f, [h.counter]);
    const step = () => {
      if (h.remaining === 0) return;
      if (h.level === 0 || h.jammed) {
        // Empty (or jammed): the rest of this payout is unpaid.
        h.lastUnpaid = h.remaining;
        h.remaining = 0;
        return;
      }
      h.level--;
      h.remaining--;
      h.lastPaid++;
      if (h.remaining > 0) this.later(step, this.opts.coinMs ?? 15);
    };
    this.later(step, this.opts.coinMs ?? 15);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.escrow) clearTimeout(this.escrow.timer);
    this.escrow = null;
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}

const bit = (mask: readonly number[], pos: number): boolean => ((mask[(pos - 1) >> 3] ?? 0) & (1 << ((pos - 1) & 7))) !== 0;

/** The simulator's own reading of its ids (the driver has its own, from protocol.ts). */
function simCoinValue(id: string): number {
  const code = id.slice(2, 5);
  return code.includes('K') ? Number(code.replace('K', '.')) * 1000 : Number(code);
}
function simBillValue(id: string): number {
  return Number(id.slice(2, 6)) * 100;
}
