/**
 * Attendant API: what a self-checkout kiosk (or any lane) tells the attendant view, and what the
 * attendant may do there. A separate listener from the Terminal API: it may face the store's
 * network, so it is gated by attendant (supervisor) credentials instead of the per-launch token,
 * and it offers only these few commands.
 */
import { z } from 'zod';
import { ApprovalSchema, type Snapshot } from './terminal';

export const ATTENDANT_PROTOCOL_VERSION = 1;
/** Largest attendant message read; bigger ones are refused without parsing. */
export const MAX_ATTENDANT_COMMAND_BYTES = 2048;

const id = z.string().min(1).max(64);
const saleId = z.string().min(1).max(64);

export const AttendantCommandSchema = z.discriminatedUnion('cmd', [
  z.object({ id, cmd: z.literal('signIn'), operator: z.string().regex(/^[0-9]{1,8}$/), pin: z.string().regex(/^[0-9]{4,8}$/) }).strict(),
  // Each basket command names the basket (and the age) the attendant saw: a basket that ended or
  // changed meanwhile is refused, never the next customer's.
  /** The attendant has checked the customer's age (the kiosk waits for it). */
  z.object({ id, cmd: z.literal('approveAge'), saleId, age: z.number().int().min(1).max(99) }).strict(),
  /** Takes a line off the kiosk's basket. */
  z.object({ id, cmd: z.literal('voidLine'), saleId, lineId: z.string().min(1).max(64) }).strict(),
  /** The help call was answered. */
  z.object({ id, cmd: z.literal('clearHelp') }).strict(),
  /** Cancels the kiosk's unpaid basket. */
  z.object({ id, cmd: z.literal('cancelSale'), saleId }).strict(),
  /** The attendant took the customer's cash for a kiosk without a cash device: the amount received (minor units). */
  z.object({ id, cmd: z.literal('confirmCash'), saleId, sessionId: z.string().min(1).max(64), amount: z.number().int().min(1).max(10_000_000) }).strict(),
  /**
   * Settles a card payment the terminal could not confirm (the lane's resolvePayment, approved by the
   * attendant): "not charged" before the terminal has answered takes a second, different
   * supervisor's `confirmation`. Names the attempt the attendant saw.
   */
  z
    .object({ id, cmd: z.literal('resolvePayment'), saleId, attemptId: z.string().min(1).max(64), outcome: z.enum(['approved', 'notCharged']), confirmation: ApprovalSchema.optional() })
    .strict(),
]);
export type AttendantCommand = z.infer<typeof AttendantCommandSchema>;

export const KioskViewSchema = z.object({
  storeId: z.string(),
  storeName: z.string(),
  laneId: z.string(),
  mode: z.enum(['staffed', 'self']),
  /** closed (no till, nobody signed in), idle (open, no basket), or the basket's state. */
  state: z.enum(['closed', 'idle', 'scanning', 'subtotal', 'cardPending', 'cashPending', 'reversing', 'paid']),
  help: z.object({ since: z.string(), reason: z.enum(['customer', 'itemNotFound', 'idle', 'payment', 'cash']), detail: z.string().nullable() }).nullable(),
  /** A cash payment at the kiosk: waiting for the attendant to take the cash (via attendant), or through its cash device. */
  cash: z
    .object({ sessionId: z.string(), via: z.enum(['device', 'attendant']), phase: z.string(), due: z.number().int(), inserted: z.number().int(), owed: z.number().int(), problem: z.string().nullable() })
    .nullable()
    .default(null),
  /** The age a customer waits to have checked (an approval the attendant gives). */
  ageCheckPending: z.number().int().nullable(),
  idleUntil: z.string().nullable(),
  currency: z.string(),
  locale: z.string(),
  /** The store's time zone (times in the view are the store's). */
  timeZone: z.string(),
  basket: z
    .object({
      saleId: z.string(),
      itemCount: z.number().int(),
      total: z.number().int(),
      tendered: z.number().int(),
      lines: z.array(
        z.object({
          lineId: z.string(),
          name: z.string(),
          quantity: z.number().int(),
          weightGrams: z.number().int().nullable(),
          total: z.number().int(),
          voided: z.boolean(),
          ageLimit: z.number().int().nullable(),
          /** Deposit lines go with their item (voided with it). */
          deposit: z.boolean(),
        }),
      ),
    })
    .nullable(),
  paymentText: z.string().nullable(),
  /**
   * A card payment the terminal could not confirm, for the attendant to settle: the attempt, its
   * amount, whether the terminal has answered about it (until it has, "not charged" takes a second
   * supervisor) and since when it is not reachable. No card data: the terminal's receipt is read at the kiosk.
   */
  decision: z
    .object({ attemptId: z.string(), amount: z.number().int(), reason: z.string(), terminalAnswered: z.boolean(), unreachableSince: z.string().nullable() })
    .nullable()
    .default(null),
  /** Sweden: the kiosk may not sell because its control unit does not answer (since when) or none is set up; null when it may. */
  controlUnit: z
    .object({ state: z.enum(['outage', 'unconfigured']), since: z.string().nullable() })
    .nullable()
    .default(null),
  /** Devices that are not working: the core's words, and the code the view words in its language. */
  problems: z.array(z.object({ kind: z.string(), detail: z.string(), detailCode: z.string().nullable() })),
});
export type KioskView = z.infer<typeof KioskViewSchema>;

