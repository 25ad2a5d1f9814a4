/**
 * Paying: cash (at a kiosk through its cash device or an attendant), card (the terminal, after the
 * intent is journalled), gift card; aborting or settling a card payment the terminal could not
 * confirm; taking a payment off the sale (a card one is reversed at the terminal first).
 */
import type { Command } from '../../protocol/terminal';
import { checkoutGuards, totalsOf, type CheckoutEvent } from '../checkout/machines';
import type { KioskCash } from '../selfcheckout/kiosk-cash';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import type { CheckoutSnap, Lane, LaneHandlers, Plan } from '../lane/context';
import { journalStep, needControlUnit, requireAgeCleared, requireCheckout } from '../lane/guards';
import type { Approvals } from '../operators/approvals';
import { cashToPay, payoutOf } from '../pricing';
import type { CardFlow } from './card-flow';

export interface TenderDeps {
  approvals: Approvals;
  card: CardFlow;
  kioskCash: KioskCash;
  /** Staff are at this self-checkout (attendant, or a staff session): they take cash as on a lane. */
  staffHere(): boolean;
  /** A gift card's balance just after paying with it (the tender's answer). */
  giftCardAnswer(code: string): ReturnType<NonNullable<Plan['answerAfter']>>;
}

export function tenderHandlers(lane: Lane, d: TenderDeps): LaneHandlers {
  return {
    tenderCash: { run: (cmd) => tender(lane, d, cmd) },
    tenderCard: { run: (cmd) => tender(lane, d, cmd) },
    tenderVoucher: { run: (cmd) => ({ ...tender(lane, d, cmd), answerAfter: () => d.giftCardAnswer(cmd.code) }) },
    abortPayment: {
      run() {
        const co = requireCheckout(lane);
        const attempt = co.context.cardAttempt;
        if (co.value !== 'cardPending' || !attempt || !d.card.busy(attempt.attemptId)) throw new CoreError('NOT_ALLOWED_NOW', 'No card payment is under way at the terminal.');
        const port = d.card.port;
        if (!port?.abort) throw new CoreError('PAYMENT_UNAVAILABLE', 'This terminal cannot be asked to abort; cancel at the terminal.');
        const saleId = co.context.saleId;
        // The terminal answers the running payment with an abort; its result ends the attempt as usual.
        return { steps: [], effects: [(at) => void lane.journal.append('payment.abortRequested', saleId, { saleId, attemptId: attempt.attemptId }, at)], afterCommit: () => void port.abort!() };
      },
    },
    resolvePayment: { run: (cmd) => resolvePayment(lane, d, cmd) },
    voidTender: {
      run(cmd) {
        const co = requireCheckout(lane);
        const tender = co.context.tenders.find((t) => t.tenderId === cmd.tenderId);
        if (!tender) throw new CoreError('NOT_ALLOWED_NOW', 'That payment is not part of this sale.');
        const saleId = co.context.saleId;
        if (tender.kind === 'card') {
          // Reversed at the payment terminal first; the tender goes only when the terminal confirms.
          if (!d.card.portFor(co) || !tender.card) throw new CoreError('PAYMENT_UNAVAILABLE', 'No payment terminal is connected to reverse this card payment.');
          const card = tender.card;
          const after = journalStep(lane, 'payment.reversalStarted', saleId, { saleId, tenderId: tender.tenderId, amount: tender.amount, terminalRef: card.terminalRef });
          // Entering `reversing` invokes the checkout's cardReversal call (card-flow.ts), after the commit.
          return { steps: [{ to: 'checkout', event: { type: 'REVERSAL_STARTED', tenderId: tender.tenderId }, after }] };
        }
        const after = journalStep(lane, 'tender.voided', saleId, { saleId, tenderId: tender.tenderId, kind: tender.kind, amount: tender.amount });
        return { steps: [{ to: 'checkout', event: { type: 'VOID_TENDER', tenderId: tender.tenderId }, after }] };
      },
    },
  };
}

type TenderCommand = Extract<Command, { cmd: 'tenderCash' | 'tenderCard' | 'tenderVoucher' }>;

