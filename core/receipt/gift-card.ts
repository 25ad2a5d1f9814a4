/**
 * Gift cards on receipts (issue 16): the balance left on a card that paid, and on a return receipt
 * the card the refund went onto with its new balance — a new card with its number and barcode.
 * text.ts hands in its layout (its row and its one money formatter), so this file imports nothing of it.
 */
import type { Profile } from '../../protocol/terminal';

/** The receipt's own layout, from text.ts: a left/right row of its width, and an amount as its receipts write it. */
export interface ReceiptLayout {
  row: (left: string, right: string) => string;
  money: (minor: number, profile: Profile) => string;
}

const WORDS = {
  sv: { left: 'Kvar på kortet', voucher: 'Presentkort', newCard: 'Nytt presentkort', newBalance: 'Nytt saldo', balance: 'Saldo', number: 'Kortnummer' },
  de: { left: 'Restguthaben', voucher: 'Gutschein', newCard: 'Neuer Gutschein', newBalance: 'Neues Guthaben', balance: 'Guthaben', number: 'Nummer' },
  en: { left: 'Left on the card', voucher: 'Gift card', newCard: 'New gift card', newBalance: 'New balance', balance: 'Balance', number: 'Card number' },
  da: { left: 'Tilbage på kortet', voucher: 'Gavekort', newCard: 'Nyt gavekort', newBalance: 'Ny saldo', balance: 'Saldo', number: 'Kortnummer' },
  nb: { left: 'Igjen på kortet', voucher: 'Gavekort', newCard: 'Nytt gavekort', newBalance: 'Ny saldo', balance: 'Saldo', number: 'Kortnummer' },
  fi: { left: 'Kortilla jäljellä', voucher: 'Lahjakortti', newCard: 'Uusi lahjakortti', newBalance: 'Uusi saldo', balance: 'Saldo', number: 'Kortin numero' },
} as const;

/** A return's refund part as the receipt shows it (core/returns RefundPart once credited). */
export interface RefundShown {
  kind: 'cash' | 'card' | 'voucher';
  amount: number;
  voucherCode?: string | null;
  creditedTo?: string | null;
  newCard?: boolean;
  balanceAfter?: number;
}

/** Under a gift card's tender line: what is left on the card after this sale. */
export function giftCardLeftLine(left: number, profile: Profile, { row, money }: ReceiptLayout): string {
  return row(`  ${WORDS[profile.receiptLang].left}`, money(left, profile));
}

/**
 * The gift-card part of a return, one block per card credited: the card (last four digits) and
 * the amount, its balance after; a new card also with its whole number and its barcode.
 */
export function giftCardRefundLines(refunds: readonly RefundShown[], profile: Profile, { row, money }: ReceiptLayout): string[] {
  const w = WORDS[profile.receiptLang];
  const by = new Map<string, { amount: number; balanceAfter: number | undefined; newCard: boolean }>();
  for (const p of refunds) {
    if (p.kind !== 'voucher') continue;
    const code = p.creditedTo ?? p.voucherCode ?? '';
    const seen = by.get(code);
    by.set(code, { amount: (seen?.amount ?? 0) + p.amount, balanceAfter: p.balanceAfter ?? seen?.balanceAfter, newCard: p.newCard === true });
  }
  const out: string[] = [];
  for (const [code, c] of by) {
    out.push(row(`${c.newCard ? w.newCard : w.voucher} ...${code.slice(-4)}`, money(-c.amount, profile)));
    if (c.balanceAfter !== undefined) out.push(row(`  ${c.newCard ? w.balance : w.newBalance}`, money(c.balanceAfter, profile)));
    if (c.newCard && code) out.push(`  ${w.number} ${code}`, `[BARCODE] ${code}`);
  }
  return out;
}
