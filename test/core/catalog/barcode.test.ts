import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  expandUpcE,
  gtinCheckDigit,
  isValidGtin,
  parseGs1ElementString,
  resolveBarcode,
  stripAim,
  type BarcodeResult,
} from '../../../core/catalog/barcode';
import { PROFILES } from '../../../core/profile';

const { SE, DE } = PROFILES;

interface VariableCase {
  code: string;
  price?: string;
  weight?: string;
  count?: number;
}
interface Fixture {
  SE: { currency: string; cases: VariableCase[] };
  DE: { currency: string; cases: VariableCase[]; invalid: Array<{ code: string; why: string }> };
  gtin_check_digit: Array<{ payload: string; check: number }>;
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/shared/gs1/variable-measure.json', import.meta.url), 'utf8'),
) as Fixture;

const GS = '\x1d';

/** A decimal string ("12.34") as an integer in units of 10^-places, by string arithmetic only. */
function scaled(decimal: string, places: number): number {
  const [whole = '', fraction = ''] = decimal.split('.');
  expect(fraction.length).toBeLessThanOrEqual(places);
  return Number(whole + fraction.padEnd(places, '0'));
}

/** A 12-digit payload with its EAN-13 check digit. */
function ean13(payload: string): string {
  return payload + String(gtinCheckDigit(payload));
}

/** Replaces the digit at `index` and recomputes the EAN-13 check digit. */
function withDigit(code13: string, index: number, digit: number): string {
  return ean13(code13.slice(0, index) + String(digit) + code13.slice(index + 1, 12));
}

function reasonOf(result: BarcodeResult): string {
  expect(result.ok).toBe(false);
  return result.ok ? '' : result.reason;
}

describe('fixture sanity', () => {
  it('holds the cases these tests are written against', () => {
    expect(fixture.SE.cases).toHaveLength(7);
    expect(fixture.DE.cases).toHaveLength(6);
    expect(fixture.DE.invalid).toHaveLength(1);
    expect(fixture.gtin_check_digit).toHaveLength(2);
  });
});

describe('gtinCheckDigit / isValidGtin', () => {
  it.each(fixture.gtin_check_digit)('check digit of $payload is $check', ({ payload, check }) => {
    expect(gtinCheckDigit(payload)).toBe(check);
    expect(isValidGtin(payload + String(check))).toBe(true);
    expect(isValidGtin(payload + String((check + 1) % 10))).toBe(false);
  });

  it('knows well-known GTINs', () => {
    expect(gtinCheckDigit('03600029145')).toBe(2); // UPC-A 036000291452
    expect(gtinCheckDigit('1001234567890')).toBe(2); // GTIN-14
    expect(gtinCheckDigit('0000000000000')).toBe(0);
    expect(isValidGtin('96385074')).toBe(true);
    expect(isValidGtin('036000291452')).toBe(true);
    expect(isValidGtin('5901234123457')).toBe(true);
    expect(isValidGtin('10012345678902')).toBe(true);
    expect(isValidGtin('09501101530003')).toBe(true);
  });

  it('rejects wrong lengths and non-digits', () => {
    expect(isValidGtin('')).toBe(false);
    expect(isValidGtin('0')).toBe(false);
    expect(isValidGtin('9638507')).toBe(false); // 7 digits
    expect(isValidGtin('000000000')).toBe(false); // 9 digits, check digit would be right
    expect(isValidGtin('000000000000000')).toBe(false); // 15 digits
    expect(isValidGtin('590123412345A')).toBe(false);
    expect(isValidGtin(' 96385074')).toBe(false);
    expect(() => gtinCheckDigit('12a')).toThrow(RangeError);
  });

  it('catches every single-digit error', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^\d{12}$/),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 1, max: 9 }),
        (payload, index, delta) => {
          const code = payload + String(gtinCheckDigit(payload));
          expect(isValidGtin(code)).toBe(true);
          const digit = (Number(code[index]) + delta) % 10;
          const mutated = code.slice(0, index) + String(digit) + code.slice(index + 1);
          expect(isValidGtin(mutated)).toBe(false);
        },
      ),
    );
  });
});

