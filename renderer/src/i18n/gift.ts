/** The words of gift cards (issue 16), one field each; sv.ts, de.ts and en.ts each fill them in under `gift`. */
export interface GiftMessages {
  /** The gift card window's title: the card's last four digits. */
  title: string;
  balance: string;
  /** What the open sale already pays with it (debited when the sale completes). */
  inUse: string;
  validUntil: string;
  states: Record<'active' | 'blocked' | 'expired' | 'empty', string>;
  /** Pays from the window (F12). */
  pay: string;
  /** A balance check with no sale open. */
  noSale: string;
  nothingToPay: string;
  close: string;
  /** F12 with nothing typed. */
  typeOrScan: string;
  /** After paying with a card: what it paid and what is left on it. */
  paid: string;
  /** Beside a gift card payment in the list of payments. */
  left: string;
  /** Paid without cash: no change to give (the window says "paid", never a big "0,00"). */
  noChange: string;
  saleComplete: string;
  /** The return window: where the gift-card part of the refund goes. */
  refundTitle: string;
  refundCard: string;
  refundNew: string;
  refundCash: string;
  /** The kiosk, to the customer. */
  kioskTitle: string;
  kioskBalance: string;
  kioskPay: string;
  kioskScanFirst: string;
  kioskBack: string;
}
