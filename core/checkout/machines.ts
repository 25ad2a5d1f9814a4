/**
 * The checkout state machine (XState v5), one per sale, spawned by the lane machine
 * (core/lane/lane-machine.ts). Pure: every value that comes from outside (resolved catalog items,
 * ids, clock) arrives inside events, so a persisted snapshot replays to exactly the same state.
 *
 * checkout: scanning ⇄ subtotal → paid → completed | cancelled | suspended
 *           (cardPending: at the payment terminal; cashPending: a kiosk's cash payment, see
 *           selfcheckout/kiosk-cash.ts; reversing: a card tender being reversed)
 *
 * Tags say what the lane asks of a state: `open` (a sale on the screens), `basket` (its lines can
 * still change: scanning or subtotal), `paying` (a payment is under way at a device).
 */
import { assign, setup } from 'xstate';
import type { Line, ManualDiscount, Profile, Tender } from '../../protocol/terminal';
import { reprice, type PromotionDiscount } from '../pricing/reprice';
import { computeTotals } from '../pricing';
import { terminalCall, waitForTerminal, type CardPaymentInput, type CardReversalInput } from './terminal-calls';

export interface CheckoutContext {
  saleId: string;
  startedAt: string;
  profile: Profile;
  lines: Line[];
  tenders: Tender[];
  /** Highest age confirmed for this sale (0 = none). */
  ageConfirmed: number;
  /** Loyalty card scanned for this sale (member prices apply). */
  member: string | null;
  /** Discount on the whole sale, shared over the lines. */
  saleDiscount: ManualDiscount | null;
  /** Promotion discounts as last evaluated (the service re-evaluates after every change). */
  promotions: PromotionDiscount[];
  /** A card tender being reversed at the payment terminal (tender void). */
  reversing: string | null;
  /** A card payment sent to the payment terminal and not answered yet. */
  cardAttempt: { attemptId: string; amount: number; startedAt: string } | null;
  /** A kiosk's cash payment under way: what is due in cash and what the cash device counted in so far. */
  cashSession?: CashSession | null;
  training: boolean;
}

export interface CashSession {
  sessionId: string;
  due: number;
  inserted: number;
  startedAt: string;
}

export interface CheckoutInput {
  saleId: string;
  startedAt: string;
  profile: Profile;
  training: boolean;
}

/** What a checkout state is for (see the tags above). */
export type CheckoutTag = 'open' | 'basket' | 'paying';

export type CheckoutEvent =
  | { type: 'ADD_LINES'; lines: Line[] }
  | { type: 'SET_QUANTITY'; lineId: string; quantity: number }
  | { type: 'VOID_LINE'; lineId: string }
  | { type: 'SUBTOTAL' }
  | { type: 'BACK_TO_SALE' }
  | { type: 'TENDER'; tender: Tender }
  | { type: 'CARD_STARTED'; attemptId: string; amount: number; startedAt: string }
  | { type: 'CARD_APPROVED'; tender: Tender }
  | { type: 'CARD_FAILED'; attemptId: string }
  | { type: 'CASH_STARTED'; sessionId: string; due: number; startedAt: string }
  | { type: 'CASH_INSERTED'; sessionId: string; amount: number }
  /** The session ends with this cash booked (all it counted, or what staff confirmed). */
  | { type: 'CASH_TENDER'; sessionId: string; tender: Tender }
  /** The session ends with nothing booked (cancelled, all handed back). */
  | { type: 'CASH_ENDED'; sessionId: string }
  | { type: 'VOID_TENDER'; tenderId: string }
  | { type: 'REVERSAL_STARTED'; tenderId: string }
  | { type: 'REVERSAL_DONE'; tenderId: string }
  | { type: 'REVERSAL_FAILED'; tenderId: string }
  | { type: 'CONFIRM_AGE'; age: number }
  | { type: 'SET_LINE_DISCOUNT'; lineId: string; discount: ManualDiscount | null }
  | { type: 'SET_SALE_DISCOUNT'; discount: ManualDiscount | null }
  | { type: 'OVERRIDE_PRICE'; lineId: string; unitPrice: number; reason: string; approvedBy: string | null }
  | { type: 'REPRICE'; promotions: PromotionDiscount[] }
  | { type: 'SET_MEMBER'; card: string }
  | { type: 'CANCEL' }
  | { type: 'SUSPEND' }
  | { type: 'COMPLETE' };

