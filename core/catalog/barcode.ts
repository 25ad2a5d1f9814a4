/**
 * Barcode resolution for the till: turns what a scanner (or a cashier) sends into something the
 * catalog can look up. Pure functions, no I/O.
 *
 * Covers GTIN-8/12/13/14 with check digits, UPC-E expansion, AIM symbology identifiers, GS1 element
 * strings (GS1-128, DataBar, DataMatrix, QR) and the market's variable-measure (restricted
 * circulation, prefix 20–29) EAN-13 rules (variable-measure.ts, from the market profile).
 */

import { gtinCheckDigit, isValidGtin } from '../../protocol/gtin';
import { GS, DIGITS, gs1Date, parseGs1ElementString } from './gs1-ai';
import { resolveVariable, type VariableMeasureRead, type VariableRules } from './variable-measure';
export { parseGs1ElementString };

export type Symbology =
  | 'EAN-13'
  | 'EAN-8'
  | 'UPC-A'
  | 'UPC-E'
  | 'GTIN-14'
  | 'GS1-128'
  | 'GS1-DATABAR'
  | 'GS1-DATAMATRIX'
  | 'PLU'
  | 'UNKNOWN';

export type BarcodeResult =
  | { ok: true; kind: 'gtin'; lookupCode: string; symbology: Symbology }
  | VariableMeasureRead
  | {
      ok: true;
      kind: 'gs1';
      lookupCode: string;
      symbology: Symbology;
      weightGrams: number | null;
      priceMinor: number | null;
      expiry: string | null;
      batch: string | null;
    }
  | { ok: true; kind: 'plu'; plu: string; symbology: 'PLU' }
  | { ok: false; error: 'INVALID_BARCODE'; reason: string };

type Invalid = Extract<BarcodeResult, { ok: false }>;

const MAX_INPUT_LENGTH = 100;

function invalid(reason: string): Invalid {
  return { ok: false, error: 'INVALID_BARCODE', reason };
}

function digitAt(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

// ---------------------------------------------------------------------------------------------
// GTIN check digits
// ---------------------------------------------------------------------------------------------

export { gtinCheckDigit, isValidGtin };

/** Null when the check digit is right, else the reason. */
function checkDigitError(code: string): string | null {
  const expected = gtinCheckDigit(code.slice(0, -1));
  const actual = digitAt(code, code.length - 1);
  return expected === actual ? null : `check digit is ${actual}, expected ${expected}`;
}

function withCheckDigit(payload: string): string {
  return payload + String(gtinCheckDigit(payload));
}

function pad14(gtin: string): string {
  return gtin.padStart(14, '0');
}

// ---------------------------------------------------------------------------------------------
// UPC-E
// ---------------------------------------------------------------------------------------------

/** UPC-A payload (11 digits, no check digit) for number system `ns` and the six UPC-E data digits. */
function upcEPayloadToUpcA(ns: string, d: string): string {
  const last = d.charAt(5);
  switch (last) {
    case '0':
    case '1':
    case '2':
      return ns + d.slice(0, 2) + last + '0000' + d.slice(2, 5);
    case '3':
      return ns + d.slice(0, 3) + '00000' + d.slice(3, 5);
    case '4':
      return ns + d.slice(0, 4) + '00000' + d.charAt(4);
    default:
      return ns + d.slice(0, 5) + '0000' + last;
  }
}

/**
 * Expands UPC-E to the 12-digit UPC-A. Accepts 8 digits (number system 0/1, six data digits, check
 * digit, which must be right), 7 digits (number system + six data digits) or 6 digits (number
 * system 0 assumed); for the last two the check digit is computed. Null for anything else.
 */
export function expandUpcE(code: string): string | null {
  if (!DIGITS.test(code)) return null;
  let ns: string;
  let data: string;
  if (code.length === 6) {
    ns = '0';
    data = code;
  } else if (code.length === 7 || code.length === 8) {
    ns = code.charAt(0);
    data = code.slice(1, 7);
  } else {
    return null;
  }
  if (ns !== '0' && ns !== '1') return null;
  const upcA = withCheckDigit(upcEPayloadToUpcA(ns, data));
  if (code.length === 8 && upcA.charAt(11) !== code.charAt(7)) return null;
  return upcA;
}

// ---------------------------------------------------------------------------------------------
// AIM symbology identifiers
// ---------------------------------------------------------------------------------------------

const AIM = /^\][A-Za-z][0-9A-Za-z]/;

