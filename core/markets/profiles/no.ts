/**
 * Norway. NOT CONFIRMED from GS1 Norway: its layout for in-store weight/price EAN-13s could not be
 * found in a source we could read. Configured: the COMMON NORDIC LAYOUT (GS1 Sweden's), which
 * the open-source GS1 parser biip (jodal/biip, src/biip/gtin/_rcn.py) applies to Norway too, noting
 * "no specification found, but products tested seem to match Swedish rules": 2X + 6-digit item
 * reference + 4-digit price (kr with 2/1/0 decimals for 20/21/22) or weight (kg with 3/2/1
 * decimals for 23/24/25) + check digit, no price verifier — check with the chain's label scales
 * before going live (a store's own profile file can override it). Cash is
 * rounded to whole kroner (50 øre and up rounds up); 1, 5, 10, 20 kr coins. Pant (Infinitum) is
 * kept outside the price's VAT here (a 0 % deposit item) — to be checked with the store's accountant.
 * Receipts are printed in Norwegian bokmål ("TOTALT", "MVA", "Pant", "Øreavrunding").
 */
import se from './se';

export default {
  country: 'NO',
  currency: 'NOK',
  locale: 'nb-NO',
  timeZone: 'Europe/Oslo',
  receiptLang: 'nb',
  cashRoundingUnit: 100,
  denominations: [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 100],
  journalKeepDays: 31,
  vatRates: [
    { rate: 2500, letter: 'A' },
    { rate: 1500, letter: 'B' },
    { rate: 1200, letter: 'C' },
    { rate: 0, letter: 'D' },
  ],
  // The common Nordic layout — GS1 Sweden's, the same rules (see above); not a GS1 Norway source.
  variableMeasure: se.variableMeasure,
  depositVat: 'own',
  legalLines: ['{address}', 'Org.nr. {orgNumber} MVA'],
};
