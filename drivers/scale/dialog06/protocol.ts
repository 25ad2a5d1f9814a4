/**
 * Dialog 06, the checkout-scale dialogue used with certified (legal-for-trade) price-computing
 * scales in Europe. The POS sends the item's unit price (and tare), the scale shows it, weighs, and
 * answers with the weight, the unit price and the price to pay it computed itself. The protocol
 * layer: records, a framer for the scale's side, and status codes. Pure.
 *
 * POS → scale: EOT STX "01" ESC PPPPPP ESC ETX                 unit price
 *              EOT STX "03" ESC PPPPPP ESC TTTT ETX            unit price, tare (g)
 *              EOT STX "04" ESC PPPPPP ESC text(13) ETX        unit price, text
 *              EOT STX "05" ESC PPPPPP ESC TTTT ESC text ETX   all three
 *              EOT ENQ                                         request the weighing result
 *              EOT STX "08" ETX                                request the status
 * scale → POS: ACK | NAK
 *              STX "02" ESC S ESC WWWWW ESC PPPPPP ESC IIIIII ETX   result (S '3' = kg)
 *              STX "09" ESC S1 S0 ETX                               status
 *              STX "11" ESC D0 [Z] ETX                              checksum request / verdict
 */

export const EOT = 0x04;
export const STX = 0x02;
export const ETX = 0x03;
export const ENQ = 0x05;
export const ACK = 0x06;
export const NAK = 0x15;
export const ESC = 0x1b;

/** 9600 baud, 7 data bits, odd parity, 1 stop bit: the usual Dialog 06 line (configurable). */
export const DIALOG06_SERIAL = { baudRate: 9600, dataBits: 7, parity: 'odd', stopBits: 1 } as const;

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0) & 0x7f);
const digits = (n: number, width: number, what: string): string => {
  if (!Number.isInteger(n) || n < 0 || n >= 10 ** width) throw new RangeError(`${what} ${n} does not fit in ${width} digits`);
  return String(n).padStart(width, '0');
};

/** The price record for one weighing: 01 (price), 03 (with tare), 04 (with text) or 05 (all). */
export function priceRecord(unitPriceMinor: number, opts: { tareGrams?: number; text?: string } = {}): number[] {
  const price = digits(unitPriceMinor, 6, 'unit price');
  const tare = opts.tareGrams ? digits(opts.tareGrams, 4, 'tare') : null;
  // Text: 13 printable ASCII characters (the scale shows, never interprets it).
  const text = opts.text !== undefined ? opts.text.normalize('NFD').replace(/[^\x20-\x7e]/g, '').slice(0, 13).padEnd(13, ' ') : null;
  const no = tare && text ? '05' : tare ? '03' : text ? '04' : '01';
  const body = [...ascii(no), ESC, ...ascii(price)];
  if (tare) body.push(ESC, ...ascii(tare));
  if (text) body.push(ESC, ...ascii(text));
  if (no === '01') body.push(ESC);
  return [EOT, STX, ...body, ETX];
}

export const RESULT_REQUEST = [EOT, ENQ];
export const STATUS_REQUEST = [EOT, STX, ...ascii('08'), ETX];

/** Record 09 status codes. */
export const STATUS_TEXT: Record<string, string> = {
  '00': 'no error',
  '01': 'general error',
  '02': 'parity error or buffer overflow',
  '10': 'invalid record number',
  '11': 'invalid unit price',
  '12': 'invalid tare value',
  '13': 'invalid text',
  '20': 'scale still in motion',
  '21': 'no motion since the last weighing',
  '22': 'measurement not finished',
  '30': 'weight below the minimum weight',
  '31': 'weight below zero',
  '32': 'scale overloaded',
};

export interface WeighingResult {
  /** 'kg' for status '3'; the other units are not used by a European till. */
  unit: 'kg' | 'lb';
  grams: number;
  unitPrice: number;
  /** What the scale computed; the certified figure. */
  priceToPay: number;
}

export type ScaleMessage =
  | { kind: 'ack' }
  | { kind: 'nak' }
  | { kind: 'result'; result: WeighingResult }
  | { kind: 'status'; code: string; text: string }
  | { kind: 'checksums'; verdict: 'invalid' | 'valid' | 'requested'; random: string | null }
  | { kind: 'invalid'; reason: string };

const isDigits = (b: number[]) => b.length > 0 && b.every((c) => c >= 0x30 && c <= 0x39);
const num = (b: number[]) => Number(String.fromCharCode(...b));

/** Parses the bytes between STX and ETX of a record from the scale. */
export function parseRecord(body: number[]): ScaleMessage {
  const fields: number[][] = [[]];
  for (const b of body) {
    if (b === ESC) fields.push([]);
    else fields[fields.length - 1]!.push(b);
  }
  const no = String.fromCharCode(...fields[0]!);
  if (no === '02') {
    const [, s, w, p, i] = fields;
    if (fields.length !== 5 || !s || s.length !== 1 || !w || !p || !i || !isDigits(w) || !isDigits(p) || !isDigits(i) || w.length !== 5 || i.length !== 6 || p.length < 5 || p.length > 6)
      return { kind: 'invalid', reason: 'malformed result record 02' };
    const unit = s[0] === 0x33 ? 'kg' : 'lb';
    if (unit !== 'kg') return { kind: 'invalid', reason: `scale reports in pounds (status ${String.fromCharCode(s[0]!)}); set it to kg` };
    return { kind: 'result', result: { unit, grams: num(w), unitPrice: num(p), priceToPay: num(i) } };
  }
  if (no === '09') {
    const st = fields[1];
    if (fields.length !== 2 || !st || st.length !== 2 || !isDigits(st)) return { kind: 'invalid', reason: 'malformed status record 09' };
    const code = String.fromCharCode(...st);
    return { kind: 'status', code, text: STATUS_TEXT[code] ?? `status ${code}` };
  }
  if (no === '11') {
    const d = fields[1];
    if (fields.length !== 2 || !d || d.length < 1) return { kind: 'invalid', reason: 'malformed checksum record 11' };
    const verdict = d[0] === 0x30 ? 'invalid' : d[0] === 0x31 ? 'valid' : d[0] === 0x32 ? 'requested' : null;
    if (!verdict) return { kind: 'invalid', reason: 'malformed checksum record 11' };
    return { kind: 'checksums', verdict, random: verdict === 'requested' ? String.fromCharCode(...d.slice(1)) : null };
  }
  return { kind: 'invalid', reason: `unknown record ${JSON.stringify(no)}` };
}