// ]E0 is used for EAN-13, UPC-A and UPC-E alike (ISO/IEC 15420); ]E3 is EAN-13/UPC with an add-on.
const AIM_SYMBOLOGY: Readonly<Record<string, Symbology>> = {
  ']E0': 'EAN-13',
  ']E3': 'EAN-13',
  ']E4': 'EAN-8',
  ']C1': 'GS1-128',
  ']e0': 'GS1-DATABAR',
  ']d2': 'GS1-DATAMATRIX',
};

/** AIM identifiers whose data is a GS1 element string. ]Q3 (GS1 QR Code) has no Symbology of its own. */
const GS1_AIMS: ReadonlySet<string> = new Set([']C1', ']e0', ']d2', ']Q3']);

/** Splits off a leading AIM symbology identifier (`]` + code letter + modifier). */
export function stripAim(raw: string): { symbology: Symbology | null; aim: string | null; data: string } {
  const m = AIM.exec(raw);
  if (!m) return { symbology: null, aim: null, data: raw };
  const aim = m[0];
  return { symbology: AIM_SYMBOLOGY[aim] ?? 'UNKNOWN', aim, data: raw.slice(aim.length) };
}

// GS1 element strings: the AI table and the parser are in gs1-ai.ts.

/** The one value of the AIs matching `pattern`; an error if two different ones are present. */
function single(
  ais: ReadonlyArray<{ ai: string; value: string }>,
  pattern: RegExp,
  what: string,
): { ok: true; ai: string; value: string } | { ok: true; ai: null } | Invalid {
  const found = ais.filter((e) => pattern.test(e.ai));
  const first = found[0];
  if (first === undefined) return { ok: true, ai: null };
  if (found.some((e) => e.ai !== first.ai || e.value !== first.value)) return invalid(`more than one ${what}`);
  return { ok: true, ai: first.ai, value: first.value };
}

function resolveGs1(data: string, symbology: Symbology): BarcodeResult {
  const parsed = parseGs1ElementString(data);
  if (!parsed.ok) return invalid(parsed.reason);
  const { ais } = parsed;

  const gtin = single(ais, /^01$/, 'GTIN (AI 01)');
  if (!gtin.ok) return gtin;
  if (gtin.ai === null) return invalid('GS1 element string has no GTIN (AI 01)');
  const gtinError = checkDigitError(gtin.value);
  if (gtinError !== null) return invalid(`GTIN in AI (01): ${gtinError}`);

  let weightGrams: number | null = null;
  const weight = single(ais, /^310\d$/, 'net weight (AI 310n)');
  if (!weight.ok) return weight;
  if (weight.ai !== null) {
    const decimals = digitAt(weight.ai, 3);
    const raw = Number(weight.value);
    if (decimals <= 3) {
      weightGrams = raw * 10 ** (3 - decimals);
    } else {
      const divisor = 10 ** (decimals - 3);
      if (raw % divisor !== 0) return invalid(`net weight (AI ${weight.ai}) is not a whole number of grams`);
      weightGrams = raw / divisor;
    }
  }

  let priceMinor: number | null = null;
  const price = single(ais, /^392\d$/, 'amount payable (AI 392n)');
  if (!price.ok) return price;
  if (price.ai !== null) {
    const decimals = digitAt(price.ai, 3);
    let minor = BigInt(price.value);
    if (decimals <= 2) {
      minor *= 10n ** BigInt(2 - decimals);
    } else {
      const divisor = 10n ** BigInt(decimals - 2);
      if (minor % divisor !== 0n) return invalid(`amount payable (AI ${price.ai}) has more than 2 decimals`);
      minor /= divisor;
    }
    if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return invalid(`amount payable (AI ${price.ai}) is too large`);
    priceMinor = Number(minor);
  }

  const expiry = single(ais, /^17$/, 'expiry date (AI 17)');
  if (!expiry.ok) return expiry;
  const batch = single(ais, /^10$/, 'batch (AI 10)');
  if (!batch.ok) return batch;

  return {
    ok: true,
    kind: 'gs1',
    lookupCode: gtin.value,
    symbology,
    weightGrams,
    priceMinor,
    // parseGs1ElementString has validated the date already.
    expiry: expiry.ai === null ? null : gs1Date(expiry.value),
    batch: batch.ai === null ? null : batch.value,
  };
}

