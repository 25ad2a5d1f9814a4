/**
 * An item the catalog does not know (or a department sale): sell it at a keyed price under a
 * department — the barcode goes with it to the back office — or set it aside and call a supervisor.
 */
import { useEffect, useState } from 'react';
import type { CommandBody, DepartmentList } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { formatRate, parseCashAmount } from '../format';
import { fill } from '../i18n';
import { BackButton, ErrorBox } from '../shared/common';
import { useMessages } from '../shared/messages';

export function ItemNotFoundModal(props: {
  /** The unknown barcode; null for a department sale. */
  code: string | null;
  state: TerminalState;
  send: (c: CommandBody) => boolean;
  onClose: () => void;
}) {
  // Long (~95 lines): one small form (department, price, two ways out) whose fields share one state and one sell().
  const { code } = props;
  const { t, locale, money } = useMessages();
  const k = t.kiosk;
  const [departments, setDepartments] = useState<DepartmentList['departments'] | null>(null);
  const [dept, setDept] = useState('');
  const [price, setPrice] = useState('');
  const [opened] = useState(() => performance.now());
  useEffect(() => {
    props.send({ cmd: 'departments' });
  }, []);
  const ack = props.state.lastAck;
  useEffect(() => {
    const r = ack?.cmd === 'departments' && ack.result ? ack.result : null;
    if (r) {
      // No department is chosen for the cashier: a wrong one means a wrong VAT rate.
      setDepartments(r.departments);
    }
    // Sold or set aside: done.
    if (ack && ack.at > opened && (ack.cmd === 'openItem' || ack.cmd === 'reportMissingItem')) props.onClose();
  }, [ack]);
  const amount = parseCashAmount(price);
  const err = props.state.lastError && props.state.lastError.at > opened && props.state.lastError.code !== 'APPROVAL_REQUIRED' ? fill(t.errors[props.state.lastError.code], props.state.lastError.params) : null;
  const sell = () => {
    if (!dept || amount === null || amount <= 0) return;
    props.send({ cmd: 'openItem', departmentId: dept, unitPrice: amount, ...(code ? { code } : {}) });
  };
  const chosen = departments?.find((d) => d.id === dept);
  return (
    <div className="modal-backdrop">
      <div
        className="modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="inf-title"
        data-testid="item-not-found"
        onKeyDown={(e) => e.stopPropagation()}
      >
        <h2 id="inf-title">{code ? k.infTitle : k.infDeptSale}</h2>
        {code ? <p>{fill(k.infBody, { code })}</p> : null}
        <label className="field">
          <span>{k.infDepartment}</span>
          <select data-testid="inf-department" value={dept} onChange={(e) => setDept(e.target.value)} aria-label={k.infDepartment}>
            <option value="" disabled>
              {k.infChooseDepartment}
            </option>
            {(departments ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                {d.name} · {t.vat} {formatRate(d.vatRate, locale)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>{k.infPrice}</span>
          <input
            data-testid="inf-price"
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            value={price}
            aria-label={k.infPrice}
            onChange={(e) => setPrice(e.target.value.replace(/[^\d,.]/g, '').slice(0, 10))}
            onKeyDown={(e) => e.key === 'Enter' && sell()}
          />
        </label>
        {amount !== null && chosen ? (
          <p className="count-total">
            {chosen.name}: <strong>{money(amount)}</strong>
          </p>
        ) : null}
        <ErrorBox text={err} />
        <div className="modal-actions">
          <BackButton onClick={props.onClose} />
          {code ? (
            <button type="button" className="big" data-testid="inf-supervisor" onClick={() => props.send({ cmd: 'reportMissingItem', code })}>
              {k.infSupervisor}
            </button>
          ) : null}
          <button type="button" className="primary big" data-testid="inf-sell" disabled={amount === null || amount <= 0 || !dept} onClick={sell}>
            {k.infSell}
          </button>
        </div>
      </div>
    </div>
  );
}
