/**
 * The return window's question for a sale paid with gift cards (issue 16): where the gift-card part
 * of the refund goes — one of the sale's cards (shown with what it paid and its balance now), a new
 * gift card the till issues (printed on the return receipt), or all in cash. A card that is blocked
 * or expired cannot be chosen. With one card it is chosen already; with several, nothing is.
 */
import type { RefundTo } from '../../../protocol/gift-card';
import type { SaleLookup } from '../../../protocol/terminal';
import { fill } from '../i18n';
import { maskedCard } from '../shared/gift-card';
import { useMessages } from '../shared/messages';

/** What the window starts with for a sale: its only gift card, else nothing chosen (the core asks). */
export function initialRefundTo(lookup: SaleLookup | null): RefundTo {
  return lookup?.giftCards.length === 1 && lookup.giftCards[0]!.state !== 'blocked' && lookup.giftCards[0]!.state !== 'expired' ? { giftCard: lookup.giftCards[0]!.code } : 'original';
}

export function GiftCardRefund({ lookup, refundTo, setRefundTo }: { lookup: SaleLookup; refundTo: RefundTo; setRefundTo: (to: RefundTo) => void }) {
  const { t, money } = useMessages();
  const g = t.gift;
  const chosen = (code: string) => typeof refundTo === 'object' && 'giftCard' in refundTo && refundTo.giftCard === code;
  return (
    <fieldset className="refund-to" data-testid="refund-gift">
      <legend>{g.refundTitle}</legend>
      {lookup.giftCards.map((c) => {
        const usable = c.state !== 'blocked' && c.state !== 'expired';
        return (
          <label key={c.code} className={usable ? undefined : 'disabled'}>
            <input type="radio" name="refund-gift" disabled={!usable} checked={chosen(c.code)} onChange={() => setRefundTo({ giftCard: c.code })} data-testid={`refund-gift-${c.last4}`} />
            {fill(g.refundCard, { card: maskedCard(c.last4), paid: money(c.paid), balance: money(c.balance) })}
            {usable ? '' : ` — ${g.states[c.state]}`}
          </label>
        );
      })}
      <label>
        <input type="radio" name="refund-gift" checked={typeof refundTo === 'object' && 'newGiftCard' in refundTo} onChange={() => setRefundTo({ newGiftCard: true })} data-testid="refund-gift-new" />
        {g.refundNew}
      </label>
      <label>
        <input type="radio" name="refund-gift" checked={refundTo === 'cash'} onChange={() => setRefundTo('cash')} data-testid="refund-gift-cash" />
        {g.refundCash}
      </label>
    </fieldset>
  );
}