// Variable-measure EAN-13 (prefixes 20–29): the market's rules, read in variable-measure.ts.

// ---- resolveBarcode ----

function gtinResult(code: string, symbology: Symbology): BarcodeResult {
  const error = checkDigitError(code);
  if (error !== null) return invalid(error);
  return { ok: true, kind: 'gtin', lookupCode: pad14(code), symbology };
}

function upcEResult(code: string): BarcodeResult {
  const upcA = expandUpcE(code);
  if (upcA !== null) return { ok: true, kind: 'gtin', lookupCode: pad14(upcA), symbology: 'UPC-E' };
  const ns = code.length === 6 ? '0' : code.charAt(0);
  if (ns !== '0' && ns !== '1') return invalid(`UPC-E number system must be 0 or 1, got ${ns}`);
  // Only an 8-digit code with a wrong check digit is left.
  const expected = expandUpcE(code.slice(0, 7))?.charAt(11);
  return invalid(`check digit is ${code.charAt(7)}, expected ${expected}`);
}

function resolveEightDigits(code: string, aim: string | null): BarcodeResult {
  if (aim === ']E4' || !(code.startsWith('0') || code.startsWith('1'))) return gtinResult(code, 'EAN-8');
  if (aim === ']E0') return upcEResult(code);
  if (isValidGtin(code)) return { ok: true, kind: 'gtin', lookupCode: pad14(code), symbology: 'EAN-8' };
  const upcA = expandUpcE(code);
  if (upcA !== null) return { ok: true, kind: 'gtin', lookupCode: pad14(upcA), symbology: 'UPC-E' };
  const ean8 = gtinCheckDigit(code.slice(0, 7));
  const upcE = expandUpcE(code.slice(0, 7))?.charAt(11);
  return invalid(`check digit is ${code.charAt(7)}, expected ${ean8} (EAN-8) or ${upcE} (UPC-E)`);
}

function looksLikeGs1(data: string, aim: string | null): boolean {
  if (aim !== null && GS1_AIMS.has(aim)) return true;
  if (data.includes(GS)) return true;
  // No other reading exists for 16+ characters that start with AI (01) and a GTIN-14.
  return data.length >= 16 && /^01\d{14}/.test(data);
}

/**
 * Resolves raw scanner (or keyboard) input to a catalog lookup. The market profile's
 * variable-measure rules read EAN-13 prefixes 20–29.
 */
export function resolveBarcode(raw: string, market: VariableRules): BarcodeResult {
  const input = raw.replace(/[\r\n]+$/, '');
  if (input.length === 0) return invalid('empty input');
  if (input.length > MAX_INPUT_LENGTH) {
    return invalid(`input is ${input.length} characters long, at most ${MAX_INPUT_LENGTH} allowed`);
  }
  const control = /[\x00-\x1c\x1e\x1f\x7f-\x9f]/.exec(input);
  if (control) {
    const hex = control[0].charCodeAt(0).toString(16).padStart(2, '0');
    return invalid(`contains control character 0x${hex}`);
  }

  const { symbology: aimSymbology, aim, data: stripped } = stripAim(input);
  if (stripped.length === 0) return invalid('no data after the symbology identifier');

  if (looksLikeGs1(stripped, aim)) {
    const symbology = aim !== null && GS1_AIMS.has(aim) ? (aimSymbology ?? 'UNKNOWN') : 'GS1-128';
    return resolveGs1(stripped, symbology);
  }

  let data = stripped;
  // EAN-13/UPC-A with a 2- or 5-digit add-on: the add-on (issue number, price) is not part of the GTIN.
  if (aim === ']E3' && (data.length === 15 || data.length === 18)) data = data.slice(0, 13);

  if (!DIGITS.test(data)) return invalid('contains characters other than digits');
  switch (data.length) {
    case 4:
    case 5:
      return { ok: true, kind: 'plu', plu: data, symbology: 'PLU' };
    case 6:
    case 7:
      return upcEResult(data);
    case 8:
      return resolveEightDigits(data, aim);
    case 12:
      return gtinResult(data, 'UPC-A');
    case 13: {
      const error = checkDigitError(data);
      if (error !== null) return invalid(error);
      return resolveVariable(data, market) ?? gtinResult(data, 'EAN-13');
    }
    case 14:
      return gtinResult(data, 'GTIN-14');
    default:
      return invalid(`unsupported length: ${data.length} digits`);
  }
}