describe('expandUpcE', () => {
  it('expands the example 04252614', () => {
    expect(expandUpcE('04252614')).toBe('042100005264');
  });

  it.each([
    // last digit 0–2: manufacturer d1 d2 d6 00, item 00 d3 d4 d5
    ['01234505', '012000003455'],
    ['01234514', '012100003454'],
    ['01234523', '012200003453'],
    // last digit 3: manufacturer d1 d2 d3 00, item 000 d4 d5
    ['01234531', '012300000451'],
    // last digit 4: manufacturer d1 d2 d3 d4 0, item 0000 d5
    ['01234543', '012340000053'],
    // last digit 5–9: manufacturer d1..d5, item 0000 d6
    ['01234558', '012345000058'],
    ['01234572', '012345000072'],
    ['01234596', '012345000096'],
    // number system 1
    ['11234502', '112000003452'],
  ])('%s → %s', (upcE, upcA) => {
    expect(expandUpcE(upcE)).toBe(upcA);
    expect(isValidGtin(upcA)).toBe(true);
  });

  it('computes the check digit for 6 and 7 digits', () => {
    expect(expandUpcE('425261')).toBe('042100005264');
    expect(expandUpcE('0425261')).toBe('042100005264');
    expect(expandUpcE('1123450')).toBe('112000003452');
    expect(expandUpcE('123453')).toBe('012300000451');
  });

  it('rejects a wrong check digit, number system 2–9 and other input', () => {
    expect(expandUpcE('04252615')).toBeNull();
    expect(expandUpcE('24252614')).toBeNull();
    expect(expandUpcE('2425261')).toBeNull();
    expect(expandUpcE('42526')).toBeNull();
    expect(expandUpcE('042526144')).toBeNull();
    expect(expandUpcE('04252a14')).toBeNull();
    expect(expandUpcE('')).toBeNull();
  });
});

describe('stripAim', () => {
  it.each([
    [']E05901234123457', 'EAN-13', ']E0', '5901234123457'],
    [']E496385074', 'EAN-8', ']E4', '96385074'],
    [']C10109501101530003', 'GS1-128', ']C1', '0109501101530003'],
    [']e00109501101530003', 'GS1-DATABAR', ']e0', '0109501101530003'],
    [']d20109501101530003', 'GS1-DATAMATRIX', ']d2', '0109501101530003'],
    [']Q30109501101530003', 'UNKNOWN', ']Q3', '0109501101530003'],
    [']C0ABC', 'UNKNOWN', ']C0', 'ABC'],
    [']I110012345678902', 'UNKNOWN', ']I1', '10012345678902'],
  ] as const)('%s', (raw, symbology, aim, data) => {
    expect(stripAim(raw)).toEqual({ symbology, aim, data });
  });

  it('leaves input without an AIM identifier alone', () => {
    expect(stripAim('5901234123457')).toEqual({ symbology: null, aim: null, data: '5901234123457' });
    expect(stripAim(']')).toEqual({ symbology: null, aim: null, data: ']' });
    expect(stripAim('')).toEqual({ symbology: null, aim: null, data: '' });
  });
});

