/**
 * ZVT (the German ECR–payment terminal interface) application protocol data units: CLASS INSTR
 * LEN DATA, with LEN = FF followed by a two-byte little-endian length for long messages; BCD
 * numbers; bitmaps (BMPs) with their length rules (fixed, LLVAR, LLLVAR, BER-TLV container 06).
 * Pure. Parsing never throws: it returns what it could read and why it stopped.
 */

export interface Apdu {
  cls: number;
  instr: number;
  data: Uint8Array;
}

export const hex = (b: ArrayLike<number>) => Array.from(b, (x) => x.toString(16).padStart(2, '0').toUpperCase()).join(' ');
export const fromHex = (s: string) => Uint8Array.from(s.trim().split(/\s+/).filter(Boolean), (x) => parseInt(x, 16));

/** Serialises an APDU, switching to the extended length form above 254 bytes. */
export function encodeApdu(a: Apdu): Uint8Array {
  const n = a.data.length;
  if (n > 0xffff) throw new RangeError('APDU data too long');
  const head = n < 0xff ? [a.cls, a.instr, n] : [a.cls, a.instr, 0xff, n & 0xff, n >> 8];
  const out = new Uint8Array(head.length + n);
  out.set(head);
  out.set(a.data, head.length);
  return out;
}

/** Reads one APDU from the start of `buf`: the APDU and its size, 'incomplete', or an error. */
export function decodeApdu(buf: Uint8Array): { apdu: Apdu; size: number } | 'incomplete' {
  if (buf.length < 3) return 'incomplete';
  let len = buf[2]!;
  let head = 3;
  if (len === 0xff) {
    if (buf.length < 5) return 'incomplete';
    len = buf[3]! | (buf[4]! << 8);
    head = 5;
  }
  if (buf.length < head + len) return 'incomplete';
  return { apdu: { cls: buf[0]!, instr: buf[1]!, data: buf.slice(head, head + len) }, size: head + len };
}

// ---- BCD ----

export function bcd(value: number | bigint, bytes: number): number[] {
  let s = value.toString();
  if (s.startsWith('-') || s.length > bytes * 2) throw new RangeError(`${s} does not fit in ${bytes} BCD bytes`);
  s = s.padStart(bytes * 2, '0');
  const out: number[] = [];
  for (let i = 0; i < s.length; i += 2) out.push((Number(s[i]) << 4) | Number(s[i + 1]));
  return out;
}

/** BCD digits as a string; null if a nibble is not a decimal digit. */
export function bcdDigits(b: ArrayLike<number>): string | null {
  let s = '';
  for (let i = 0; i < b.length; i++) {
    const hi = b[i]! >> 4;
    const lo = b[i]! & 0x0f;
    if (hi > 9 || lo > 9) return null;
    s += `${hi}${lo}`;
  }
  return s;
}

// ---- BMPs ----

type Rule = { fixed: number } | 'LLVAR' | 'LLLVAR' | 'TLV';

