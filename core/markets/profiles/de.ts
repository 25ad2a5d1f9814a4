/**
 * Germany. Variable-measure rules as in the shared GS1 Germany vectors (test/fixtures/gs1): 2X +
 * 4-digit item reference + a 5-digit price/measure verifier (GS1 General Specifications 7.9.4) +
 * 5-digit measure + check digit: 22/23 price in cent, 25/26 count, 28/29 weight in grams. Cent
 * coins are legal tender: no cash rounding. AO §147 / GoBD keep records ten years — in the signed
 * archive files and at HQ; the terminal keeps the last month whole. Pfand follows the VAT of the
 * drink it goes with (19 % for most drinks, 7 % for milk).
 */
export default {
  country: 'DE',
  currency: 'EUR',
  locale: 'de-DE',
  timeZone: 'Europe/Berlin',
  receiptLang: 'de',
  cashRoundingUnit: 1,
  denominations: [50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  journalKeepDays: 31,
  vatRates: [
    { rate: 1900, letter: 'A' },
    { rate: 700, letter: 'B' },
    { rate: 0, letter: 'C' },
  ],
  variableMeasure: [
    { prefix: '22', measure: 'price', decimals: 2, itemEnd: 6, check: 'five' },
    { prefix: '23', measure: 'price', decimals: 2, itemEnd: 6, check: 'five' },
    { prefix: '25', measure: 'count', decimals: 0, itemEnd: 6, check: 'five' },
    { prefix: '26', measure: 'count', decimals: 0, itemEnd: 6, check: 'five' },
    { prefix: '28', measure: 'weight', decimals: 3, itemEnd: 6, check: 'five' },
    { prefix: '29', measure: 'weight', decimals: 3, itemEnd: 6, check: 'five' },
  ],
  depositVat: 'item',
  legalLines: ['{address}', 'St.-Nr. {orgNumber}', 'USt-IdNr. {vatId}'],
};