describe('variable-measure EAN-13, Sweden (fixture)', () => {
  const variable = fixture.SE.cases.filter((c) => c.price !== undefined || c.weight !== undefined);

  it.each(variable)('$code', (c) => {
    const result = resolveBarcode(c.code, SE);
    const prefix = c.code.slice(0, 2);
    const itemRef = c.code.slice(2, 8);
    const payload = `${prefix}${itemRef}0000`;
    expect(result).toEqual({
      ok: true,
      kind: 'variable',
      symbology: 'EAN-13',
      lookupCode: `0${payload}${gtinCheckDigit(payload)}`,
      prefix,
      itemRef,
      priceMinor: c.price === undefined ? null : scaled(c.price, 2),
      weightGrams: c.weight === undefined ? null : scaled(c.weight, 3),
      count: null,
    });
  });

  it('converts the documented values exactly', () => {
    const expected: Record<string, { priceMinor: number | null; weightGrams: number | null }> = {
      '2088060112343': { priceMinor: 1234, weightGrams: null },
      '2188060112340': { priceMinor: 12340, weightGrams: null },
      '2288060112347': { priceMinor: 123400, weightGrams: null },
      '2388060112344': { priceMinor: null, weightGrams: 1234 },
      '2488060112341': { priceMinor: null, weightGrams: 12340 },
      '2588060112348': { priceMinor: null, weightGrams: 123400 },
    };
    for (const c of variable) {
      expect(resolveBarcode(c.code, SE)).toMatchObject({ ...expected[c.code], itemRef: '880601', count: null });
    }
    expect(Object.keys(expected).sort()).toEqual(variable.map((c) => c.code).sort());
  });

  it('uses the item with its measure zeroed as the lookup code', () => {
    expect(resolveBarcode('2388060112344', SE)).toMatchObject({ lookupCode: '02388060100006' });
    expect(resolveBarcode('2088060112343', SE)).toMatchObject({ lookupCode: '02088060100005' });
    // Same item, another weight: same lookup code.
    const other = withDigit(withDigit('2388060112344', 8, 0), 11, 7); // 0.237 kg
    expect(resolveBarcode(other, SE)).toMatchObject({ lookupCode: '02388060100006', weightGrams: 237 });
  });

  it('treats a prefix without a measure (29) as a plain in-store code', () => {
    const plain = fixture.SE.cases.filter((c) => c.price === undefined && c.weight === undefined && c.count === undefined);
    expect(plain.map((c) => c.code)).toEqual(['2911111111111']);
    for (const c of plain) {
      expect(resolveBarcode(c.code, SE)).toEqual({
        ok: true,
        kind: 'gtin',
        lookupCode: `0${c.code}`,
        symbology: 'EAN-13',
      });
    }
  });

  it('treats 26–28 as plain in-store codes', () => {
    for (const prefix of ['26', '27', '28']) {
      const code = ean13(`${prefix}8806011234`);
      expect(resolveBarcode(code, SE)).toEqual({ ok: true, kind: 'gtin', lookupCode: `0${code}`, symbology: 'EAN-13' });
    }
  });

  it('still checks the EAN check digit', () => {
    expect(reasonOf(resolveBarcode('2388060112345', SE))).toBe('check digit is 5, expected 4');
  });
});

describe('variable-measure EAN-13, Germany (fixture)', () => {
  it.each(fixture.DE.cases)('$code', (c) => {
    const result = resolveBarcode(c.code, DE);
    const prefix = c.code.slice(0, 2);
    const itemRef = c.code.slice(2, 6);
    const payload = `${prefix}${itemRef}000000`;
    expect(result).toEqual({
      ok: true,
      kind: 'variable',
      symbology: 'EAN-13',
      lookupCode: `0${payload}${gtinCheckDigit(payload)}`,
      prefix,
      itemRef,
      priceMinor: c.price === undefined ? null : scaled(c.price, 2),
      weightGrams: c.weight === undefined ? null : scaled(c.weight, 3),
      count: c.count ?? null,
    });
  });

  it('converts the documented values exactly', () => {
    expect(resolveBarcode('2211114002394', DE)).toMatchObject({ priceMinor: 239, weightGrams: null, count: null, itemRef: '1111' });
    expect(resolveBarcode('2330714002396', DE)).toMatchObject({ priceMinor: 239, itemRef: '3071', lookupCode: '02330710000006' });
    expect(resolveBarcode('2511119000129', DE)).toMatchObject({ count: 12, priceMinor: null, weightGrams: null });
    expect(resolveBarcode('2630719000121', DE)).toMatchObject({ count: 12 });
    expect(resolveBarcode('2811111068708', DE)).toMatchObject({ weightGrams: 6870, priceMinor: null, count: null });
    expect(resolveBarcode('2930711068700', DE)).toMatchObject({ weightGrams: 6870, prefix: '29' });
  });

  it.each(fixture.DE.invalid)('rejects $code: $why', ({ code, why }) => {
    expect(isValidGtin(code)).toBe(true); // the EAN check digit is fine; the measure check digit is not
    // The fixture words it "measure check digit is 8, must be 9"; the till names the measure (a count here).
    const [, actual, expected] = /is (\d), must be (\d)/.exec(why)!;
    expect(resolveBarcode(code, DE)).toEqual({ ok: false, error: 'INVALID_BARCODE', reason: `count check digit is ${actual}, expected ${expected}` });
  });

  it('rejects every wrong measure check digit', () => {
    for (const c of fixture.DE.cases) {
      const right = Number(c.code[6]);
      for (let d = 0; d <= 9; d++) {
        if (d === right) continue;
        const code = withDigit(c.code, 6, d);
        expect(reasonOf(resolveBarcode(code, DE))).toMatch(new RegExp(`^(price|count|weight) check digit is ${d}, expected ${right}$`));
      }
    }
  });

  it('catches a single wrong digit in the measure', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...fixture.DE.cases.map((c) => c.code)),
        fc.integer({ min: 7, max: 11 }),
        fc.integer({ min: 1, max: 9 }),
        (code, index, delta) => {
          const mutated = withDigit(code, index, (Number(code[index]) + delta) % 10);
          expect(reasonOf(resolveBarcode(mutated, DE))).toMatch(/^(price|count|weight) check digit is \d, expected \d$/);
        },
      ),
    );
  });

  it('accepts a zero measure', () => {
    const lookup = resolveBarcode('2811111068708', DE);
    expect(lookup.ok).toBe(true);
    if (!lookup.ok || lookup.kind !== 'variable') return;
    expect(resolveBarcode(lookup.lookupCode.slice(1), DE)).toMatchObject({
      kind: 'variable',
      lookupCode: lookup.lookupCode,
      weightGrams: 0,
    });
  });

  it('treats 20, 21, 24 and 27 as plain in-store codes', () => {
    for (const prefix of ['20', '21', '24', '27']) {
      const code = ean13(`${prefix}1111800012`); // the measure check digit would be wrong
      expect(resolveBarcode(code, DE)).toEqual({ ok: true, kind: 'gtin', lookupCode: `0${code}`, symbology: 'EAN-13' });
    }
  });

  it('applies each country’s rules only in that country', () => {
    // A Swedish price code read in Germany: prefix 20 is a plain code there.
    expect(resolveBarcode('2088060112343', DE)).toEqual({
      ok: true,
      kind: 'gtin',
      lookupCode: '02088060112343',
      symbology: 'EAN-13',
    });
    // A German weight code read in Sweden: prefix 28 is a plain code there.
    expect(resolveBarcode('2811111068708', SE)).toMatchObject({ kind: 'gtin', lookupCode: '02811111068708' });
    // A German count code read in Sweden: prefix 25 is a weight with 1 decimal (item ref 6 digits).
    expect(resolveBarcode('2511119000129', SE)).toMatchObject({ kind: 'variable', itemRef: '111190', weightGrams: 1200 });
  });
});

