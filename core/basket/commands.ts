/**
 * The basket: scanning, quantities, voids, the age check, discounts and price overrides, an item
 * sold at a keyed price, the member card, subtotal and back, and cancelling the sale.
 */
import { checkoutGuards, pendingAgeCheck, totalsOf } from '../checkout/machines';
import { CoreError } from '../errors';
import { printable, type Lane, type LaneHandlers, type Step } from '../lane/context';
import { backToScanning, journalStep, needLaneState, startSale, requireAgeCleared, requireAgeClearedToScan, requireCheckout, requireLine } from '../lane/guards';
import type { Approvals } from '../operators/approvals';
import type { TillDay } from '../till/day';
import { pieceLine, type LineBuilder } from './lines';
import type { Lookups } from './lookups';
import { priceHandlers } from './prices';
import { returnDeposit } from './deposit-return';

export function basketHandlers(lane: Lane, approvals: Approvals, till: TillDay, lines: LineBuilder, lookups: Lookups): LaneHandlers {
  return {
    scan: {
      run(cmd) {
        // A gift card scanned answers with its balance and sells nothing (issue 16).
        const giftCard = lookups.giftCard(cmd.code);
        if (giftCard) return { answer: giftCard };
        needLaneState(lane, 'signedIn', 'selling');
        const co = lane.checkoutSnap();
        if (!co) till.require();
        const steps: Step[] = [];
        let saleId = co?.context.saleId;
        if (co) {
          requireAgeClearedToScan(lane, co);
          backToScanning(co, steps);
        }
        const item = lines.resolve(cmd.code);
        if (!co) saleId = startSale(lane, steps);
        const built = lines.build(item, cmd, (co?.context.lines.length ?? 0) + 1);
        steps.push({ to: 'checkout', event: { type: 'ADD_LINES', lines: built } });
        return { steps, saleId };
      },
    },
    setQuantity: {
      run(cmd) {
        const co = requireCheckout(lane);
        const line = requireLine(co, cmd.lineId);
        if (!checkoutGuards.canSetQuantity(co.context, cmd.lineId)) {
          throw new CoreError('QUANTITY_NOT_ALLOWED', 'The quantity of this line cannot be changed (weighed, priced by its barcode, a deposit, or voided).', { lineId: cmd.lineId });
        }
        if (line.quantity === cmd.quantity) return { steps: [] }; // already so: nothing to write
        const steps: Step[] = [];
        backToScanning(co, steps);
        steps.push({ to: 'checkout', event: { type: 'SET_QUANTITY', lineId: cmd.lineId, quantity: cmd.quantity } });
        return { steps };
      },
    },
    voidLine: { run: (cmd) => voidLine(lane, approvals, cmd.lineId, cmd.approval) },
    voidLast: { run: (cmd) => voidLine(lane, approvals, null, cmd.approval) },
    confirmAge: {
      run(cmd) {
        const co = requireCheckout(lane);
        const age = pendingAgeCheck(co.context);
        if (age === null) throw new CoreError('NOT_ALLOWED_NOW', 'No age check is pending.');
        const approvedBy = lane.config.mode === 'self' || lane.attendant ? approvals.approve('ageCheck', cmd.approval).id : null;
        const after = journalStep(lane, 'age.confirmed', co.context.saleId, { saleId: co.context.saleId, age, mode: lane.config.mode, approvedBy });
        return { steps: [{ to: 'checkout', event: { type: 'CONFIRM_AGE', age }, after }] };
      },
    },
    cancelSale: {
      run(cmd) {
        const co = requireCheckout(lane);
        if (co.context.tenders.length > 0) throw new CoreError('NOT_ALLOWED_NOW', 'Money has been taken for this sale; it cannot be cancelled now.');
        const saleId = co.context.saleId;
        const totals = totalsOf(co.context);
        const approvedBy = totals.total > lane.config.cancelApprovalAbove ? approvals.approve('cancelSale', cmd.approval).id : null;
        return {
          steps: [
            { to: 'checkout', event: { type: 'CANCEL' } },
            { to: 'lane', event: { type: 'SALE_ENDED', saleId }, after: journalStep(lane, 'sale.cancelled', saleId, { saleId, approvedBy, lines: co.context.lines, totals }) },
          ],
        };
      },
    },
    subtotal: {
      run() {
        const co = requireCheckout(lane);
        if (co.value !== 'scanning') throw new CoreError('NOT_ALLOWED_NOW', 'The sale is already at subtotal.');
        if (!checkoutGuards.hasActiveLines(co.context)) throw new CoreError('EMPTY_SALE', 'Scan an item first.');
        requireAgeCleared(co);
        return { steps: [{ to: 'checkout', event: { type: 'SUBTOTAL' } }] };
      },
    },
    backToSale: {
      run() {
        const co = requireCheckout(lane);
        if (co.value !== 'subtotal' || co.context.tenders.length > 0) throw new CoreError('NOT_ALLOWED_NOW', 'Payment has started; the sale cannot be changed now.');
        return { steps: [{ to: 'checkout', event: { type: 'BACK_TO_SALE' } }] };
      },
    },
    memberCard: {
      run(cmd) {
        const co = requireCheckout(lane);
        const steps: Step[] = [];
        backToScanning(co, steps);
        steps.push({ to: 'checkout', event: { type: 'SET_MEMBER', card: cmd.card } });
        return { steps };
      },
    },
    ...priceHandlers(lane, approvals),
    openItem: { run: (cmd) => openItem(lane, approvals, till, cmd) },
    returnDeposit: { run: (cmd) => returnDeposit(lane, till, cmd) },
  };
}

