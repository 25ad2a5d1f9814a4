/** The lane's message line: what just happened or what to do next, from the core's last answer and the lane's own hints. */
import { useMemo } from 'react';
import { isGiftCardAnswer, type CheckoutView, type Line, type Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill, type Messages } from '../i18n';
import { giftCardAnswer } from '../shared/gift-card';
import { useMessages } from '../shared/messages';

/** Something the lane itself says (a hint for a key, "not connected"), stamped to compare with the core's answers. */
export type Local = { text: string; kind: 'info' | 'error'; at: number };

export type LaneMessage = { kind: 'info' | 'error'; text: string };

/** What is still owed, as the core counts it: exact (card), and in cash where rounding makes it differ. */
export function remainingText(totals: { remaining: number; remainingCash: number }, t: Messages, money: (minor: number) => string): string {
  const exact = `${t.remaining} ${money(totals.remaining)}`;
  return totals.remainingCash !== totals.remaining && totals.remaining > 0 ? `${exact} (${fill(t.inCash, { amount: money(totals.remainingCash) })})` : exact;
}

/** A refusal in words; a payout refused to a card or to typed cash says what to do instead. */
function errorText(err: NonNullable<TerminalState['lastError']>, t: Messages, money: (minor: number) => string): string {
  const p = err.params;
  if (err.code === 'APPROVAL_DENIED' && p?.role === 'it') return t.dev.it.notIt;
  if ((p?.reason === 'payoutCash' || p?.reason === 'payoutStaff') && typeof p.payout === 'number') {
    return fill(p.reason === 'payoutCash' ? t.market.payout.cashOnly : t.market.payout.staff, { amount: money(p.payout) });
  }
  return fill(t.errors[err.code], p);
}

/** `newest`: the newest item line; `selected`: the line F2 voided. */
export function useLaneMessage(state: TerminalState, local: Local | null, co: CheckoutView | null, newest: Line | undefined, selected: string | null, lastSale: Snapshot['lastSale']): LaneMessage {
  const { t, money } = useMessages();
  return useMemo(() => {
    const err = state.lastError;
    const ack = state.lastAck;
    const latest = Math.max(err?.at ?? 0, ack?.at ?? 0, local?.at ?? 0);
    if (latest === 0) return { kind: 'info' as const, text: co ? '' : t.msgReady };
    // Store IT's parts refused to a number that is not IT's (the service screen's): not a supervisor's approval.
    if (err && err.at === latest) return { kind: 'error' as const, text: errorText(err, t, money) };
    if (local && local.at === latest) return { kind: local.kind, text: local.text };
    // A gift card scanned or looked up with F3 (its window shows it too): its balance stays on the line.
    const card = giftCardAnswer(ack);
    if (card) return { kind: 'info' as const, text: `${fill(t.gift.title, { card: `…${card.last4}` })}: ${t.gift.balance} ${money(card.balance)}` };
    switch (ack?.cmd) {
      case 'scan':
        return { kind: 'info' as const, text: newest ? fill(t.msgAdded, { name: newest.name }) : t.msgReady };
      case 'subtotal':
        return { kind: 'info' as const, text: t.msgSubtotal };
      case 'voidLine':
      case 'voidLast': {
        // F2 voids the selected line; voidLast the newest.
        const voided = !co ? undefined : ack.cmd === 'voidLine' ? co.lines.find((l) => l.lineId === selected && l.voided) : [...co.lines].reverse().find((l) => l.voided && l.depositFor === null);
        return { kind: 'info' as const, text: voided ? fill(t.msgVoided, { name: voided.name }) : '' };
      }
      case 'discount':
        return co ? { kind: 'info' as const, text: fill(t.msgDiscounted, { amount: money(co.totals.discounts), total: money(co.totals.total) }) } : { kind: 'info' as const, text: '' };
      case 'resumeSale':
        return co ? { kind: 'info' as const, text: fill(t.msgResumed, { n: co.lines.filter((l) => l.depositFor === null).length }) } : { kind: 'info' as const, text: '' };
      case 'priceCheck': {
        const r = ack.result;
        return r && !isGiftCardAnswer(r)
          ? { kind: 'info' as const, text: `${t.priceCheck}: ${r.name} — ${money(r.price)}${r.unit === 'weight' ? '/kg' : ''}${r.deposit ? ` + ${r.deposit.name} ${money(r.deposit.price)}` : ''}` }
          : { kind: 'info' as const, text: '' };
      }
      case 'tenderCash':
        return co && co.state !== 'paid'
          ? { kind: 'info' as const, text: fill(t.msgTendered, { amount: money(co.totals.tendered), remaining: remainingText(co.totals, t, money) }) }
          : { kind: 'info' as const, text: '' };
      case 'tenderVoucher': {
        // Paid with a gift card: what it paid, and what is left on it (issue 16).
        const r = ack.result?.giftCard ?? null;
        const paid = r && co ? co.tenders.filter((x) => x.voucherCode === r.code).at(-1) : undefined;
        return r && paid ? { kind: 'info' as const, text: fill(t.gift.paid, { card: `…${r.last4}`, amount: money(paid.amount), left: money(r.balance - r.inUse) }) } : { kind: 'info' as const, text: '' };
      }
      case 'complete':
        return { kind: 'info' as const, text: !lastSale ? '' : lastSale.change === 0 ? t.gift.saleComplete : fill(t.saleComplete, { change: money(lastSale.change) }) };
      default:
        return { kind: 'info' as const, text: co ? '' : t.msgReady };
    }
  }, [state.lastError, state.lastAck, local, co, newest, lastSale, t, money, selected]);
}
