/** Card parts of a refund go back to the card through the payment terminal, after the return committed; each result is journalled. */
import { uuidv7 } from '../ids';
import type { Lane } from '../lane/context';
import type { RefundPart } from '../returns';
import type { PaymentPort } from './port';

export function refundToCard(lane: Lane, port: PaymentPort, returnId: string, parts: RefundPart[]): void {
  for (const p of parts) {
    if (p.kind !== 'card' || !p.terminalRef) continue;
    const refundId = uuidv7(lane.now().getTime());
    void port
      .refund({ refundId, amount: p.amount, currency: lane.profile.currency, originalRef: p.terminalRef })
      .catch((err: unknown) => ({ ok: false, reason: err instanceof Error ? err.message : String(err) }))
      .then((res) => {
        if (lane.disposed) return;
        try {
          lane.db.transaction(() => {
            lane.journal.append(res.ok ? 'payment.refunded' : 'payment.refundFailed', returnId, { returnId, refundId, amount: p.amount, originalRef: p.terminalRef, ...res }, lane.now().toISOString());
          })();
          if (!res.ok) lane.notifyError('PAYMENT_DECLINED', 'The card refund failed at the terminal; refund in cash.');
        } catch (err) {
          lane.notifyError('STORAGE_FAILED', `The card refund result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
  }
}
