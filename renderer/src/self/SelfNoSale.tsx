/**
 * Sweden: a self-checkout whose control unit does not answer (or that has none) may not sell
 * (core/fiscal/control-unit/till.ts). The customer reads one thing — use another checkout — and
 * has help at hand; no word of control units or receipts law. A basket already scanned stays (its
 * items wait for staff); a paid one is kept and completes when the unit answers. The attendant's
 * card says why (attendant/AttendantApp.tsx). The core asks the unit every few seconds, and this
 * screen goes by itself once it answers: the kiosk is back where it was.
 */
import type { ReactNode } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { useMessages } from '../shared/messages';
import { controlUnitBlocks } from '../lane/ControlUnitWindow';
import { CallHelp } from './SelfScreens';

/** True when the kiosk shows this screen: it may not sell, and no card or cash payment is under way (the customer finishes that first). */
export function selfCannotSell(snap: Snapshot): boolean {
  const s = snap.checkout?.state;
  return controlUnitBlocks(snap) && s !== 'cardPending' && s !== 'reversing' && s !== 'cashPending';
}

export function SelfNoSale(props: { snap: Snapshot; send: (c: CommandBody) => boolean; langs: ReactNode; help: ReactNode; onStaff: () => void }) {
  const { snap, send, langs, help, onStaff } = props;
  const { t } = useMessages();
  const k = t.kiosk;
  const m = t.market.controlUnit.kiosk;
  const co = snap.checkout;
  const paid = co?.state === 'paid';
  const note = paid ? m.paid : co && co.lines.some((l) => !l.voided) ? m.basket : null;
  return (
    <main className="self attract self-no-sale" data-testid="self-no-sale" aria-labelledby="self-no-sale-title">
      {langs}
      <span className="self-no-sale-sign" aria-hidden="true">
        ⛔
      </span>
      <h1 id="self-no-sale-title">{paid ? m.paidTitle : m.title}</h1>
      {paid ? null : (
        <p className="self-lead" data-testid="self-no-sale-body">
          {m.body}
        </p>
      )}
      {note ? (
        <p className="self-lead" data-testid="self-no-sale-note">
          {note}
        </p>
      ) : null}
      {help ?? <CallHelp send={send} className="primary huge" />}
      <button type="button" className="small self-staff" data-testid="self-staff" onClick={onStaff}>
        {k.staff}
      </button>
    </main>
  );
}