/** Cuts ACK, NAK and STX…ETX records out of the scale's byte stream; noise is counted, never thrown. */
export class Dialog06Framer {
  private body: number[] | null = null;
  private static readonly MAX = 64;

  push(chunk: ArrayLike<number>): Array<ScaleMessage | { kind: 'garbage'; byte: number }> {
    const out: Array<ScaleMessage | { kind: 'garbage'; byte: number }> = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]! & 0x7f; // 7 data bits
      if (this.body === null) {
        if (b === ACK) out.push({ kind: 'ack' });
        else if (b === NAK) out.push({ kind: 'nak' });
        else if (b === STX) this.body = [];
        else if (b !== EOT) out.push({ kind: 'garbage', byte: b });
        continue;
      }
      if (b === ETX) {
        out.push(parseRecord(this.body));
        this.body = null;
      } else if (b === STX) {
        out.push({ kind: 'invalid', reason: 'record cut short' });
        this.body = [];
      } else if (this.body.length >= Dialog06Framer.MAX) {
        out.push({ kind: 'invalid', reason: 'record too long' });
        this.body = null;
      } else this.body.push(b);
    }
    return out;
  }
}

/** The POS side's framer for what the scale receives (for the simulator): records and EOT ENQ. */
export type PosMessage =
  | { kind: 'price'; record: '01' | '03' | '04' | '05'; unitPrice: number; tareGrams: number; text: string | null }
  | { kind: 'resultRequest' }
  | { kind: 'statusRequest' }
  | { kind: 'checksums'; fields: string[] }
  | { kind: 'invalid'; reason: string };

export class PosFramer {
  private body: number[] | null = null;
  private afterEot = false;

  push(chunk: ArrayLike<number>): PosMessage[] {
    const out: PosMessage[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]! & 0x7f;
      if (this.body === null) {
        if (b === EOT) this.afterEot = true;
        else if (b === ENQ && this.afterEot) {
          out.push({ kind: 'resultRequest' });
          this.afterEot = false;
        } else if (b === STX && this.afterEot) {
          this.body = [];
          this.afterEot = false;
        } else {
          this.afterEot = false;
          out.push({ kind: 'invalid', reason: `stray byte 0x${b.toString(16)}` });
        }
        continue;
      }
      if (b !== ETX) {
        if (this.body.length > 64) {
          out.push({ kind: 'invalid', reason: 'record too long' });
          this.body = null;
        } else this.body.push(b);
        continue;
      }
      out.push(parsePosRecord(this.body));
      this.body = null;
    }
    return out;
  }
}

function parsePosRecord(body: number[]): PosMessage {
  const fields = String.fromCharCode(...body).split('\x1b');
  const no = fields[0];
  if (no === '08' && fields.length === 1) return { kind: 'statusRequest' };
  if (no === '10') return { kind: 'checksums', fields: fields.slice(1) };
  if (no !== '01' && no !== '03' && no !== '04' && no !== '05') return { kind: 'invalid', reason: `unknown record ${JSON.stringify(no)}` };
  const price = fields[1] ?? '';
  if (!/^\d{6}$/.test(price)) return { kind: 'invalid', reason: 'invalid unit price' };
  const tare = no === '03' || no === '05' ? (fields[2] ?? '') : '0000';
  if (!/^\d{4}$/.test(tare)) return { kind: 'invalid', reason: 'invalid tare value' };
  const text = no === '04' ? (fields[2] ?? null) : no === '05' ? (fields[3] ?? null) : null;
  return { kind: 'price', record: no, unitPrice: Number(price), tareGrams: Number(tare), text };
}

/** The scale's record 02 for a weighing. */
export function resultRecord(r: { grams: number; unitPrice: number; priceToPay: number }): number[] {
  return [STX, ...ascii('02'), ESC, 0x33, ESC, ...ascii(digits(r.grams, 5, 'weight')), ESC, ...ascii(digits(r.unitPrice, 6, 'unit price')), ESC, ...ascii(digits(r.priceToPay, 6, 'price')), ETX];
}

export function statusRecord(code: string): number[] {
  return [STX, ...ascii('09'), ESC, ...ascii(code), ETX];
}

export function checksumRecord(d0: '0' | '1' | '2', random = ''): number[] {
  return [STX, ...ascii('11'), ESC, ...ascii(d0 + random), ETX];
}

/** Price to pay as a price-computing scale rounds it: unit price per kg × weight, half up. */
export function priceToPay(grams: number, unitPricePerKg: number): number {
  return Math.floor((grams * unitPricePerKg + 500) / 1000);
}
