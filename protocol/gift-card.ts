/**
 * Gift cards on the Terminal API (issue 16): what a scanned or typed gift card answers (its
 * balance, whether it can pay, what the open sale already uses of it), and where the gift-card
 * part of a refund goes. protocol/terminal/ puts them in its commands and acknowledgements.
 */
import { z } from 'zod';

/** A gift card number as printed under its barcode. */
export const GiftCardCodeSchema = z.string().regex(/^[0-9]{8,20}$/);

/** One gift card as the till knows it now. */
export const GiftCardInfoSchema = z.object({
  /** The whole number (the lane pays with it); screens show only `last4`. */
  code: GiftCardCodeSchema,
  last4: z.string(),
  /** On the card now (minor units); what this sale uses of it is debited only when the sale completes. */
  balance: z.number().int(),
  /** What the open sale already pays with it. */
  inUse: z.number().int(),
  /** Valid until (ISO date-time), or null. */
  expiresAt: z.string().nullable(),
  state: z.enum(['active', 'blocked', 'expired', 'empty']),
  /** What it can pay in the open sale now (0: no sale, nothing left to pay, or the card cannot pay). */
  canPay: z.number().int(),
});
export type GiftCardInfo = z.infer<typeof GiftCardInfoSchema>;

/** The answer to a scan (or F3 price check) of a gift card, and to paying with one: no line is sold. */
export const GiftCardResultSchema = z.object({ giftCard: GiftCardInfoSchema });
export type GiftCardResult = z.infer<typeof GiftCardResultSchema>;

/** A gift card that paid (part of) a sale found for a return: what it paid then, and how it stands now. */
export const SaleGiftCardSchema = GiftCardInfoSchema.extend({ paid: z.number().int() });
export type SaleGiftCard = z.infer<typeof SaleGiftCardSchema>;

/**
 * Where a return's money goes: back as paid (card to the card; a sale paid with one gift card, to
 * it), all in cash, or — for what gift cards paid — onto one of the sale's gift cards or a new gift
 * card the till issues. A sale paid with several gift cards needs one of the last two.
 */
export const RefundToSchema = z.union([
  z.enum(['original', 'cash']),
  z.object({ giftCard: GiftCardCodeSchema }).strict(),
  z.object({ newGiftCard: z.literal(true) }).strict(),
]);
export type RefundTo = z.infer<typeof RefundToSchema>;
