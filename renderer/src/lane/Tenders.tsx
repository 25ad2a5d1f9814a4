/** Payment on the lane: the tenders taken so far, cash notes to tap, and the tender keys. */
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { formatMoney } from '../../../common/money';
import { tenderName } from '../shared/AmountDue';
import { useMessages } from '../shared/messages';
import type { LaneActions } from './use-lane-actions';

/** `input`: the entry line (F10 pays exactly what is owed when it is empty). */
export function Tenders({ snap, send, actions, input }: { snap: Snapshot; send: (c: CommandBody) => boolean; actions: LaneActions; input: string }) {
  const { t, locale, money } = useMessages();
  const { currency } = snap.profile;
  const co = snap.checkout;
  return (
    <>
      {co && co.tenders.length > 0 ? (
        <ul className="tender-list" data-testid="tenders">
          {co.tenders.map((tn) => (
            <li key={tn.tenderId}>
              <span>
                {tenderName(tn, t, money)}
              </span>
              <span className="amount">{money(tn.amount)}</span>
              {co.state !== 'cardPending' && co.state !== 'reversing' ? (
                <button type="button" className="small" data-testid="tender-void" onClick={() => send({ cmd: 'voidTender', tenderId: tn.tenderId })}>
                  {t.voidTender}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {co ? (
        <div className="notes" role="group" aria-label={t.tenderCash}>
          {snap.profile.denominations
            .filter((d) => d >= 2_000 && d <= 50_000)
            .reverse()
            .map((d) => (
              <button key={d} type="button" className="note" data-testid={`note-${d}`} onClick={() => send({ cmd: 'tenderCash', amount: d })}>
                {formatMoney(d, locale, { currency, whole: true })}
              </button>
            ))}
        </div>
      ) : null}
      <div className="tenders">
        <button type="button" className="tender" onClick={actions.subtotal}>
          <kbd>F8</kbd> {t.keys.subtotal}
        </button>
        <button type="button" className="tender" onClick={actions.card}>
          <kbd>F9</kbd> {t.card}
        </button>
        <button type="button" className="tender" onClick={actions.member}>
          {co?.member ? `${t.member} ${co.member}` : t.member}
        </button>
        <button type="button" className="tender" onClick={actions.giftCard}>
          <kbd>F12</kbd> {t.giftCard}
        </button>
        <button type="button" className="tender primary" onClick={actions.cash}>
          {/* Empties worth more than the purchase: the cash key pays the difference out. */}
          <kbd>F10</kbd> {co?.totals.payout !== undefined ? t.market.payout.title : input ? t.keys.cash : `${t.keys.cash} · ${t.keys.exact}`}
        </button>
      </div>
    </>
  );
}
