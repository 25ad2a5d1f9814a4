/**
 * Variable-measure (restricted circulation) EAN-13s, prefixes 20–29, read with the market
 * profile's rules (protocol/terminal/profile.ts): which prefixes carry a price, a weight or a count,
 * where the item reference and the measure are, and the GS1 price/measure verifier digit where the
 * country uses one (GS1 General Specifications 7.9.3 four-digit, 7.9.4 five-digit). Pure functions.
 */
import { gtinCheckDigit } from '../../protocol/gtin';
import type { Profile, VariableMeasureRule } from '../../protocol/terminal';

export type VariableRules = Pick<Profile, 'variableMeasure'>;

/** A variable-measure code read: the catalog's lookup code and the measure it carries. */
export interface VariableMeasureRead {
  ok: true;
  kind: 'variable';
  lookupCode: string;
  symbology: 'EAN-13';
  prefix: string;
  itemRef: string;
  priceMinor: number | null;
  weightGrams: number | null;
  count: number | null;
}

// GS1 weighting products (General Specifications 7.9.2), indexed by digit.
const W2_MINUS: readonly number[] = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const W3: readonly number[] = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const W5_PLUS: readonly number[] = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const W5_MINUS: readonly number[] = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

function digit(s: string, i: number): number {
  return s.charCodeAt(i) - 48;
}

/** Verifier of a 4-digit price (7.9.3): weighting 2- 2- 3 5-, sum times 3, the units digit. */
export function priceCheckDigit4(price: string): number {
  if (!/^\d{4}$/.test(price)) throw new RangeError('a 4-digit price verifier needs 4 digits');
  const sum = W2_MINUS[digit(price, 0)]! + W2_MINUS[digit(price, 1)]! + W3[digit(price, 2)]! + W5_MINUS[digit(price, 3)]!;
  return (sum * 3) % 10;
}

/**
 * Verifier of a 5-digit price or measure (7.9.4): weighting 5+ 2- 5- 5+ 2-; the verifier is the
 * digit whose 5- weighting product equals 10 minus the units digit of the sum.
 */
export function priceCheckDigit5(price: string): number {
  if (!/^\d{5}$/.test(price)) throw new RangeError('a 5-digit price verifier needs 5 digits');
  const tables = [W5_PLUS, W2_MINUS, W5_MINUS, W5_PLUS, W2_MINUS];
  let sum = 0;
  tables.forEach((t, i) => (sum += t[digit(price, i)]!));
  return W5_MINUS.indexOf((10 - (sum % 10)) % 10);
}

/** The 13-digit code of a rule for an item reference and the measure digits (verifier and check digit added). */
export function variableMeasureCode(rule: VariableMeasureRule, itemRef: string, measure: string): string {
  const digits = 12 - rule.itemEnd - (rule.check === 'none' ? 0 : 1);
  if (itemRef.length !== rule.itemEnd - 2 || measure.length !== digits || !/^\d+$/.test(itemRef + measure)) {
    throw new RangeError(`prefix ${rule.prefix} takes ${rule.itemEnd - 2} item digits and ${digits} measure digits`);
  }
  const verifier = rule.check === 'four' ? String(priceCheckDigit4(measure)) : rule.check === 'five' ? String(priceCheckDigit5(measure)) : '';
  const payload = rule.prefix + itemRef + verifier + measure;
  return payload + String(gtinCheckDigit(payload));
}

/** The catalog code of a variable-measure item: its item reference with the measure zeroed (GTIN-14). */
export function variableLookupCode(rule: VariableMeasureRule, code: string): string {
  const payload = code.slice(0, rule.itemEnd).padEnd(12, '0');
  return (payload + String(gtinCheckDigit(payload))).padStart(14, '0');
}

/** `code` is a 13-digit EAN-13 with a valid check digit. Null: not a variable-measure code in this market. */
export function resolveVariable(code: string, market: VariableRules): VariableMeasureRead | { ok: false; error: 'INVALID_BARCODE'; reason: string } | null {
  const prefix = code.slice(0, 2);
  const rule = market.variableMeasure.find((r) => r.prefix === prefix);
  if (rule === undefined) return null;

  const start = rule.itemEnd + (rule.check === 'none' ? 0 : 1);
  const measure = code.slice(start, 12);
  if (rule.check !== 'none') {
    const expected = rule.check === 'four' ? priceCheckDigit4(measure) : priceCheckDigit5(measure);
    const actual = digit(code, rule.itemEnd);
    if (actual !== expected) return { ok: false, error: 'INVALID_BARCODE', reason: `${rule.measure} check digit is ${actual}, expected ${expected}` };
  }
  const raw = Number(measure);
  const value = rule.measure === 'price' ? raw * 10 ** (2 - rule.decimals) : rule.measure === 'weight' ? raw * 10 ** (3 - rule.decimals) : raw;
  return {
    ok: true,
    kind: 'variable',
    lookupCode: variableLookupCode(rule, code),
    symbology: 'EAN-13',
    prefix,
    itemRef: code.slice(2, rule.itemEnd),
    priceMinor: rule.measure === 'price' ? value : null,
    weightGrams: rule.measure === 'weight' ? value : null,
    count: rule.measure === 'count' ? value : null,
  };
}
