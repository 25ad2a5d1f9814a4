/**
 * A kiosk cash payment's journal entries (all under the sale's id) and how they fold back into
 * what the screens show and what a restart must finish. The entries:
 *
 *   cash.session.started  {sessionId, saleId, due, via, reason}       the customer chose cash
 *   cash.session.via      {sessionId, via, reason}                    the device refused: an attendant takes it
 *   cash.inserted         {sessionId, source, value, counter, late?}  a coin or note the device counted
 *   cash.confirmed        {sessionId, amount, by, due}                an attendant received the cash
 *   cash.session.ended    {sessionId, outcome, inserted, booked, …}   paid · stopped · cancelled · returnFailed
 *   cash.payout.started   {sessionId, purpose, amount}                change, a refund, or late money handed back
 *   cash.payout.step      {sessionId, purpose, step, unit, value, coins, counter, paid?}
 *   cash.payout           {sessionId, purpose, amount, paid, owed, unknown?}
 */
import type { CashView } from '../../protocol/cash';

export type CashEntry = { kind: string; body: Record<string, unknown> };
export type PayoutPurpose = 'change' | 'return' | 'late';

export interface OpenPayout {
  sessionId: string;
  purpose: PayoutPurpose;
  amount: number;
  /** Paid by the steps that finished. */
  paid: number;
  /** A dispense that was sent and never reported back (ask the device about it). */
  pending: { unit: number; counter: number; value: number } | null;
}

const num = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The latest session's view, and a payout that was under way when the entries end. */
export function foldCashEntries(saleId: string, entries: readonly CashEntry[]): { view: CashView | null; open: OpenPayout | null } {
  let view: CashView | null = null;
  let open: OpenPayout | null = null;
  for (const { kind, body: b } of entries) {
    const sessionId = String(b.sessionId ?? '');
    if (kind === 'cash.session.started') {
      const via = b.via === 'device' ? 'device' : 'attendant';
      view = { sessionId, saleId, via, due: num(b.due), inserted: 0, stillToPay: num(b.due), phase: via === 'device' ? 'accepting' : 'waitingAttendant', change: 0, changePaid: null, owed: 0, booked: null, problem: null };
      open = null;
      continue;
    }
    if (!view || view.sessionId !== sessionId) continue;
    if (kind === 'cash.session.via') {
      view.via = 'attendant';
      view.phase = 'waitingAttendant';
    } else if (kind === 'cash.inserted' && !b.late) {
      view.inserted += num(b.value);
      view.stillToPay = Math.max(0, view.due - view.inserted);
    } else if (kind === 'cash.confirmed') {
      view.inserted = num(b.amount);
      view.booked = num(b.amount);
      view.change = Math.max(0, view.inserted - view.due);
      view.stillToPay = Math.max(0, view.due - view.inserted);
      view.phase = 'done';
    } else if (kind === 'cash.session.ended') {
      view.booked = b.booked === undefined || b.booked === null ? null : num(b.booked);
      view.change = num(b.change);
      view.phase = b.outcome === 'stopped' ? 'stopped' : view.change > 0 ? 'paying' : 'done';
      if (typeof b.problem === 'string') view.problem = b.problem as CashView['problem'];
    } else if (kind === 'cash.payout.started') {
      const purpose = b.purpose === 'return' ? 'return' : b.purpose === 'late' ? 'late' : 'change';
      open = { sessionId, purpose, amount: num(b.amount), paid: 0, pending: null };
      if (purpose === 'return') view.phase = 'returning';
    } else if (kind === 'cash.payout.step' && open) {
      if (b.step === 'dispensing') open.pending = { unit: num(b.unit), counter: num(b.counter), value: num(b.value) };
      else if (b.step === 'dispensed') {
        open.paid += num(b.paid) * num(b.value);
        open.pending = null;
      } else if (b.step === 'failed') open.pending = null;
    } else if (kind === 'cash.payout') {
      const owed = num(b.owed);
      if (b.purpose === 'change') {
        view.changePaid = num(b.paid);
        view.phase = view.phase === 'stopped' ? 'stopped' : 'done';
        if (owed > 0 || b.unknown) view.problem = b.unknown ? 'unknownPayout' : 'shortChange';
      }
      if (b.purpose !== 'return') view.owed += owed;
      open = null;
    }
  }
  return { view, open };
}