describe('resolveBarcode: GTINs', () => {
  const gtin = (lookupCode: string, symbology: string): BarcodeResult =>
    ({ ok: true, kind: 'gtin', lookupCode, symbology }) as BarcodeResult;

  it.each<[string, BarcodeResult]>([
    ['5901234123457', gtin('05901234123457', 'EAN-13')],
    [']E05901234123457', gtin('05901234123457', 'EAN-13')],
    ['96385074', gtin('00000096385074', 'EAN-8')],
    [']E496385074', gtin('00000096385074', 'EAN-8')],
    ['036000291452', gtin('00036000291452', 'UPC-A')],
    [']E00036000291452', gtin('00036000291452', 'EAN-13')], // UPC-A as the scanner sends it: 13 digits
    ['10012345678902', gtin('10012345678902', 'GTIN-14')],
    [']I110012345678902', gtin('10012345678902', 'GTIN-14')], // ITF-14
    ['04252614', gtin('00042100005264', 'UPC-E')], // not a valid EAN-8, a valid UPC-E
    ['04252610', gtin('00000004252610', 'EAN-8')], // valid EAN-8 wins
    [']E004252614', gtin('00042100005264', 'UPC-E')],
    ['425261', gtin('00042100005264', 'UPC-E')],
    ['0425261', gtin('00042100005264', 'UPC-E')],
    ['1123450', gtin('00112000003452', 'UPC-E')],
    [']E3590123412345712', gtin('05901234123457', 'EAN-13')], // 2-digit add-on dropped
    [']E3590123412345712345', gtin('05901234123457', 'EAN-13')], // 5-digit add-on dropped
    ['5901234123457\r\n', gtin('05901234123457', 'EAN-13')],
    ['5901234123457\n', gtin('05901234123457', 'EAN-13')],
  ])('%j', (raw, expected) => {
    expect(resolveBarcode(raw, SE)).toEqual(expected);
    expect(resolveBarcode(raw, DE)).toEqual(expected);
  });

  it.each([
    ['5901234123458', 'check digit is 8, expected 7'],
    ['036000291453', 'check digit is 3, expected 2'],
    ['96385075', 'check digit is 5, expected 4'],
    [']E496385075', 'check digit is 5, expected 4'],
    [']E404252614', 'check digit is 4, expected 0'],
    [']E004252610', 'check digit is 0, expected 4'],
    ['10012345678901', 'check digit is 1, expected 2'],
    ['04252619', 'check digit is 9, expected 0 (EAN-8) or 4 (UPC-E)'],
    ['2425261', 'UPC-E number system must be 0 or 1, got 2'],
  ])('rejects %j: %s', (raw, reason) => {
    expect(resolveBarcode(raw, SE)).toEqual({ ok: false, error: 'INVALID_BARCODE', reason });
  });
});

