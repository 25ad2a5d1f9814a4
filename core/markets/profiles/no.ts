/**
 * Norway. NOT CONFIRMED: GS1 Norway's layout for in-store weight/price EAN-13s could not be found
 * in a source we could read, so no variable-measure prefix is configured — 20–29 codes are looked
 * up as ordinary codes of the store's catalog until the chain adds its rules here. Cash is
 * rounded to whole kroner (50 øre and up rounds up); 1, 5, 10, 20 kr coins. Pant (Infinitum) is
 * kept outside the price's VAT here (a 0 % deposit item) — to be checked with the store's accountant.
 * Receipts are printed in English until Norwegian receipt words exist.
 */
export default {
  country: 'NO',
  currency: 'NOK',
  locale: 'nb-NO',
  timeZone: 'Europe/Oslo',
  receiptLang: 'en',
  cashRoundingUnit: 100,
  denominations: [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 100],
  journalKeepDays: 31,
  vatRates: [
    { rate: 2500, letter: 'A' },
    { rate: 1500, letter: 'B' },
    { rate: 1200, letter: 'C' },
    { rate: 0, letter: 'D' },
  ],
  variableMeasure: [],
  depositVat: 'own',
  legalLines: ['{address}', 'Org.nr. {orgNumber} MVA'],
};
