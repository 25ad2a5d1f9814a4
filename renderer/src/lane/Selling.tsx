/** The staffed lane while the till is open: status bar, basket, totals, entry line and keypad, tenders, function keys, and the windows a sale can open. */
import { useEffect, useRef, useState } from 'react';
import type { CommandBody, Snapshot } from '../../../protocol/terminal';
import type { TerminalState } from '../connection';
import type { Lang } from '../i18n';
import { ScanLine } from '../shared/common';
import { WedgeDetector } from '../wedge';
import { Basket } from './Basket';
import { KeyBar } from './KeyBar';
import { Keypad } from './Keypad';
import { useLaneMessage } from './lane-message';
import type { MenuWindow } from './LaneMenu';
import { LaneWindows, type LaneTool } from './LaneWindows';
import { controlUnitBlocks } from './ControlUnitWindow';
import { StatusBar } from './StatusBar';
import { Tenders } from './Tenders';
import { DeviceProblems, MessageLine, TotalsPanel } from './TotalsPanel';
import { useLaneActions } from './use-lane-actions';
import { useLaneKeys } from './use-lane-keys';
import { useLaneSelection } from './use-lane-selection';
import { useGiftCardWindow } from '../shared/gift-card';
import { GiftCardWindow } from './GiftCard';

export function Selling(props: {
  snap: Snapshot;
  state: TerminalState;
  send: (c: CommandBody) => boolean;
  dismissApproval: () => void;
  setLang: (l: Lang) => void;
  /** Self-checkout staff screens: back to the customer's screens. */
  onBackToSelf?: () => void;
}) {
  const { snap, state } = props;
  const co = snap.checkout;

  const [input, setInput] = useState('');
  const [showVat, setShowVat] = useState(false);
  const [tool, setTool] = useState<LaneTool | null>(null);
  /** An unknown barcode (or a department sale, code null): sell at a keyed price or set aside. */
  const [notFound, setNotFound] = useState<{ code: string | null } | null>(null);
  const [suspendedOpen, setSuspendedOpen] = useState(false);
  const lastErr = state.lastError;
  useEffect(() => {
    if (lastErr?.code === 'ITEM_NOT_FOUND' && lastErr.cmd === 'scan' && typeof lastErr.params?.code === 'string' && /^[0-9]{1,20}$/.test(lastErr.params.code)) setNotFound({ code: lastErr.params.code });
  }, [lastErr]);
  const { selected, setSelected, fresh, newest, selectedLine } = useLaneSelection(co);
  const inputRef = useRef<HTMLInputElement>(null);
  const wedge = useRef(new WedgeDetector(snap.devices.wedge));
  wedge.current.setTiming(snap.devices.wedge);
  const { send, local, actions, scan, submitCode, setConfirmCancel } = useLaneActions({ snap, send: props.send, input, setInput, selectedLine, setShowVat, wedge });
  const giftCard = useGiftCardWindow(state);
  const modalOpen =
    giftCard.card !== null || tool !== null || notFound !== null || suspendedOpen || snap.lane.locked || (co?.ageCheckPending ?? null) !== null || state.approvalFor !== null || co?.state === 'cardPending' || co?.state === 'reversing' || controlUnitBlocks(snap);
  const { onInputKey, scanRefusedAt } = useLaneKeys({ snap, inputRef, wedge, actions, scan, submitCode, setSelected, setConfirmCancel, modalOpen });
  // What just happened / what to do next.
  const message = useLaneMessage(state, local, co, newest, selected, snap.lastSale);

  const focusInput = () => inputRef.current?.focus();
  const openWindow = (w: MenuWindow) => (w === 'deptSale' ? setNotFound({ code: null }) : w === 'suspended' ? setSuspendedOpen(true) : setTool(w));
  return (
    <div className="lane">
      <StatusBar snap={snap} send={send} actions={actions} setLang={props.setLang} openWindow={openWindow} onBackToSelf={props.onBackToSelf} />
      <Basket snap={snap} state={state} send={send} selectedId={selectedLine?.lineId} fresh={fresh} setSelected={setSelected} />
      <aside className="side">
        <DeviceProblems snap={snap} />
        <TotalsPanel totals={co?.totals} tenders={co?.tenders ?? []} showVat={showVat} />
        <MessageLine message={message} />
        <ScanLine className="entry" inputRef={inputRef} input={input} setInput={setInput} onKeyDown={onInputKey} />
        <Keypad onKey={(k) => setInput((v) => (k === 'C' ? '' : (v + k).slice(0, 128)))} />
        <Tenders snap={snap} send={send} actions={actions} input={input} />
      </aside>
      <KeyBar actions={actions} showVat={showVat} />
      <LaneWindows
        snap={snap}
        state={state}
        send={send}
        dismissApproval={props.dismissApproval}
        actions={actions}
        tool={tool}
        closeTool={() => setTool(null)}
        openTool={setTool}
        scanRefusedAt={scanRefusedAt}
        suspendedOpen={suspendedOpen}
        closeSuspended={() => {
          setSuspendedOpen(false);
          focusInput();
        }}
        notFound={notFound}
        closeNotFound={() => {
          setNotFound(null);
          focusInput();
        }}
      />
      {giftCard.card ? <GiftCardWindow card={giftCard.card} saleOpen={co !== null} timeZone={snap.profile.timeZone} send={send} onClose={giftCard.close} onScan={(c) => submitCode(c, 'wedge')} /> : null}
    </div>
  );
}