export const AttendantMessageSchema = z.discriminatedUnion('type', [
  /** Before sign-in: the protocol, and the other kiosks (attendant listeners) this kiosk's configuration names. */
  z.object({ type: z.literal('hello'), protocol: z.number().int(), peers: z.array(z.string()) }),
  z.object({ type: z.literal('welcome'), attendant: z.object({ operator: z.string(), name: z.string() }), kiosk: KioskViewSchema }),
  z.object({ type: z.literal('kiosk'), kiosk: KioskViewSchema }),
  z.object({ type: z.literal('ack'), id: z.string() }),
  z.object({ type: z.literal('error'), id: z.string().nullable(), code: z.string(), message: z.string() }),
]);
export type AttendantMessage = z.infer<typeof AttendantMessageSchema>;

/** The attendant's view of a lane, from its snapshot: no card data, no operator details. */
export function kioskView(s: Snapshot): KioskView {
  const co = s.checkout;
  const open = (s.lane.state === 'signedIn' || s.lane.state === 'selling') && s.lane.till !== null;
  return {
    storeId: s.terminal.storeId,
    storeName: s.terminal.storeName,
    laneId: s.terminal.laneId,
    mode: s.lane.mode,
    state: !open ? 'closed' : co ? co.state : 'idle',
    help: s.lane.help,
    ageCheckPending: co?.ageCheckPending ?? null,
    idleUntil: s.lane.selfCheckout?.idleUntil ?? null,
    currency: s.profile.currency,
    locale: s.profile.locale,
    timeZone: s.profile.timeZone,
    basket: co
      ? {
          saleId: co.saleId,
          itemCount: co.totals.itemCount,
          total: co.totals.total,
          tendered: co.totals.tendered,
          lines: co.lines.map((l) => ({ lineId: l.lineId, name: l.name, quantity: l.quantity, weightGrams: l.weightGrams, total: l.total, voided: l.voided, ageLimit: l.ageLimit, deposit: l.depositFor !== null })),
        }
      : null,
    paymentText: co?.state === 'cardPending' ? s.payment.text : null,
    decision:
      co?.state === 'cardPending' && co.cardAttempt && s.payment.decision
        ? { attemptId: co.cardAttempt.attemptId, amount: co.cardAttempt.amount, reason: s.payment.decision.reason, terminalAnswered: s.payment.decision.terminalAnswered, unreachableSince: s.payment.decision.unreachableSince }
        : null,
    cash: co?.cash ? { sessionId: co.cash.sessionId, via: co.cash.via, phase: co.cash.phase, due: co.cash.due, inserted: co.cash.inserted, owed: co.cash.owed, problem: co.cash.problem } : null,
    controlUnit: s.controlUnit && s.controlUnit.state !== 'ok' ? { state: s.controlUnit.state, since: s.controlUnit.outageSince } : null,
    problems: s.devices.list.filter((d) => d.state !== 'online').map((d) => ({ kind: d.kind, detail: d.detail, detailCode: d.detailCode ?? null })),
  };
}