function voidLine(lane: Lane, approvals: Approvals, lineIdOrLast: string | null, approval: Parameters<Approvals['approve']>[1]) {
  const co = requireCheckout(lane);
  let lineId: string;
  if (lineIdOrLast !== null) lineId = lineIdOrLast;
  else {
    const last = [...co.context.lines].reverse().find((l) => !l.voided && l.depositFor === null);
    if (!last) throw new CoreError('EMPTY_SALE', 'There is no line to void.');
    lineId = last.lineId;
  }
  const line = requireLine(co, lineId);
  if (!checkoutGuards.canVoid(co.context, lineId)) {
    throw new CoreError('NOT_ALLOWED_NOW', 'This line cannot be voided on its own (already voided, or a deposit that goes with its item).', { lineId });
  }
  // At a self-checkout only staff take an item off the basket — except an age-restricted one the customer gives up.
  // On a staffed lane, voiding a line worth more than the limit needs a supervisor.
  const customerGivesUp = line.ageLimit !== null && line.ageLimit > co.context.ageConfirmed;
  const needsStaff = lane.config.mode === 'self' ? !customerGivesUp : line.total > lane.config.voidApprovalAbove;
  const approvedBy = needsStaff ? approvals.approve('voidLine', approval).id : null;
  const steps: Step[] = [];
  backToScanning(co, steps);
  steps.push({
    to: 'checkout',
    event: { type: 'VOID_LINE', lineId },
    after: journalStep(lane, 'line.voided', co.context.saleId, { saleId: co.context.saleId, lineId, itemId: line.itemId, name: line.name, quantity: line.quantity, total: line.total, approvedBy }),
  });
  return { steps };
}

/** An item not in the catalog, sold at a keyed price under a department (staff only at a kiosk). */
function openItem(lane: Lane, approvals: Approvals, till: TillDay, cmd: { departmentId: string; unitPrice: number; quantity?: number | undefined; code?: string | undefined; approval?: Parameters<Approvals['approve']>[1] }) {
  needLaneState(lane, 'signedIn', 'selling');
  if (lane.config.mode === 'self' && !lane.attendant) throw new CoreError('NOT_ALLOWED_NOW', 'At a self-checkout staff sell an unknown item.');
  const co = lane.checkoutSnap();
  if (!co) till.require();
  const dept = lane.catalog.departments().find((d) => d.id === cmd.departmentId);
  if (!dept) throw new CoreError('INVALID_COMMAND', `There is no department "${printable(cmd.departmentId)}".`);
  const quantity = cmd.quantity ?? 1;
  const approvedBy = cmd.unitPrice * quantity > lane.config.openPriceApprovalAbove ? approvals.approve('openItem', cmd.approval).id : null;
  const steps: Step[] = [];
  let saleId = co?.context.saleId;
  if (co) {
    requireAgeClearedToScan(lane, co);
    backToScanning(co, steps);
  } else {
    saleId = startSale(lane, steps);
  }
  const code = cmd.code ? printable(cmd.code) : '';
  const lineId = `L${(co?.context.lines.length ?? 0) + 1}`;
  const line = pieceLine({ lineId, itemId: `open:${dept.id}`, name: dept.name, code, quantity, unitPrice: cmd.unitPrice, departmentId: dept.id, vatRate: dept.vatRate, depositFor: null });
  steps.push({
    to: 'checkout',
    event: { type: 'ADD_LINES', lines: [line] },
    // The code goes to the back office, so HQ can add the item to the catalog.
    after: journalStep(lane, 'item.openPrice', saleId ?? null, { saleId, lineId, code, departmentId: dept.id, unitPrice: cmd.unitPrice, quantity, approvedBy }),
  });
  return { steps, saleId };
}