describe('resolveBarcode: PLU', () => {
  it.each(['4011', '94011', '0042'])('%s is a PLU', (raw) => {
    expect(resolveBarcode(raw, SE)).toEqual({ ok: true, kind: 'plu', plu: raw, symbology: 'PLU' });
  });

  it('is not a PLU with 3 digits', () => {
    expect(reasonOf(resolveBarcode('401', SE))).toBe('unsupported length: 3 digits');
  });
});

describe('resolveBarcode: GS1 element strings', () => {
  const GTIN = '09501101530003';
  const gs1 = (over: Partial<Extract<BarcodeResult, { kind: 'gs1' }>>): BarcodeResult => ({
    ok: true,
    kind: 'gs1',
    lookupCode: GTIN,
    symbology: 'GS1-128',
    weightGrams: null,
    priceMinor: null,
    expiry: null,
    batch: null,
    ...over,
  });

  it('reads GTIN, weight, price, expiry and batch', () => {
    const raw = `]C101${GTIN}3103001234392200995${GS}1726053110LOT42`;
    expect(resolveBarcode(raw, SE)).toEqual(
      gs1({ weightGrams: 1234, priceMinor: 995, expiry: '2026-05-31', batch: 'LOT42' }),
    );
  });

  it('reads the AIs in any order', () => {
    const raw = `]C110LOT42${GS}17260500310200012501${GTIN}39211234`;
    expect(resolveBarcode(raw, DE)).toEqual(
      gs1({ weightGrams: 1250, priceMinor: 12340, expiry: '2026-05-31', batch: 'LOT42' }),
    );
    const raw2 = `]C13921123${GS}01${GTIN}10B-7/8${GS}3103000500`;
    expect(resolveBarcode(raw2, SE)).toEqual(gs1({ weightGrams: 500, priceMinor: 1230, batch: 'B-7/8' }));
  });

  it('tolerates a redundant GS after a fixed-length AI and a trailing GS', () => {
    expect(resolveBarcode(`]C101${GTIN}${GS}10ABC${GS}`, SE)).toEqual(gs1({ batch: 'ABC' }));
  });

  it.each([
    ['3100000002', 2000],
    ['3101000025', 2500],
    ['3102000125', 1250],
    ['3103001234', 1234],
    ['3104012340', 1234],
    ['3105012000', 120],
  ])('weight AI %s → %i g', (element, grams) => {
    expect(resolveBarcode(`]C101${GTIN}${element}`, SE)).toEqual(gs1({ weightGrams: grams }));
  });

  it('rejects a weight that is not a whole number of grams', () => {
    expect(reasonOf(resolveBarcode(`]C101${GTIN}3105012345`, SE))).toBe(
      'net weight (AI 3105) is not a whole number of grams',
    );
  });

  it.each([
    ['392015', 1500],
    ['39211234', 12340],
    ['39221234', 1234],
    ['392312340', 1234],
    ['392500000100000', 100],
    ['3920000000000000001', 100],
  ])('price AI %s → %i minor units', (element, minor) => {
    expect(resolveBarcode(`]C101${GTIN}${element}`, SE)).toEqual(gs1({ priceMinor: minor }));
  });

  it('rejects a price with more than 2 decimals instead of rounding', () => {
    expect(reasonOf(resolveBarcode(`]C101${GTIN}392312345`, SE))).toBe('amount payable (AI 3923) has more than 2 decimals');
    expect(reasonOf(resolveBarcode(`]C101${GTIN}39235`, SE))).toBe('amount payable (AI 3923) has more than 2 decimals');
    expect(reasonOf(resolveBarcode(`]C101${GTIN}3920999999999999999`, SE))).toBe('amount payable (AI 3920) is too large');
  });

  it.each([
    ['17260531', '2026-05-31'],
    ['17260500', '2026-05-31'],
    ['17240200', '2024-02-29'],
    ['17250200', '2025-02-28'],
    ['17240229', '2024-02-29'],
    ['17491231', '2049-12-31'],
    ['17500101', '1950-01-01'],
    ['17991100', '1999-11-30'],
  ])('expiry AI %s → %s', (element, date) => {
    expect(resolveBarcode(`]C101${GTIN}${element}`, SE)).toEqual(gs1({ expiry: date }));
  });

  it.each(['17250229', '17251301', '17250001', '17250431', '17250132'])('rejects the date in %s', (element) => {
    expect(reasonOf(resolveBarcode(`]C101${GTIN}${element}`, SE))).toBe(`AI (17) is not a valid date: ${element.slice(2)}`);
  });

  it('takes the symbology from the AIM identifier', () => {
    expect(resolveBarcode(`]e001${GTIN}`, SE)).toEqual(gs1({ symbology: 'GS1-DATABAR' }));
    expect(resolveBarcode(`]d201${GTIN}10ABC`, SE)).toEqual(gs1({ symbology: 'GS1-DATAMATRIX', batch: 'ABC' }));
    expect(resolveBarcode(`]Q301${GTIN}10ABC`, SE)).toEqual(gs1({ symbology: 'UNKNOWN', batch: 'ABC' }));
  });

  it('recognises GS1 data without an AIM identifier', () => {
    expect(resolveBarcode(`01${GTIN}3103001234`, SE)).toEqual(gs1({ weightGrams: 1234 }));
    expect(resolveBarcode(`01${GTIN}10ABC${GS}17260531`, SE)).toEqual(gs1({ batch: 'ABC', expiry: '2026-05-31' }));
    expect(resolveBarcode(`${GS}01${GTIN}10ABC`, SE)).toEqual(gs1({ batch: 'ABC' }));
    expect(resolveBarcode(`10ABC${GS}01${GTIN}`, SE)).toEqual(gs1({ batch: 'ABC' }));
    expect(resolveBarcode(`01${GTIN}\r\n`, SE)).toEqual(gs1({}));
  });

  it('requires AI 01 with a valid check digit', () => {
    expect(reasonOf(resolveBarcode(']C13103001234', SE))).toBe('GS1 element string has no GTIN (AI 01)');
    expect(reasonOf(resolveBarcode(`]C110ABC${GS}17260531`, SE))).toBe('GS1 element string has no GTIN (AI 01)');
    expect(reasonOf(resolveBarcode(']C10109501101530004', SE))).toBe('GTIN in AI (01): check digit is 4, expected 3');
    expect(reasonOf(resolveBarcode(`]e00109501101530004`, SE))).toBe('GTIN in AI (01): check digit is 4, expected 3');
  });

  it('rejects conflicting measures', () => {
    expect(reasonOf(resolveBarcode(`]C101${GTIN}31020001253103001234`, SE))).toBe('more than one net weight (AI 310n)');
    expect(reasonOf(resolveBarcode(`]C101${GTIN}3921100${GS}3922100`, SE))).toBe('more than one amount payable (AI 392n)');
    expect(reasonOf(resolveBarcode(`]C101${GTIN}01${GTIN.slice(0, 13)}0`, SE))).toMatch(/^more than one GTIN/);
  });

  it.each([
    [`]C101${GTIN.slice(0, 12)}`, 'AI (01) needs 14 characters, got 12'],
    [`]C101${GTIN}310300`, 'AI (3103) needs 6 characters, got 2'],
    [`]C101${GTIN}17${GS}10ABC`, 'AI (17) needs 6 characters, got 0'],
    [`]C101${GTIN}10`, 'AI (10) has 0 characters, allowed 1–20'],
    [`]C101${GTIN}10${'A'.repeat(21)}`, 'AI (10) has 21 characters, allowed 1–20'],
    [`]C101${GTIN}3922${GS}10A`, 'AI (3922) has 0 characters, allowed 1–15'],
    [`]C101${GTIN}3`, 'unknown application identifier at position 16: "3"'],
    [`]C101${GTIN}4499`, 'unknown application identifier at position 16: "4499"'],
    [`]C101${GTIN}3106000001`, 'unknown application identifier at position 16: "3106"'],
    [`]C101${GTIN}10A${GS}${GS}17260531`, 'unknown application identifier at position 20: "<GS>172"'],
    [`]C101${GTIN}3103001a34`, 'AI (3103) has an invalid value "001a34"'],
    [`]C101${GTIN}10AB#C`, 'AI (10) has an invalid value "AB#C"'],
    [`]C1`, 'no data after the symbology identifier'],
  ])('rejects %j', (raw, reason) => {
    expect(resolveBarcode(raw, SE)).toEqual({ ok: false, error: 'INVALID_BARCODE', reason });
  });

  it('does not mistake 16+ digits starting with 01 for anything else', () => {
    expect(reasonOf(resolveBarcode(`01${GTIN}9`, SE))).toBe('unknown application identifier at position 16: "9"');
  });
});