function activeLines(ctx: CheckoutContext): Line[] {
  return ctx.lines.filter((l) => !l.voided);
}

export function findLine(ctx: CheckoutContext, lineId: string): Line | undefined {
  return ctx.lines.find((l) => l.lineId === lineId);
}

export function totalsOf(ctx: CheckoutContext) {
  return computeTotals(ctx.lines, ctx.tenders, ctx.profile);
}

/** Highest age limit among active lines that the sale has not confirmed yet, or null. */
export function pendingAgeCheck(ctx: CheckoutContext): number | null {
  let max = 0;
  for (const l of ctx.lines) if (!l.voided && l.ageLimit !== null && l.ageLimit > ctx.ageConfirmed && l.ageLimit > max) max = l.ageLimit;
  return max > 0 ? max : null;
}

/** Guards, exported so the service can explain a refusal with a typed error. */
export const checkoutGuards = {
  hasActiveLines: (ctx: CheckoutContext) => activeLines(ctx).length > 0,
  ageCleared: (ctx: CheckoutContext) => pendingAgeCheck(ctx) === null,
  noTenders: (ctx: CheckoutContext) => ctx.tenders.length === 0,
  canSetQuantity: (ctx: CheckoutContext, lineId: string) => {
    const l = findLine(ctx, lineId);
    return !!l && !l.voided && l.unit === 'piece' && l.depositFor === null && !l.priceFromCode;
  },
  canVoid: (ctx: CheckoutContext, lineId: string) => {
    const l = findLine(ctx, lineId);
    return !!l && !l.voided && l.depositFor === null;
  },
};

