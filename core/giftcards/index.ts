/**
 * Gift cards on the lane (issue 16): recognising a scanned or typed card by the catalog's number
 * ranges, its balance and what it can pay, debiting it when a sale completes, and crediting a
 * refund onto a card the cashier chose or a new card issued here. Every balance change is a
 * journal entry in the transaction of the sale or return it belongs to: `voucher.redeemed`,
 * `voucher.credited`, `voucher.issued` (each with the balance after it).
 */
import { randomInt } from 'node:crypto';
import type { GiftCardInfo, RefundTo, SaleGiftCard } from '../../protocol/gift-card';
import type { Tender } from '../../protocol/terminal';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { CoreError } from '../errors';
import type { Journal } from '../journal';
import type { RefundPart } from '../returns';
import { checkDigitOk, findRange, newCardNumber, type GiftCardRange } from './numbers';
import { GiftCardRepo, type CardRow } from './repo';

/** The open sale a card is looked at in: its tenders, and what is left to pay (0 while it cannot take a payment). */
export interface OpenSale {
  tenders: readonly Tender[];
  payable: number;
}

/** What a return is for, in the journal entries of the cards it credits. */
export interface RefundRef {
  returnId: string;
  originalSaleId: string | null;
}

const last4 = (code: string) => code.slice(-4);

export class GiftCards {
  private readonly st: GiftCardRepo;

  constructor(
    db: Db,
    private readonly now: Clock,
    private readonly journal: Journal,
  ) {
    this.st = new GiftCardRepo(db);
  }

  /** The catalog's gift card ranges (a handful of rows, read when asked). */
  ranges(): GiftCardRange[] {
    return this.st.ranges();
  }

  /** The range a code is in, or null: not a gift card (an item barcode, a PLU …). */
  range(code: string): GiftCardRange | null {
    return /^\d{8,20}$/.test(code) ? findRange(this.ranges(), code) : null;
  }

  /**
   * A gift card scanned, or typed and looked up with F3: its balance and what it can pay in the open
   * sale. A number in a range whose check digit is wrong was misread; a card the till does not know
   * is refused.
   */
  lookup(code: string, sale: OpenSale | null): GiftCardInfo {
    const range = this.range(code);
    if (range && !checkDigitOk(range, code)) throw new CoreError('INVALID_BARCODE', 'The gift card number was misread (wrong check digit).', { code, reason: 'giftCardCheckDigit' });
    const row = this.st.card(code);
    if (!row) throw new CoreError('VOUCHER_INVALID', 'That gift card is not known here.', { code: last4(code) });
    return this.info(row, sale?.tenders ?? [], sale?.payable ?? 0);
  }

  private info(row: CardRow, tenders: readonly Tender[], payable: number): GiftCardInfo {
    const inUse = tenders.filter((t) => t.kind === 'voucher' && t.voucherCode === row.code).reduce((a, t) => a + t.amount, 0);
    const expired = row.expires_at !== null && Date.parse(row.expires_at) < this.now().getTime();
    const state = row.blocked ? 'blocked' : expired ? 'expired' : row.balance - inUse <= 0 ? 'empty' : 'active';
    return {
      code: row.code,
      last4: last4(row.code),
      balance: row.balance,
      inUse,
      expiresAt: row.expires_at,
      state,
      canPay: state === 'active' ? Math.max(0, Math.min(row.balance - inUse, payable)) : 0,
    };
  }

  /** What a card can still pay in this sale (its balance less what the sale already uses of it); refuses one that cannot pay. */
  available(code: string, tenders: readonly Tender[]): number {
    const range = this.range(code);
    const row = range && !checkDigitOk(range, code) ? undefined : this.st.card(code);
    if (!row) throw new CoreError('VOUCHER_INVALID', 'That gift card is not valid here.', { code: last4(code) });
    const card = this.info(row, tenders, Number.MAX_SAFE_INTEGER);
    if (card.state === 'blocked' || card.state === 'expired') throw new CoreError('VOUCHER_INVALID', 'That gift card is not valid here.', { code: last4(code) });
    if (card.state === 'empty') throw new CoreError('VOUCHER_EMPTY', 'That gift card has no balance left.', { code: last4(code) });
    return card.canPay;
  }

  /**
   * Debits the sale's gift cards (inside the sale's transaction), journalling each with the balance
   * after it; returns the tenders with the balance left on each card after the sale.
   */
  redeem(tenders: readonly Tender[], saleId: string, at: string): Tender[] {
    const left = new Map<string, number>();
    for (const t of tenders) {
      if (t.kind !== 'voucher' || !t.voucherCode) continue;
      if (!this.st.debit(t.voucherCode, t.amount)) {
        throw new CoreError('VOUCHER_EMPTY', 'A gift card in this sale no longer has enough balance; void that payment and take another.', { code: last4(t.voucherCode) });
      }
      const balanceAfter = this.st.card(t.voucherCode)!.balance;
      left.set(t.voucherCode, balanceAfter);
      this.journal.append('voucher.redeemed', t.voucherCode, { code: t.voucherCode, amount: t.amount, saleId, balanceAfter }, at);
    }
    return tenders.map((t) => (t.voucherCode && left.has(t.voucherCode) ? { ...t, voucherLeft: left.get(t.voucherCode)! } : t));
  }

