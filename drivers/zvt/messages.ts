/**
 * ZVT commands the till sends, and what the payment terminal (PT) sends back, as typed messages.
 * Card data never leaves here in clear: a PAN is only ever the masked form the PT sends. Pure.
 */
import { bcd, bcdDigits, encodeBmp, findTlv, parseBmps, parseTlv, type Apdu, type Bmp } from './apdu';

export const CURRENCY_CODES: Readonly<Record<string, number>> = { EUR: 978, SEK: 752, DKK: 208, NOK: 578, GBP: 826, CHF: 756 };

const pw = (password: string) => bcd(BigInt(password.replace(/\D/g, '').padStart(6, '0').slice(-6)), 3);
const apdu = (cls: number, instr: number, data: number[] = []): Apdu => ({ cls, instr, data: Uint8Array.from(data) });

export const ACK_APDU = apdu(0x80, 0x00);

/** 06 00 registration: password, config byte, currency (no BMP tag), service byte 03. */
export function registration(password: string, configByte: number, currency: string): Apdu {
  const cc = CURRENCY_CODES[currency];
  if (cc === undefined) throw new RangeError(`unknown currency ${currency}`);
  return apdu(0x06, 0x00, [...pw(password), configByte, ...bcd(cc, 2)]);
}

/** 06 01 authorization: amount (BMP 04), currency (BMP 49). */
export function authorization(amountMinor: number, currency: string): Apdu {
  const cc = CURRENCY_CODES[currency];
  if (cc === undefined) throw new RangeError(`unknown currency ${currency}`);
  return apdu(0x06, 0x01, [...encodeBmp(0x04, bcd(amountMinor, 6)), ...encodeBmp(0x49, bcd(cc, 2))]);
}

/** 06 31 refund: password, amount. */
export function refund(password: string, amountMinor: number, currency: string): Apdu {
  const cc = CURRENCY_CODES[currency] ?? 978;
  return apdu(0x06, 0x31, [...pw(password), ...encodeBmp(0x04, bcd(amountMinor, 6)), ...encodeBmp(0x49, bcd(cc, 2))]);
}

/** 06 30 reversal of the transaction with this receipt number. */
export function reversal(password: string, receiptNo: number): Apdu {
  return apdu(0x06, 0x30, [...pw(password), ...encodeBmp(0x87, bcd(receiptNo, 2))]);
}

export const endOfDay = (password: string) => apdu(0x06, 0x50, pw(password));
export const repeatReceipt = (password: string) => apdu(0x06, 0x20, pw(password));
export const statusEnquiry = (password: string) => apdu(0x05, 0x01, pw(password));
export const abort = () => apdu(0x06, 0xb0);

/** What the PT reports about a transaction (04 0F), with only the masked PAN. */
export interface StatusInfo {
  result: number | null;
  amount: number | null;
  trace: number | null;
  /** HHMMSS and MMDD as the PT reports them. */
  time: string | null;
  date: string | null;
  receiptNo: number | null;
  turnoverNo: number | null;
  terminalId: string | null;
  maskedPan: string | null;
  cardName: string | null;
  cardType: number | null;
  currency: number | null;
  additionalText: string | null;
  /** BMPs not interpreted here, by tag. */
  other: number[];
  /** Where parsing stopped early, and why. */
  error: string | null;
}

export type PtMessage =
  | { kind: 'ack' }
  | { kind: 'nak'; code: number }
  /** `own`: the terminal sent a display text of its own (else `text` is the standard one for `code`). */
  | { kind: 'intermediate'; code: number; text: string; own: boolean }
  | { kind: 'statusInfo'; info: StatusInfo }
  | { kind: 'printLine'; text: string }
  | { kind: 'printBlock'; lines: string[] }
  | { kind: 'completion' }
  | { kind: 'abort'; code: number; text: string }
  | { kind: 'other'; cls: number; instr: number };

/** ZVT result codes (BMP 27 / abort / NAK), in words for the cashier. */
export const RESULT_TEXT: Readonly<Record<number, string>> = {
  0x00: 'approved',
  0x05: 'declined',
  0x0c: 'card expired',
  0x33: 'card expired',
  0x3d: 'card not supported',
  0x55: 'wrong PIN',
  0x62: 'card blocked',
  0x64: 'card not readable',
  0x65: 'card data wrong',
  0x66: 'processing error',
  0x6a: 'function not permitted',
  0x6c: 'aborted',
  0x6f: 'wrong currency',
  0x78: 'card locked',
  0x9a: 'protocol error',
  0x9c: 'please wait',
  0xa0: 'terminal not ready',
  0xb1: 'transaction limit exceeded',
  0xb4: 'already reversed',
  0xb5: 'reversal not possible',
  0xc2: 'diagnosis required',
  0xc3: 'maximum amount exceeded',
  0xcd: 'end-of-day required',
  0xe0: 'card declined by issuer',
  0xff: 'system error',
};

export const INTERMEDIATE_TEXT: Readonly<Record<number, string>> = {
  0x00: 'Please confirm the amount',
  0x01: 'Please watch the PIN pad',
  0x02: 'Please watch the PIN pad',
  0x03: 'Not accepted',
  0x04: 'Please wait for the card provider',
  0x05: 'Sending to the card provider',
  0x06: 'Not accepted',
  0x07: 'Card not permitted',
  0x08: 'Card unknown',
  0x09: 'Card expired',
  0x0a: 'Insert card',
  0x0b: 'Please remove card',
  0x0c: 'Card not readable',
  0x0d: 'Processing error',
  0x0e: 'Please wait',
  0x0f: 'Terminal is starting an auto end-of-day',
  0x10: 'Invalid card',
  0x11: 'Balance display',
  0x12: 'System malfunction',
  0x13: 'Payment not possible',
  0x14: 'Credit not sufficient',
  0x15: 'Incorrect PIN',
  0x16: 'Limit not sufficient',
  0x17: 'Please wait',
  0x18: 'PIN try limit exceeded',
  0x19: 'Card data incorrect',
  0x1a: 'Service mode',
  0x1b: 'Approved, please fill up',
  0x1c: 'Approved, please take goods',
  0x1d: 'Declined',
  0x26: 'Please enter PIN',
  0x2a: 'Insert, tap or swipe card',
};

