/** The windows a sale opens on the lane: unlock and supervisor approval, the card payment under way, the age check, and change due with the receipt choice. */
import type { CheckoutView, CommandBody, Snapshot } from '../../../protocol/terminal';
import { APPROVABLE_COMMANDS } from '../approval';
import type { TerminalState } from '../connection';
import { fill } from '../i18n';
import type { Messages } from '../i18n/messages';
import { ErrorBox, TerminalText } from '../shared/common';
import { useMessages } from '../shared/messages';
import { useState } from 'react';
import { PinModal } from '../shared/PinModal';

type Send = (c: CommandBody) => boolean;

/** Commands that can carry a supervisor approval. */
function withApprovalShape(cmd: CommandBody): Partial<{ approval: unknown }> {
  return APPROVABLE_COMMANDS.has(cmd.cmd) ? { approval: undefined } : {};
}

/**
 * The locked lane (its operator's PIN) or a command waiting for a supervisor (number and PIN, or a
 * badge): one window, kept as it is when the one turns into the other.
 */
export function PinWindow({ snap, state, send, dismissApproval }: { snap: Snapshot; state: TerminalState; send: Send; dismissApproval: () => void }) {
  const { t } = useMessages();
  return snap.lane.locked ? (
    <PinModal
      testid="unlock"
      title={fill(t.locked, { name: snap.lane.operatorName ?? '' })}
      body=""
      withOperator={false}
      operatorLabel={t.operatorNumber}
      error={state.lastError?.code === 'BAD_CREDENTIALS' || state.lastError?.code === 'APPROVAL_DENIED' ? t.errors[state.lastError.code] : null}
      submitLabel={t.unlock}
      onSubmit={(_op, pin) => send({ cmd: 'unlock', pin })}
    />
  ) : (
    <PinModal
      testid="approval"
      title={t.approvalTitle}
      body={t.approvalBody}
      withOperator
      operatorLabel={t.supervisorNumber}
      error={approvalError(state.lastError, t)}
      submitLabel={t.approve}
      onSubmit={(operator, pin) => {
        const cmd = state.approvalFor;
        if (cmd && 'approval' in withApprovalShape(cmd)) send({ ...cmd, approval: { operator, pin } } as CommandBody);
      }}
      onBadge={(badge) => {
        const cmd = state.approvalFor;
        if (cmd && 'approval' in withApprovalShape(cmd)) send({ ...cmd, approval: { badge } } as CommandBody);
      }}
      onCancel={dismissApproval}
    />
  );
}

/** What the approval window says went wrong: a refused second supervisor is told apart from a refused approval. */
function approvalError(e: TerminalState['lastError'], t: Messages): string | null {
  if (!e || e.code === 'APPROVAL_REQUIRED') return null;
  if (e.code === 'APPROVAL_DENIED' && e.params?.step === 'confirmation') return t.decision.confirmDenied;
  return fill(t.errors[e.code], e.params);
}