function tender(lane: Lane, d: TenderDeps, cmd: TenderCommand): Plan {
  const co = requireCheckout(lane);
  if (co.value === 'paid') throw new CoreError('NOT_ALLOWED_NOW', 'The sale is already paid; complete it.');
  if (co.hasTag('paying')) throw new CoreError('PAYMENT_PENDING', co.value === 'cashPending' ? 'A cash payment is in progress.' : 'A card payment is in progress at the terminal.');
  if (!checkoutGuards.hasActiveLines(co.context)) throw new CoreError('EMPTY_SALE', 'Scan an item first.');
  requireAgeCleared(co);
  // Sweden: no payment is taken for a sale the till cannot make a receipt for (its control unit out): the customer is not charged and waits.
  needControlUnit(lane);
  const totals = totalsOf(co.context);
  const id = uuidv7(lane.now().getTime());
  // Empties worth more than the purchase: paid out in cash, never "refunded" to a card that paid nothing here.
  if (totals.total <= 0 && co.context.tenders.length === 0) return payout(lane, d, co, id, cmd);
  // Card and voucher pay exactly; only cash is rounded.
  const exactLeft = Math.max(0, totals.total - co.context.tenders.reduce((a, t) => a + t.amount, 0));
  if (cmd.cmd === 'tenderCash') return cash(lane, d, co, id, cmd.amount);
  if (exactLeft <= 0) throw new CoreError('INSUFFICIENT_TENDER', 'Nothing is left to pay.');
  if (cmd.cmd === 'tenderVoucher') {
    const available = lane.giftCards.available(cmd.code, co.context.tenders);
    const amount = Math.min(cmd.amount ?? exactLeft, exactLeft, available);
    return { steps: [{ to: 'checkout', event: { type: 'TENDER', tender: { tenderId: id, kind: 'voucher', amount, card: null, voucherCode: cmd.code, ...(co.context.training ? {} : { voucherLeft: available - amount }) } } }] };
  }
  if (!d.card.portFor(co)) throw new CoreError('PAYMENT_UNAVAILABLE', 'No payment terminal is connected; take another tender.');
  const refused = co.context.training ? null : d.card.registrationRefused;
  if (refused !== null) throw new CoreError('TERMINAL_NOT_REGISTERED', `The payment terminal refused the till's registration (${refused}); take another tender.`, { detail: refused });
  const amount = Math.min(cmd.amount ?? exactLeft, exactLeft);
  if (d.card.terminalOffline && !co.context.training) {
    // The terminal carries the risk of offline payments only up to the store's caps.
    const pending = d.card.offlinePending();
    if (amount > lane.config.offlineCardLimit || pending.pendingAmount + amount > lane.config.offlineCardPendingLimit)
      throw new CoreError('PAYMENT_UNAVAILABLE', 'The card terminal is offline and this payment is above its offline limit; take another tender.', { reason: 'offlineLimit' });
  }
  const saleId = co.context.saleId;
  return {
    steps: [
      {
        to: 'checkout',
        event: { type: 'CARD_STARTED', attemptId: id, amount, startedAt: lane.now().toISOString() },
        // Journal the intent durably before the request goes to the terminal.
        after: journalStep(lane, 'payment.started', saleId, { saleId, attemptId: id, amount }),
      },
    ],
    // Entering `cardPending` invokes the checkout's cardPayment call (card-flow.ts), after the commit.
  };
}

function cash(lane: Lane, d: TenderDeps, co: CheckoutSnap, id: string, asked: number | undefined): Plan {
  if (lane.config.mode === 'self' && !lane.config.selfCash) throw new CoreError('NOT_ALLOWED_NOW', 'This self-checkout takes cards only.', { reason: 'cardOnly' });
  // A customer's "pay cash" at a kiosk books nothing: the cash device counts it, or an attendant confirms it (staff at the kiosk take cash as on a lane).
  if (lane.config.mode === 'self' && !d.staffHere()) return d.kioskCash.start(co, cashToPay(co.context.lines, co.context.tenders, lane.profile));
  const amount = asked ?? cashToPay(co.context.lines, co.context.tenders, lane.profile);
  if (amount <= 0) throw new CoreError('INSUFFICIENT_TENDER', 'Nothing is left to pay.');
  return { steps: [{ to: 'checkout', event: { type: 'TENDER', tender: { tenderId: id, kind: 'cash', amount, card: null, voucherCode: null } } }] };
}

