/** Manual discounts (a line or the sale; above the cashier's limits a supervisor approves) and price overrides. */
import { totalsOf } from '../checkout/machines';
import { CoreError } from '../errors';
import type { Lane, LaneHandlers, Step } from '../lane/context';
import { backToScanning, journalStep, requireCheckout, requireLine } from '../lane/guards';
import type { Approvals } from '../operators/approvals';

export function priceHandlers(lane: Lane, approvals: Approvals): LaneHandlers {
  return {
    discount: {
      run(cmd) {
        const co = requireCheckout(lane);
        const target = cmd.lineId ? requireLine(co, cmd.lineId) : null;
        if (target && (target.voided || target.depositFor !== null || target.kind === 'depositReturn')) throw new CoreError('NOT_ALLOWED_NOW', 'That line cannot be discounted.', { lineId: target.lineId });
        if (cmd.kind === 'percent' && cmd.value > 10_000) throw new CoreError('INVALID_COMMAND', 'A discount cannot be more than 100 %.');
        const base = target ? target.total + (target.discounts.find((d) => d.source === 'manual')?.amount ?? 0) : totalsOf(co.context).total;
        const amount = cmd.kind === 'percent' ? Math.round((base * cmd.value) / 10_000) : cmd.value;
        const overLimit = (cmd.kind === 'percent' && cmd.value > lane.config.discountLimitPercentBp) || amount > lane.config.discountLimitAmount;
        const approvedBy = cmd.value > 0 && overLimit ? approvals.approve('discount', cmd.approval).id : null;
        const discount = cmd.value === 0 ? null : { kind: cmd.kind, value: cmd.value, reason: cmd.reason, approvedBy };
        const steps: Step[] = [];
        backToScanning(co, steps);
        const saleId = co.context.saleId;
        steps.push({
          to: 'checkout',
          event: target ? { type: 'SET_LINE_DISCOUNT', lineId: target.lineId, discount } : { type: 'SET_SALE_DISCOUNT', discount },
          after: journalStep(lane, target ? 'discount.line' : 'discount.sale', saleId, { saleId, lineId: target?.lineId ?? null, kind: cmd.kind, value: cmd.value, reason: cmd.reason, approvedBy }),
        });
        return { steps };
      },
    },
    overridePrice: {
      run(cmd) {
        const co = requireCheckout(lane);
        const line = requireLine(co, cmd.lineId);
        if (line.voided || line.depositFor !== null || line.priceFromCode) throw new CoreError('NOT_ALLOWED_NOW', 'The price of that line cannot be changed.', { lineId: line.lineId });
        if (line.unitPrice === cmd.unitPrice) return { steps: [] };
        const approvedBy = approvals.approve('overridePrice', cmd.approval).id;
        const steps: Step[] = [];
        backToScanning(co, steps);
        const saleId = co.context.saleId;
        steps.push({
          to: 'checkout',
          event: { type: 'OVERRIDE_PRICE', lineId: line.lineId, unitPrice: cmd.unitPrice, reason: cmd.reason, approvedBy },
          after: journalStep(lane, 'price.override', saleId, { saleId, lineId: line.lineId, itemId: line.itemId, from: line.unitPrice, to: cmd.unitPrice, reason: cmd.reason, approvedBy }),
        });
        return { steps };
      },
    },
  };
}
