/**
 * A payment terminal (PT) simulator speaking ZVT over TCP (bare APDUs) or a serial line (DLE
 * frames). It keeps its own durable record of every transaction in a JSON file (written before it
 * tells the till the result, as a real terminal has charged the card by then), answers status
 * enquiry and repeat receipt from that record, reverses, refunds and closes the day. Fault
 * injection: decline by amount, offline mode, slow customer, dying, hanging or losing power at any
 * step, refusing the till's registration, and the result code it answers "no transaction on record" with.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { listenLoopback } from '../net';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { bcd, bcdDigits, encodeApdu, encodeBmp, encodeTlv, parseBmps, type Apdu } from './apdu';
import { CP437_LETTERS } from './messages';
import { ApduStream } from './transport';
import { ACK, frame, SerialFramer } from './serial-frame';
import { systemClock, wallTime, type Clock } from '../../core/clock';
import { formatMoney } from '../../common/money';

export type SimStep = 'ack' | 'intermediate' | 'statusInfo' | 'print' | 'completion';

export interface SimTransaction {
  kind: 'authorization' | 'refund' | 'reversal';
  receiptNo: number;
  trace: number;
  amount: number;
  result: number;
  date: string; // MMDD
  time: string; // HHMMSS
  maskedPan: string;
  cardName: string;
  offline: boolean;
  reversed: boolean;
  /** End-of-day batch it belongs to. */
  batch: number;
  /** ISO 4217 numeric currency code. */
  currency: number;
  lines: string[];
}

interface Record_ {
  nextReceipt: number;
  nextTrace: number;
  batch: number;
  transactions: SimTransaction[];
}

interface Endpoint {
  write(b: Uint8Array): void;
  close(): void;
}

export interface ZvtSimulatorOptions {
  /** Durable record (JSON); in memory only when omitted. */
  file?: string;
  /** Time the customer takes at each intermediate step (ms). */
  thinkMs?: number;
  /** Amounts whose last three digits equal this are declined. */
  declineSuffix?: number;
  terminalId?: string;
  /** How long it waits for the till's 80 00 before going on regardless (ms). */
  ackWaitMs?: number;
  /** PAN as the terminal sends it in BMP 22 (E = masked digit). A misconfigured terminal may send it in clear. */
  pan?: string;
  /** The terminal's own clock and the zone its wall clock shows (MMDD/HHMMSS in its records). */
  now?: Clock;
  timeZone?: string;
  /** The language its receipt lines are printed in (a terminal is set up for its store's country). */
  language?: 'de' | 'sv' | 'en';
  /** The result code a repeat receipt or status enquiry with no transaction on record is answered with (terminals differ: 6A, 0D). */
  noRecordCode?: number;
}

/** The terminal's receipt words, by language. */
const RECEIPT_WORDS = {
  de: { sale: 'Kartenzahlung', refund: 'Gutschrift', reversal: 'Storno', amount: 'Betrag', receipt: 'Beleg-Nr.', card: 'Karte', done: 'Zahlung erfolgt', offline: 'Zahlung erfolgt (offline)', declined: 'Abgelehnt' },
  sv: { sale: 'Kortköp', refund: 'Retur', reversal: 'Makulering', amount: 'Belopp', receipt: 'Kvitto nr', card: 'Kort', done: 'Godkänt', offline: 'Godkänt (offline)', declined: 'Nekat' },
  en: { sale: 'Card payment', refund: 'Refund', reversal: 'Reversal', amount: 'Amount', receipt: 'Receipt no.', card: 'Card', done: 'Approved', offline: 'Approved (offline)', declined: 'Declined' },
} as const;

const CURRENCY_NAMES: Record<number, string> = { 978: 'EUR', 752: 'SEK', 208: 'DKK', 578: 'NOK', 756: 'CHF' };
/** PAN digits (and E for masked) as packed BCD, padded with F. */
const panBytes = (pan: string): number[] => {
  const d = pan.length % 2 ? `${pan}F` : pan;
  const out: number[] = [];
  for (let i = 0; i < d.length; i += 2) out.push(parseInt(d.slice(i, i + 2), 16));
  return out;
};
const CP437_CODES = new Map(Object.entries(CP437_LETTERS).map(([code, ch]) => [ch, Number(code)]));
/** Text as the terminal sends it: ASCII, and the letters of code page 437 (anything else as '?'). */
const ascii = (s: string) => Array.from(s, (c) => (c.charCodeAt(0) < 0x80 ? c.charCodeAt(0) : (CP437_CODES.get(c) ?? 0x3f)));
const apdu = (cls: number, instr: number, data: number[] = []): Apdu => ({ cls, instr, data: Uint8Array.from(data) });

