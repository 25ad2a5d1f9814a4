/** The checks commands share: is the lane in a state for this, is there a sale, a line, an age check pending. */
import type { Line, Snapshot } from '../../protocol/terminal';
import { pendingAgeCheck } from '../checkout/machines';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import type { ByCommand, JournalBody, JournalKind } from '../journal/kinds';
import type { CheckoutSnap, Lane, Step } from './context';

type LaneState = Snapshot['lane']['state'];

/** The lane is locked: every command but unlock waits for the PIN. */
export const laneLocked = () => new CoreError('LANE_LOCKED', 'The lane is locked. Unlock it with your PIN.');

export function laneState(lane: Lane): LaneState {
  return lane.laneSnap().value as LaneState;
}

/** The lane must be in one of these states (the error says what to do instead). */
export function needLaneState(lane: Lane, ...ok: LaneState[]): void {
  const state = laneState(lane);
  if (ok.includes(state)) return;
  if (state === 'closed') throw new CoreError('LANE_CLOSED', 'The lane is closed. Open it first.');
  if (state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', 'Sign in first.');
  throw new CoreError('NOT_ALLOWED_NOW', 'Finish or cancel the open sale first.');
}

/** Signed in and not locked (lookups and help calls); `message` instead of the usual ones when given. */
export function needSignedInUnlocked(lane: Lane, message?: string): void {
  const state = laneState(lane);
  if (state === 'closed') throw new CoreError('LANE_CLOSED', message ?? 'The lane is closed. Open it first.');
  if (state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', message ?? 'Sign in first.');
  if (lane.laneSnap().context.locked) throw laneLocked();
}

export function requireCheckout(lane: Lane): CheckoutSnap {
  const state = laneState(lane);
  if (state === 'closed') throw new CoreError('LANE_CLOSED', 'The lane is closed. Open it first.');
  if (state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', 'Sign in first.');
  const co = lane.checkoutSnap();
  if (!co) throw new CoreError('NO_OPEN_SALE', 'There is no open sale.');
  return co;
}

export function requireLine(co: CheckoutSnap, lineId: string): Line {
  const line = co.context.lines.find((l) => l.lineId === lineId);
  if (!line) throw new CoreError('LINE_NOT_FOUND', 'That line is not in this sale.', { lineId });
  return line;
}

/** A basket change at subtotal goes back to scanning first; once money is taken, nothing changes. */
export function backToScanning(co: CheckoutSnap, steps: Step[]): void {
  if (co.value === 'scanning') return;
  if (co.value === 'subtotal' && co.context.tenders.length === 0) {
    steps.push({ to: 'checkout', event: { type: 'BACK_TO_SALE' } });
    return;
  }
  throw new CoreError('NOT_ALLOWED_NOW', 'Payment has started; the sale cannot be changed now.');
}

export function requireAgeCleared(co: CheckoutSnap): void {
  const age = pendingAgeCheck(co.context);
  if (age !== null) {
    throw new CoreError('AGE_CHECK_REQUIRED', `Check the customer's age (${age}+) before going on.`, { age });
  }
}

/**
 * At a staffed lane the cashier checks the age at once, before the next item. At a self-checkout
 * the customer scans on and staff approve the check before payment (subtotal and tenders wait).
 */
export function requireAgeClearedToScan(lane: Lane, co: CheckoutSnap): void {
  if (lane.config.mode !== 'self') requireAgeCleared(co);
}

/** The body of a kind the lane journals for a command, without what `journalStep` adds. */
export type StepBody<K extends JournalKind> = Omit<JournalBody<K>, keyof ByCommand>;

/** A journal writer for a command's step: who, on which lane, in training or not. */
export function journalStep<K extends JournalKind>(lane: Lane, kind: K, ref: string | null, body: StepBody<K>): (at: string) => void {
  const ctx = lane.laneSnap().context;
  const added: ByCommand = { operator: ctx.operator, lane: lane.identity.laneId, training: ctx.training };
  // (The compiler cannot see that Omit<Body, added> & added is Body for a generic kind.)
  return (at) => {
    lane.journal.append(kind, ref, { ...body, ...added } as unknown as JournalBody<K>, at);
  };
}

/**
 * Sweden: a till whose control unit does not answer may not be used — no sale, return or copy
 * starts, and no receipt is made (core/fiscal/control-unit/till.ts). Throws CONTROL_UNIT_UNAVAILABLE.
 */
export function needControlUnit(lane: Lane): void {
  const cu = lane.controlUnit;
  if (!cu) return;
  const wasOut = cu.outageSince !== null;
  try {
    cu.check(lane.now().toISOString());
  } catch (err) {
    lane.broadcast(); // the refusal records the outage: every screen shows it now, though no command commits
    throw err;
  }
  if (wasOut) lane.broadcast();
}

/** A new sale begins (its first scan, open item or empties, a resumed basket): the control unit is asked first (Sweden), then START_SALE; answers the sale's id. */
export function startSale(lane: Lane, steps: Step[]): string {
  needControlUnit(lane);
  const saleId = uuidv7(lane.now().getTime());
  steps.push({ to: 'lane', event: { type: 'START_SALE', saleId, startedAt: lane.now().toISOString() } });
  return saleId;
}
