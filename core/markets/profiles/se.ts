/**
 * Sweden. Variable-measure rules: GS1 Sweden, "Hur skapar jag mina viktvarunummer?" (gs1.se):
 * 2X + item reference + 4-digit price (kr, 2/1/0 decimals for 20/21/22) or weight (kg, 3/2/1
 * decimals for 23/24/25) + check digit; no price verifier. Cash: öre coins are gone, cash is
 * rounded to whole kronor (50 öre and up rounds up). Bokföringslagen 7:2 keeps records seven
 * years — in the signed archive files and at HQ; the terminal keeps the last month whole.
 * Pant follows the VAT of the drink it belongs to.
 */
export default {
  country: 'SE',
  currency: 'SEK',
  locale: 'sv-SE',
  timeZone: 'Europe/Stockholm',
  receiptLang: 'sv',
  cashRoundingUnit: 100,
  denominations: [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100],
  journalKeepDays: 31,
  vatRates: [
    { rate: 2500, letter: 'A' },
    { rate: 1200, letter: 'B' },
    { rate: 600, letter: 'C' },
    { rate: 0, letter: 'D' },
  ],
  variableMeasure: [
    { prefix: '20', measure: 'price', decimals: 2, itemEnd: 8, check: 'none' },
    { prefix: '21', measure: 'price', decimals: 1, itemEnd: 8, check: 'none' },
    { prefix: '22', measure: 'price', decimals: 0, itemEnd: 8, check: 'none' },
    { prefix: '23', measure: 'weight', decimals: 3, itemEnd: 8, check: 'none' },
    { prefix: '24', measure: 'weight', decimals: 2, itemEnd: 8, check: 'none' },
    { prefix: '25', measure: 'weight', decimals: 1, itemEnd: 8, check: 'none' },
  ],
  depositVat: 'item',
  legalLines: ['{address}', 'Org.nr {orgNumber}', 'Momsreg.nr {vatId}'],
};