/** The letters of code page 437 a terminal in Germany or the Nordics prints beyond ASCII. */
export const CP437_LETTERS: Readonly<Record<number, string>> = { 0x8e: 'Ä', 0x99: 'Ö', 0x9a: 'Ü', 0x84: 'ä', 0x94: 'ö', 0x81: 'ü', 0xe1: 'ß', 0x86: 'å', 0x8f: 'Å', 0x82: 'é', 0x90: 'É', 0x91: 'æ', 0x92: 'Æ' };

const latin = (b: ArrayLike<number>) => {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : (CP437_LETTERS[c] ?? (c >= 0x80 ? '?' : ' '));
  }
  return s.replace(/\s+$/, '');
};
const num = (b: Uint8Array) => {
  const d = bcdDigits(b);
  return d === null ? null : Number(d);
};

/** A masked PAN as sent by the PT (BCD with 'E' nibbles for hidden digits): kept masked, digits beyond the last four hidden. */
export function maskedPan(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += ((x >> 4).toString(16) + (x & 0x0f).toString(16)).toUpperCase();
  s = s.replace(/F+$/, '');
  const digits = s.replace(/[^0-9E]/g, '');
  // Whatever the PT sent, only the last four digits survive here.
  return digits.length <= 4 ? digits.replace(/E/g, '*') : '*'.repeat(digits.length - 4) + digits.slice(-4).replace(/E/g, '*');
}

export function statusInfo(data: Uint8Array): StatusInfo {
  const { bmps, error } = parseBmps(data);
  const get = (tag: number): Bmp | undefined => bmps.find((b) => b.tag === tag);
  const info: StatusInfo = {
    result: get(0x27)?.value[0] ?? null,
    amount: get(0x04) ? num(get(0x04)!.value) : null,
    trace: get(0x0b) ? num(get(0x0b)!.value) : null,
    time: get(0x0c) ? bcdDigits(get(0x0c)!.value) : null,
    date: get(0x0d) ? bcdDigits(get(0x0d)!.value) : null,
    receiptNo: get(0x87) ? num(get(0x87)!.value) : null,
    turnoverNo: get(0x88) ? num(get(0x88)!.value) : null,
    terminalId: get(0x29) ? bcdDigits(get(0x29)!.value) : null,
    maskedPan: get(0x22) ? maskedPan(get(0x22)!.value) : null,
    cardName: get(0x8b) ? latin(get(0x8b)!.value) : null,
    cardType: get(0x8a)?.value[0] ?? null,
    currency: get(0x49) ? num(get(0x49)!.value) : null,
    additionalText: get(0x3c) ? latin(get(0x3c)!.value) : null,
    other: bmps.map((b) => b.tag).filter((t) => ![0x27, 0x04, 0x0b, 0x0c, 0x0d, 0x87, 0x88, 0x29, 0x22, 0x8b, 0x8a, 0x49, 0x3c].includes(t)),
    error,
  };
  const tlv = get(0x06);
  if (tlv) {
    const t = parseTlv(tlv.value);
    if (t.error && !info.error) info.error = t.error;
  }
  return info;
}

/** Interprets one APDU from the PT. Never throws. */
export function ptMessage(a: Apdu): PtMessage {
  const { cls, instr, data } = a;
  if (cls === 0x80 && instr === 0x00) return { kind: 'ack' };
  if (cls === 0x84) return { kind: 'nak', code: instr };
  if (cls === 0x04 && instr === 0xff) {
    const code = data[0] ?? 0xff;
    // Optional timeout byte, then optional TLV (BMP 06) with a display text (tag 24 → 07 lines).
    let text = INTERMEDIATE_TEXT[code] ?? `Status ${code.toString(16)}`;
    let own = false;
    const bmpAt = data.indexOf(0x06, 1);
    if (bmpAt > 0) {
      const { bmps } = parseBmps(data, bmpAt);
      const tlv = bmps.find((b) => b.tag === 0x06);
      if (tlv) {
        const lines = findTlv(parseTlv(tlv.value).tlvs, 0x07).map((t) => latin(t.value));
        if (lines.length) {
          text = lines.join(' ');
          own = true;
        }
      }
    }
    return { kind: 'intermediate', code, text, own };
  }
  if (cls === 0x04 && instr === 0x0f) return { kind: 'statusInfo', info: statusInfo(data) };
  if (cls === 0x06 && instr === 0xd1) return { kind: 'printLine', text: latin(data.subarray(1)) };
  if (cls === 0x06 && instr === 0xd3) {
    const { bmps } = parseBmps(data);
    const tlv = bmps.find((b) => b.tag === 0x06);
    const lines = tlv ? findTlv(parseTlv(tlv.value).tlvs, 0x07).map((t) => latin(t.value)) : [];
    return { kind: 'printBlock', lines };
  }
  if (cls === 0x06 && instr === 0x0f) return { kind: 'completion' };
  if (cls === 0x06 && instr === 0x1e) {
    const code = data[0] ?? 0xff;
    return { kind: 'abort', code, text: RESULT_TEXT[code] ?? `error ${code.toString(16)}` };
  }
  return { kind: 'other', cls, instr };
}