  /** The gift cards that paid a sale, each with what it paid then and how it stands now (for the return window). */
  ofSale(tenders: readonly Tender[]): SaleGiftCard[] {
    const paid = new Map<string, number>();
    for (const t of tenders) if (t.kind === 'voucher' && t.voucherCode) paid.set(t.voucherCode, (paid.get(t.voucherCode) ?? 0) + t.amount);
    const out: SaleGiftCard[] = [];
    for (const [code, amount] of paid) {
      const row = this.st.card(code);
      if (row) out.push({ ...this.info(row, [], 0), paid: amount });
    }
    return out;
  }

  /**
   * Credits a return's gift-card parts (inside the return's transaction): each onto the card it is
   * routed to (routeGiftCardRefund), or onto one new card issued here for all of them. Returns the
   * parts with the card credited and its balance after.
   */
  creditRefund(parts: readonly RefundPart[], ref: RefundRef, at: string): RefundPart[] {
    const gift = parts.filter((p) => p.kind === 'voucher');
    if (!gift.length) return [...parts];
    const done = new Map<string, { code: string; balanceAfter: number }>();
    for (const target of new Set(gift.map(targetOf))) {
      const amount = gift.filter((p) => targetOf(p) === target).reduce((a, p) => a + p.amount, 0);
      done.set(target, target === NEW ? this.issue(amount, ref, at) : this.credit(target, amount, ref, at));
    }
    return parts.map((p) => {
      if (p.kind !== 'voucher') return p;
      const d = done.get(targetOf(p))!;
      return { ...p, creditedTo: d.code, balanceAfter: d.balanceAfter, ...(targetOf(p) === NEW ? { newCard: true } : {}) };
    });
  }

  private credit(code: string, amount: number, ref: RefundRef, at: string): { code: string; balanceAfter: number } {
    const row = this.st.card(code);
    const card = row ? this.info(row, [], 0) : null;
    if (!card || card.state === 'blocked' || card.state === 'expired') {
      throw new CoreError('VOUCHER_INVALID', 'That gift card cannot take the refund (blocked, expired or unknown); choose a new gift card or cash.', { code: last4(code) });
    }
    this.st.credit(code, amount);
    const balanceAfter = card.balance + amount;
    this.journal.append('voucher.credited', code, { code, amount, balanceAfter, returnId: ref.returnId, originalSaleId: ref.originalSaleId }, at);
    return { code, balanceAfter };
  }

  /** A new card with `amount` on it, numbered in the catalog's issuing range (check digit included). */
  private issue(amount: number, ref: RefundRef, at: string): { code: string; balanceAfter: number } {
    const range = this.ranges().find((r) => r.issue) ?? this.ranges()[0];
    if (!range) throw new CoreError('NOT_ALLOWED_NOW', 'The catalog has no gift card range to issue a new card from; refund to a card or in cash.', { reason: 'noGiftCardRange' });
    const random = (n: number) => Array.from({ length: n }, () => String(randomInt(10))).join('');
    for (let attempt = 0; attempt < 20; attempt++) {
      const code = newCardNumber(range, random);
      if (!this.st.insert(code, amount)) continue; // taken: another number
      this.journal.append('voucher.issued', code, { code, amount, balanceAfter: amount, prefix: range.prefix, returnId: ref.returnId, originalSaleId: ref.originalSaleId }, at);
      return { code, balanceAfter: amount };
    }
    throw new CoreError('STORAGE_FAILED', 'No free gift card number was found in the range; refund to a card or in cash.');
  }
}

const NEW = '\u0000new';
const targetOf = (p: RefundPart): string => (p.newCard ? NEW : (p.creditedTo ?? p.voucherCode ?? ''));

/**
 * Where the gift-card parts of a refund go, decided before anything is written: onto the sale's
 * card the cashier chose, or a new card; as paid only when one gift card paid the sale (with more,
 * the cashier is asked). Parts stay counted against the card that paid them (their `voucherCode`).
 */
export function routeGiftCardRefund(parts: RefundPart[], to: RefundTo | undefined, saleTenders: readonly Tender[]): RefundPart[] {
  if (!parts.some((p) => p.kind === 'voucher')) return parts;
  const codes = new Set(saleTenders.filter((t) => t.kind === 'voucher' && t.voucherCode).map((t) => t.voucherCode!));
  if (to && typeof to === 'object') {
    if ('newGiftCard' in to) return parts.map((p) => (p.kind === 'voucher' ? { ...p, creditedTo: null, newCard: true } : p));
    if (!codes.has(to.giftCard)) throw new CoreError('VOUCHER_INVALID', 'That gift card did not pay this sale; choose one of its cards or a new one.', { code: last4(to.giftCard) });
    return parts.map((p) => (p.kind === 'voucher' ? { ...p, creditedTo: to.giftCard } : p));
  }
  if (codes.size > 1) throw new CoreError('CHOOSE_GIFT_CARD', 'The sale was paid with several gift cards: choose the card the refund goes to, or a new one.');
  return parts;
}
