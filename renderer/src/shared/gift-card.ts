/** What the lane and the kiosk share about gift cards (issue 16): the card the core last answered a scan with, and its masked number. */
import { useState } from 'react';
import type { GiftCardInfo } from '../../../protocol/gift-card';
import type { TerminalState } from '../connection';

/** A gift card number as screens show it: only its last four digits. */
export const maskedCard = (last4: string) => `•••• ${last4}`;

/** The card the core last answered a scan (or F3) with, until the window showing it is closed (or the card pays). */
export function useGiftCardWindow(state: TerminalState): { card: GiftCardInfo | null; close: () => void } {
  const [closedAt, setClosedAt] = useState(0);
  const ack = state.lastAck;
  const result = ack && (ack.cmd === 'scan' || ack.cmd === 'priceCheck') && ack.at > closedAt ? ack.result : undefined;
  return { card: result && 'giftCard' in result ? result.giftCard : null, close: () => setClosedAt(Date.now()) };
}
