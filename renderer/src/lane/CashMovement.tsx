/**
 * Cash in or out of the drawer without a sale: paid in, paid out, a pickup to the safe or the bank,
 * the owner's withdrawal or deposit. Money leaving the drawer asks for a supervisor (the approval
 * window). A German till signs each with its TSE and prints a slip: the window shows that slip,
 * as printed; elsewhere it says what was recorded.
 */
import { useState } from 'react';
import type { CommandBody } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { parseCashAmount } from '../format';
import { fill } from '../i18n';
import { ReceiptPreview } from '../shared/ReceiptPreview';
import { BackAndAction, ErrorBox } from '../shared/common';
import { useMessages } from '../shared/messages';
import { errorText, freshResult } from './TillTools';

const KINDS = ['paidIn', 'paidOut', 'pickup', 'privateWithdrawal', 'privateDeposit'] as const;
type Kind = (typeof KINDS)[number];
const INCOMING: ReadonlySet<Kind> = new Set(['paidIn', 'privateDeposit']);

export function CashMovementModal({ state, send, onClose }: { state: TerminalState; send: (c: CommandBody) => boolean; onClose: () => void }) {
  const { t, money } = useMessages();
  const w = t.movement;
  const [opened] = useState(() => performance.now());
  const [kind, setKind] = useState<Kind>('paidIn');
  const [amountText, setAmountText] = useState('');
  const [reason, setReason] = useState('');
  const [bad, setBad] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  const done = freshResult(state, 'cashMovement', opened);
  const error = errorText(state, t, opened);
  const book = () => {
    const amount = parseCashAmount(amountText);
    setBad(amount === null);
    if (amount === null || !reason.trim()) return;
    if (send({ cmd: 'cashMovement', kind, amount, reason: reason.trim() })) setSent(amount);
  };
  return (
    <div className="modal-backdrop">
      <div className="modal wide" role="dialog" aria-modal="true" aria-labelledby="movement-title" data-testid="cash-movement">
        <h2 id="movement-title">{w.title}</h2>
        {done ? (
          <>
            {done.slipText ? <ReceiptPreview text={done.slipText} className="receipt-preview" testid="movement-slip" /> : <p data-testid="movement-done">{fill(w.done, { amount: money(sent ?? 0) })}</p>}
            <button type="button" className="primary big" autoFocus data-dismiss onClick={onClose}>
              {t.done}
            </button>
          </>
        ) : (
          <>
            <fieldset className="refund-to">
              {KINDS.map((k) => (
                <label key={k}>
                  <input type="radio" name="movement-kind" checked={kind === k} onChange={() => setKind(k)} data-testid={`movement-${k}`} />
                  {w.kinds[k]}
                </label>
              ))}
            </fieldset>
            {!INCOMING.has(kind) ? <p>{w.needsApproval}</p> : null}
            <label className="field">
              <span>{w.amount}</span>
              <input autoFocus inputMode="decimal" data-testid="movement-amount" aria-label={w.amount} value={amountText} onChange={(e) => setAmountText(e.target.value.slice(0, 12))} onKeyDown={(e) => e.key === 'Enter' && book()} />
            </label>
            <label className="field">
              <span>{w.reason}</span>
              <input data-testid="movement-reason" maxLength={80} aria-label={w.reason} value={reason} onChange={(e) => setReason(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && book()} />
            </label>
            <BackAndAction onBack={onClose} label={w.book} testid="movement-book" onAction={book} />
          </>
        )}
        <ErrorBox text={bad ? w.badAmount : error} />
      </div>
    </div>
  );
}
