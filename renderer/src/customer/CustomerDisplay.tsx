/**
 * The screen customer display: a second window (or any browser tab) connected to the same
 * Terminal API, read-only, showing the customer what the pole display shows, in large type.
 */
import { QrCode } from '../shared/QrCode';
import { digitalReceiptPayload } from '../receipt';
import type { Snapshot } from '../../../protocol/terminal';
import { paymentText } from '../i18n';
import { useMessages } from '../shared/messages';

export function CustomerDisplay({ snap }: { snap: Snapshot }) {
  const { t, money } = useMessages();
  const co = snap.checkout;
  const last = co ? [...co.lines].reverse().find((l) => !l.voided && l.depositFor === null) : undefined;
  return (
    <main className="customer" data-testid="customer-display" aria-live="polite">
      {/* Training: the customer is told that nothing here is a purchase. */}
      {snap.lane.training || (!co && snap.lastSale?.training) ? (
        <div className="customer-training" role="status" data-testid="customer-training">
          {t.trainingNoPurchase}
        </div>
      ) : null}
      {co ? (
        <>
          <div className="customer-item">
            {last ? (
              <>
                <span>{last.name}</span>
                <span className="amount">{money(last.total)}</span>
              </>
            ) : null}
          </div>
          {co.state === 'cardPending' && paymentText(snap.payment, t) ? (
            <div className="customer-total" role="status" data-testid="customer-terminal-text">
              {paymentText(snap.payment, t)}
            </div>
          ) : null}
          {co.state === 'paid' ? (
            <div className="customer-total" data-testid="customer-change">
              {t.changeDue} <span className="amount">{money(co.totals.change)}</span>
            </div>
          ) : (
            <div className="customer-total" data-testid="customer-total">
              {t.total} <span className="amount">{money(co.totals.total)}</span>
            </div>
          )}
        </>
      ) : (
        <>
          <div className="customer-total">{snap.lastSale && !snap.lastSale.training ? t.customerThanks : snap.terminal.storeName}</div>
          {snap.lastSale ? (
            <div className="customer-receipt" data-testid="customer-receipt">
              <QrCode text={digitalReceiptPayload(snap.lastSale.receiptText)} label={t.digitalReceipt} size={320} testid="customer-receipt-qr" />
              <span>{t.digitalReceipt}</span>
            </div>
          ) : null}
        </>
      )}
    </main>
  );
}
