/**
 * A kiosk's card payment the terminal could not confirm, in the attendant view: the attendant (a
 * supervisor) settles it from the receipt on the kiosk's terminal, as a supervisor does on a lane
 * (renderer/src/lane/SaleWindows.tsx, the same core command). Until the terminal has answered,
 * "not charged" could charge the customer twice: a second, different supervisor types their number
 * and PIN here to confirm it. The kiosk closes the decision by itself when the terminal answers.
 */
import { useState } from 'react';
import type { KioskView } from '../../../protocol/attendant';
import type { AttendantBody, KioskConnection } from './connection';
import { fill } from '../i18n';
import { ErrorBox } from '../shared/common';
import { NumberPinFields } from '../shared/DigitsField';
import { useMessages } from '../shared/messages';

export function KioskDecision(props: { v: KioskView; error: KioskConnection['error']; command: (body: AttendantBody) => boolean; onSent: () => void }) {
  const { v, error, command } = props;
  const { t, money } = useMessages();
  const [confirming, setConfirming] = useState(false);
  const [operator, setOperator] = useState('');
  const [pin, setPin] = useState('');
  const d = v.decision;
  if (!d || !v.basket) return null;
  const saleId = v.basket.saleId;
  const needsSecond = !d.terminalAnswered;
  const time = (iso: string) => new Date(iso).toLocaleTimeString(v.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: v.timeZone });
  const send = (body: AttendantBody) => {
    if (command(body)) props.onSent();
  };
  const confirm = () => {
    if (!/^\d{1,8}$/.test(operator) || !/^\d{4,8}$/.test(pin)) return;
    send({ cmd: 'resolvePayment', saleId, attemptId: d.attemptId, outcome: 'notCharged', confirmation: { operator, pin } });
    setPin('');
  };
  const back = () => {
    setConfirming(false);
    setOperator('');
    setPin('');
  };
  const errorText = error ? (error.code === 'APPROVAL_DENIED' ? t.decision.attConfirmDenied : (t.errors[error.code as keyof typeof t.errors] ?? error.message)) : null;
  return (
    <div className="kiosk-alert kiosk-decision" role="alert" data-testid="kiosk-decision">
      <p>
        <span aria-hidden="true">💳 </span>
        {/* The core's reason is for store IT (English); the lines below say it in the attendant's language. */}
        <strong title={d.reason}>{t.decision.title}</strong> <span data-testid="att-decision-amount">{fill(t.decision.amount, { amount: money(d.amount) })}</span>
      </p>
      <p>{t.decision.attReadTerminal}</p>
      {d.unreachableSince ? <p data-testid="att-terminal-unreachable">{fill(t.decision.unreachable, { time: time(d.unreachableSince) })}</p> : null}
      {needsSecond ? <p data-testid="att-second-supervisor">{t.decision.secondSupervisor}</p> : null}
      {confirming && needsSecond ? (
        <div className="kiosk-confirm" data-testid="att-confirm-not-charged" role="group" aria-label={t.decision.confirmTitle}>
          <h3>{t.decision.confirmTitle}</h3>
          <p>{t.decision.confirmBody}</p>
          <NumberPinFields operatorLabel={t.supervisorNumber} pinLabel={t.pin} operator={operator} setOperator={setOperator} pin={pin} setPin={setPin} onSubmit={confirm} testids={{ operator: 'att-confirm-operator', pin: 'att-confirm-pin' }} autoFocus />
          <div className="modal-actions">
            <button type="button" className="big" data-testid="att-confirm-back" onClick={back}>
              {t.keys.back}
            </button>
            <button type="button" className="primary big" data-testid="att-confirm-submit" onClick={confirm}>
              {t.confirm}
            </button>
          </div>
        </div>
      ) : (
        <div className="modal-actions">
          <button type="button" className="big" data-testid="att-not-charged" onClick={() => (needsSecond ? setConfirming(true) : send({ cmd: 'resolvePayment', saleId, attemptId: d.attemptId, outcome: 'notCharged' }))}>
            {t.decision.notCharged}
          </button>
          <button type="button" className="big" data-testid="att-charged" onClick={() => send({ cmd: 'resolvePayment', saleId, attemptId: d.attemptId, outcome: 'approved' })}>
            {t.decision.charged}
          </button>
        </div>
      )}
      <ErrorBox text={errorText} testid="att-decision-error" />
    </div>
  );
}
