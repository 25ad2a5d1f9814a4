/**
 * Finland. Variable-measure rules: GS1 Finland ("How to identify the product (GTIN)", gs1.fi):
 * 23/24/25 + 4-digit company prefix + 2 own digits + 4-digit weight in kg with 3/2/1 decimals +
 * check digit; no verifier. In-store price codes are NOT CONFIRMED and not configured. Cash is
 * rounded to 5 cent (1 and 2 cent down, 3 and 4 cent up). VAT 25,5 / 14 / 10 % (rates of 2025 —
 * check the current ones). Pantti (Palpa) is kept outside VAT here (a 0 % deposit item) — to be
 * checked. Receipts are printed in Finnish ("YHTEENSÄ", "ALV", "Pantti", "Pyöristys").
 */
export default {
  country: 'FI',
  currency: 'EUR',
  locale: 'fi-FI',
  timeZone: 'Europe/Helsinki',
  receiptLang: 'fi',
  cashRoundingUnit: 5,
  denominations: [20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50, 20, 10, 5],
  journalKeepDays: 31,
  vatRates: [
    { rate: 2550, letter: 'A' },
    { rate: 1400, letter: 'B' },
    { rate: 1000, letter: 'C' },
    { rate: 0, letter: 'D' },
  ],
  variableMeasure: [
    { prefix: '23', measure: 'weight', decimals: 3, itemEnd: 8, check: 'none' },
    { prefix: '24', measure: 'weight', decimals: 2, itemEnd: 8, check: 'none' },
    { prefix: '25', measure: 'weight', decimals: 1, itemEnd: 8, check: 'none' },
  ],
  depositVat: 'own',
  legalLines: ['{address}', 'Y-tunnus {orgNumber}'],
};
