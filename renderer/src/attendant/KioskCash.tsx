/**
 * A kiosk's cash payment in the attendant view. Without a cash device (or when it refused) the
 * customer waits for the attendant, who takes the cash, types the amount received and confirms
 * it: only then is it paid, and the view says what change to give. With the device: how much it
 * has counted, and what went wrong.
 */
import { useState } from 'react';
import type { KioskView } from '../../../protocol/attendant';
import type { AttendantBody } from './connection';
import { parseCashAmount } from '../format';
import { fill, type Messages } from '../i18n';
import { useMessages } from '../shared/messages';

/** A cash help call's detail (a code from the core) in words. */
export function cashCallText(detail: string | null, c: Messages['cash']): string {
  if (detail === 'takeCash' || detail === 'owed') return c.attCall[detail];
  return (detail && c.problems[detail as keyof Messages['cash']['problems']]) || (detail ?? '');
}

export function KioskCash({ v, command }: { v: KioskView; command: (body: AttendantBody) => boolean }) {
  const { t, money } = useMessages();
  const c = t.cash;
  const [typed, setTyped] = useState('');
  const cash = v.cash;
  if (!cash || !v.basket) return null;
  const saleId = v.basket.saleId;
  if (cash.via === 'attendant' && cash.phase === 'waitingAttendant') {
    const amount = parseCashAmount(typed);
    const confirm = () => {
      if (amount === null) return;
      if (command({ cmd: 'confirmCash', saleId, sessionId: cash.sessionId, amount })) setTyped('');
    };
    return (
      <div className="kiosk-alert" role="alert" data-testid="kiosk-cash">
        <span aria-hidden="true">💵 </span>
        <strong>{fill(c.attWaiting, { amount: money(cash.due) })}</strong>
        <div className="kiosk-cash">
          <label>
            {c.attReceived}{' '}
            <input
              data-testid="att-cash-amount"
              inputMode="decimal"
              autoComplete="off"
              value={typed}
              onChange={(e) => setTyped(e.target.value.replace(/[^\d.,\s]/g, '').slice(0, 12))}
              onKeyDown={(e) => e.key === 'Enter' && confirm()}
            />
          </label>
          <button type="button" className="primary big" data-testid="att-cash-confirm" disabled={amount === null} onClick={confirm}>
            {c.attConfirm}
          </button>
        </div>
      </div>
    );
  }
  const change = cash.via === 'attendant' && cash.phase === 'done' ? Math.max(0, cash.inserted - cash.due) : 0;
  return (
    <p className="kiosk-cash-state" data-testid="kiosk-cash-state">
      <span aria-hidden="true">💵 </span>
      {cash.via === 'device' ? fill(c.attDevice, { inserted: money(cash.inserted), due: money(cash.due) }) : null}
      {change > 0 ? <strong>{fill(c.attChange, { amount: money(change) })}</strong> : null}
      {cash.problem ? ` · ${c.problems[cash.problem as keyof typeof c.problems] ?? cash.problem}` : ''}
      {cash.owed > 0 ? ` · ${fill(c.owed, { amount: money(cash.owed) })}` : ''}
    </p>
  );
}
