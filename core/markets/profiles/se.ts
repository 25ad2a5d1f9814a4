/**
 * Sweden. Variable-measure rules: GS1 Sweden, "Hur skapar jag mina viktvarunummer?" (gs1.se):
 * 2X + item reference + 4-digit price (kr, 2/1/0 decimals for 20/21/22) or weight (kg, 3/2/1
 * decimals for 23/24/25) + check digit; no price verifier. Cash: öre coins are gone, cash is
 * rounded to whole kronor (50 öre and up rounds up). Bokföringslagen 7:2 keeps records seven
 * years — in the signed archive files and at HQ; the terminal keeps the last month whole.
 * Pant follows the VAT of the drink it belongs to.
 *
 * VAT on food (livsmedel) is 6 % instead of 12 % from 1 April 2026 to 31 December 2027, then 12 %
 * again (prop. 2025/26:55 "Tillfälligt sänkt mervärdesskatt på livsmedel", amending
 * mervärdesskattelagen 2023:200). Restaurant and catering stay at 12 %, alcoholic drinks above
 * 3,5 % at 25 %; the food class is the demo catalog's `food`. The letter goes with the rate, so
 * food prints C (6 %) while the cut lasts.
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
  vatClasses: [
    { id: 'standard', rates: [{ rate: 2500 }] },
    {
      id: 'food',
      rates: [
        { rate: 1200, to: '2026-03-31' },
        { rate: 600, from: '2026-04-01', to: '2027-12-31' },
        { rate: 1200, from: '2028-01-01' },
      ],
    },
    { id: 'reduced', rates: [{ rate: 600 }] },
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
