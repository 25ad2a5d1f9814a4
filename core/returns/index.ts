/**
 * Returns: what a return of some lines of a sale is worth, and how the refund is split over the
 * original tenders. Pure functions; the lane service reads and writes the database around them.
 */
import type { Line, Profile, Tender, Totals, VatRow } from '../../protocol/terminal';
import { CoreError } from '../errors';
import { cashRounding, divRoundHalfUp, vatOfGross } from '../pricing';

export interface ReturnedLine {
  lineId: string;
  itemId: string;
  name: string;
  quantity: number;
  amount: number;
  vatRate: number;
  depositFor: string | null;
}

export interface RefundPart {
  kind: 'cash' | 'card' | 'voucher';
  amount: number;
  /** The gift card (or card terminal reference) of the original tender this part is counted against. */
  voucherCode?: string | null;
  terminalRef?: string | null;
  /** Gift card part: the card that gets the money when not the one that paid (core/giftcards). */
  creditedTo?: string | null;
  /** Gift card part: onto a new card the till issues (its number is `creditedTo` once issued). */
  newCard?: boolean;
  /** Gift card part, once credited: that card's balance after the return. */
  balanceAfter?: number;
}

export interface OriginalSale {
  saleId: string;
  lines: Line[];
  tenders: Tender[];
  totals: Totals;
}

/** What is left to return of each line, given what earlier returns took. */
export function returnable(sale: OriginalSale, returned: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of sale.lines) if (!l.voided) out.set(l.lineId, l.quantity - (returned.get(l.lineId) ?? 0));
  return out;
}

/**
 * The lines coming back and their refund: each line's paid total (after discounts) pro rata per
 * unit; a deposit goes back with its item. A line can never come back more times than it was sold.
 */
export function returnLines(sale: OriginalSale, returned: ReadonlyMap<string, number>, request: ReadonlyArray<{ lineId: string; quantity: number }>): ReturnedLine[] {
  const left = returnable(sale, returned);
  const out: ReturnedLine[] = [];
  const seen = new Set<string>();
  for (const r of request) {
    const line = sale.lines.find((l) => l.lineId === r.lineId && !l.voided);
    // Empties taken back (a negative line) are never "returned" to the customer again.
    if (!line || line.depositFor !== null || line.kind === 'depositReturn' || seen.has(r.lineId)) throw new CoreError('LINE_NOT_FOUND', 'That line is not on the receipt (deposits come back with their item; empties taken back do not come back).', { lineId: r.lineId });
    seen.add(r.lineId);
    const wholeOnly = line.unit === 'weight' || line.priceFromCode;
    if (wholeOnly && r.quantity !== line.quantity) throw new CoreError('RETURN_TOO_MANY', 'A weighed or labelled item comes back whole.', { lineId: r.lineId });
    if (r.quantity > (left.get(line.lineId) ?? 0)) {
      throw new CoreError('RETURN_TOO_MANY', `Only ${left.get(line.lineId) ?? 0} of ${line.name} can still be returned.`, { lineId: r.lineId, left: left.get(line.lineId) ?? 0 });
    }
    // Cumulative pro-rata share, so all partial returns of a line add up to exactly its total.
    const cum = (l: Line, n: number) => divRoundHalfUp(l.total * n, l.quantity);
    const part = (l: Line, q: number) => {
      const before = returned.get(l.lineId) ?? 0;
      return cum(l, before + q) - cum(l, before);
    };
    out.push({ lineId: line.lineId, itemId: line.itemId, name: line.name, quantity: r.quantity, amount: part(line, r.quantity), vatRate: line.vatRate, depositFor: null });
    const dep = sale.lines.find((l) => l.depositFor === line.lineId && !l.voided);
    if (dep) {
      const q = Math.min(r.quantity, left.get(dep.lineId) ?? 0);
      if (q > 0) out.push({ lineId: dep.lineId, itemId: dep.itemId, name: dep.name, quantity: q, amount: part(dep, q), vatRate: dep.vatRate, depositFor: line.lineId });
    }
  }
  return out;
}

/**
 * Splits a refund over the original tenders, non-cash first (a card is refunded to the card, a
 * gift card is credited back), never more per tender than it paid net of earlier refunds; the
 * rest in cash, rounded to the profile's cash unit.
 */
export function splitRefund(
  amount: number,
  tenders: readonly Tender[],
  change: number,
  alreadyRefunded: ReadonlyMap<string, number>,
  profile: Profile,
  cardPossible: boolean,
): { parts: RefundPart[]; rounding: number } {
  const parts: RefundPart[] = [];
  let left = amount;
  const order = [...tenders].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const t of order) {
    if (left <= 0 || t.kind === 'cash') continue;
    if (t.kind === 'card' && !cardPossible) continue;
    const key = t.kind === 'voucher' ? `voucher:${t.voucherCode}` : `card:${t.card?.terminalRef ?? t.tenderId}`;
    const cap = t.amount - (alreadyRefunded.get(key) ?? 0);
    const take = Math.min(left, Math.max(0, cap));
    if (take > 0) {
      parts.push({ kind: t.kind, amount: take, voucherCode: t.voucherCode ?? null, terminalRef: t.card?.terminalRef ?? null });
      left -= take;
    }
  }
  void change;
  let rounding = 0;
  if (left > 0) {
    rounding = cashRounding(left, profile.cashRoundingUnit);
    parts.push({ kind: 'cash', amount: left + rounding });
  }
  return { parts, rounding };
}

function rank(kind: Tender['kind']): number {
  return kind === 'card' ? 0 : kind === 'voucher' ? 1 : 2;
}

/** Key under which a refund part is counted against its original tender. */
export function refundKey(p: RefundPart): string | null {
  if (p.kind === 'voucher') return `voucher:${p.voucherCode}`;
  if (p.kind === 'card') return `card:${p.terminalRef}`;
  return null;
}

/** VAT of the refunded amounts, per rate (positive numbers; the return document negates them). */
export function returnVat(lines: readonly ReturnedLine[]): VatRow[] {
  const by = new Map<number, number>();
  for (const l of lines) by.set(l.vatRate, (by.get(l.vatRate) ?? 0) + l.amount);
  return [...by.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([rate, gross]) => {
      const vat = vatOfGross(gross, rate);
      return { rate, gross, vat, net: gross - vat };
    });
}
