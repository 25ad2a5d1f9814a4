/**
 * The digital receipt link: what the QR code on the customer's screen holds. The link carries the
 * receipt whole, so it needs no lookup, stores nothing and works while HQ is unreachable from the
 * store; it is served by HQ (an enrolled lane) or by the store's core (docs/design.md, "Digital
 * receipts"):
 *
 *   <BASE>/R/<base42(envelope)>       envelope = version · flags · [terminal id] · [signature] · deflate-raw(text, dictionary)
 *
 * Every character of the link is one of QR's alphanumeric characters when the base is (scheme and
 * host are upper-cased: they are case-insensitive), so the code takes 5.5 bits per character, not 8
 * as base64url in byte mode would. A receipt whose link would need a QR code larger than
 * MAX_QR_VERSION carries an excerpt instead (header, totals, footer with the verification line and
 * the return barcode): the store's core shows its full copy; HQ shows the excerpt.
 *
 * Pure: no Node imports (compiled for the renderer too). Compression and signatures are done where
 * Node is (core/receipt/digital.ts, hq/receipt-page.ts).
 */
import { z } from 'zod';

export const RECEIPT_LINK_VERSION = 1;
export type ReceiptLang = 'sv' | 'de' | 'en';
const LANGS: readonly ReceiptLang[] = ['sv', 'de', 'en'];

/** Limits a server checks before inflating anything (a QR code holds at most 4,296 alphanumeric characters). */
export const RECEIPT_LINK_LIMITS = {
  /** Characters of the path segment after /R/. */
  maxPayloadChars: 4_400,
  /** Inflated receipt text: a 400-line receipt is ~17 KB. */
  maxTextBytes: 32 * 1024,
  maxLines: 1_000,
  maxLineChars: 400,
} as const;

/** The largest QR code a receipt link may need (ECC L): 117 × 117 modules, read from a screen at arm's length. */
export const MAX_QR_VERSION = 25;

/**
 * The preset deflate dictionary of version 1: the words and layout every receipt repeats (SE and
 * DE). Links of version 1 inflate with exactly this text; a change is a new version.
 */
export const RECEIPT_DICTIONARY_V1 = [
  'Kvitto Kassör Antal varor Öresavrundning Summa TOTALT SEK Kontant Växel Kort Presentkort ... Auktorisation Du sparade Pant *** ÖVNING - INGET KÖP *** Moms %          Moms      Netto     Brutto',
  '12 %  25 %  6 %  Tack för ditt köp!',
  'Beleg Kasse Kassierer Artikel Rundung SUMME EUR Bar Rückgeld Karte Gutschein Autorisierung Sie sparen Pfand *** TRAINING - KEIN VERKAUF *** MwSt %          MwSt      Netto     Brutto',
  '19 %   7 %  Vielen Dank für Ihren Einkauf!',
  'Journal Sign. Sig.           ...',
  '------------------------------------------',
  '                                      ,00',
  '                             ,50',
  '                   Kassa 1  Kvitto ',
  '             20',
  '[QR] KASSA1|',
  '[BARCODE] R',
].join('\n');

/** URL-path-safe QR alphanumeric characters: two bytes in three characters (as base45, RFC 9285, without space, % and /). */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-.:';
const B = ALPHABET.length;

export function encodeBase42(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i]! * 256 + bytes[i + 1]!;
    for (let k = 0; k < 3; k++, n = Math.floor(n / B)) out += ALPHABET[n % B];
  }
  if (bytes.length % 2) {
    const n = bytes[bytes.length - 1]!;
    out += ALPHABET[n % B]! + ALPHABET[Math.floor(n / B)]!;
  }
  return out;
}

/** The bytes of a base-42 text; null when a character or a group is not one encodeBase42 writes. */
export function decodeBase42(text: string): Uint8Array | null {
  if (text.length % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const group = text.slice(i, i + 3);
    let n = 0;
    for (let k = group.length - 1; k >= 0; k--) {
      const v = ALPHABET.indexOf(group[k]!);
      if (v < 0) return null;
      n = n * B + v;
    }
    if (group.length === 3) {
      if (n > 0xffff) return null;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      if (n > 0xff) return null;
      out[o++] = n;
    }
  }
  return out;
}

