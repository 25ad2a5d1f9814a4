/** What the lane and the kiosk share about gift cards (issue 16): the card the core last answered a scan with, and its masked number. */
import { useState } from 'react';
import type { GiftCardInfo } from '../../../protocol/gift-card';
import { isGiftCardAnswer } from '../../../protocol/terminal';
import type { LastAck, TerminalState } from '../connection';

/** A gift card number as screens show it: only its last four digits. */
export const maskedCard = (last4: string) => `•••• ${last4}`;

/** The card the core last answered a scan (or F3) with, until the window showing it is closed (or the card pays). */
export function useGiftCardWindow(state: TerminalState): { card: GiftCardInfo | null; close: () => void } {
  const [closedAt, setClosedAt] = useState(0);
  const ack = state.lastAck;
  return { card: ack && ack.at > closedAt ? giftCardAnswer(ack) : null, close: () => setClosedAt(performance.now()) };
}

/** The gift card a scan or a price check (F3) answered with: a gift card's code sells or prices nothing. */
export function giftCardAnswer(ack: LastAck | null): GiftCardInfo | null {
  if (ack?.cmd === 'scan') return ack.result?.giftCard ?? null;
  if (ack?.cmd === 'priceCheck') return ack.result && isGiftCardAnswer(ack.result) ? ack.result.giftCard : null;
  return null;
}
