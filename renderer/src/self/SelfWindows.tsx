/** The kiosk's windows over the basket: the card payment, the receipt choice, cancelling the basket, and "still there?". */
import { useEffect, useState, type ReactNode } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { coreNow } from '../core-time';
import { fill } from '../i18n';
import { TerminalText } from '../shared/common';
import { useMessages } from '../shared/messages';
import { CashChange } from './CashStep';

/** At most one at a time, the first that applies. */
export function SelfWindow(props: { snap: Snapshot; send: (c: CommandBody) => boolean; confirmCancel: boolean; setConfirmCancel: (on: boolean) => void }) {
  const { snap, send, confirmCancel, setConfirmCancel } = props;
  const { t, money } = useMessages();
  const k = t.kiosk;
  const co = snap.checkout;
  return co?.state === 'cardPending' || co?.state === 'reversing' ? (
    <Dialog id="self-card" title={k.followTerminal}>
      <p>{fill(k.cardYou, { amount: money(co.cardAttempt?.amount ?? 0) })}</p>
      <TerminalText payment={snap.payment} />
      {co.state === 'cardPending' && !snap.payment.decision ? (
        <div className="modal-actions">
          <button type="button" className="big" onClick={() => send({ cmd: 'abortPayment' })}>
            {k.cancelCardYou}
          </button>
        </div>
      ) : null}
    </Dialog>
  ) : co?.state === 'paid' ? (
    <Dialog id="self-receipt" title={k.receiptChoice}>
      <CashChange cash={co.cash} />
      <div className="receipt-choice">
        <button type="button" className="primary huge" data-testid="receipt-print" autoFocus onClick={() => send({ cmd: 'complete', receipt: 'print' })}>
          <span aria-hidden="true">🧾 </span>
          {k.receiptPrint}
        </button>
        <button type="button" className="big" data-testid="receipt-digital" onClick={() => send({ cmd: 'complete', receipt: 'digital' })}>
          <span aria-hidden="true">📱 </span>
          {k.receiptDigital}
        </button>
        <button type="button" className="big" data-testid="receipt-none" onClick={() => send({ cmd: 'complete', receipt: 'none' })}>
          {k.receiptNone}
        </button>
      </div>
    </Dialog>
  ) : confirmCancel && co ? (
    <Dialog id="self-cancel-confirm" title={k.cancelConfirm}>
      <div className="modal-actions">
        <button type="button" className="big" autoFocus onClick={() => setConfirmCancel(false)}>
          {k.keepShopping}
        </button>
        <button
          type="button"
          className="big danger"
          data-testid="self-cancel-yes"
          onClick={() => {
            setConfirmCancel(false);
            send({ cmd: 'cancelSale' });
          }}
        >
          {k.yesCancel}
        </button>
      </div>
    </Dialog>
  ) : snap.lane.selfCheckout?.idleUntil ? (
    <IdlePrompt until={snap.lane.selfCheckout.idleUntil} onHere={() => send({ cmd: 'ping' })} />
  ) : null;
}

function Dialog(props: { id: string; title: string; children: ReactNode }) {
  return (
    <div className="modal-backdrop">
      <div className="modal self-modal" role="dialog" aria-modal="true" aria-labelledby={`${props.id}-title`} data-testid={props.id}>
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

function IdlePrompt({ until, onHere }: { until: string; onHere: () => void }) {
  const { t } = useMessages();
  const [now, setNow] = useState(() => coreNow());
  useEffect(() => {
    const id = setInterval(() => setNow(coreNow()), 1000);
    return () => clearInterval(id);
  }, []);
  const seconds = Math.max(0, Math.ceil((Date.parse(until) - now) / 1000));
  return (
    <Dialog id="self-idle" title={t.kiosk.stillThere}>
      <p>{fill(t.kiosk.stillThereBody, { seconds })}</p>
      <button type="button" className="primary huge" autoFocus data-testid="self-here" onClick={onHere}>
        {t.kiosk.imHere}
      </button>
    </Dialog>
  );
}
