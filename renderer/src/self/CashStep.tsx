/**
 * The kiosk's cash step, one thing at a time: put the money in (a big "still to pay" that goes
 * down as the cash machine counts), or wait for the attendant who takes the cash, or the money
 * being handed back; when the machine stops, what happened and what was counted, with staff on
 * their way. `CashChange` tells the change in the receipt window. The core decides every amount.
 */
import { useState } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { CashView } from '../../../protocol/cash';
import { fill } from '../i18n';
import { useMessages } from '../shared/messages';

export function CashStep({ snap, send }: { snap: Snapshot; send: (c: CommandBody) => boolean }) {
  const co = snap.checkout;
  const cash = co?.cash ?? null;
  // A stopped session's notice is the customer's to close; it stays closed for that session.
  const [closed, setClosed] = useState<string | null>(null);
  if (!co || !cash) return null;
  if (co.state === 'cashPending') return <CashPending cash={cash} onCancel={() => send({ cmd: 'cancelCash' })} />;
  if (cash.phase === 'stopped' && co.state !== 'paid' && closed !== cash.sessionId) return <CashStopped cash={cash} onContinue={() => setClosed(cash.sessionId)} />;
  return null;
}

function CashPending({ cash, onCancel }: { cash: CashView; onCancel: () => void }) {
  const { t, money } = useMessages();
  const c = t.cash;
  const attendant = cash.phase === 'waitingAttendant';
  const returning = cash.phase === 'returning';
  const title = returning ? c.returning : attendant ? c.attendantTitle : c.insertTitle;
  return (
    <div className="modal-backdrop">
      <div className="modal self-modal cash-step" role="dialog" aria-modal="true" aria-labelledby="cash-title" data-testid="cash-step" data-phase={cash.phase}>
        <h2 id="cash-title">{title}</h2>
        <p className="cash-hint">{returning ? '' : attendant ? c.attendantBody : c.insertHint}</p>
        <div className="cash-still" role="status" aria-live="polite">
          <span className="cash-label">{returning ? c.inserted : attendant ? c.due : c.stillToPay}</span>
          <span className="cash-amount" data-testid="cash-still">
            {money(returning ? cash.inserted : cash.stillToPay)}
          </span>
        </div>
        {!attendant && !returning ? (
          <dl className="cash-sums">
            <dt>{c.due}</dt>
            <dd>{money(cash.due)}</dd>
            <dt>{c.inserted}</dt>
            <dd data-testid="cash-inserted">{money(cash.inserted)}</dd>
          </dl>
        ) : null}
        {returning ? null : (
          <button type="button" className="big" data-testid="cash-cancel" onClick={onCancel}>
            {c.cancel}
          </button>
        )}
      </div>
    </div>
  );
}

function CashStopped({ cash, onContinue }: { cash: CashView; onContinue: () => void }) {
  const { t, money } = useMessages();
  const c = t.cash;
  return (
    <div className="modal-backdrop">
      <div className="modal self-modal cash-step" role="dialog" aria-modal="true" aria-labelledby="cash-stopped-title" data-testid="cash-stopped">
        <h2 id="cash-stopped-title" role="alert">
          <span aria-hidden="true">⚠ </span>
          {cash.problem ? c.problems[cash.problem] : c.problems.offline}
        </h2>
        {cash.booked ? <p data-testid="cash-counted">{fill(c.counted, { amount: money(cash.booked) })}</p> : null}
        <p className="cash-staff">
          <span aria-hidden="true">🔔 </span>
          {c.staffComing}
        </p>
        <button type="button" className="primary huge" data-testid="cash-continue" data-dismiss autoFocus onClick={onContinue}>
          {c.continueTitle}
        </button>
      </div>
    </div>
  );
}

/** In the receipt window after a cash payment: the change (being paid out, or to take), and what staff still owe. */
export function CashChange({ cash }: { cash: CashView | null }) {
  const { t, money } = useMessages();
  const c = t.cash;
  if (!cash || (cash.change === 0 && cash.owed === 0 && !cash.problem)) return null;
  const paying = cash.phase === 'paying';
  return (
    <div className="cash-change" role="status" aria-live="polite" data-testid="cash-change" data-phase={cash.phase}>
      {cash.change > 0 ? (
        <>
          <span className="cash-label">{paying ? c.payingChange : c.takeChange}</span>
          <span className="cash-amount" data-testid="cash-change-amount" aria-label={`${c.changeLabel} ${money(cash.changePaid ?? cash.change)}`}>
            {money(cash.changePaid ?? cash.change)}
          </span>
          {cash.booked !== null ? (
            <span className="cash-sub">
              {c.inserted} {money(cash.booked)} · {c.due} {money(cash.due)}
            </span>
          ) : null}
        </>
      ) : null}
      {cash.problem && cash.problem !== 'jam' && cash.problem !== 'full' ? (
        <p className="cash-problem" role="alert">
          <span aria-hidden="true">⚠ </span>
          {c.problems[cash.problem]} {cash.owed > 0 ? fill(c.owed, { amount: money(cash.owed) }) : ''} {c.staffComing}
        </p>
      ) : null}
    </div>
  );
}
