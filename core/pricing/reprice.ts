/**
 * Repricing: from each line's gross amount, take off promotion discounts, then the line's manual
 * discount, then share the sale discount over the lines (largest remainder, so the shares add up
 * exactly). Deposit lines are never discounted; no line total goes below zero. Pure and
 * deterministic: the same lines and discounts always give the same result.
 */
import type { Line, LineDiscount, ManualDiscount } from '../../protocol/terminal';
import { divRoundHalfUp, lineTotal } from './index';

export interface PromotionDiscount {
  lineId: string;
  promotionId: string;
  text: string;
  amount: number;
}

function grossOf(l: Line): number {
  return l.priceFromCode ? l.grossTotal : lineTotal(l.unit, l.unitPrice, l.quantity, l.weightGrams);
}

function manualAmount(d: ManualDiscount, base: number): number {
  return Math.min(base, d.kind === 'percent' ? divRoundHalfUp(base * d.value, 10_000) : d.value);
}

/** Splits `amount` over `bases` in proportion, exactly, with the largest-remainder method. */
export function allocate(amount: number, bases: readonly number[]): number[] {
  const sum = bases.reduce((a, b) => a + b, 0);
  if (sum <= 0 || amount <= 0) return bases.map(() => 0);
  const exact = bases.map((b) => (amount * b) / sum);
  const shares = exact.map(Math.floor);
  let left = amount - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const o of order) {
    if (left <= 0) break;
    if (shares[o.i]! < bases[o.i]!) {
      shares[o.i]!++;
      left--;
    }
  }
  return shares;
}

export function reprice(lines: readonly Line[], saleDiscount: ManualDiscount | null, promotions: readonly PromotionDiscount[]): Line[] {
  const promoByLine = new Map<string, PromotionDiscount[]>();
  for (const p of promotions) promoByLine.set(p.lineId, [...(promoByLine.get(p.lineId) ?? []), p]);
  const out = lines.map((l) => {
    const gross = grossOf(l);
    const discounts: LineDiscount[] = [];
    let left = gross;
    if (!l.voided && l.depositFor === null) {
      for (const p of promoByLine.get(l.lineId) ?? []) {
        const amount = Math.min(left, p.amount);
        if (amount > 0) discounts.push({ source: 'promotion', id: p.promotionId, text: p.text, amount });
        left -= amount;
      }
      if (l.manualDiscount) {
        const amount = manualAmount(l.manualDiscount, left);
        if (amount > 0) discounts.push({ source: 'manual', id: 'manual', text: l.manualDiscount.reason, amount });
        left -= amount;
      }
    }
    return { ...l, grossTotal: gross, discounts, total: left };
  });
  if (saleDiscount) {
    const eligible = out.map((l, i) => ({ l, i })).filter(({ l }) => !l.voided && l.depositFor === null && l.total > 0);
    const base = eligible.reduce((a, { l }) => a + l.total, 0);
    const total = manualAmount(saleDiscount, base);
    const shares = allocate(total, eligible.map(({ l }) => l.total));
    eligible.forEach(({ l, i }, k) => {
      const amount = shares[k]!;
      if (amount > 0) out[i] = { ...l, discounts: [...l.discounts, { source: 'sale', id: 'sale', text: saleDiscount.reason, amount }], total: l.total - amount };
    });
  }
  return out;
}
