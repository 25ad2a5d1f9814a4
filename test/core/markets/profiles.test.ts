/**
 * Market profiles as data (issue 21): every country's file passes its schema, a bad one is refused
 * by the field it got wrong, and each country's variable-measure barcodes, price verifiers and
 * cash rounding read as its rules say. Vectors: GS1 General Specifications 7.9.3/7.9.4 examples,
 * the shared GS1 Sweden/Germany fixture, and the layouts GS1 Finland, GS1 UK and GS1 Denmark publish
 * (codes built by hand from those layouts; see the profile files for what is confirmed).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveBarcode, type BarcodeResult } from '../../../core/catalog/barcode';
import { priceCheckDigit4, priceCheckDigit5 } from '../../../core/catalog/variable-measure';
import { loadProfiles, parseProfile, PROFILE_FILES, ProfileError } from '../../../core/markets';
import { legalLines, vatLetter } from '../../../core/markets/receipt';
import { cashRounding } from '../../../core/pricing';
import { PROFILES, profileFor } from '../../../core/profile';
import { gtinCheckDigit } from '../../../protocol/gtin';

const { SE, DE, DK, NO, FI, GB } = PROFILES;
const withEan = (p12: string) => p12 + gtinCheckDigit(p12);
const read = (code: string, market: typeof SE) => resolveBarcode(code, market);
const reason = (r: BarcodeResult) => (r.ok ? null : r.reason);
const fixture = JSON.parse(readFileSync(new URL('../../fixtures/shared/gs1/variable-measure.json', import.meta.url), 'utf8')) as {
  SE: { cases: Array<{ code: string; price?: string; weight?: string }> };
  DE: { cases: Array<{ code: string; price?: string; weight?: string; count?: number }>; invalid: Array<{ code: string }> };
};
const minor = (s: string, digits: number) => Math.round(Number(s) * 10 ** digits);

describe('the profile files', () => {
  it('are one per country, and every one passes the schema', () => {
    expect(Object.keys(PROFILE_FILES).sort()).toEqual(['DE', 'DK', 'FI', 'GB', 'NO', 'SE']);
    const all = loadProfiles();
    for (const [c, p] of Object.entries(all)) expect(p.country).toBe(c);
    expect(profileFor('dk')).toBe(DK);
    expect(() => profileFor('XX')).toThrow(/Unknown country profile "XX"; known: SE, DE, DK, NO, FI, GB/);
  });

  const bad: Array<[string, (p: Record<string, unknown>) => void, RegExp]> = [
    ['no currency', (p) => delete p.currency, /market profile DK is refused: currency: /],
    ['an unknown currency', (p) => (p.currency = 'DEM'), /currency: /],
    ['a rounding unit of 0', (p) => (p.cashRoundingUnit = 0), /cashRoundingUnit: /],
    ['a rounding unit that is no coin', (p) => (p.cashRoundingUnit = 30), /cashRoundingUnit: is not one of the denominations/],
    ['denominations smallest first', (p) => (p.denominations = [50, 100]), /denominations\.1: denominations go largest first/],
    ['a prefix outside 20–29', (p) => ((p.variableMeasure as Array<Record<string, unknown>>)[0]!.prefix = '30'), /variableMeasure\.0\.prefix: must be two digits 20–29/],
    ['a 4-digit verifier over 5 digits', (p) => ((p.variableMeasure as Array<Record<string, unknown>>)[0]!.check = 'four'), /variableMeasure\.0\.check: a 4-digit verifier needs 4 measure digits, this rule has 5/],
    ['a prefix listed twice', (p) => (p.variableMeasure as unknown[]).push({ prefix: '20', measure: 'price', decimals: 2, itemEnd: 6, check: 'none' }), /variableMeasure\.6\.prefix: prefix 20 is listed twice/],
    ['a price with 3 decimals', (p) => ((p.variableMeasure as Array<Record<string, unknown>>)[0]!.decimals = 3), /variableMeasure\.0\.decimals: a price has at most 2 decimals/],
    ['a VAT letter used twice', (p) => (p.vatRates = [{ rate: 2500, letter: 'A' }, { rate: 0, letter: 'A' }]), /vatRates\.1\.letter: letter A is used twice/],
    ['a field the schema does not know', (p) => (p.roundng = 50), /\(the file\): .*roundng/],
    ['another country in the file', (p) => (p.country = 'SE'), /country: is SE, the file is for DK/],
  ];
  it.each(bad)('refuses %s, naming the field', (_, spoil, message) => {
    const copy = structuredClone(PROFILE_FILES.DK) as Record<string, unknown>;
    spoil(copy);
    expect(() => parseProfile(copy, 'DK')).toThrow(ProfileError);
    expect(() => parseProfile(copy, 'DK')).toThrow(message);
    expect(() => loadProfiles({ ...PROFILE_FILES, DK: copy })).toThrow(/market profile DK is refused/);
  });

  it('fills the receipt’s legal lines from the store’s particulars, leaving out what is not set', () => {
    expect(legalLines(DE, { address: 'Hauptstraße 1, 10115 Berlin', orgNumber: '11/111/11111', vatId: 'DE000000000' })).toEqual(['Hauptstraße 1, 10115 Berlin', 'St.-Nr. 11/111/11111', 'USt-IdNr. DE000000000']);
    expect(legalLines(SE, { address: 'Storgatan 1', orgNumber: '556000-0000', vatId: '' })).toEqual(['Storgatan 1', 'Org.nr 556000-0000']);
    expect(legalLines(GB, null)).toEqual([]);
    expect([vatLetter(SE, 2500), vatLetter(SE, 1200), vatLetter(SE, 600), vatLetter(DE, 700), vatLetter(DE, 1234)]).toEqual(['A', 'B', 'C', 'B', '']);
  });
});

describe('GS1 price verifier digits (General Specifications 7.9.3, 7.9.4)', () => {
  it('computes the specification’s examples', () => {
    expect(priceCheckDigit4('2875')).toBe(9);
    expect(priceCheckDigit5('14685')).toBe(6);
  });
  it('agrees with the German fixture’s verifiers', () => {
    for (const c of fixture.DE.cases) expect(priceCheckDigit5(c.code.slice(7, 12)), c.code).toBe(Number(c.code[6]));
  });
  it('refuses a field of the wrong length', () => {
    expect(() => priceCheckDigit4('123')).toThrow(RangeError);
    expect(() => priceCheckDigit5('1234a')).toThrow(RangeError);
  });
});

describe('variable-measure codes per country', () => {
  it('SE: the fixture’s price and weight codes', () => {
    for (const c of fixture.SE.cases) {
      const r = read(c.code, SE);
      if (c.price) expect(r).toMatchObject({ kind: 'variable', priceMinor: minor(c.price, 2) });
      else if (c.weight) expect(r).toMatchObject({ kind: 'variable', weightGrams: minor(c.weight, 3) });
      else expect(r).toMatchObject({ kind: 'gtin' });
    }
  });

  it('DE: the fixture’s codes, and a wrong verifier refused with the reason', () => {
    for (const c of fixture.DE.cases) {
      expect(read(c.code, DE)).toMatchObject({ kind: 'variable', priceMinor: c.price ? minor(c.price, 2) : null, weightGrams: c.weight ? minor(c.weight, 3) : null, count: c.count ?? null });
    }
    expect(reason(read(fixture.DE.invalid[0]!.code, DE))).toBe('count check digit is 8, expected 9');
    expect(read('2212346999995', DE)).toMatchObject({ priceMinor: 99_999 }); // the largest price, verifier 6
    // Swedish weight labels in a German store: prefix 23 is a price with a verifier there. One is
    // refused by its verifier; another happens to pass and would cost 112,34 € — a market's rules must be its own.
    expect(reason(read('2310000107509', DE))).toBe('price check digit is 0, expected 8');
    expect(read('2388060112344', DE)).toMatchObject({ priceMinor: 11_234, weightGrams: null });
  });

  it('DK: price in øre, weight in grams — and the Swedish rules would charge ten times the price', () => {
    expect(read('2120020039755', DK)).toMatchObject({ kind: 'variable', itemRef: '2002', priceMinor: 3975, lookupCode: '02120020000007' });
    expect(read('2120020039755', SE)).toMatchObject({ priceMinor: 39_750 });
    expect(read('2310010005055', DK)).toMatchObject({ weightGrams: 505, priceMinor: null });
    expect(read('2299999999992', DK)).toMatchObject({ priceMinor: 999_999 });
    expect(read(withEan('260000000000'), DK)).toMatchObject({ kind: 'gtin' });
  });

  it('FI: 23/24/25 weigh in kg with 3/2/1 decimals (GS1 Finland’s 1,155 / 11,55 / 115,5 kg)', () => {
    expect(read('2312345611550', FI)).toMatchObject({ kind: 'variable', itemRef: '123456', weightGrams: 1155 });
    expect(read('2412345611557', FI)).toMatchObject({ weightGrams: 11_550 });
    expect(read('2512345611554', FI)).toMatchObject({ weightGrams: 115_500 });
    expect(read(withEan('201234561155'), FI)).toMatchObject({ kind: 'gtin' }); // no price prefix confirmed
  });

  it('GB: 20XXX/28XXX RR V PPPP C with the 4-digit price verifier', () => {
    expect(read('2012345703490', GB)).toMatchObject({ kind: 'variable', itemRef: '12345', priceMinor: 349 });
    expect(read('2899942312504', GB)).toMatchObject({ itemRef: '99942', priceMinor: 1250 });
    expect(read('2012345699991', GB)).toMatchObject({ priceMinor: 9999 });
    expect(read('2800001000003', GB)).toMatchObject({ priceMinor: 0 });
    expect(reason(read(withEan('201234530349'), GB))).toBe('price check digit is 3, expected 7');
    for (let d = 0; d <= 9; d++) if (d !== 7) expect(reason(read(withEan(`2012345${d}0349`), GB))).toBe(`price check digit is ${d}, expected 7`);
    expect(read(withEan('231234561155'), GB)).toMatchObject({ kind: 'gtin' });
  });

  it('NO: the common Nordic layout (not a GS1 Norway source) — 20/21/22 price in kr, 23/24/25 weight in kg', () => {
    expect(read('2349000007502', NO)).toMatchObject({ kind: 'variable', itemRef: '490000', weightGrams: 750, priceMinor: null, lookupCode: '02349000000008' });
    expect(read('2049010019952', NO)).toMatchObject({ itemRef: '490100', priceMinor: 1995, weightGrams: null });
    expect(read('2149010019959', NO)).toMatchObject({ priceMinor: 19_950 }); // 199,5 kr
    expect(read('2249010019956', NO)).toMatchObject({ priceMinor: 199_500 }); // 1 995 kr
    expect(read('2449010019950', NO)).toMatchObject({ weightGrams: 19_950 }); // 19,95 kg
    expect(read('2549010019957', NO)).toMatchObject({ weightGrams: 199_500 }); // 199,5 kg
    // Edge values: the largest and the smallest measure.
    expect(read('2399999999999', NO)).toMatchObject({ itemRef: '999999', weightGrams: 9999 });
    expect(read('2300000000009', NO)).toMatchObject({ itemRef: '000000', weightGrams: 0 });
    expect(read('2049000099995', NO)).toMatchObject({ priceMinor: 9999 });
    // A wrong check digit is refused before the layout is read; 26–29 stay ordinary codes.
    for (let d = 0; d <= 9; d++) if (d !== 2) expect(reason(read(`234900000750${d}`, NO))).toBe(`check digit is ${d}, expected 2`);
    expect(read(withEan('260000000000'), NO)).toMatchObject({ kind: 'gtin' });
  });

  it('the EAN-13 check digit is checked before any market rule', () => {
    for (const m of [SE, DE, DK, NO, FI, GB]) expect(reason(read('2012345703491', m))).toBe('check digit is 1, expected 0');
  });
});

describe('cash rounding from the profile (half up, cash part only)', () => {
  const cases: Array<[keyof typeof PROFILES, number, number]> = [
    // Denmark to 50 øre: …,24 down, …,25 up to …,50; …,74 down, …,75 up to the next krone.
    ['DK', 10_024, -24], ['DK', 10_025, 25], ['DK', 10_049, 1], ['DK', 10_074, -24], ['DK', 10_075, 25], ['DK', 10_050, 0], ['DK', 10_000, 0],
    // Finland to 5 cent: 1, 2 down; 3, 4 up; 6, 7 down; 8, 9 up.
    ['FI', 1001, -1], ['FI', 1002, -2], ['FI', 1003, 2], ['FI', 1004, 1], ['FI', 1006, -1], ['FI', 1007, -2], ['FI', 1008, 2], ['FI', 1009, 1], ['FI', 1005, 0],
    // Sweden and Norway to whole kronor: 49 öre down, 50 up.
    ['SE', 21_949, -49], ['SE', 21_950, 50], ['NO', 21_949, -49], ['NO', 21_950, 50],
    // Germany and Britain: no rounding.
    ['DE', 1999, 0], ['GB', 1999, 0],
  ];
  it.each(cases)('%s: %i rounds by %i', (country, amount, by) => {
    expect(cashRounding(amount, PROFILES[country].cashRoundingUnit)).toBe(by);
  });
  it('units as the law of each country has them', () => {
    expect([SE, DE, DK, NO, FI, GB].map((p) => [p.country, p.currency, p.cashRoundingUnit])).toEqual([
      ['SE', 'SEK', 100], ['DE', 'EUR', 1], ['DK', 'DKK', 50], ['NO', 'NOK', 100], ['FI', 'EUR', 5], ['GB', 'GBP', 1],
    ]);
  });
});
