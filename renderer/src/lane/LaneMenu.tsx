/** The lane's tools (returns, reports, devices, sign out …) in one menu, out of the status bar; only between sales. */
import type { Dispatch, SetStateAction } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import { useMessages } from '../shared/messages';
import type { LaneActions } from './use-lane-actions';

/** The windows the menu opens. */
export type MenuWindow = 'return' | 'deptSale' | 'suspended' | 'close' | 'devices' | 'empties' | 'movement';

export function LaneMenu(props: {
  snap: Snapshot;
  send: (c: CommandBody) => boolean;
  actions: LaneActions;
  open: boolean;
  setOpen: Dispatch<SetStateAction<boolean>>;
  openWindow: (w: MenuWindow) => void;
}) {
  const { snap, send, actions, open, setOpen, openWindow } = props;
  const { t } = useMessages();
  return (
    <div className="menu-wrap" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setOpen(false)}>
      <button type="button" className="small" data-testid="open-menu" aria-haspopup="menu" aria-expanded={open} onClick={() => setOpen((o) => !o)}>
        <span aria-hidden="true">☰ </span>
        {t.menu}
      </button>
      {open ? (
        <div className="menu" role="menu" aria-label={t.menu} onKeyDown={(e) => e.key === 'Escape' && setOpen(false)}>
          {[
            { id: 'open-return', label: t.returns, run: () => openWindow('return') },
            { id: 'dept-sale', label: t.kiosk.infDeptSale, run: () => openWindow('deptSale') },
            { id: 'open-empties', label: t.market.empties.title, run: () => openWindow('empties') },
            { id: 'suspended', label: t.kiosk.suspendedTitle, run: () => openWindow('suspended') },
            ...(snap.lastSale ? [{ id: 'reprint', label: t.copy, run: () => send({ cmd: 'reprintReceipt' }) }] : []),
            { id: 'x-report', label: t.xReport, run: () => send({ cmd: 'xReport' }) },
            { id: 'store-report', label: t.storeReport.title, run: () => send({ cmd: 'storeReport' }) },
            { id: 'open-movement', label: t.movement.title, run: () => openWindow('movement') },
            { id: 'open-close-till', label: t.closeTill, run: () => openWindow('close') },
            { id: 'card-eod', label: t.cardEndOfDay, run: () => send({ cmd: 'cardEndOfDay' }) },
            { id: 'open-devices', label: t.dev.open, run: () => openWindow('devices') },
            { id: 'training', label: snap.lane.training ? t.trainingOff : t.trainingOn, run: actions.training },
            { id: 'sign-out', label: t.keys.signOut, run: actions.signOut },
          ].map((m, i) => (
            <button
              key={m.id}
              type="button"
              role="menuitem"
              data-testid={m.id}
              autoFocus={i === 0}
              onClick={() => {
                setOpen(false);
                m.run();
              }}
            >
              {m.label}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