/** Length rules of the bitmaps in the ZVT specification. */
export const BMP_RULES: Readonly<Record<number, Rule>> = {
  0x01: { fixed: 1 }, // timeout
  0x02: { fixed: 1 }, // max. status infos
  0x03: { fixed: 1 }, // service byte
  0x04: { fixed: 6 }, // amount
  0x05: { fixed: 1 }, // pump number
  0x06: 'TLV',
  0x0b: { fixed: 3 }, // trace number
  0x0c: { fixed: 3 }, // time HHMMSS
  0x0d: { fixed: 2 }, // date MMDD
  0x0e: { fixed: 2 }, // expiry YYMM
  0x17: { fixed: 2 }, // card sequence number
  0x19: { fixed: 1 }, // payment type / status byte
  0x22: 'LLVAR', // PAN / EF_ID (masked)
  0x23: 'LLVAR', // track 2
  0x24: 'LLLVAR', // track 3
  0x27: { fixed: 1 }, // result code
  0x29: { fixed: 4 }, // terminal id
  0x2a: { fixed: 15 }, // VU number
  0x2d: 'LLVAR', // track 1
  0x2e: 'LLLVAR', // sync chip data
  0x37: { fixed: 3 }, // original trace number
  0x3a: { fixed: 2 }, // CVV
  0x3b: { fixed: 8 }, // AID
  0x3c: 'LLLVAR', // additional data / text
  0x3d: { fixed: 3 }, // password
  0x49: { fixed: 2 }, // currency code
  0x60: 'LLLVAR', // individual totals
  0x87: { fixed: 2 }, // receipt number
  0x88: { fixed: 3 }, // turnover record number
  0x8a: { fixed: 1 }, // card type
  0x8b: 'LLVAR', // card name
  0x8c: { fixed: 1 }, // card type id
  0x92: 'LLLVAR', // additional data ec-Cash
  0x9a: 'LLLVAR', // Geldkarte payment record
  0xa0: { fixed: 1 }, // result code AS
  0xa7: 'LLVAR', // chip data
  0xaa: { fixed: 3 }, // date YYMMDD
  0xaf: 'LLLVAR', // EF_Info
  0xba: { fixed: 5 }, // AID parameter
  0xd0: { fixed: 1 }, // algorithm key
  0xd1: 'LLVAR', // card offset / PIN block
  0xd2: { fixed: 1 }, // DUKPT
  0xd3: { fixed: 1 }, // cipher
  0xe0: { fixed: 1 }, // min. length
  0xe1: 'LLVAR', // text lines 1–8 (display)
  0xe2: 'LLVAR',
  0xe3: 'LLVAR',
  0xe4: 'LLVAR',
  0xe5: 'LLVAR',
  0xe6: 'LLVAR',
  0xe7: 'LLVAR',
  0xe8: 'LLVAR',
  0xe9: { fixed: 1 }, // max. length
  0xea: { fixed: 1 }, // echo
  0xf0: { fixed: 1 }, // display duration
  0xf1: 'LLVAR', // text lines 1–8 (print)
  0xf2: 'LLVAR',
  0xf3: 'LLVAR',
  0xf4: 'LLVAR',
  0xf5: 'LLVAR',
  0xf6: 'LLVAR',
  0xf7: 'LLVAR',
  0xf8: 'LLVAR',
};

export interface Bmp {
  tag: number;
  value: Uint8Array;
}

/** LLVAR / LLLVAR length prefix: each byte F0–F9 carries one decimal digit. */
function varLength(buf: Uint8Array, at: number, digits: 2 | 3): number | null {
  if (at + digits > buf.length) return null;
  let n = 0;
  for (let i = 0; i < digits; i++) {
    const b = buf[at + i]!;
    if (b >> 4 !== 0xf || (b & 0x0f) > 9) return null;
    n = n * 10 + (b & 0x0f);
  }
  return n;
}

export function varPrefix(n: number, digits: 2 | 3): number[] {
  if (n >= 10 ** digits) throw new RangeError(`length ${n} does not fit in ${digits} digits`);
  return String(n)
    .padStart(digits, '0')
    .split('')
    .map((d) => 0xf0 | Number(d));
}

/** BER length: < 0x80 in one byte, else 0x81 n or 0x82 n n. */
export function berLength(buf: Uint8Array, at: number): { len: number; size: number } | null {
  const b = buf[at];
  if (b === undefined) return null;
  if (b < 0x80) return { len: b, size: 1 };
  const k = b & 0x7f;
  if (k < 1 || k > 2 || at + 1 + k > buf.length) return null;
  return { len: k === 1 ? buf[at + 1]! : (buf[at + 1]! << 8) | buf[at + 2]!, size: 1 + k };
}

export function encodeBerLength(n: number): number[] {
  return n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
}

