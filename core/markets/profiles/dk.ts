/**
 * Denmark. GS1 Denmark ("Interne GS1-stregkoder", gs1.dk) confirms the in-store price code has a
 * 4-digit item reference with the price always in øre, and the quantity code a weight usually in
 * grams. NOT CONFIRMED from a GS1 Denmark source: which 2X prefixes carry price and which weight,
 * and whether a price verifier is used. Configured here: 20–22 price in øre and 23–25 weight in
 * grams, 2X + 4-digit item + 6-digit measure + check digit, no verifier — check with the chain's
 * label scales before going live. Cash is rounded to 50 øre (…,24 down, …,25 up to …,50; …,74
 * down, …,75 up to the next krone). Pant A/B/C (Dansk Retursystem): 1,00 / 1,50 / 3,00 kr, with VAT.
 * Receipts are printed in Danish (core/receipt/text.ts: "I ALT", "Moms", "Pant", "Byttepenge").
 */
export default {
  country: 'DK',
  currency: 'DKK',
  locale: 'da-DK',
  timeZone: 'Europe/Copenhagen',
  receiptLang: 'da',
  cashRoundingUnit: 50,
  denominations: [100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100, 50],
  journalKeepDays: 31,
  vatRates: [
    { rate: 2500, letter: 'A' },
    { rate: 0, letter: 'B' },
  ],
  variableMeasure: [
    { prefix: '20', measure: 'price', decimals: 2, itemEnd: 6, check: 'none' },
    { prefix: '21', measure: 'price', decimals: 2, itemEnd: 6, check: 'none' },
    { prefix: '22', measure: 'price', decimals: 2, itemEnd: 6, check: 'none' },
    { prefix: '23', measure: 'weight', decimals: 3, itemEnd: 6, check: 'none' },
    { prefix: '24', measure: 'weight', decimals: 3, itemEnd: 6, check: 'none' },
    { prefix: '25', measure: 'weight', decimals: 3, itemEnd: 6, check: 'none' },
  ],
  depositVat: 'own',
  legalLines: ['{address}', 'CVR-nr. {orgNumber}'],
};