export interface ReceiptEnvelope {
  lang: ReceiptLang;
  /** An excerpt of a receipt too long for a QR code (header, totals, footer); the store has it whole. */
  excerpt: boolean;
  /** HQ's id of the issuing terminal (T-<uuid>): HQ checks the signature with that terminal's key. */
  terminalId: string | null;
  /** Ed25519 over SHA-256 of signedMessage(); null when the till could not sign. */
  signature: Uint8Array | null;
  deflated: Uint8Array;
}

const FLAG_EXCERPT = 0b100;
const FLAG_TERMINAL = 0b1000;
const FLAG_SIGNATURE = 0b10000;
const TERMINAL_ID = /^T-([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/;

/** Whether a terminal id can travel in a link (HQ's ids are T-<uuid>, 16 bytes). */
export function linkableTerminalId(id: string): boolean {
  return TERMINAL_ID.test(id);
}

export function packEnvelope(e: ReceiptEnvelope): Uint8Array {
  const tid = e.terminalId !== null ? TERMINAL_ID.exec(e.terminalId) : null;
  if (e.terminalId !== null && !tid) throw new RangeError('a terminal id in a receipt link is T-<uuid>');
  if (e.signature && e.signature.length !== 64) throw new RangeError('an Ed25519 signature is 64 bytes');
  const flags = LANGS.indexOf(e.lang) | (e.excerpt ? FLAG_EXCERPT : 0) | (tid ? FLAG_TERMINAL : 0) | (e.signature ? FLAG_SIGNATURE : 0);
  const parts: number[] = [RECEIPT_LINK_VERSION, flags];
  if (tid) {
    const hex = tid.slice(1).join('');
    for (let i = 0; i < 32; i += 2) parts.push(parseInt(hex.slice(i, i + 2), 16));
  }
  if (e.signature) parts.push(...e.signature);
  const out = new Uint8Array(parts.length + e.deflated.length);
  out.set(parts);
  out.set(e.deflated, parts.length);
  return out;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

export function unpackEnvelope(bytes: Uint8Array): Parsed<ReceiptEnvelope> {
  if (bytes.length < 3) return { ok: false, reason: 'too short' };
  if (bytes[0] !== RECEIPT_LINK_VERSION) return { ok: false, reason: `unknown version ${bytes[0]}` };
  const flags = bytes[1]!;
  const lang = LANGS[flags & 0b11];
  if (!lang || flags & ~0b11111) return { ok: false, reason: 'unknown flags' };
  let at = 2;
  let terminalId: string | null = null;
  if (flags & FLAG_TERMINAL) {
    if (bytes.length < at + 16) return { ok: false, reason: 'too short' };
    const hex = Array.from(bytes.subarray(at, at + 16), (b) => b.toString(16).padStart(2, '0')).join('');
    terminalId = `T-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    at += 16;
  }
  let signature: Uint8Array | null = null;
  if (flags & FLAG_SIGNATURE) {
    if (bytes.length < at + 64) return { ok: false, reason: 'too short' };
    signature = bytes.slice(at, at + 64);
    at += 64;
  }
  if (bytes.length <= at) return { ok: false, reason: 'no receipt in it' };
  return { ok: true, value: { lang, excerpt: (flags & FLAG_EXCERPT) !== 0, terminalId, signature, deflated: bytes.slice(at) } };
}

/**
 * The link: `base` is where the receipt page is served (HQ's public URL or the store core's
 * address). Scheme and host are upper-cased (case-insensitive) so that the whole link can be a QR
 * alphanumeric segment; a base whose path has lower-case letters still works (in byte mode).
 */
export function receiptLink(base: string, envelope: ReceiptEnvelope): string {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]+)(\/[^?#]*)?$/i.exec(base.trim());
  if (!m) throw new RangeError('a receipt link base is scheme://host[:port][/path]');
  const path = (m[2] ?? '/').replace(/\/*$/, '/');
  return `${m[1]!.toUpperCase()}${path}R/${encodeBase42(packEnvelope(envelope))}`;
}

/** What may follow /R/ in a request: base-42 text within the length limit (checked before anything is decoded). */
export const ReceiptPayloadSchema = z
  .string()
  .min(5, 'too short')
  .max(RECEIPT_LINK_LIMITS.maxPayloadChars, 'too long')
  .regex(/^[0-9A-Z$*+\-.:]+$/, 'not base42');

/** The envelope of a request path ending in /R/<payload> (or /r/), checked against the limits; never throws. */
export function parseReceiptPath(pathname: string): Parsed<ReceiptEnvelope> {
  const m = /\/[Rr]\/([^/]*)$/.exec(pathname);
  if (!m) return { ok: false, reason: 'not a receipt link' };
  const payload = ReceiptPayloadSchema.safeParse(m[1]);
  if (!payload.success) return { ok: false, reason: payload.error.issues[0]?.message ?? 'invalid' };
  const bytes = decodeBase42(payload.data);
  if (!bytes) return { ok: false, reason: 'not base42' };
  return unpackEnvelope(bytes);
}

/** What the issuing till signs (SHA-256 of it, with Ed25519): the link's language, kind, terminal and the receipt text. */
export function signedMessage(e: Pick<ReceiptEnvelope, 'lang' | 'excerpt' | 'terminalId'>, text: string): Uint8Array {
  return new TextEncoder().encode(`KASSA-RECEIPT-${RECEIPT_LINK_VERSION}\n${e.lang}|${e.excerpt ? 'excerpt' : 'whole'}|${e.terminalId ?? ''}\n${text}`);
}

/** Why a decoded receipt text is refused (null: it is fine): size, line count and length, control characters. */
export function checkReceiptText(text: string): string | null {
  if (text.length === 0) return 'empty';
  if (new TextEncoder().encode(text).length > RECEIPT_LINK_LIMITS.maxTextBytes) return 'too large';
  const lines = text.split('\n');
  if (lines.length > RECEIPT_LINK_LIMITS.maxLines) return 'too many lines';
  if (lines.some((l) => l.length > RECEIPT_LINK_LIMITS.maxLineChars)) return 'a line is too long';
  // Control characters, and bidirectional overrides that would let a link show amounts reordered.
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u2028-\u202e\u2066-\u2069\ufffd]/.test(text)) return 'control characters';
  return null;
}

/** A receipt's parts: the printed text, its verification line ([QR]) and its return barcode ([BARCODE]). */
export function splitReceipt(text: string): { lines: string[]; verification: string | null; barcode: string | null } {
  const lines: string[] = [];
  let verification: string | null = null;
  let barcode: string | null = null;
  for (const l of text.replace(/\n$/, '').split('\n')) {
    if (l.startsWith('[QR] ')) verification = l.slice(5);
    else if (l.startsWith('[BARCODE] ')) barcode = l.slice(10);
    else lines.push(l);
  }
  return { lines, verification, barcode };
}

/**
 * The excerpt a too-long receipt's link carries: the header (before the first rule), the totals
 * and payments (the section after the items) and the footer (after the last rule: thanks, sale id,
 * journal line, verification line, barcode), with a "…" where lines were left out.
 */
export function receiptExcerpt(text: string): string {
  const rule = /^-{10,}$/;
  const sections: string[][] = [[]];
  for (const l of text.replace(/\n$/, '').split('\n')) {
    if (rule.test(l)) sections.push([]);
    else sections[sections.length - 1]!.push(l);
  }
  if (sections.length < 4) return text;
  const r = '-'.repeat(42);
  return [...sections[0]!, r, '...', r, ...sections[2]!, r, '...', r, ...sections[sections.length - 1]!].join('\n') + '\n';
}

/** QR data codewords at ECC L, versions 1–40 (ISO/IEC 18004 table 7). */
const L_CODEWORDS = [
  19, 34, 55, 80, 108, 136, 156, 194, 232, 274, 324, 370, 428, 461, 523, 589, 647, 721, 795, 861, 932, 1006, 1094, 1174, 1276, 1370, 1468, 1531, 1631, 1735, 1843, 1955,
  2071, 2191, 2306, 2434, 2566, 2702, 2812, 2956,
];

/** Whether a text is one QR alphanumeric segment (as the renderer's QrCode then encodes it). */
export function isQrAlphanumeric(text: string): boolean {
  return /^[0-9A-Z $%*+./:-]*$/.test(text);
}

/** The smallest QR version (ECC L) that holds `text` as one segment (alphanumeric if it can, else UTF-8 bytes); null beyond 40. */
export function qrVersion(text: string): number | null {
  const alnum = isQrAlphanumeric(text);
  const n = alnum ? text.length : new TextEncoder().encode(text).length;
  const data = alnum ? 11 * Math.floor(n / 2) + 6 * (n % 2) : 8 * n;
  for (let v = 1; v <= 40; v++) {
    const countBits = alnum ? (v < 10 ? 9 : v < 27 ? 11 : 13) : v < 10 ? 8 : 16;
    if (n < 2 ** countBits && 4 + countBits + data <= L_CODEWORDS[v - 1]! * 8) return v;
  }
  return null;
}