/** Splits BMP data; stops at an unknown tag or a length that overruns, saying so. */
export function parseBmps(buf: Uint8Array, from = 0): { bmps: Bmp[]; error: string | null } {
  const bmps: Bmp[] = [];
  let at = from;
  while (at < buf.length) {
    const tag = buf[at]!;
    const rule = BMP_RULES[tag];
    if (!rule) return { bmps, error: `unknown BMP 0x${tag.toString(16).padStart(2, '0')} at offset ${at}; the rest is skipped` };
    let start: number;
    let len: number;
    if (rule === 'LLVAR' || rule === 'LLLVAR') {
      const digits = rule === 'LLVAR' ? 2 : 3;
      const n = varLength(buf, at + 1, digits);
      if (n === null) return { bmps, error: `BMP 0x${tag.toString(16)}: bad length prefix` };
      start = at + 1 + digits;
      len = n;
    } else if (rule === 'TLV') {
      const l = berLength(buf, at + 1);
      if (!l) return { bmps, error: 'BMP 06: bad TLV length' };
      start = at + 1 + l.size;
      len = l.len;
    } else {
      start = at + 1;
      len = rule.fixed;
    }
    if (start + len > buf.length) return { bmps, error: `BMP 0x${tag.toString(16).padStart(2, '0')} runs past the end of the message` };
    bmps.push({ tag, value: buf.slice(start, start + len) });
    at = start + len;
  }
  return { bmps, error: null };
}

export function encodeBmp(tag: number, value: ArrayLike<number>): number[] {
  const rule = BMP_RULES[tag];
  if (!rule) throw new RangeError(`unknown BMP ${tag}`);
  const v = Array.from(value);
  if (rule === 'LLVAR') return [tag, ...varPrefix(v.length, 2), ...v];
  if (rule === 'LLLVAR') return [tag, ...varPrefix(v.length, 3), ...v];
  if (rule === 'TLV') return [tag, ...encodeBerLength(v.length), ...v];
  if (v.length !== rule.fixed) throw new RangeError(`BMP ${tag.toString(16)} takes ${rule.fixed} bytes, not ${v.length}`);
  return [tag, ...v];
}

// ---- TLV (inside BMP 06) ----

export interface Tlv {
  tag: number;
  value: Uint8Array;
  /** For constructed tags: the nested TLVs. */
  children: Tlv[] | null;
}

/** Parses BER-TLV; depth-limited; stops at the first malformed element. */
export function parseTlv(buf: Uint8Array, depth = 0): { tlvs: Tlv[]; error: string | null } {
  const tlvs: Tlv[] = [];
  let at = 0;
  while (at < buf.length) {
    const first = buf[at]!;
    let tag = first;
    let p = at + 1;
    if ((first & 0x1f) === 0x1f) {
      // multi-byte tag: continuation bit 0x80 on the following bytes (at most 3 more)
      let more = 0;
      do {
        if (p >= buf.length || more > 2) return { tlvs, error: 'TLV: tag runs past the end' };
        tag = (tag << 8) | buf[p]!;
        more++;
      } while (buf[p++]! & 0x80);
    }
    const l = berLength(buf, p);
    if (!l) return { tlvs, error: 'TLV: bad length' };
    const start = p + l.size;
    if (start + l.len > buf.length) return { tlvs, error: `TLV tag ${tag.toString(16)} runs past the end` };
    const value = buf.slice(start, start + l.len);
    let children: Tlv[] | null = null;
    if (first & 0x20) {
      if (depth > 8) return { tlvs, error: 'TLV: nested too deep' };
      const inner = parseTlv(value, depth + 1);
      if (inner.error) return { tlvs, error: inner.error };
      children = inner.tlvs;
    }
    tlvs.push({ tag, value, children });
    at = start + l.len;
  }
  return { tlvs, error: null };
}

/** Every TLV with this tag, at any depth. */
export function findTlv(tlvs: Tlv[], tag: number): Tlv[] {
  const out: Tlv[] = [];
  for (const t of tlvs) {
    if (t.tag === tag) out.push(t);
    if (t.children) out.push(...findTlv(t.children, tag));
  }
  return out;
}

export function encodeTlv(tag: number, value: ArrayLike<number>): number[] {
  const tagBytes = tag > 0xff ? [tag >> 8, tag & 0xff] : [tag];
  return [...tagBytes, ...encodeBerLength(value.length), ...Array.from(value)];
}
