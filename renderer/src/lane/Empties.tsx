/** Empties brought back (pantretur, Leergut; issue 21): pick the deposit, say how many, take them back as a line of minus the deposit. */
import { useEffect, useState } from 'react';
import type { CommandBody, DepositItemList } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { fill } from '../i18n';
import { BackButton, ErrorBox } from '../shared/common';
import { useMessages } from '../shared/messages';

export function EmptiesModal(props: { state: TerminalState; send: (c: CommandBody) => boolean; onClose: () => void }) {
  const { t, money } = useMessages();
  const e = t.market.empties;
  const [items, setItems] = useState<DepositItemList['depositItems'] | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [opened] = useState(() => performance.now());
  useEffect(() => {
    props.send({ cmd: 'depositItems' });
  }, []);
  const ack = props.state.lastAck;
  useEffect(() => {
    if (ack?.cmd === 'depositItems' && ack.result) setItems(ack.result.depositItems);
    if (ack && ack.at > opened && ack.cmd === 'returnDeposit') props.onClose();
  }, [ack]);
  const n = Number(quantity);
  const valid = Number.isInteger(n) && n >= 1 && n <= 999;
  const err = props.state.lastError && props.state.lastError.at > opened ? fill(t.errors[props.state.lastError.code], props.state.lastError.params) : null;
  return (
    <div className="modal-backdrop">
      <div className="modal" role="dialog" aria-modal="true" aria-labelledby="empties-title" data-testid="empties" onKeyDown={(ev) => ev.stopPropagation()}>
        <h2 id="empties-title">{e.title}</h2>
        <label className="field">
          <span>{e.quantity}</span>
          <input data-testid="empties-quantity" inputMode="numeric" autoComplete="off" autoFocus value={quantity} aria-label={e.quantity} onChange={(ev) => setQuantity(ev.target.value.replace(/\D/g, '').slice(0, 3))} />
        </label>
        {items && items.length === 0 ? <p>{e.none}</p> : null}
        <div className="modal-actions">
          {(items ?? []).map((d) => (
            <button key={d.id} type="button" className="big" data-testid={`empties-${d.id}`} disabled={!valid} onClick={() => props.send({ cmd: 'returnDeposit', itemId: d.id, quantity: n })}>
              {d.name} · −{money(d.price)}
            </button>
          ))}
        </div>
        <ErrorBox text={err} />
        <div className="modal-actions">
          <BackButton onClick={props.onClose} />
        </div>
      </div>
    </div>
  );
}
