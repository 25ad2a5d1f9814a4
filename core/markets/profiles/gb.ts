/**
 * Great Britain. Variable-measure rules: GS1 UK ("How to barcode variable measure items",
 * gs1uk.org): branded codes 20XXX / 28XXX + 2-digit item reference + a price verifier over the
 * 4 price digits (GS1 General Specifications 7.9.3) + 4-digit price in pence + check digit. UK
 * in-store numbering (retailer's own) is NOT CONFIRMED and not configured. No cash rounding; no
 * drinks deposit scheme yet (none in the demo catalog).
 */
export default {
  country: 'GB',
  currency: 'GBP',
  locale: 'en-GB',
  timeZone: 'Europe/London',
  receiptLang: 'en',
  cashRoundingUnit: 1,
  denominations: [5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5, 2, 1],
  journalKeepDays: 31,
  vatRates: [
    { rate: 2000, letter: 'A' },
    { rate: 500, letter: 'B' },
    { rate: 0, letter: 'Z' },
  ],
  variableMeasure: [
    { prefix: '20', measure: 'price', decimals: 2, itemEnd: 7, check: 'four' },
    { prefix: '28', measure: 'price', decimals: 2, itemEnd: 7, check: 'four' },
  ],
  depositVat: 'own',
  legalLines: ['{address}', 'VAT Reg No. {vatId}'],
};
