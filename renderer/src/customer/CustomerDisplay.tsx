/**
 * The screen customer display: a second window (or any browser tab) connected to the same
 * Terminal API, read-only, showing the customer their sale as a receipt would — every line, what
 * they save, what is paid and what is left, the card terminal's prompts and a declined card — in
 * the language the customer chose on the lane or kiosk (snapshot lane.customerLang).
 */
import { useEffect, useRef } from 'react';
import { QrCode } from '../shared/QrCode';
import type { CheckoutView, Snapshot } from '../../../protocol/terminal';
import { fill, paymentText } from '../i18n';
import { AmountDue } from '../shared/AmountDue';
import { CustomerBasket } from '../shared/CustomerBasket';
import { useMessages } from '../shared/messages';

/** The basket, kept scrolled to its newest line. */
function Basket({ co }: { co: CheckoutView }) {
  const ref = useRef<HTMLDivElement>(null);
  const n = co.lines.length;
  useEffect(() => {
    if (ref.current) ref.current.scrollTop = ref.current.scrollHeight;
  }, [n]);
  return (
    <div className="customer-basket" ref={ref}>
      <CustomerBasket lines={co.lines.filter((l) => !(l.voided && l.depositFor !== null))} />
    </div>
  );
}

/** Beside the basket: what is owed or paid, the savings, and what the card terminal says. */
function SaleSide({ snap, co }: { snap: Snapshot; co: CheckoutView }) {
  const { t, money } = useMessages();
  const terminal = co.state === 'cardPending' ? paymentText(snap.payment, t) : null;
  const declined = co.state !== 'cardPending' && co.state !== 'paid' && snap.payment.declined?.saleId === co.saleId;
  return (
    <aside className="customer-side">
      {co.state === 'paid' ? (
        co.totals.change > 0 ? (
          <div className="total-block" data-testid="customer-change">
            <div className="total-label">{t.changeDue}</div>
            <div className="total">{money(co.totals.change)}</div>
          </div>
        ) : (
          <div className="total-block" data-testid="customer-paid">
            <div className="total">{t.customer.paidThanks}</div>
          </div>
        )
      ) : (
        <AmountDue totals={co.totals} tenders={co.tenders} />
      )}
      {co.totals.discounts > 0 ? (
        <div className="customer-savings" data-testid="customer-savings">
          {fill(t.customer.youSave, { amount: money(co.totals.discounts) })}
        </div>
      ) : null}
      {terminal ? (
        <div className="customer-terminal" role="status" data-testid="customer-terminal-text">
          {terminal}
        </div>
      ) : null}
      {declined ? (
        <div className="customer-declined" role="alert" data-testid="customer-declined">
          {t.customer.declined}
        </div>
      ) : null}
    </aside>
  );
}

export function CustomerDisplay({ snap }: { snap: Snapshot }) {
  const { t } = useMessages();
  const co = snap.checkout;
  return (
    <main className={`customer${co ? ' in-sale' : ''}`} data-testid="customer-display" aria-live="polite">
      {/* Training: the customer is told that nothing here is a purchase. */}
      {snap.lane.training || (!co && snap.lastSale?.training) ? (
        <div className="customer-training" role="status" data-testid="customer-training">
          {t.trainingNoPurchase}
        </div>
      ) : null}
      {co ? (
        <div className="customer-sale" data-testid="customer-sale">
          <Basket co={co} />
          <SaleSide snap={snap} co={co} />
        </div>
      ) : (
        <>
          <div className="customer-total">{snap.lastSale && !snap.lastSale.training ? t.customerThanks : snap.terminal.storeName}</div>
          {snap.lastSale?.receipt === 'digital' && snap.lastSale.receiptLink ? (
            <div className="customer-receipt" data-testid="customer-receipt">
              <QrCode text={snap.lastSale.receiptLink} label={t.digitalReceipt} size={320} testid="customer-receipt-qr" />
              <span>{t.digitalReceipt}</span>
            </div>
          ) : null}
        </>
      )}
    </main>
  );
}
