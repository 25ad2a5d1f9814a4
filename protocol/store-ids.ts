/**
 * A store's registration numbers, checked as far as each market defines them (HQ checks them when
 * store IT sets the store's particulars, hq/store-legal.ts; a Swedish till checks the organisation
 * number again before it registers a receipt with its control unit). Rules, each verified against a
 * published description (docs/design.md "The store's particulars"):
 * - SE organisationsnummer NNNNNN-NNNN, the last digit a Luhn check digit (Peppol BIS rule SE-R-013);
 *   the VAT number (momsregistreringsnummer) SE + 12 digits ending in 01.
 * - DK CVR-nummer: 8 digits whose sum weighted 2,7,6,5,4,3,2,1 is divisible by 11 (Erhvervsstyrelsen, "Modulus 11").
 * - NO organisasjonsnummer: 9 digits; the first eight weighted 3,2,7,6,5,4,3,2, the check digit
 *   11 − (sum mod 11), 11 → 0, 10 → no valid number (Brønnøysundregistrene).
 * - FI Y-tunnus NNNNNNN-N: the seven digits weighted 7,9,10,5,8,4,2, the check digit 11 − (sum
 *   mod 11), remainder 0 → 0, remainder 1 → no valid number.
 * - DE USt-IdNr. DE + 9 digits (the Steuernummer's format varies by Land: not checked).
 * - GB VAT registration number GB + 9 digits, + 12 (a branch), or GBGD/GBHA + 3 (government, health).
 * A VAT number may be left empty (a store not registered for VAT); spaces inside the Danish,
 * Norwegian, German and British numbers are allowed, as they are printed in blocks.
 */
import type { COUNTRIES } from './terminal/profile';

export type StoreCountry = (typeof COUNTRIES)[number];

const digits = (s: string) => [...s].map(Number);
const weighted = (d: number[], w: number[]) => w.reduce((sum, wi, i) => sum + wi * d[i]!, 0);
const compact = (s: string) => s.replace(/ /g, '');

/** Luhn over all digits (the last one the check digit). */
function luhn(s: string): boolean {
  const sum = digits(s).reduce((acc, d, i, all) => {
    const x = (all.length - i) % 2 === 0 ? d * 2 : d;
    return acc + (x > 9 ? x - 9 : x);
  }, 0);
  return sum % 10 === 0;
}

/** The check digit of a weighted modulus-11 number (11 − remainder; 11 → 0; null: 10, no valid number). */
function mod11Check(d: number[], w: number[]): number | null {
  const c = 11 - (weighted(d, w) % 11);
  return c === 11 ? 0 : c === 10 ? null : c;
}

/** A Swedish organisation (or personal identity) number, NNNNNN-NNNN, with its Luhn check digit. */
export function validSeOrgNumber(s: string): boolean {
  return /^\d{6}-\d{4}$/.test(s) && luhn(s.replace('-', ''));
}

export function validDkCvr(s: string): boolean {
  const c = compact(s);
  return /^\d{8}$/.test(c) && weighted(digits(c), [2, 7, 6, 5, 4, 3, 2, 1]) % 11 === 0;
}

export function validNoOrgNumber(s: string): boolean {
  const c = compact(s);
  if (!/^\d{9}$/.test(c)) return false;
  const d = digits(c);
  return mod11Check(d, [3, 2, 7, 6, 5, 4, 3, 2]) === d[8];
}

export function validFiBusinessId(s: string): boolean {
  if (!/^\d{7}-\d$/.test(s)) return false;
  const d = digits(s.replace('-', ''));
  return mod11Check(d, [7, 9, 10, 5, 8, 4, 2]) === d[7];
}

interface IdRule {
  test: (s: string) => boolean;
  /** What a right one looks like, for the message. */
  shape: string;
  /** Why a number of the right shape is still wrong (null: only the shape is checked). */
  checkDigit: string | null;
  /** The shape alone, to tell "wrong shape" from "wrong check digit". */
  form: RegExp;
  /** May be left empty. */
  optional: boolean;
}

const RULES: Record<StoreCountry, { orgNumber: IdRule | null; vatId: IdRule | null }> = {
  SE: {
    orgNumber: { test: validSeOrgNumber, shape: 'a Swedish organisation number is NNNNNN-NNNN (e.g. 556012-5790)', checkDigit: 'its last digit is not the Luhn check digit of the others', form: /^\d{6}-\d{4}$/, optional: false },
    vatId: { test: (s) => /^SE\d{10}01$/.test(s), shape: 'a Swedish VAT number is SE, the organisation number’s 10 digits and 01 (e.g. SE556012579001)', checkDigit: null, form: /^SE\d{10}01$/, optional: true },
  },
  DK: { orgNumber: { test: validDkCvr, shape: 'a Danish CVR number is 8 digits (e.g. 13585628)', checkDigit: 'its digits weighted 2,7,6,5,4,3,2,1 do not add up to a multiple of 11 (modulus 11)', form: /^\d{8}$/, optional: false }, vatId: null },
  NO: { orgNumber: { test: validNoOrgNumber, shape: 'a Norwegian organisation number is 9 digits (e.g. 974760673)', checkDigit: 'its last digit is not the modulus-11 check digit (weights 3,2,7,6,5,4,3,2) of the others', form: /^\d{9}$/, optional: false }, vatId: null },
  FI: { orgNumber: { test: validFiBusinessId, shape: 'a Finnish business ID (Y-tunnus) is NNNNNNN-N (e.g. 1572860-0)', checkDigit: 'its last digit is not the check digit (weights 7,9,10,5,8,4,2, modulus 11) of the others', form: /^\d{7}-\d$/, optional: false }, vatId: null },
  DE: { orgNumber: null, vatId: { test: (s) => /^DE\d{9}$/.test(s), shape: 'a German USt-IdNr. is DE and 9 digits (e.g. DE123456789)', checkDigit: null, form: /^DE\d{9}$/, optional: true } },
  GB: { orgNumber: null, vatId: { test: (s) => /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/.test(s), shape: 'a British VAT number is GB and 9 or 12 digits (e.g. GB123456789)', checkDigit: null, form: /^GB(\d{9}|\d{12}|GD\d{3}|HA\d{3})$/, optional: true } },
};

/** Spaces are allowed inside the numbers printed in blocks (not in the Swedish and Finnish ones, whose shape has a dash). */
const spaced = (country: StoreCountry, field: 'orgNumber' | 'vatId') => !(country === 'SE' || (country === 'FI' && field === 'orgNumber'));

/**
 * What is wrong with a store's numbers for its market, naming the field and why (null: nothing).
 * Only what the market defines is checked; an empty VAT number is allowed.
 */
export function storeIdProblem(country: StoreCountry, ids: { orgNumber: string; vatId: string }): string | null {
  for (const field of ['orgNumber', 'vatId'] as const) {
    const rule = RULES[country][field];
    if (!rule) continue;
    const raw = ids[field].trim();
    if (raw === '' && rule.optional) continue;
    const value = spaced(country, field) ? compact(raw) : raw;
    if (rule.test(value)) continue;
    const wrongDigit = rule.checkDigit && rule.form.test(value);
    return `${field} "${ids[field]}": ${wrongDigit ? rule.checkDigit : rule.shape}`;
  }
  return null;
}
