/**
 * Empties brought back (pantretur, Leergut; issue 21): a line of its own kind, the deposit item at
 * minus its amount per piece, journalled as `deposit.returned`. It takes the deposit item's own VAT
 * rate, can start a sale, and is never discounted, repriced or counted as an item. Empties worth
 * more than the purchase are paid out in cash (the sale's `payout`; DSFinV-K books the line as
 * `PfandRueckzahlung` and the payment as negative cash, core/fiscal/dsfinvk/receipts.ts).
 */
import { CoreError } from '../errors';
import { printable, type Lane, type Step } from '../lane/context';
import { backToScanning, journalStep, needLaneState, startSale } from '../lane/guards';
import type { TillDay } from '../till/day';
import { pieceLine } from './lines';

export function returnDeposit(lane: Lane, till: TillDay, cmd: { itemId: string; quantity?: number | undefined }) {
  needLaneState(lane, 'signedIn', 'selling');
  if (lane.config.mode === 'self' && !lane.attendant) throw new CoreError('NOT_ALLOWED_NOW', 'At a self-checkout staff take back empties.');
  const dep = lane.catalog.getItem(cmd.itemId);
  if (!dep || !dep.isDeposit) throw new CoreError('INVALID_COMMAND', `"${printable(cmd.itemId)}" is no deposit item.`);
  const co = lane.checkoutSnap();
  if (!co) till.require();
  const quantity = cmd.quantity ?? 1;
  const steps: Step[] = [];
  let saleId = co?.context.saleId;
  if (co) {
    backToScanning(co, steps);
  } else {
    saleId = startSale(lane, steps);
  }
  const lineId = `L${(co?.context.lines.length ?? 0) + 1}`;
  const base = pieceLine({ lineId, itemId: dep.id, name: dep.name, code: '', quantity, unitPrice: -dep.price, departmentId: dep.departmentId, vatRate: dep.vatRate, depositFor: null });
  // Label-priced lines take no discount, no price change and no other quantity: neither do empties.
  const line = { ...base, priceFromCode: true, kind: 'depositReturn' as const };
  steps.push({
    to: 'checkout',
    event: { type: 'ADD_LINES', lines: [line] },
    after: journalStep(lane, 'deposit.returned', saleId ?? null, { saleId: saleId!, lineId, itemId: dep.id, name: dep.name, quantity, amount: line.total }),
  });
  return { steps, saleId };
}