export class ZvtSimulator {
  private server: Server | null = null;
  private serial: SerialPort | null = null;
  private endpoint: Endpoint | null = null;
  private record: Record_ = { nextReceipt: 1, nextTrace: 1, batch: 1, transactions: [] };
  private ackWaiter: (() => void) | null = null;
  private abortRequested = false;
  busy = false;
  private hung: Promise<void> | null = null;
  private release_: (() => void) | null = null;
  port = 0;
  offline = false;
  /** Fault injection: at this step of the next transaction, drop the connection ('die'), stop answering ('hang'), or lose power ('off': until `listen` again). */
  failAt: { step: SimStep; mode: 'die' | 'hang' | 'off' } | null = null;
  /** Refuses the till's registration (06 00) with this result code (e.g. 0x6F, wrong currency); null accepts it. */
  refuseRegistration: number | null = null;
  /** Steps reached, for tests. */
  readonly steps: SimStep[] = [];
  readonly commands: string[] = [];

  constructor(private readonly opts: ZvtSimulatorOptions = {}) {
    if (opts.file && existsSync(opts.file)) this.record = JSON.parse(readFileSync(opts.file, 'utf8')) as Record_;
  }

  get transactions(): readonly SimTransaction[] {
    return this.record.transactions;
  }

  private persist(): void {
    if (!this.opts.file) return;
    const tmp = `${this.opts.file}.tmp`;
    const fd = openSync(tmp, 'w');
    writeSync(fd, JSON.stringify(this.record));
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.opts.file);
  }

  async listen(port = 0): Promise<number> {
    this.server = createServer((s) => this.onSocket(s));
    this.port = await listenLoopback(this.server, port);
    return this.port;
  }

  private onSocket(s: Socket): void {
    this.endpoint?.close();
    const stream = new ApduStream();
    const ep: Endpoint = { write: (b) => s.write(b), close: () => s.destroy() };
    this.endpoint = ep;
    s.setNoDelay(true);
    s.on('error', () => {});
    s.on('close', () => {
      if (this.endpoint === ep) this.endpoint = null;
    });
    s.on('data', (d) => {
      // One at a time, as a terminal reads them: an ACK settles the step before the next command.
      for (const a of stream.push(d).apdus) setImmediate(() => this.onApdu(a));
    });
  }

  /** Serves the device end of a serial line (a PTY pair's `device` path). */
  async attach(path: string): Promise<void> {
    const port = new SerialPort({ path, baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 2, autoOpen: false });
    await new Promise<void>((res, rej) => port.open((err) => (err ? rej(err) : res())));
    this.serial = port;
    const framer = new SerialFramer();
    this.endpoint = {
      write: (b) => port.write(Buffer.from(frame(b))),
      close: () => port.isOpen && port.close(() => {}),
    };
    port.on('error', () => {});
    port.on('data', (d: Buffer) => {
      for (const ev of framer.push(d)) {
        if (ev.kind === 'frame') {
          port.write(Buffer.from([ACK]));
          const r = new ApduStream().push(ev.apdu).apdus[0];
          if (r) setImmediate(() => this.onApdu(r));
        } else if (ev.kind === 'badFrame') port.write(Buffer.from([0x15]));
      }
    });
  }

  private send(a: Apdu): void {
    this.endpoint?.write(encodeApdu(a));
  }

  /** Sends and waits (briefly) for the till's 80 00; goes on either way, as a terminal does. */
  private async sendAndWait(a: Apdu): Promise<void> {
    const acked = new Promise<void>((res) => {
      const t = setTimeout(() => {
        this.ackWaiter = null;
        res();
      }, this.opts.ackWaitMs ?? 2_000);
      this.ackWaiter = () => {
        clearTimeout(t);
        res();
      };
    });
    this.send(a);
    await acked;
  }

  /** Lets a hung terminal go on. */
  release(): void {
    this.release_?.();
    this.release_ = null;
    this.hung = null;
  }

  private async step(s: SimStep): Promise<void> {
    this.steps.push(s);
    const f = this.failAt;
    if (!f || f.step !== s) return;
    this.failAt = null;
    if (f.mode === 'die' || f.mode === 'off') {
      this.endpoint?.close();
      this.endpoint = null;
      if (f.mode === 'off') {
        this.server?.close();
        this.server = null;
      }
      return;
    }
    this.hung = new Promise<void>((res) => (this.release_ = res));
    await this.hung;
  }

  private async think(): Promise<void> {
    const until = performance.now() + (this.opts.thinkMs ?? 20);
    while (performance.now() < until) {
      if (this.abortRequested) throw new Error('aborted');
      await new Promise((r) => setTimeout(r, 5));
    }
    if (this.abortRequested) throw new Error('aborted');
  }

  private onApdu(a: Apdu): void {
    if (a.cls === 0x80 && a.instr === 0x00) {
      const w = this.ackWaiter;
      this.ackWaiter = null;
      w?.();
      return;
    }
    const key = `${a.cls.toString(16).padStart(2, '0')}${a.instr.toString(16).padStart(2, '0')}`;
    this.commands.push(key);
    if (key === '06b0') {
      this.abortRequested = true;
      this.send(apdu(0x80, 0x00));
      return;
    }
    if (this.hung) return; // a hung terminal answers nothing
    if (this.busy) {
      this.send(apdu(0x84, 0x9c)); // please wait
      return;
    }
    this.busy = true;
    this.abortRequested = false;
    void this.handle(key, a).finally(() => {
      this.busy = false;
    });
  }

  private now(): { date: string; time: string } {
    const w = wallTime((this.opts.now ?? systemClock)(), this.opts.timeZone ?? 'Europe/Stockholm');
    const p = (n: number) => String(n).padStart(2, '0');
    return { date: `${p(w.month)}${p(w.day)}`, time: `${p(w.hour)}${p(w.minute)}${p(w.second)}` };
  }

  private statusInfo(t: SimTransaction): Apdu {
    const data = [
      ...encodeBmp(0x27, [t.result]),
      ...encodeBmp(0x04, bcd(t.amount, 6)),
      ...encodeBmp(0x0b, bcd(t.trace, 3)),
      ...encodeBmp(0x0c, bcd(BigInt(t.time), 3)),
      ...encodeBmp(0x0d, bcd(BigInt(t.date), 2)),
      ...encodeBmp(0x87, bcd(t.receiptNo, 2)),
      ...encodeBmp(0x29, bcd(BigInt(this.opts.terminalId ?? '52500001'), 4)),
      ...encodeBmp(0x49, bcd(t.currency ?? 978, 2)),
      ...encodeBmp(0x22, panBytes(this.opts.pan ?? 'EEEEEEEEEEEE4242')),
      ...encodeBmp(0x8a, [0x05]),
      ...encodeBmp(0x8b, ascii(t.cardName)),
      ...(t.offline ? encodeBmp(0x3c, ascii('OFFLINE')) : []),
    ];
    return apdu(0x04, 0x0f, data);
  }

  private printBlock(lines: string[]): Apdu {
    const inner = lines.flatMap((l) => encodeTlv(0x07, ascii(l)));
    return apdu(0x06, 0xd3, encodeBmp(0x06, encodeTlv(0x25, inner)));
  }

  private async finish(t: SimTransaction | null, code = 0x6c): Promise<void> {
    if (t) {
      await this.step('statusInfo');
      if (!this.endpoint) return;
      await this.sendAndWait(this.statusInfo(t));
      await this.step('print');
      if (!this.endpoint) return;
      await this.sendAndWait(this.printBlock(t.lines));
    }
    await this.step('completion');
    if (!this.endpoint) return;
    await this.sendAndWait(t && t.result === 0 ? apdu(0x06, 0x0f) : apdu(0x06, 0x1e, [t ? t.result : code]));
  }

  private newTransaction(kind: SimTransaction['kind'], amount: number, result: number, currency = 978): SimTransaction {
    const { date, time } = this.now();
    const r = this.record;
    const t: SimTransaction = {
      kind,
      receiptNo: r.nextReceipt++,
      trace: r.nextTrace++,
      amount,
      result,
      date,
      time,
      maskedPan: (this.opts.pan ?? 'EEEEEEEEEEEE4242').replace(/E/g, '*'),
      cardName: 'Girocard',
      offline: this.offline && result === 0,
      reversed: false,
      batch: r.batch,
      currency,
      lines: [],
    };
    const w = RECEIPT_WORDS[this.opts.language ?? 'de'];
    t.lines = [
      'KASSA TEST TERMINAL',
      kind === 'authorization' ? w.sale : kind === 'refund' ? w.refund : w.reversal,
      `${w.amount} ${CURRENCY_NAMES[currency] ?? 'EUR'} ${formatMoney(amount, 'de-DE', { grouping: false, plain: true })}`,
      `${w.receipt} ${t.receiptNo}  Trace ${t.trace}`,
      `${w.card} ${t.cardName} ${t.maskedPan}`,
      result === 0 ? (t.offline ? w.offline : w.done) : w.declined,
    ];
    r.transactions.push(t);
    this.persist(); // durable before the till hears of it
    return t;
  }

  private async handle(key: string, a: Apdu): Promise<void> {
    await this.step('ack');
    if (!this.endpoint) return;
    this.send(apdu(0x80, 0x00));
    try {
      if (key === '0601' || key === '0631') {
        const { bmps } = parseBmps(a.data, key === '0631' ? 3 : 0);
        const amountBmp = bmps.find((b) => b.tag === 0x04);
        const amount = amountBmp ? Number(bcdDigits(amountBmp.value) ?? '0') : 0;
        const ccBmp = bmps.find((b) => b.tag === 0x49);
        const currency = ccBmp ? Number(bcdDigits(ccBmp.value) ?? '978') : 978;
        if (!amount) return void (await this.finish(null, 0x9a));
        await this.step('intermediate');
        if (!this.endpoint) return;
        await this.sendAndWait(apdu(0x04, 0xff, [0x0a]));
        await this.think();
        await this.sendAndWait(apdu(0x04, 0xff, [0x01]));
        await this.think();
        const declined = key === '0601' && amount % 1000 === (this.opts.declineSuffix ?? 666);
        const t = this.newTransaction(key === '0601' ? 'authorization' : 'refund', amount, declined ? 0x05 : 0x00, currency);
        await this.finish(t);
      } else if (key === '0630') {
        const { bmps } = parseBmps(a.data, 3);
        const rn = bmps.find((b) => b.tag === 0x87);
        const receiptNo = rn ? Number(bcdDigits(rn.value) ?? '-1') : -1;
        const orig = this.record.transactions.find((t) => t.receiptNo === receiptNo && t.kind === 'authorization' && t.result === 0);
        if (!orig || orig.reversed) return void (await this.finish(null, orig ? 0xb4 : 0xb5));
        orig.reversed = true;
        const t = this.newTransaction('reversal', orig.amount, 0, orig.currency);
        await this.finish(t);
      } else if (key === '0501' || key === '0620') {
        const last = this.record.transactions[this.record.transactions.length - 1];
        if (!last) return void (await this.finish(null, this.opts.noRecordCode ?? 0x6a));
        await this.finish(key === '0620' ? last : { ...last, lines: [] });
      } else if (key === '0650') {
        const batch = this.record.transactions.filter((t) => t.batch === this.record.batch && t.result === 0);
        const total = batch.reduce((s, t) => s + (t.kind === 'authorization' && !t.reversed ? t.amount : t.kind === 'refund' ? -t.amount : 0), 0);
        const count = batch.filter((t) => t.kind === 'authorization' && !t.reversed).length;
        this.record.batch++;
        this.persist();
        const { date, time } = this.now();
        await this.step('statusInfo');
        await this.sendAndWait(apdu(0x04, 0x0f, [...encodeBmp(0x27, [0]), ...encodeBmp(0x04, bcd(Math.max(0, total), 6)), ...encodeBmp(0x0c, bcd(BigInt(time), 3)), ...encodeBmp(0x0d, bcd(BigInt(date), 2)), ...encodeBmp(0x3c, ascii(`Kassenschnitt ${count} Zahlungen`))]));
        await this.step('completion');
        await this.sendAndWait(apdu(0x06, 0x0f));
      } else if (key === '0600') {
        if (this.refuseRegistration !== null) return void (await this.finish(null, this.refuseRegistration));
        await this.step('completion');
        await this.sendAndWait(apdu(0x06, 0x0f));
      } else {
        await this.sendAndWait(apdu(0x06, 0x1e, [0x6a]));
      }
    } catch {
      // aborted by the till (06 B0) while the customer was at the terminal
      await this.sendAndWait(apdu(0x06, 0x1e, [0x6c]));
    }
  }

  async close(): Promise<void> {
    this.release();
    this.endpoint?.close();
    this.endpoint = null;
    if (this.serial?.isOpen) await new Promise<void>((res) => this.serial!.close(() => res()));
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
    this.server = null;
  }
}
