/**
 * The big number every screen of a sale shows — the lane, the kiosk and the customer display:
 * the total while nothing is paid; once part is paid, what is still to pay, with the total and
 * each payment listed under it (never the total of a basket that is half paid).
 */
import type { Tender, Totals } from '../../../protocol/terminal';
import { fill, plural, type Messages } from '../i18n';
import { useMessages } from './messages';

/** A payment in words: cash, the card's last four digits, the gift card's last four and what is left on it. */
export function tenderName(tn: Tender, t: Messages, money: (minor: number) => string): string {
  if (tn.kind === 'cash') return t.tenderCash;
  if (tn.kind === 'card') return `${t.card} ${tn.card?.maskedPan.slice(-4) ?? ''}`.trim();
  const card = `${t.giftCard} …${(tn.voucherCode ?? '').slice(-4)}`;
  return tn.voucherLeft !== undefined ? `${card} · ${fill(t.gift.left, { amount: money(tn.voucherLeft) })}` : card;
}

/** Partly paid: something was paid and something is still owed. */
export function partlyPaid(totals: Totals | undefined): boolean {
  return !!totals && totals.tendered > 0 && totals.remaining > 0;
}

/** `listPaid`: list the payments under the number (the lane lists them with its tender keys instead). */
export function AmountDue({ totals, tenders, listPaid = true }: { totals: Totals | undefined; tenders: readonly Tender[]; listPaid?: boolean }) {
  const { t, lang, money } = useMessages();
  const partly = partlyPaid(totals);
  const cashDiffers = partly && totals!.remainingCash !== totals!.remaining;
  // Empties worth more than the purchase: the big number is what the drawer pays out (rounded), the total under it.
  const payout = totals?.payout;
  return (
    <div className="total-block" data-testid="amount-due" data-partly-paid={partly ? 'yes' : 'no'} data-payout={payout !== undefined ? 'yes' : 'no'}>
      <div className="total-label">{payout !== undefined ? t.market.payout.label : partly ? t.remaining : t.total}</div>
      <div className="total" data-testid="total">
        {money(payout ?? (partly ? totals!.remaining : (totals?.total ?? 0)))}
      </div>
      <div className="sub" data-testid="totals">
        {[
          plural(t.items, totals?.itemCount ?? 0, lang),
          payout !== undefined ? `${t.saleTotal} ${money(totals!.total)}` : null,
          totals && totals.rounding !== 0 && !partly ? `${t.rounding} ${money(totals.rounding)}` : null,
          partly ? `${t.saleTotal} ${money(totals!.due)}` : null,
          cashDiffers ? fill(t.inCash, { amount: money(totals!.remainingCash) }) : null,
        ]
          .filter(Boolean)
          .join(' · ')}
      </div>
      {partly && listPaid ? (
        <ul className="paid-list" data-testid="paid-list" aria-label={t.paid}>
          {tenders.map((tn) => (
            <li key={tn.tenderId}>
              <span>
                {t.paid}: {tenderName(tn, t, money)}
              </span>
              <span className="amount">{money(tn.amount)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