describe('parseGs1ElementString', () => {
  it('splits fixed- and variable-length AIs', () => {
    expect(parseGs1ElementString(`0109501101530003172605311012345${GS}21XYZ${GS}3103001234`)).toEqual({
      ok: true,
      ais: [
        { ai: '01', value: '09501101530003' },
        { ai: '17', value: '260531' },
        { ai: '10', value: '12345' },
        { ai: '21', value: 'XYZ' },
        { ai: '3103', value: '001234' },
      ],
    });
  });

  it('reads 3- and 4-digit AIs, fixed-length ones that need a separator, and compound values', () => {
    expect(parseGs1ElementString(`00123456789012345675422752${GS}8005000123${GS}42175212345${GS}4109501234567890`)).toEqual({
      ok: true,
      ais: [
        { ai: '00', value: '123456789012345675' },
        { ai: '422', value: '752' },
        { ai: '8005', value: '000123' },
        { ai: '421', value: '75212345' },
        { ai: '410', value: '9501234567890' },
      ],
    });
    // 422 is fixed length but not predefined: without a separator the next AI runs into it.
    expect(parseGs1ElementString('4227520109501101530003')).toEqual({
      ok: false,
      reason: 'AI (422) has 19 characters, allowed 3',
    });
  });

  it('tolerates one leading GS', () => {
    expect(parseGs1ElementString(`${GS}0109501101530003`)).toEqual({ ok: true, ais: [{ ai: '01', value: '09501101530003' }] });
  });

  it('rejects empty and unknown input', () => {
    expect(parseGs1ElementString('')).toEqual({ ok: false, reason: 'empty GS1 element string' });
    expect(parseGs1ElementString(GS)).toEqual({ ok: false, reason: 'empty GS1 element string' });
    expect(parseGs1ElementString('ABC')).toEqual({ ok: false, reason: 'unknown application identifier at position 0: "ABC"' });
    expect(parseGs1ElementString('1401234')).toEqual({ ok: false, reason: 'unknown application identifier at position 0: "1401"' });
  });
});

