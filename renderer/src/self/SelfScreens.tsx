/** The kiosk's screens and panels: thank you, the attract screen, the basket, and the side panel with total, message and the customer's buttons. */
import type { ReactNode } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { fill } from '../i18n';
import { AmountDue } from '../shared/AmountDue';
import { useMessages } from '../shared/messages';
import { QrCode } from '../shared/QrCode';

/** After a paid sale: thank you, and the digital receipt's QR code when it was asked for. */
export function SelfThanks({ sale, onDone, scanField }: { sale: NonNullable<Snapshot['lastSale']>; onDone: () => void; scanField: ReactNode }) {
  const { t } = useMessages();
  const k = t.kiosk;
  return (
    <main className="self centered" data-testid="self-thanks">
      <h1>{k.thanks}</h1>
      {sale.receipt === 'digital' && sale.receiptLink ? (
        <div className="digital-receipt">
          <QrCode text={sale.receiptLink} label={t.digitalReceipt} size={240} testid="digital-receipt-qr" />
          <p>{k.scanQr}</p>
        </div>
      ) : null}
      <button type="button" className="primary big" onClick={onDone}>
        {t.done}
      </button>
      {scanField}
    </main>
  );
}

/** Waiting for a customer: touch to start (or just scan). */
export function SelfAttract(props: { snap: Snapshot; langs: ReactNode; help: ReactNode; scanField: ReactNode; onStart: () => void; onStaff: () => void }) {
  const { snap, langs, help, scanField, onStart, onStaff } = props;
  const { t } = useMessages();
  const k = t.kiosk;
  return (
    <main className="self attract" data-testid="self-attract">
      {langs}
      <h1>{k.welcome}</h1>
      <p className="self-lead">{k.touchToStart}</p>
      <button type="button" className="primary huge" data-testid="self-start" onClick={onStart}>
        {k.start}
      </button>
      {help}
      {scanField}
      <p className="self-note">{snap.lane.selfCheckout?.cashAllowed ? '' : k.cardOnly}</p>
      <button type="button" className="small self-staff" data-testid="self-staff" onClick={onStaff}>
        {k.staff}
      </button>
    </main>
  );
}

/** Total, what went wrong (or that staff take items off), help, the scan field, produce, paying, staff, cancelling. */
export function SelfSide(props: {
  snap: Snapshot;
  send: (c: CommandBody) => boolean;
  message: string | null;
  help: ReactNode;
  scanField: ReactNode;
  onProduce: () => void;
  onPay: (how: 'card' | 'cash') => void;
  onStaff: () => void;
  onCancel: () => void;
}) {
  const { snap, send, message, help, scanField, onProduce, onPay, onStaff, onCancel } = props;
  const { t } = useMessages();
  const k = t.kiosk;
  const co = snap.checkout;
  return (
    <aside className="self-side">
      <AmountDue totals={co?.totals} tenders={co?.tenders ?? []} />
      <div className={`message ${message ? 'error' : 'info'}`} data-testid="message" role={message ? 'alert' : 'status'}>
        {message ? (
          <>
            <span aria-hidden="true">⚠ </span>
            {message}
          </>
        ) : (
          k.staffRemoves
        )}
      </div>
      {help}
      {co?.ageCheckPending ? <AgeNotice snap={snap} send={send} /> : null}
      {scanField}
      <button type="button" className="big self-produce" data-testid="self-produce" onClick={onProduce}>
        <span aria-hidden="true">🍎 </span>
        {k.produce}
      </button>
      <button type="button" className="primary huge" data-testid="self-pay-card" disabled={!co || co.totals.itemCount === 0 || co.ageCheckPending !== null} onClick={() => onPay('card')}>
        {k.payCard}
      </button>
      {snap.lane.selfCheckout?.cashAllowed ? (
        <button type="button" className="big" data-testid="self-pay-cash" disabled={!co || co.totals.itemCount === 0 || co.ageCheckPending !== null} onClick={() => onPay('cash')}>
          {k.payCash}
        </button>
      ) : (
        <p className="self-note">{k.cardOnly}</p>
      )}
      <button type="button" className="small self-staff" data-testid="self-staff" onClick={onStaff}>
        {k.staff}
      </button>
      <div className="self-row">
        <CallHelp send={send} className="big" />
        <button type="button" className="big" data-testid="self-cancel" onClick={onCancel}>
          {k.cancelBasket}
        </button>
      </div>
    </aside>
  );
}

/**
 * An age-restricted item in the basket: staff check the customer's ID before payment, scanning goes
 * on meanwhile (the attendant approves from their view); the customer may give the item up.
 */
function AgeNotice({ snap, send }: { snap: Snapshot; send: (c: CommandBody) => boolean }) {
  const { t } = useMessages();
  const co = snap.checkout!;
  const line = [...co.lines].reverse().find((l) => !l.voided && l.ageLimit !== null);
  return (
    <div className="message info self-age" role="status" data-testid="self-age">
      <p>
        <span aria-hidden="true">🪪 </span>
        {fill(t.kiosk.ageWait, { age: co.ageCheckPending ?? 0 })}
      </p>
      {line ? (
        <button type="button" className="big" data-testid="self-age-remove" onClick={() => send({ cmd: 'voidLine', lineId: line.lineId })}>
          {t.kiosk.ageRemove}: {line.name}
        </button>
      ) : null}
    </div>
  );
}

/** The customer's Help: calls staff to this kiosk (the attendant view shows it until staff clear it). */
export function CallHelp({ send, className }: { send: (c: CommandBody) => boolean; className: string }) {
  const { t } = useMessages();
  return (
    <button type="button" className={className} data-testid="self-help" onClick={() => send({ cmd: 'callHelp' })}>
      <span aria-hidden="true">🔔 </span>
      {t.kiosk.callHelp}
    </button>
  );
}