export const checkoutMachine = setup({
  types: {
    tags: {} as CheckoutTag,
    context: {} as CheckoutContext,
    events: {} as CheckoutEvent,
    input: {} as CheckoutInput,
  },
  // At the payment terminal (terminal-calls.ts): the host provides what they do.
  actors: { cardPayment: terminalCall<CardPaymentInput>(waitForTerminal()), cardReversal: terminalCall<CardReversalInput>(waitForTerminal()) },
  guards: {
    hasActiveLines: ({ context }) => checkoutGuards.hasActiveLines(context),
    readyToPay: ({ context }) => checkoutGuards.hasActiveLines(context) && checkoutGuards.ageCleared(context),
    noTenders: ({ context }) => checkoutGuards.noTenders(context),
    canSetQuantity: ({ context, event }) =>
      event.type === 'SET_QUANTITY' && checkoutGuards.canSetQuantity(context, event.lineId),
    canVoid: ({ context, event }) => event.type === 'VOID_LINE' && checkoutGuards.canVoid(context, event.lineId),
    sameCashSession: ({ context, event }) =>
      (event.type === 'CASH_INSERTED' || event.type === 'CASH_TENDER' || event.type === 'CASH_ENDED') && context.cashSession?.sessionId === event.sessionId,
    cashTenderFullyPays: ({ context, event }) =>
      event.type === 'CASH_TENDER' && context.cashSession?.sessionId === event.sessionId && computeTotals(context.lines, [...context.tenders, event.tender], context.profile).remaining === 0,
    fullyPaid: ({ context }) => computeTotals(context.lines, context.tenders, context.profile).remaining === 0,
    fullyPaidAfterTender: ({ context, event }) => {
      if ((event.type !== 'TENDER' && event.type !== 'CARD_APPROVED' && event.type !== 'CASH_TENDER') || !checkoutGuards.ageCleared(context)) return false;
      return computeTotals(context.lines, [...context.tenders, event.tender], context.profile).remaining === 0;
    },
  },
  actions: {
    // Every change to lines reprices the whole basket (promotions, manual and sale discounts).
    addLines: assign({
      lines: ({ context, event }) =>
        event.type === 'ADD_LINES' ? reprice([...context.lines, ...event.lines], context.saleDiscount, context.promotions) : context.lines,
    }),
    setQuantity: assign({
      lines: ({ context, event }) => {
        if (event.type !== 'SET_QUANTITY') return context.lines;
        const lines = context.lines.map((l) => ((l.lineId === event.lineId || l.depositFor === event.lineId) && !l.voided ? { ...l, quantity: event.quantity } : l));
        return reprice(lines, context.saleDiscount, context.promotions);
      },
    }),
    voidLine: assign({
      lines: ({ context, event }) => {
        if (event.type !== 'VOID_LINE') return context.lines;
        const lines = context.lines.map((l) => (l.lineId === event.lineId || l.depositFor === event.lineId ? { ...l, voided: true } : l));
        return reprice(lines, context.saleDiscount, context.promotions);
      },
    }),
    setLineDiscount: assign({
      lines: ({ context, event }) => {
        if (event.type !== 'SET_LINE_DISCOUNT') return context.lines;
        const lines = context.lines.map((l) => (l.lineId === event.lineId ? { ...l, manualDiscount: event.discount } : l));
        return reprice(lines, context.saleDiscount, context.promotions);
      },
    }),
    setSaleDiscount: assign(({ context, event }) => {
      if (event.type !== 'SET_SALE_DISCOUNT') return {};
      return { saleDiscount: event.discount, lines: reprice(context.lines, event.discount, context.promotions) };
    }),
    overridePrice: assign({
      lines: ({ context, event }) => {
        if (event.type !== 'OVERRIDE_PRICE') return context.lines;
        const lines = context.lines.map((l) =>
          l.lineId === event.lineId
            ? { ...l, unitPrice: event.unitPrice, priceOverride: { listUnitPrice: l.priceOverride?.listUnitPrice ?? l.unitPrice, reason: event.reason, approvedBy: event.approvedBy } }
            : l,
        );
        return reprice(lines, context.saleDiscount, context.promotions);
      },
    }),
    applyPromotions: assign(({ context, event }) => {
      if (event.type !== 'REPRICE') return {};
      return { promotions: event.promotions, lines: reprice(context.lines, context.saleDiscount, event.promotions) };
    }),
    confirmAge: assign({
      ageConfirmed: ({ context, event }) => (event.type === 'CONFIRM_AGE' ? Math.max(context.ageConfirmed, event.age) : context.ageConfirmed),
    }),
    addTender: assign({
      tenders: ({ context, event }) => (event.type === 'TENDER' || event.type === 'CARD_APPROVED' || event.type === 'CASH_TENDER' ? [...context.tenders, event.tender] : context.tenders),
      cardAttempt: ({ context, event }) => (event.type === 'CARD_APPROVED' ? null : context.cardAttempt),
    }),
    startCard: assign({
      cardAttempt: ({ context, event }) =>
        event.type === 'CARD_STARTED' ? { attemptId: event.attemptId, amount: event.amount, startedAt: event.startedAt } : context.cardAttempt,
    }),
    clearCard: assign({ cardAttempt: null }),
    startCash: assign({
      cashSession: ({ context, event }) => (event.type === 'CASH_STARTED' ? { sessionId: event.sessionId, due: event.due, inserted: 0, startedAt: event.startedAt } : (context.cashSession ?? null)),
    }),
    countCash: assign({
      cashSession: ({ context, event }) => {
        const s = context.cashSession ?? null;
        return event.type === 'CASH_INSERTED' && s ? { ...s, inserted: s.inserted + event.amount } : s;
      },
    }),
    endCash: assign({ cashSession: null }),
    voidTender: assign({
      tenders: ({ context, event }) =>
        event.type === 'VOID_TENDER' || event.type === 'REVERSAL_DONE' ? context.tenders.filter((t) => t.tenderId !== event.tenderId) : context.tenders,
      reversing: null,
    }),
    startReversal: assign({ reversing: ({ event }) => (event.type === 'REVERSAL_STARTED' ? event.tenderId : null) }),
    clearReversal: assign({ reversing: null }),
  },
}).createMachine({
  id: 'checkout',
  context: ({ input }) => ({
    saleId: input.saleId,
    startedAt: input.startedAt,
    profile: input.profile,
    lines: [],
    tenders: [],
    ageConfirmed: 0,
    member: null,
    reversing: null,
    saleDiscount: null,
    promotions: [],
    cardAttempt: null,
    cashSession: null,
    training: input.training,
  }),
  initial: 'scanning',
  states: {
    scanning: {
      tags: ['open', 'basket'],
      on: {
        ADD_LINES: { actions: 'addLines' },
        SET_QUANTITY: { guard: 'canSetQuantity', actions: 'setQuantity' },
        VOID_LINE: { guard: 'canVoid', actions: 'voidLine' },
        CONFIRM_AGE: { actions: 'confirmAge' },
        SET_LINE_DISCOUNT: { actions: 'setLineDiscount' },
        SET_SALE_DISCOUNT: { actions: 'setSaleDiscount' },
        OVERRIDE_PRICE: { actions: 'overridePrice' },
        REPRICE: { actions: 'applyPromotions' },
        SET_MEMBER: { actions: assign({ member: ({ event }) => event.card }) },
        SUBTOTAL: { guard: 'readyToPay', target: 'subtotal' },
        TENDER: [
          { guard: 'fullyPaidAfterTender', target: 'paid', actions: 'addTender' },
          { guard: 'readyToPay', target: 'subtotal', actions: 'addTender' },
        ],
        CARD_STARTED: { guard: 'readyToPay', target: 'cardPending', actions: 'startCard' },
        CASH_STARTED: { guard: 'readyToPay', target: 'cashPending', actions: 'startCash' },
        CANCEL: { target: 'cancelled' },
        SUSPEND: { target: 'suspended' },
      },
    },
    subtotal: {
      tags: ['open', 'basket'],
      on: {
        BACK_TO_SALE: { guard: 'noTenders', target: 'scanning' },
        TENDER: [{ guard: 'fullyPaidAfterTender', target: 'paid', actions: 'addTender' }, { actions: 'addTender' }],
        CARD_STARTED: { target: 'cardPending', actions: 'startCard' },
        CASH_STARTED: { target: 'cashPending', actions: 'startCash' },
        VOID_TENDER: { actions: 'voidTender' },
        REVERSAL_STARTED: { target: 'reversing', actions: 'startReversal' },
        CANCEL: { guard: 'noTenders', target: 'cancelled' },
      },
    },
    cardPending: {
      tags: ['open', 'paying'],
      invoke: { id: 'card', src: 'cardPayment', input: ({ context }) => ({ saleId: context.saleId, training: context.training, ...context.cardAttempt! }) },
      on: {
        CARD_APPROVED: [{ guard: 'fullyPaidAfterTender', target: 'paid', actions: 'addTender' }, { target: 'subtotal', actions: 'addTender' }],
        CARD_FAILED: { target: 'subtotal', actions: 'clearCard' },
      },
    },
    cashPending: {
      tags: ['open', 'paying'],
      on: {
        CASH_INSERTED: { guard: 'sameCashSession', actions: 'countCash' },
        CASH_TENDER: [
          { guard: 'cashTenderFullyPays', target: 'paid', actions: ['addTender', 'endCash'] },
          { guard: 'sameCashSession', target: 'subtotal', actions: ['addTender', 'endCash'] },
        ],
        CASH_ENDED: { guard: 'sameCashSession', target: 'subtotal', actions: 'endCash' },
      },
    },
    paid: {
      tags: ['open'],
      on: {
        COMPLETE: { target: 'completed' },
        VOID_TENDER: { target: 'subtotal', actions: 'voidTender' },
        REVERSAL_STARTED: { target: 'reversing', actions: 'startReversal' },
      },
    },
    reversing: {
      tags: ['open', 'paying'],
      invoke: {
        id: 'reversal',
        src: 'cardReversal',
        input: ({ context }) => {
          const t = context.tenders.find((x) => x.tenderId === context.reversing);
          return { saleId: context.saleId, training: context.training, tenderId: context.reversing!, terminalRef: t?.card?.terminalRef ?? '', amount: t?.amount ?? 0 };
        },
      },
      on: {
        REVERSAL_DONE: { target: 'subtotal', actions: 'voidTender' },
        REVERSAL_FAILED: [
          { guard: 'fullyPaid', target: 'paid', actions: 'clearReversal' },
          { target: 'subtotal', actions: 'clearReversal' },
        ],
      },
    },
    completed: { type: 'final' },
    cancelled: { type: 'final' },
    suspended: { type: 'final' },
  },
});
