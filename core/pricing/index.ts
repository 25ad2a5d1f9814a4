/**
 * Pricing: pure integer arithmetic in minor units. Prices are VAT-inclusive; VAT is extracted
 * per rate from the gross sum of that rate, so the breakdown always adds up to the total.
 */
import type { Line, Profile, Tender, Totals, VatRow } from '../../protocol/terminal';

/** Rounds a non-negative rational num/den half up, in integers. */
export function divRoundHalfUp(num: number, den: number): number {
  if (den <= 0) throw new RangeError('denominator must be positive');
  if (num < 0) return -divRoundHalfUp(-num, den);
  return Math.floor((2 * num + den) / (2 * den));
}

/** Line total of a count item (unit price × quantity) or a weighed item (price per kg × grams). */
export function lineTotal(unit: Line['unit'], unitPrice: number, quantity: number, weightGrams: number | null): number {
  if (unit === 'weight') {
    if (weightGrams === null) throw new RangeError('a weighed line needs a weight');
    return divRoundHalfUp(unitPrice * weightGrams, 1000);
  }
  return unitPrice * quantity;
}

/** VAT contained in a VAT-inclusive gross amount at `rateBp` basis points (2500 = 25 %). */
export function vatOfGross(gross: number, rateBp: number): number {
  return divRoundHalfUp(gross * rateBp, 10_000 + rateBp);
}

export function vatBreakdown(lines: readonly Line[]): VatRow[] {
  const byRate = new Map<number, number>();
  for (const l of lines) {
    if (l.voided) continue;
    byRate.set(l.vatRate, (byRate.get(l.vatRate) ?? 0) + l.total);
  }
  return [...byRate.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([rate, gross]) => {
      const vat = vatOfGross(gross, rate);
      return { rate, gross, vat, net: gross - vat };
    });
}

/**
 * Cash rounding to the profile's smallest cash unit, half up (Swedish rule: 50 öre and above
 * rounds up). Returns the rounding adjustment (rounded − amount).
 */
export function cashRounding(amount: number, unit: number): number {
  if (unit <= 1) return 0;
  const rounded = divRoundHalfUp(amount, unit) * unit;
  return rounded - amount;
}

/**
 * Totals of a basket and its tenders. Card and voucher tenders pay the exact amount; cash pays
 * what is left, rounded to the profile's smallest cash unit — so rounding applies to the cash part
 * only, once cash covers it. Cash handed over that does not cover the rest (100 kr on 219,55) is
 * not rounded: what remains is exact (119,55 by card), `remainingCash` what it takes in cash (120).
 */
export function computeTotals(lines: readonly Line[], tenders: readonly Tender[], profile: Profile): Totals {
  let total = 0;
  let itemCount = 0;
  let discounts = 0;
  for (const l of lines) {
    if (l.voided) continue;
    total += l.total;
    for (const d of l.discounts) discounts += d.amount;
    if (l.depositFor === null && l.kind !== 'depositReturn') itemCount += l.unit === 'weight' ? 1 : l.quantity;
  }
  let cash = 0;
  let nonCash = 0;
  for (const t of tenders) {
    if (t.kind === 'cash') cash += t.amount;
    else nonCash += t.amount;
  }
  if (total <= 0 && nonCash === 0) return payoutTotals(total, discounts, itemCount, lines, tenders, cash, profile);
  const cashPart = Math.max(0, total - nonCash);
  const cashRounded = cashPart + cashRounding(cashPart, profile.cashRoundingUnit);
  const rounding = cash > 0 && cash >= cashRounded ? cashRounded - cashPart : 0;
  const due = total + rounding;
  const tendered = cash + nonCash;
  const remaining = Math.max(0, due - tendered);
  const remainingCash = remaining === 0 ? 0 : Math.max(0, cashRounded - cash);
  const change = Math.max(0, tendered - due);
  return { total, discounts, itemCount, vat: vatBreakdown(lines), rounding, due, tendered, remaining, remainingCash, change };
}

/**
 * Empties worth more than the purchase (or only empties): the sale's total is negative and the lane
 * pays the difference out in cash — never to a card. The payout is rounded like cash taken in (its
 * amount half up to the smallest coin: DK 10,24 → 10,00, 10,25 → 10,50); the cash tender that
 * pays it out is negative, and once it is booked `due` is minus the payout and nothing remains.
 */
function payoutTotals(total: number, discounts: number, itemCount: number, lines: readonly Line[], tenders: readonly Tender[], cash: number, profile: Profile): Totals {
  const payout = payoutOf(total, profile);
  const paidOut = tenders.some((t) => t.kind === 'cash');
  const rounding = paidOut ? -payout - total : 0;
  const due = total + rounding;
  return { total, discounts, itemCount, vat: vatBreakdown(lines), rounding, due, tendered: cash, remaining: 0, remainingCash: 0, change: 0, ...(total < 0 ? { payout } : {}) };
}

/** What the lane pays out in cash on a sale whose total is `total` (≤ 0): its amount rounded half up to the smallest coin. */
export function payoutOf(total: number, profile: Pick<Profile, 'cashRoundingUnit'>): number {
  const exact = Math.max(0, -total);
  return exact + cashRounding(exact, profile.cashRoundingUnit);
}

/** What a customer paying the rest in cash hands over for "exact amount" (rounded). */
export function cashToPay(lines: readonly Line[], tenders: readonly Tender[], profile: Profile): number {
  const t = computeTotals(lines, [...tenders, { tenderId: '', kind: 'cash', amount: 0, card: null, voucherCode: null }], profile);
  let nonCash = 0;
  let cash = 0;
  for (const x of tenders) if (x.kind === 'cash') cash += x.amount;
  else nonCash += x.amount;
  const rest = Math.max(0, t.total - nonCash);
  return Math.max(0, rest + cashRounding(rest, profile.cashRoundingUnit) - cash);
}
