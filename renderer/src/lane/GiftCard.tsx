/**
 * The gift card window on the lane (issue 16): a gift card scanned, or its number typed and looked
 * up with F3, shows its masked number, balance, what this sale already uses of it and whether it is
 * valid — and, while the sale has something left to pay, "Pay with the gift card" (F12). Esc
 * closes it. A scan while it is open closes it and goes to the sale.
 */
import { useRef } from 'react';
import type { GiftCardInfo } from '../../../protocol/gift-card';
import type { CommandBody } from '../../../protocol/terminal';
import { fill } from '../i18n';
import { useWindowScan } from '../input/use-window-scan';
import { maskedCard } from '../shared/gift-card';
import { useMessages } from '../shared/messages';

/** `saleOpen`: a sale is open (without one this is a balance check); `timeZone`: the store's, for the expiry date. */
export function GiftCardWindow(props: { card: GiftCardInfo; saleOpen: boolean; timeZone: string; send: (c: CommandBody) => boolean; onClose: () => void; onScan: (code: string) => void }) {
  const { card, saleOpen, onClose } = props;
  const { t, money, locale } = useMessages();
  const g = t.gift;
  const ref = useRef<HTMLDivElement>(null);
  useWindowScan(ref, (code) => {
    onClose();
    props.onScan(code);
    return true;
  });
  const canPay = card.canPay > 0;
  const pay = () => {
    if (!canPay) return;
    props.send({ cmd: 'tenderVoucher', code: card.code, amount: card.canPay });
    onClose();
  };
  const usable = card.state === 'active';
  const note = !saleOpen ? g.noSale : usable && !canPay ? g.nothingToPay : null;
  return (
    <div className="modal-backdrop">
      <div
        ref={ref}
        className="modal gift-card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="gift-title"
        data-testid="gift-card"
        onKeyDown={(e) => {
          if (e.key !== 'F12') return;
          e.preventDefault();
          pay();
        }}
      >
        <h2 id="gift-title">{fill(g.title, { card: maskedCard(card.last4) })}</h2>
        <div className="gift-balance">
          <span className="total-label">{g.balance}</span>
          <span className="total" data-testid="gift-balance">
            {money(card.balance)}
          </span>
        </div>
        {card.inUse > 0 ? <p data-testid="gift-in-use">{fill(g.inUse, { amount: money(card.inUse) })}</p> : null}
        <p className={`gift-state ${usable ? 'ok' : 'blocked'}`} data-testid="gift-state">
          <span aria-hidden="true">{usable ? '✓ ' : '⛔ '}</span>
          {g.states[card.state]}
          {card.expiresAt ? ` · ${fill(g.validUntil, { date: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: props.timeZone }).format(new Date(card.expiresAt)) })}` : ''}
        </p>
        {note ? <p className="gift-note">{note}</p> : null}
        <div className="modal-actions">
          <button type="button" className="big" data-dismiss data-testid="gift-close" onClick={onClose} autoFocus={!canPay}>
            <kbd>Esc</kbd> {g.close}
          </button>
          {canPay ? (
            <button type="button" className="primary big" data-testid="gift-pay" autoFocus onClick={pay}>
              <kbd>F12</kbd> {fill(g.pay, { amount: money(card.canPay) })}
            </button>
          ) : null}
        </div>
      </div>
    </div>
  );
}