/** A card payment under way (or being reversed): what the terminal says, and the cashier's way out when it does not answer. */
export function CardPendingModal({ snap, co, state, send }: { snap: Snapshot; co: CheckoutView; state: TerminalState; send: Send }) {
  const { t, money } = useMessages();
  // "Not charged" before the terminal answered: a second supervisor confirms it.
  const [confirming, setConfirming] = useState(false);
  const decision = snap.payment.decision;
  const needsSecond = decision !== null && !decision.terminalAnswered;
  const time = (iso: string) => new Date(iso).toLocaleTimeString(snap.profile.locale, { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: snap.profile.timeZone });
  if (confirming && needsSecond)
    return (
      <PinModal
        testid="confirm-not-charged"
        title={t.decision.confirmTitle}
        body={t.decision.confirmBody}
        withOperator
        operatorLabel={t.supervisorNumber}
        error={state.lastError && state.lastError.cmd === 'resolvePayment' && state.lastError.code !== 'APPROVAL_REQUIRED' ? fill(t.errors[state.lastError.code], state.lastError.params) : null}
        submitLabel={t.confirm}
        onSubmit={(operator, pin) => send({ cmd: 'resolvePayment', outcome: 'notCharged', confirmation: { operator, pin } })}
        onBadge={(badge) => send({ cmd: 'resolvePayment', outcome: 'notCharged', confirmation: { badge } })}
        onCancel={() => setConfirming(false)}
      />
    );
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="card-title" data-testid="card-pending">
        <h2 id="card-title">{t.cardPendingTitle}</h2>
        <p data-testid="card-amount">{fill(snap.payment.decision ? t.decision.amount : t.cardPendingBody, { amount: money(co.cardAttempt?.amount ?? 0) })}</p>
        <TerminalText payment={snap.payment} />
        {snap.payment.decision ? (
          <div className="reconcile" data-testid="reconcile">
            {/* The core's reason is for store IT (English); when the terminal was not reachable, the line below says so in the lane's language. */}
            <p title={snap.payment.decision.reason}>
              <strong>{t.decision.title}</strong> {snap.payment.decision.unreachableSince ? null : snap.payment.decision.reason}
            </p>
            {snap.payment.decision.terminalReceipt.length ? <pre tabIndex={0} data-testid="terminal-receipt">{snap.payment.decision.terminalReceipt.join('\n')}</pre> : null}
            {snap.payment.decision.unreachableSince ? <p data-testid="terminal-unreachable">{fill(t.decision.unreachable, { time: time(snap.payment.decision.unreachableSince) })}</p> : null}
            {needsSecond ? <p data-testid="second-supervisor">{t.decision.secondSupervisor}</p> : null}
          </div>
        ) : null}
        <ErrorBox text={state.lastError?.code === 'PAYMENT_PENDING' ? t.errors.PAYMENT_PENDING : null} />
        {co.state === 'cardPending' && !snap.payment.decision ? (
          <div className="modal-actions">
            <button type="button" className="big" data-testid="abort-payment" onClick={() => send({ cmd: 'abortPayment' })}>
              {t.abortPayment}
            </button>
          </div>
        ) : null}
        <div className="modal-actions">
          <button type="button" className="big" onClick={() => (needsSecond ? setConfirming(true) : send({ cmd: 'resolvePayment', outcome: 'notCharged' }))}>
            {t.decision.notCharged}
          </button>
          <button type="button" className="big" onClick={() => send({ cmd: 'resolvePayment', outcome: 'approved' })}>
            {t.decision.charged}
          </button>
        </div>
      </div>
    </div>
  );
}

/** An item with an age limit: the cashier confirms the customer's age, or takes the item off. */
export function AgeCheckModal({ age, send, onVoid }: { age: number; send: Send; onVoid: () => void }) {
  const { t } = useMessages();
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="age-title" data-testid="age-check">
        <h2 id="age-title">{t.ageTitle}</h2>
        <p className="age-body">{fill(t.ageBody, { age })}</p>
        <div className="modal-actions">
          <button type="button" className="big" onClick={onVoid}>
            {t.ageVoid}
          </button>
          <button type="button" className="primary big" data-testid="age-confirm" autoFocus onClick={() => send({ cmd: 'confirmAge' })}>
            {t.ageConfirm}
          </button>
        </div>
      </div>
    </div>
  );
}

/** Paid: the change to give — or "paid" when no cash was given (a gift card or card sale) — and how the customer wants the receipt. */
export function ChangeDueModal({ change, payout, noCash = false, send, onComplete }: { change: number; payout?: number; noCash?: boolean; send: Send; onComplete: () => void }) {
  const { t, money } = useMessages();
  const paidOnly = noCash && change === 0;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="change-title">
        {/* Empties worth more than the purchase: the drawer is open, the cashier hands the customer this much. */}
        <h2 id="change-title">{payout !== undefined ? t.market.payout.title : paidOnly ? t.gift.noChange : t.changeDue}</h2>
        <div className={paidOnly ? 'change paid' : 'change'} data-testid="change-due">
          {payout !== undefined ? (
            money(payout)
          ) : paidOnly ? (
            <>
              <span aria-hidden="true">✓ </span>
              {t.paid}
            </>
          ) : (
            money(change)
          )}
        </div>
        <p id="receipt-q">{t.kiosk.receiptChoice}</p>
        <div className="modal-actions" role="group" aria-labelledby="receipt-q">
          <button type="button" className="big" data-testid="receipt-none" onClick={() => send({ cmd: 'complete', receipt: 'none' })}>
            {t.kiosk.receiptNone}
          </button>
          <button type="button" className="big" data-testid="receipt-digital" onClick={() => send({ cmd: 'complete', receipt: 'digital' })}>
            {t.kiosk.receiptDigital}
          </button>
          {/* Enter completes with a printed receipt, as on the scan line before. */}
          <button type="button" className="primary big" data-testid="complete-button" autoFocus onClick={onComplete}>
            {t.completeSale} · {t.kiosk.receiptPrint}
          </button>
        </div>
      </div>
    </div>
  );
}
