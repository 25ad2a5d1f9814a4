/** Every window the lane can have open, in the order they stack: tools, parked sales, an unknown item, devices, then the sale's own. */
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import { DeviceServiceModal } from '../service/DeviceService';
import { useMessages } from '../shared/messages';
import { ControlUnitWindow, controlUnitBlocks } from './ControlUnitWindow';
import { EmptiesModal } from './Empties';
import { ItemNotFoundModal } from './ItemNotFound';
import { AgeCheckModal, CardPendingModal, ChangeDueModal, PinWindow } from './SaleWindows';
import { SuspendedListModal } from './SuspendedList';
import { CloseTillModal, ReturnModal } from './TillTools';
import { CashMovementModal } from './CashMovement';
import type { LaneActions } from './use-lane-actions';

/** The lane's tools that open as a window. */
export type LaneTool = 'return' | 'close' | 'devices' | 'empties' | 'movement';

export function LaneWindows(props: {
  snap: Snapshot;
  state: TerminalState;
  send: (c: CommandBody) => boolean;
  dismissApproval: () => void;
  actions: LaneActions;
  tool: LaneTool | null;
  closeTool: () => void;
  /** When a scan was refused because a window was open (shown for a few seconds). */
  scanRefusedAt: number | null;
  suspendedOpen: boolean;
  closeSuspended: () => void;
  /** An unknown barcode (or a department sale, code null). */
  notFound: { code: string | null } | null;
  closeNotFound: () => void;
  /** Opens a lane tool (the control unit window's way to the service screen). */
  openTool: (t: LaneTool) => void;
}) {
  const { snap, state, send, actions, tool, closeTool } = props;
  const { t } = useMessages();
  const co = snap.checkout;
  return (
    <>
      {tool === 'return' ? <ReturnModal snap={snap} state={state} send={send} onClose={closeTool} /> : null}
      {tool === 'close' ? <CloseTillModal snap={snap} state={state} send={send} onClose={closeTool} /> : null}
      {tool === 'empties' ? <EmptiesModal state={state} send={send} onClose={closeTool} /> : null}
      {tool === 'movement' ? <CashMovementModal state={state} send={send} onClose={closeTool} /> : null}
      {props.scanRefusedAt !== null ? (
        <div className="scan-refused" role="alert" data-testid="scan-refused">
          <span aria-hidden="true">⚠ </span>
          {t.msgScanInModal}
        </div>
      ) : null}
      {props.suspendedOpen ? <SuspendedListModal timeZone={snap.profile.timeZone} state={state} send={send} onClose={props.closeSuspended} /> : null}
      {props.notFound ? <ItemNotFoundModal code={props.notFound.code} state={state} send={send} onClose={props.closeNotFound} /> : null}
      {tool === 'devices' ? <DeviceServiceModal snap={snap} state={state} send={send} onClose={closeTool} /> : null}
      {/* Sweden: no receipts while the control unit is out (or none is set up); the service screen goes over it. */}
      {snap.controlUnit && controlUnitBlocks(snap) && tool !== 'devices' && !snap.lane.locked && !state.approvalFor ? <ControlUnitWindow cu={snap.controlUnit} onService={() => props.openTool('devices')} /> : null}
      {snap.lane.locked || state.approvalFor ? (
        <PinWindow snap={snap} state={state} send={send} dismissApproval={props.dismissApproval} />
      ) : co?.state === 'cardPending' || co?.state === 'reversing' ? (
        <CardPendingModal snap={snap} co={co} state={state} send={send} />
      ) : co?.ageCheckPending ? (
        <AgeCheckModal age={co.ageCheckPending} send={send} onVoid={actions.voidLast} />
      ) : null}

      {co?.state === 'paid' ? <ChangeDueModal change={co.totals.change} payout={co.totals.payout} noCash={!co.tenders.some((x) => x.kind === 'cash')} send={send} onComplete={actions.complete} /> : null}
    </>
  );
}
