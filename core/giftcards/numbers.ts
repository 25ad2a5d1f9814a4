/**
 * Gift card numbers (issue 16): the catalog's number ranges (prefix, length, check digit), which
 * range a scanned code falls in, whether its check digit is right, and new numbers to issue.
 * Pure functions; core/giftcards/index.ts reads the ranges from the database.
 */
import { gtinCheckDigit } from '../../protocol/gtin';

export type CheckDigit = 'none' | 'luhn' | 'gtin';

export interface GiftCardRange {
  prefix: string;
  length: number;
  check: CheckDigit;
  /** New cards (a refund onto a new gift card) are issued from this range. */
  issue: boolean;
}

const DIGITS = /^\d+$/;

/** Luhn (mod 10, every second digit from the right doubled) check digit over `payload`. */
export function luhnCheckDigit(payload: string): number {
  if (!DIGITS.test(payload)) throw new RangeError('a Luhn payload must be digits');
  let sum = 0;
  for (let i = payload.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

function checkDigitOf(check: CheckDigit, payload: string): number | null {
  return check === 'luhn' ? luhnCheckDigit(payload) : check === 'gtin' ? gtinCheckDigit(payload) : null;
}

/** The range a code belongs to (the longest prefix that fits its length), or null: not a gift card. */
export function findRange(ranges: readonly GiftCardRange[], code: string): GiftCardRange | null {
  if (!DIGITS.test(code)) return null;
  let best: GiftCardRange | null = null;
  for (const r of ranges) {
    if (r.length === code.length && code.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  }
  return best;
}

/** True when the code's last digit is its range's check digit (always, for a range without one). */
export function checkDigitOk(range: GiftCardRange, code: string): boolean {
  const want = checkDigitOf(range.check, code.slice(0, -1));
  return want === null || want === code.charCodeAt(code.length - 1) - 48;
}

/**
 * A new card number in the range: its prefix, random digits (`random(n)` gives n of them) and the
 * check digit when the range has one. Random, not counted up: lanes issue cards independently and
 * a card number is what pays.
 */
export function newCardNumber(range: GiftCardRange, random: (n: number) => string): string {
  const body = range.prefix + random(range.length - range.prefix.length - (range.check === 'none' ? 0 : 1));
  const check = checkDigitOf(range.check, body);
  return check === null ? body : `${body}${check}`;
}
