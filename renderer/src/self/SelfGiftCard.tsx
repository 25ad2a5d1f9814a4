/**
 * A gift card scanned at a self-checkout (issue 16): what is on it, in large type, and paying with
 * it when the basket has something left to pay (touch). Spoken to the customer.
 */
import type { GiftCardInfo } from '../../../protocol/gift-card';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { fill } from '../i18n';
import { maskedCard } from '../shared/gift-card';
import { useMessages } from '../shared/messages';

export function SelfGiftCard({ card, snap, send, onClose }: { card: GiftCardInfo; snap: Snapshot; send: (c: CommandBody) => boolean; onClose: () => void }) {
  const { t, money } = useMessages();
  const g = t.gift;
  const co = snap.checkout;
  const pay = () => {
    if (co?.state === 'scanning') send({ cmd: 'subtotal' });
    send({ cmd: 'tenderVoucher', code: card.code, amount: card.canPay });
    onClose();
  };
  const usable = card.state === 'active';
  return (
    <div className="modal-backdrop">
      <div className="modal self-modal" role="dialog" aria-modal="true" aria-labelledby="self-gift-title" data-testid="self-gift">
        <h2 id="self-gift-title">
          {g.kioskTitle} {maskedCard(card.last4)}
        </h2>
        <p className="self-gift-balance" data-testid="self-gift-balance">
          {fill(g.kioskBalance, { amount: money(Math.max(0, card.balance - card.inUse)) })}
        </p>
        {!usable ? (
          <p className="gift-state blocked" data-testid="self-gift-state">
            <span aria-hidden="true">⛔ </span>
            {g.states[card.state]}
          </p>
        ) : null}
        {card.canPay > 0 ? (
          <button type="button" className="primary huge" data-testid="self-gift-pay" autoFocus onClick={pay}>
            {fill(g.kioskPay, { amount: money(card.canPay) })}
          </button>
        ) : usable && !co?.lines.some((l) => !l.voided) ? (
          <p>{g.kioskScanFirst}</p>
        ) : null}
        <button type="button" className="big" data-dismiss data-testid="self-gift-back" autoFocus={card.canPay === 0} onClick={onClose}>
          {g.kioskBack}
        </button>
      </div>
    </div>
  );
}