describe('resolveBarcode: garbage', () => {
  it.each<[string, string]>([
    ['', 'empty input'],
    ['\r\n', 'empty input'],
    [']E0', 'no data after the symbology identifier'],
    ['ABCDEFGH', 'contains characters other than digits'],
    ['59012341234AB', 'contains characters other than digits'],
    ['5901234 123457', 'contains characters other than digits'],
    ['١٢٣٤', 'contains characters other than digits'],
    ['12345678\t', 'contains control character 0x09'],
    ['1234\x00', 'contains control character 0x00'],
    ['5901234\n123457', 'contains control character 0x0a'],
    ['\x1b[A', 'contains control character 0x1b'],
    ['4011\x7f', 'contains control character 0x7f'],
    ['x'.repeat(1000), 'input is 1000 characters long, at most 100 allowed'],
    ['1'.repeat(101), 'input is 101 characters long, at most 100 allowed'],
    ['123456789', 'unsupported length: 9 digits'],
    ['123456789012345', 'unsupported length: 15 digits'],
    [']C0123456789', 'unsupported length: 9 digits'],
  ])('%j', (raw, reason) => {
    for (const country of [SE, DE]) {
      expect(resolveBarcode(raw, country)).toEqual({ ok: false, error: 'INVALID_BARCODE', reason });
    }
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120, unit: 'binary' }), fc.constantFrom(SE, DE), (raw, country) => {
        const result = resolveBarcode(raw, country);
        if (result.ok && result.kind !== 'plu') expect(result.lookupCode).toMatch(/^\d{14}$/);
      }),
    );
  });
});