/**
 * A sale whose total is zero or less (empties worth more than the purchase): the drawer pays the
 * difference out, rounded as cash is — one negative cash tender, typed by no one. A card is never
 * charged a negative amount, and a card refund needs the original card sale (a return).
 */
function payout(lane: Lane, d: TenderDeps, co: CheckoutSnap, id: string, cmd: TenderCommand): Plan {
  const amount = payoutOf(totalsOf(co.context).total, lane.profile);
  if (cmd.cmd !== 'tenderCash') throw new CoreError('NOT_ALLOWED_NOW', 'The empties are worth more than the purchase: the difference is paid out in cash, never to a card.', { reason: 'payoutCash', payout: amount });
  if (lane.config.mode === 'self' && !d.staffHere()) throw new CoreError('NOT_ALLOWED_NOW', 'Staff pay out the empties at this self-checkout.', { reason: 'payoutStaff', payout: amount });
  if (cmd.amount !== undefined && cmd.amount !== amount) throw new CoreError('NOT_ALLOWED_NOW', 'This sale pays out cash: take no money; press cash with the entry line empty.', { reason: 'payoutCash', payout: amount });
  return { steps: [{ to: 'checkout', event: { type: 'TENDER', tender: { tenderId: id, kind: 'cash', amount: amount === 0 ? 0 : -amount, card: null, voucherCode: null } } }] };
}

/** A supervisor settles a card payment (or reversal) the terminal could not confirm, from what the terminal shows. */
function resolvePayment(lane: Lane, d: TenderDeps, cmd: Extract<Command, { cmd: 'resolvePayment' }>): Plan {
  const co = requireCheckout(lane);
  if (co.value === 'reversing' && co.context.reversing) {
    const tenderId = co.context.reversing;
    if (d.card.busy(tenderId)) throw new CoreError('PAYMENT_PENDING', 'The terminal is still working on this reversal.');
    const approvedBy = d.approvals.approve('resolvePayment', cmd.approval).id;
    const saleId = co.context.saleId;
    // 'notCharged': the terminal shows the payment reversed; 'approved': the card is still charged.
    const done = cmd.outcome === 'notCharged';
    const body = { saleId, tenderId, kind: 'card' as const, resolvedBy: approvedBy };
    const after = done ? journalStep(lane, 'tender.voided', saleId, body) : journalStep(lane, 'payment.reversalFailed', saleId, body);
    return { steps: [{ to: 'checkout', event: done ? { type: 'REVERSAL_DONE', tenderId } : { type: 'REVERSAL_FAILED', tenderId }, after }] };
  }
  const attempt = co.context.cardAttempt;
  if (co.value !== 'cardPending' || !attempt) throw new CoreError('NOT_ALLOWED_NOW', 'No card payment is waiting for a decision.');
  if (d.card.busy(attempt.attemptId)) throw new CoreError('PAYMENT_PENDING', 'The terminal is still working on this payment.');
  const approvedBy = d.approvals.approve('resolvePayment', cmd.approval).id;
  // "Not charged" before the terminal answered could charge the card twice: a second supervisor confirms it.
  const confirmedBy = cmd.outcome === 'notCharged' && !d.card.terminalAnswered(attempt.attemptId) ? d.approvals.confirm('resolvePayment', approvedBy, cmd.confirmation).id : null;
  const saleId = co.context.saleId;
  const journal = journalStep(lane, 'payment.resolved', saleId, { saleId, attemptId: attempt.attemptId, amount: attempt.amount, outcome: cmd.outcome, approvedBy, ...(confirmedBy ? { confirmedBy } : {}), terminalReceipt: d.card.decision?.terminalReceipt ?? [] });
  // The decision kept across restarts (payments/card-decision.ts) goes in the same transaction.
  const after = (at: string) => {
    journal(at);
    d.card.settleDecision();
  };
  const event: CheckoutEvent =
    cmd.outcome === 'approved'
      ? {
          type: 'CARD_APPROVED',
          tender: { tenderId: attempt.attemptId, kind: 'card', amount: attempt.amount, card: { brand: 'UNKNOWN', maskedPan: '', authCode: 'MANUAL', terminalRef: 'RECONCILED', attemptId: attempt.attemptId }, voucherCode: null },
        }
      : { type: 'CARD_FAILED', attemptId: attempt.attemptId };
  return {
    steps: [{ to: 'checkout', event, after }],
    afterCommit: () => d.card.decided(),
  };
}
