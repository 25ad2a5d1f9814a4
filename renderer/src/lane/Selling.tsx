/** The staffed lane while the till is open: the basket, totals, entry line, keys, and the windows a sale can open. */
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { CheckoutView, CommandBody, Line, Snapshot } from '../../../protocol/terminal';
import { APPROVABLE_COMMANDS } from '../approval';
import type { TerminalState } from '../connection';
import { coreNow } from '../core-time';
import { ageText, formatMoneyWhole, formatRate, formatWeight, parseCashAmount, parseQuantity } from '../format';
import { fill, paymentText, plural, type Lang, type Messages } from '../i18n';
import { focusInto, InputOwner, topDialog } from '../input/owner';
import { digitalReceiptPayload } from '../receipt';
import { DeviceServiceModal, DeviceState } from '../service/DeviceService';
import { ErrorBox, LanguageSwitch, LineDiscounts } from '../shared/common';
import { useMessages } from '../shared/messages';
import { PinModal } from '../shared/PinModal';
import { QrCode } from '../shared/QrCode';
import { otherTextFieldFocused, WedgeDetector } from '../wedge';
import { ItemNotFoundModal } from './ItemNotFound';
import { SuspendedListModal } from './SuspendedList';
import { CloseTillModal, ReportView, ReturnModal } from './TillTools';

export type Local = { text: string; kind: 'info' | 'error'; at: number };

/** The status bar's clock: the core's time in the store's time zone. */
function useClock(locale: string, timeZone: string): string {
  const [now, setNow] = useState(() => coreNow());
  useEffect(() => {
    const id = setInterval(() => setNow(coreNow()), 10_000);
    return () => clearInterval(id);
  }, []);
  return new Date(now).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', timeZone });
}

function activeItemLines(co: CheckoutView | null): Line[] {
  return co ? co.lines.filter((l) => !l.voided && l.depositFor === null) : [];
}

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
  const { t, lang, locale, money } = useMessages();
  const { currency } = snap.profile;
  const co = snap.checkout;
  const clock = useClock(locale, snap.profile.timeZone);

  const [input, setInput] = useState('');
  const [showVat, setShowVat] = useState(false);
  const [tool, setTool] = useState<null | 'return' | 'close' | 'devices'>(null);
  /** An unknown barcode (or a department sale, code null): sell at a keyed price or set aside. */
  const [notFound, setNotFound] = useState<{ code: string | null } | null>(null);
  const [suspendedOpen, setSuspendedOpen] = useState(false);
  const lastErr = state.lastError;
  useEffect(() => {
    if (lastErr?.code === 'ITEM_NOT_FOUND' && lastErr.cmd === 'scan' && typeof lastErr.params?.code === 'string' && /^[0-9]{1,20}$/.test(lastErr.params.code)) setNotFound({ code: lastErr.params.code });
  }, [lastErr]);
  /** The lane's tools (returns, reports, devices, sign out …) live in one menu, out of the status bar. */
  const [menuOpen, setMenuOpen] = useState(false);
  const [confirmCancel, setConfirmCancel] = useState(false);
  const [local, setLocal] = useState<Local | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [fresh, setFresh] = useState<string | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const wedge = useRef(new WedgeDetector(snap.devices.wedge));
  wedge.current.setTiming(snap.devices.wedge);

  const send = useCallback(
    (cmd: CommandBody) => {
      const ok = props.send(cmd);
      if (!ok) setLocal({ text: t.notConnected, kind: 'error', at: Date.now() });
      return ok;
    },
    [props.send, t],
  );
  const hint = (text: string) => setLocal({ text, kind: 'info', at: Date.now() });

  // Select and highlight the newest line when one is added.
  const items = activeItemLines(co);
  const newest = co ? [...co.lines].reverse().find((l) => l.depositFor === null) : undefined;
  const newestId = newest?.lineId ?? null;
  useEffect(() => {
    if (!newestId) {
      setSelected(null);
      return;
    }
    setSelected(newestId);
    setFresh(newestId);
    const timer = setTimeout(() => setFresh(null), 2000);
    return () => clearTimeout(timer);
  }, [newestId, co?.saleId]);
  const selectedLine = items.find((l) => l.lineId === selected) ?? items[items.length - 1];

  const focusInput = () => inputRef.current?.focus();

  const scan = () => {
    const code = input.trim();
    if (!code) {
      if (co?.state === 'paid') send({ cmd: 'complete' });
      return;
    }
    if (submitCode(code, wedge.current.finish(code.length))) setInput('');
  };
  /** A code from the scan line, or scanned while the focus was elsewhere (input/owner.ts). False: refused here. */
  const submitCode = (code: string, source: 'wedge' | 'keyboard'): boolean => {
    if (!co && (/^S[0-9a-f]{32}$/.test(code) || code.startsWith('KS1|'))) {
      send({ cmd: 'resumeSale', slip: code.slice(0, 4000) }); // a suspend slip
      return true;
    }
    // "3*<code>" sells three at once (quantity before the scan)
    const m = /^(\d{1,3})\*(.+)$/.exec(code);
    const quantity = m ? Number(m[1]) : undefined;
    if (m && (quantity! < 1 || quantity! > 999)) {
      hint(t.msgTypeQty);
      return false;
    }
    send({ cmd: 'scan', code: (m ? m[2]! : code).slice(0, 128), source, ...(quantity ? { quantity } : {}) });
    return true;
  };

  /**
   * A scan while a window owns the keyboard is caught before its Enter could press the window's
   * focused button (confirming an age, resuming a parked sale, cancelling a payment), and refused
   * on screen: the cashier finishes the window and scans again.
   */
  const [scanRefusedAt, setScanRefusedAt] = useState<number | null>(null);
  useEffect(() => {
    if (scanRefusedAt === null) return;
    const timer = setTimeout(() => setScanRefusedAt(null), 4000);
    return () => clearTimeout(timer);
  }, [scanRefusedAt]);
  // The one owner of focus and keyboard input (input/owner.ts): windows keep their focus, scans are
  // never typed into a field.
  const owner = useRef<InputOwner | null>(null);
  owner.current ??= new InputOwner(snap.devices.wedge, {
    entry: () => inputRef.current,
    onScan: (code) => submitCodeRef.current(code.trim(), 'wedge'),
    onRefused: () => setScanRefusedAt(Date.now()),
  });
  owner.current.run.setTiming(snap.devices.wedge);

  const actions = {
    qty: () => {
      const q = parseQuantity(input);
      if (q === null || !selectedLine) return hint(t.msgTypeQty);
      send({ cmd: 'setQuantity', lineId: selectedLine.lineId, quantity: q });
      setInput('');
    },
    void: () => {
      if (selectedLine) send({ cmd: 'voidLine', lineId: selectedLine.lineId });
    },
    vat: () => setShowVat((v) => !v),
    priceCheck: () => {
      const code = input.trim();
      if (!code) return hint(t.msgPriceCheckType);
      send({ cmd: 'priceCheck', code: code.slice(0, 128) });
      setInput('');
    },
    voidLast: () => send({ cmd: 'voidLast' }),
    suspend: () => send({ cmd: 'suspendSale' }),
    lock: () => send({ cmd: 'lock' }),
    training: () => send({ cmd: 'setTraining', on: !snap.lane.training }),
    cancel: () => {
      if (!co) return;
      if (!confirmCancel) {
        setConfirmCancel(true);
        hint(t.confirmCancel);
        return;
      }
      setConfirmCancel(false);
      send({ cmd: 'cancelSale' });
    },
    subtotal: () => send({ cmd: 'subtotal' }),
    cash: () => {
      if (input.trim() === '') {
        send({ cmd: 'tenderCash' });
        return;
      }
      const amount = parseCashAmount(input);
      if (amount === null) return hint(t.msgTypeCash);
      send({ cmd: 'tenderCash', amount });
      setInput('');
    },
    discount: (wholeSale: boolean) => {
      // "10%" or "10 %" → percent; "20" or "12,50" → amount
      const v = input.trim();
      const pct = /^(\d{1,3})\s*%$/.exec(v);
      const amount = pct ? null : parseCashAmount(v);
      if (!pct && amount === null) return hint(t.msgDiscountType);
      const base = { kind: pct ? ('percent' as const) : ('amount' as const), value: pct ? Number(pct[1]) * 100 : amount!, reason: t.manualDiscount };
      if (wholeSale) send({ cmd: 'discount', ...base });
      else if (selectedLine) send({ cmd: 'discount', lineId: selectedLine.lineId, ...base });
      setInput('');
    },
    member: () => {
      const card = input.trim();
      if (!/^\d{8,20}$/.test(card)) return hint(t.msgMemberType);
      send({ cmd: 'memberCard', card });
      setInput('');
    },
    card: () => {
      if (input.trim() === '') {
        send({ cmd: 'tenderCard' });
        return;
      }
      const amount = parseCashAmount(input);
      if (amount === null) return hint(t.msgTypeCash);
      send({ cmd: 'tenderCard', amount });
      setInput('');
    },
    giftCard: () => {
      const code = input.trim();
      if (!/^\d{8,20}$/.test(code)) return hint(t.giftCard);
      send({ cmd: 'tenderVoucher', code });
      setInput('');
    },
    back: () => {
      if (input) setInput('');
      else if (co?.state === 'subtotal' && co.tenders.length === 0) send({ cmd: 'backToSale' });
    },
    signOut: () => send({ cmd: 'signOut' }),
    complete: () => send({ cmd: 'complete' }),
  };
  const actionsRef = useRef(actions);
  actionsRef.current = actions;

  // Function keys work wherever focus is; printable keys always land in the entry line.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const a = actionsRef.current;
      if (owner.current!.keydown(e)) return;
      // A window owns the keyboard (its fields, buttons and Escape); the lane's keys wait.
      if (modalOpenRef.current) return;
      const map: Record<string, () => void> = { F4: a.suspend, F1: a.qty, F2: a.void, F3: a.priceCheck, F6: a.vat, F7: a.lock, F8: a.subtotal, F9: a.card, F10: a.cash, F11: a.cancel, F12: a.giftCard, Escape: a.back };
      if (e.key === 'F5') {
        e.preventDefault();
        a.discount(e.shiftKey);
        return;
      }
      const fn = map[e.key];
      if (fn) {
        e.preventDefault();
        if (e.key !== 'F11') setConfirmCancel(false);
        fn();
        return;
      }
      if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
        e.preventDefault();
        setSelected((cur) => {
          const list = activeItemLines(snapRef.current.checkout);
          if (!list.length) return null;
          const i = Math.max(0, list.findIndex((l) => l.lineId === cur));
          const next = e.key === 'ArrowUp' ? Math.max(0, i - 1) : Math.min(list.length - 1, i + 1);
          return list[next]!.lineId;
        });
        return;
      }
      // Typing (or a wedge scanner) goes to the entry line — unless another text field has the focus.
      if (document.activeElement !== inputRef.current && !otherTextFieldFocused(document.activeElement, inputRef.current) && (e.key.length === 1 || e.key === 'Enter') && !e.ctrlKey && !e.metaKey && !e.altKey) {
        inputRef.current?.focus();
        if (e.key === 'Enter') {
          e.preventDefault();
          scanRef.current();
        } else wedge.current.key(e.timeStamp); // the entry line's own handler misses this first key
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  const snapRef = useRef(snap);
  snapRef.current = snap;
  const modalOpenRef = useRef(false);
  modalOpenRef.current =
    tool !== null || notFound !== null || suspendedOpen || snap.lane.locked || (co?.ageCheckPending ?? null) !== null || state.approvalFor !== null || co?.state === 'cardPending' || co?.state === 'reversing';
  const scanRef = useRef(scan);
  scanRef.current = scan;
  const submitCodeRef = useRef(submitCode);
  submitCodeRef.current = submitCode;
  // A window that opens takes the focus; when the last one closes, the scan line has it again.
  const modalOpen = modalOpenRef.current;
  useEffect(() => {
    const dialog = topDialog();
    if (dialog && !dialog.contains(document.activeElement)) focusInto(dialog);
    else if (!modalOpen && (document.activeElement === document.body || document.activeElement === null)) inputRef.current?.focus();
  }, [modalOpen]);

  const onInputKey = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      setConfirmCancel(false);
      scan();
    } else if (e.key.length === 1) {
      wedge.current.key(e.timeStamp);
    }
  };

  // What just happened / what to do next.
  const message = useMemo(() => {
    const err = state.lastError;
    const ack = state.lastAck;
    const latest = Math.max(err?.at ?? 0, ack?.at ?? 0, local?.at ?? 0);
    if (latest === 0) return { kind: 'info' as const, text: co ? '' : t.msgReady };
    if (err && err.at === latest) return { kind: 'error' as const, text: fill(t.errors[err.code], err.params) };
    if (local && local.at === latest) return { kind: local.kind, text: local.text };
    switch (ack?.cmd) {
      case 'scan':
        return { kind: 'info' as const, text: newest ? fill(t.msgAdded, { name: newest.name }) : t.msgReady };
      case 'subtotal':
        return { kind: 'info' as const, text: t.msgSubtotal };
      case 'voidLine':
      case 'voidLast': {
        // F2 voids the selected line; voidLast the newest.
        const voided = !co ? undefined : ack.cmd === 'voidLine' ? co.lines.find((l) => l.lineId === selected && l.voided) : [...co.lines].reverse().find((l) => l.voided && l.depositFor === null);
        return { kind: 'info' as const, text: voided ? fill(t.msgVoided, { name: voided.name }) : '' };
      }
      case 'discount':
        return co ? { kind: 'info' as const, text: fill(t.msgDiscounted, { amount: money(co.totals.discounts), total: money(co.totals.total) }) } : { kind: 'info' as const, text: '' };
      case 'resumeSale':
        return co ? { kind: 'info' as const, text: fill(t.msgResumed, { n: co.lines.filter((l) => l.depositFor === null).length }) } : { kind: 'info' as const, text: '' };
      case 'priceCheck': {
        const r = ack?.result;
        return r && 'name' in r
          ? { kind: 'info' as const, text: `${t.priceCheck}: ${r.name} — ${money(r.price)}${r.unit === 'weight' ? '/kg' : ''}${r.deposit ? ` + ${r.deposit.name} ${money(r.deposit.price)}` : ''}` }
          : { kind: 'info' as const, text: '' };
      }
      case 'tenderCash':
        return co && co.state !== 'paid'
          ? { kind: 'info' as const, text: fill(t.msgTendered, { amount: money(co.totals.tendered), remaining: remainingText(co.totals, t, money) }) }
          : { kind: 'info' as const, text: '' };
      case 'complete':
        return { kind: 'info' as const, text: snap.lastSale ? fill(t.saleComplete, { change: money(snap.lastSale.change) }) : '' };
      default:
        return { kind: 'info' as const, text: co ? '' : t.msgReady };
    }
  }, [state.lastError, state.lastAck, local, co, newest, snap.lastSale, t, money, selected]);

  const totals = co?.totals;
  const itemCount = totals?.itemCount ?? 0;

  return (
    <div className="lane">
      <header className="statusbar">
        <span className="store">{snap.terminal.storeName}</span>
        <span>
          {t.lane} {snap.terminal.laneId}
        </span>
        <span>
          {t.operator} {snap.lane.operatorName ?? snap.lane.operator}
        </span>
        <PrinterDot snap={snap} />
        {snap.payment.offline.terminalOffline || snap.payment.offline.pendingCount > 0 ? (
          <span className="device warn" data-testid="card-offline" title={t.cardOfflineHelp}>
            <span aria-hidden="true">▲ </span>
            {fill(snap.payment.offline.terminalOffline ? t.cardOffline : t.cardOfflinePending, {
              n: snap.payment.offline.pendingCount,
              age: snap.payment.offline.oldestAt ? ageText(snap.payment.offline.oldestAt, lang) : '–',
            })}
          </span>
        ) : null}
        {snap.sync && (!snap.sync.online || snap.sync.backlog > 20) ? (
          <span className={`device ${snap.sync.online ? 'ok' : 'warn'}`} data-testid="sync-status" title={snap.sync.lastError ?? ''}>
            <span aria-hidden="true">{snap.sync.online ? '● ' : '▲ '}</span>
            {fill(snap.sync.online ? t.syncBacklog : t.syncOffline, { n: snap.sync.backlog, age: snap.sync.oldestUnsentAt ? ageText(snap.sync.oldestUnsentAt, lang) : '–' })}
          </span>
        ) : null}
        {snap.catalog?.stale ? (
          <span className="device warn" data-testid="catalog-stale">
            <span aria-hidden="true">▲ </span>
            {t.catalogStale}
          </span>
        ) : null}
        {snap.catalog?.applying ? (
          <span className="device ok" data-testid="catalog-applying">
            {fill(t.catalogApplying, { done: snap.catalog.applying.done, total: snap.catalog.applying.total })}
          </span>
        ) : null}
        {/* Other devices appear here only when something is wrong with them. */}
        {snap.devices.list
          .filter((d) => d.kind !== 'printer' && d.state !== 'online')
          .map((d) => (
            <span key={d.id} className="device-dot" data-testid={`status-${d.id}`} title={`${t.dev.kinds[d.kind]}: ${(d.detailCode ? t.dev.details[d.detailCode] : null) ?? d.detail}`}>
              {t.dev.kinds[d.kind]}: <DeviceState dev={d} />
            </span>
          ))}
        {snap.devices.drawer.state === 'open' ? (
          <span className={`device ${snap.devices.drawer.leftOpen ? 'bad' : 'warn'}`} data-testid="drawer-status">
            <span aria-hidden="true">{snap.devices.drawer.leftOpen ? '■ ' : '▲ '}</span>
            {snap.devices.drawer.leftOpen ? t.drawerLeftOpen : t.drawerOpen}
          </span>
        ) : null}
        {snap.lane.training ? (
          <span className="training" data-testid="training-badge">
            {t.training}
          </span>
        ) : null}
        {snap.lane.help ? (
          <span className="device warn help-called" data-testid="help-status">
            <span aria-hidden="true">🔔 </span>
            {snap.lane.help.reason === 'itemNotFound' ? fill(t.kiosk.attHelp.itemNotFound, { detail: snap.lane.help.detail ?? '' }) : t.kiosk.helpCalled}
            <button type="button" className="small" data-testid="help-clear" onClick={() => send({ cmd: 'clearHelp' })}>
              {t.kiosk.helpClear}
            </button>
          </span>
        ) : null}
        <span className="clock">{clock}</span>
        <LanguageSwitch setLang={props.setLang} />
        <button type="button" className="small" onClick={actions.lock}>
          <kbd>F7</kbd> {t.lock}
        </button>
        {!co ? (
          <div className="menu-wrap" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget as Node | null) && setMenuOpen(false)}>
            <button type="button" className="small" data-testid="open-menu" aria-haspopup="menu" aria-expanded={menuOpen} onClick={() => setMenuOpen((o) => !o)}>
              <span aria-hidden="true">☰ </span>
              {t.menu}
            </button>
            {menuOpen ? (
              <div className="menu" role="menu" aria-label={t.menu} onKeyDown={(e) => e.key === 'Escape' && setMenuOpen(false)}>
                {[
                  { id: 'open-return', label: t.returns, run: () => setTool('return') },
                  { id: 'dept-sale', label: t.kiosk.infDeptSale, run: () => setNotFound({ code: null }) },
                  { id: 'suspended', label: t.kiosk.suspendedTitle, run: () => setSuspendedOpen(true) },
                  ...(snap.lastSale ? [{ id: 'reprint', label: t.copy, run: () => send({ cmd: 'reprintReceipt' }) }] : []),
                  { id: 'x-report', label: t.xReport, run: () => send({ cmd: 'xReport' }) },
                  { id: 'open-close-till', label: t.closeTill, run: () => setTool('close') },
                  { id: 'card-eod', label: t.cardEndOfDay, run: () => send({ cmd: 'cardEndOfDay' }) },
                  { id: 'open-devices', label: t.dev.open, run: () => setTool('devices') },
                  { id: 'training', label: snap.lane.training ? t.trainingOff : t.trainingOn, run: actions.training },
                  { id: 'sign-out', label: t.keys.signOut, run: actions.signOut },
                  ...(props.onBackToSelf ? [{ id: 'back-to-self', label: t.kiosk.backToSelf, run: props.onBackToSelf }] : []),
                ].map((m, i) => (
                  <button
                    key={m.id}
                    type="button"
                    role="menuitem"
                    data-testid={m.id}
                    autoFocus={i === 0}
                    onClick={() => {
                      setMenuOpen(false);
                      m.run();
                    }}
                  >
                    {m.label}
                  </button>
                ))}
              </div>
            ) : null}
          </div>
        ) : null}
      </header>

      <section className="basket" aria-label={t.basket} data-testid="basket">
        {!co || co.lines.length === 0 ? (
          state.lastAck?.cmd === 'suspendSale' && state.lastAck.result && 'slipText' in state.lastAck.result && !co ? (
            <div className="receipt-panel">
              <h2>{t.suspended}</h2>
              <pre tabIndex={0} data-testid="slip">{state.lastAck.result.slipText}</pre>
            </div>
          ) : state.lastAck?.cmd === 'reprintReceipt' && state.lastAck.result && 'copyText' in state.lastAck.result && !co ? (
            <div className="receipt-panel">
              <h2>{t.copy}</h2>
              <pre tabIndex={0} data-testid="receipt-copy">{state.lastAck.result.copyText}</pre>
            </div>
          ) : state.lastAck?.cmd === 'xReport' && state.lastAck.result && 'grandTotal' in state.lastAck.result && !co ? (
            <div className="receipt-panel">
              <h2>{t.xReport}</h2>
              <ReportView r={state.lastAck.result} />
              {snap.devices.printer.state !== 'none' ? (
                <button type="button" className="big" data-testid="x-report-print" onClick={() => send({ cmd: 'xReport', print: true })}>
                  {t.kiosk.receiptPrint}
                </button>
              ) : null}
            </div>
          ) : state.lastAck?.cmd === 'cardEndOfDay' && state.lastAck.result && 'cardEndOfDay' in state.lastAck.result && !co ? (
            <div className="receipt-panel" data-testid="card-eod-result">
              <h2>{t.cardEndOfDay}</h2>
              <p>
                {fill(state.lastAck.result.cardEndOfDay.match ? t.cardEodMatch : t.cardEodMismatch, {
                  terminal: state.lastAck.result.cardEndOfDay.terminalTotal === null ? '–' : money(state.lastAck.result.cardEndOfDay.terminalTotal),
                  lane: money(state.lastAck.result.cardEndOfDay.laneTotal),
                })}
              </p>
              <pre tabIndex={0}>{[state.lastAck.result.cardEndOfDay.text, ...state.lastAck.result.cardEndOfDay.receiptLines].join('\n')}</pre>
            </div>
          ) : snap.lastSale && !co ? (
            <div className="receipt-panel">
              <h2>{t.receipt}</h2>
              {snap.devices.printer.state !== 'ok' || snap.lastSale.receipt === 'digital' ? (
                <div className="digital-receipt" data-testid="digital-receipt">
                  <QrCode text={digitalReceiptPayload(snap.lastSale.receiptText)} label={t.digitalReceipt} size={200} testid="digital-receipt-qr" />
                  <p>
                    <strong>{t.digitalReceipt}</strong>
                    <br />
                    {snap.devices.printer.state === 'none' || snap.lastSale.receipt === 'digital' ? null : t.digitalReceiptWhy}
                  </p>
                </div>
              ) : null}
              <pre tabIndex={0} data-testid="receipt">{snap.lastSale.receiptText}</pre>
            </div>
          ) : (
            <p className="empty">{t.emptyBasket}</p>
          )
        ) : (
          <ol className="lines">
            {co.lines.map((l) => (
              <LineRow key={l.lineId} line={l} selected={selectedLine?.lineId === l.lineId} fresh={fresh === l.lineId} onSelect={() => !l.voided && l.depositFor === null && setSelected(l.lineId)} />
            ))}
          </ol>
        )}
      </section>

      <aside className="side">
        {/* A device that is not working: what it means for the sale and what to do, in words (selling goes on). */}
        {snap.devices.list
          .filter((d) => d.kind !== 'printer' && d.state === 'offline')
          .slice(0, 2)
          .map((d) => (
            <div key={d.id} className="device-problem" role="status" data-testid={`problem-${d.id}`}>
              <span aria-hidden="true">▲ </span>
              <strong>
                {t.dev.kinds[d.kind]}: {(d.detailCode ? t.dev.details[d.detailCode] : null) ?? t.dev.states[d.state]}.
              </strong>{' '}
              {t.kiosk.deviceHelp[d.kind as keyof Messages['kiosk']['deviceHelp']]}
            </div>
          ))}
        <div className="total-block">
          <div className="total-label">{t.total}</div>
          <div className="total" data-testid="total">
            {money(totals?.total ?? 0)}
          </div>
          <div className="sub" data-testid="totals">
            {plural(t.items, itemCount, lang)}
            {totals && totals.rounding !== 0 ? ` · ${t.rounding} ${money(totals.rounding)}` : ''}
            {totals && totals.tendered > 0 ? ` · ${t.paid} ${money(totals.tendered)} · ${remainingText(totals, t, money)}` : ''}
          </div>
        </div>
        {showVat && totals ? (
          <table className="vat" data-testid="vat-table">
            <thead>
              <tr>
                <th scope="col">{t.vatRate}</th>
                <th scope="col">{t.net}</th>
                <th scope="col">{t.vat}</th>
                <th scope="col">{t.gross}</th>
              </tr>
            </thead>
            <tbody>
              {totals.vat.map((v) => (
                <tr key={v.rate}>
                  <td>{formatRate(v.rate, locale)}</td>
                  <td>{money(v.net)}</td>
                  <td>{money(v.vat)}</td>
                  <td>{money(v.gross)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <div
          className={`message ${message.kind}`}
          data-testid="message"
          role={message.kind === 'error' ? 'alert' : 'status'}
          aria-live={message.kind === 'error' ? 'assertive' : 'polite'}
        >
          {message.text ? (
            <>
              <span aria-hidden="true">{message.kind === 'error' ? '⚠ ' : 'ℹ '}</span>
              {message.text}
            </>
          ) : null}
        </div>
        <input
          ref={inputRef}
          className="entry"
          data-testid="scan-input"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          placeholder={t.scanPlaceholder}
          aria-label={t.scanLabel}
          value={input}
          maxLength={128}
          onChange={(e) => setInput(e.target.value)}
          onKeyDown={onInputKey}
        />
        <Keypad onKey={(k) => setInput((v) => (k === 'C' ? '' : (v + k).slice(0, 128)))} />
        {co && co.tenders.length > 0 ? (
          <ul className="tender-list" data-testid="tenders">
            {co.tenders.map((tn) => (
              <li key={tn.tenderId}>
                <span>{tn.kind === 'cash' ? t.tenderCash : tn.kind === 'card' ? `${t.card} ${tn.card?.maskedPan.slice(-4) ?? ''}` : t.giftCard}</span>
                <span className="amount">{money(tn.amount)}</span>
                {co.state !== 'cardPending' && co.state !== 'reversing' ? (
                  <button type="button" className="small" data-testid="tender-void" onClick={() => send({ cmd: 'voidTender', tenderId: tn.tenderId })}>
                    {t.voidTender}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {co ? (
          <div className="notes" role="group" aria-label={t.tenderCash}>
            {snap.profile.denominations
              .filter((d) => d >= 2_000 && d <= 50_000)
              .reverse()
              .map((d) => (
                <button key={d} type="button" className="note" data-testid={`note-${d}`} onClick={() => send({ cmd: 'tenderCash', amount: d })}>
                  {formatMoneyWhole(d, locale, currency)}
                </button>
              ))}
          </div>
        ) : null}
        <div className="tenders">
          <button type="button" className="tender" onClick={actions.subtotal}>
            <kbd>F8</kbd> {t.keys.subtotal}
          </button>
          <button type="button" className="tender" onClick={actions.card}>
            <kbd>F9</kbd> {t.card}
          </button>
          <button type="button" className="tender" onClick={actions.member}>
            {co?.member ? `${t.member} ${co.member}` : t.member}
          </button>
          <button type="button" className="tender" onClick={actions.giftCard}>
            <kbd>F12</kbd> {t.giftCard}
          </button>
          <button type="button" className="tender primary" onClick={actions.cash}>
            <kbd>F10</kbd> {input ? t.keys.cash : `${t.keys.cash} · ${t.keys.exact}`}
          </button>
        </div>
      </aside>

      <footer className="keybar">
        <KeyButton k="F1" label={t.keys.qty} onClick={actions.qty} />
        <KeyButton k="F2" label={t.keys.void} onClick={actions.void} />
        <KeyButton k="F3" label={t.priceCheck} onClick={actions.priceCheck} />
        <KeyButton k="F4" label={t.suspend} onClick={actions.suspend} />
        <KeyButton k="F5" label={t.keys.discount} onClick={() => actions.discount(false)} />
        <KeyButton k="⇧F5" label={t.keys.saleDiscount} onClick={() => actions.discount(true)} />
        <KeyButton k="F6" label={showVat ? t.hideVat : t.showVat} onClick={actions.vat} />
        <KeyButton k="F11" label={t.keys.cancel} onClick={actions.cancel} />
        <KeyButton k="F8" label={t.keys.subtotal} onClick={actions.subtotal} />
        <KeyButton k="F10" label={t.keys.cash} onClick={actions.cash} />
        <KeyButton k="Esc" label={t.keys.back} onClick={actions.back} />
      </footer>

      {tool === 'return' ? <ReturnModal snap={snap} state={state} send={send} onClose={() => setTool(null)} /> : null}
      {tool === 'close' ? <CloseTillModal snap={snap} state={state} send={send} onClose={() => setTool(null)} /> : null}
      {scanRefusedAt !== null ? (
        <div className="scan-refused" role="alert" data-testid="scan-refused">
          <span aria-hidden="true">⚠ </span>
          {t.msgScanInModal}
        </div>
      ) : null}
      {suspendedOpen ? <SuspendedListModal timeZone={snap.profile.timeZone} state={state} send={send} onClose={() => { setSuspendedOpen(false); focusInput(); }} /> : null}
      {notFound ? <ItemNotFoundModal code={notFound.code} state={state} send={send} onClose={() => { setNotFound(null); focusInput(); }} /> : null}
      {tool === 'devices' ? <DeviceServiceModal snap={snap} state={state} send={send} onClose={() => setTool(null)} /> : null}
      {snap.lane.locked ? (
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
      ) : state.approvalFor ? (
        <PinModal
          testid="approval"
          title={t.approvalTitle}
          body={t.approvalBody}
          withOperator
          operatorLabel={t.supervisorNumber}
         
          error={state.lastError && state.lastError.code !== 'APPROVAL_REQUIRED' ? fill(t.errors[state.lastError.code], state.lastError.params) : null}
          submitLabel={t.approve}
          onSubmit={(operator, pin) => {
            const cmd = state.approvalFor;
            if (cmd && 'approval' in withApprovalShape(cmd)) send({ ...cmd, approval: { operator, pin } } as CommandBody);
          }}
          onBadge={(badge) => {
            const cmd = state.approvalFor;
            if (cmd && 'approval' in withApprovalShape(cmd)) send({ ...cmd, approval: { badge } } as CommandBody);
          }}
          onCancel={props.dismissApproval}
        />
      ) : co?.state === 'cardPending' || co?.state === 'reversing' ? (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="card-title" data-testid="card-pending">
            <h2 id="card-title">{t.cardPendingTitle}</h2>
            <p>{fill(t.cardPendingBody, { amount: money(co.cardAttempt?.amount ?? 0) })}</p>
            {paymentText(snap.payment, t) ? (
              <p className="terminal-text" role="status" data-testid="terminal-text">
                {paymentText(snap.payment, t)}
              </p>
            ) : null}
            {snap.payment.decision ? (
              <div className="reconcile" data-testid="reconcile">
                <p>
                  <strong>{t.reconcileTitle}</strong> {snap.payment.decision.reason}
                </p>
                {snap.payment.decision.terminalReceipt.length ? <pre tabIndex={0} data-testid="terminal-receipt">{snap.payment.decision.terminalReceipt.join('\n')}</pre> : null}
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
              <button type="button" className="big" onClick={() => send({ cmd: 'resolvePayment', outcome: 'notCharged' })}>
                {t.resolveNotCharged}
              </button>
              <button type="button" className="big" onClick={() => send({ cmd: 'resolvePayment', outcome: 'approved' })}>
                {t.resolveCharged}
              </button>
            </div>
          </div>
        </div>
      ) : co?.ageCheckPending ? (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="age-title" data-testid="age-check">
            <h2 id="age-title">{t.ageTitle}</h2>
            <p className="age-body">{fill(t.ageBody, { age: co.ageCheckPending })}</p>
            <div className="modal-actions">
              <button type="button" className="big" onClick={actions.voidLast}>
                {t.ageVoid}
              </button>
              <button type="button" className="primary big" data-testid="age-confirm" autoFocus onClick={() => send({ cmd: 'confirmAge' })}>
                {t.ageConfirm}
              </button>
            </div>
          </div>
        </div>
      ) : null}

      {co?.state === 'paid' ? (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="change-title">
            <h2 id="change-title">{t.changeDue}</h2>
            <div className="change" data-testid="change-due">
              {money(co.totals.change)}
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
              <button type="button" className="primary big" data-testid="complete-button" autoFocus onClick={actions.complete}>
                {t.completeSale} · {t.kiosk.receiptPrint}
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </div>
  );
}

/** What is still owed, as the core counts it: exact (card), and in cash where rounding makes it differ. */
function remainingText(totals: { remaining: number; remainingCash: number }, t: Messages, money: (minor: number) => string): string {
  const exact = `${t.remaining} ${money(totals.remaining)}`;
  return totals.remainingCash !== totals.remaining && totals.remaining > 0 ? `${exact} (${fill(t.inCash, { amount: money(totals.remainingCash) })})` : exact;
}

/** Commands that can carry a supervisor approval. */

function withApprovalShape(cmd: CommandBody): Partial<{ approval: unknown }> {
  return APPROVABLE_COMMANDS.has(cmd.cmd) ? { approval: undefined } : {};
}

type LineRowProps = { line: Line; selected: boolean; fresh: boolean; onSelect: () => void };

/**
 * Every snapshot carries the whole basket as new objects; a row is drawn again only when what it
 * shows changed (a long basket would otherwise be redrawn on every scan). `onSelect` follows from
 * the line id, which is compared; the language, locale and money come from useMessages() (a change
 * there draws every row again).
 */
const LineRow = memo(LineRowView, (a: LineRowProps, b: LineRowProps) => {
  if (a.selected !== b.selected || a.fresh !== b.fresh) return false;
  const x = a.line;
  const y = b.line;
  return (
    x === y ||
    (x.lineId === y.lineId &&
      x.name === y.name &&
      x.quantity === y.quantity &&
      x.weightGrams === y.weightGrams &&
      x.unitPrice === y.unitPrice &&
      x.total === y.total &&
      x.voided === y.voided &&
      x.ageLimit === y.ageLimit &&
      x.priceFromCode === y.priceFromCode &&
      x.depositFor === y.depositFor &&
      x.discounts.length === y.discounts.length &&
      x.discounts.every((d, i) => d.id === y.discounts[i]!.id && d.amount === y.discounts[i]!.amount && d.text === y.discounts[i]!.text))
  );
});

function LineRowView(props: LineRowProps) {
  const { line: l } = props;
  const { t, money, locale } = useMessages();
  const detail =
    l.unit === 'weight' && l.weightGrams !== null && !l.priceFromCode
      ? `${formatWeight(l.weightGrams, locale)} × ${money(l.unitPrice)}/kg`
      : l.priceFromCode
        ? `${l.weightGrams !== null ? formatWeight(l.weightGrams, locale) + ' · ' : ''}${t.priceOnLabel}`
        : `${l.quantity} × ${money(l.unitPrice)}`;
  const cls = ['line', l.depositFor ? 'deposit' : '', l.voided ? 'voided' : '', props.selected ? 'selected' : '', props.fresh ? 'fresh' : ''].filter(Boolean).join(' ');
  // The selected line (the newest after a scan, or where ↑/↓ went) is always in view.
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (props.selected) ref.current?.scrollIntoView({ block: 'nearest' });
  }, [props.selected]);
  return (
    <li ref={ref} className={cls} data-testid="line" data-line-id={l.lineId} data-voided={String(l.voided)} aria-current={props.selected ? true : undefined} onClick={props.onSelect}>
      <div className="line-main">
        <span className="name">
          {l.name}
          {l.ageLimit ? <span className="tag">{fill(t.ageLimit, { n: l.ageLimit })}</span> : null}
          {l.voided ? <span className="tag void">{t.voided}</span> : null}
        </span>
        <span className="amount">{money(l.total)}</span>
      </div>
      <div className="line-detail">{detail}</div>
      <LineDiscounts line={l} />
    </li>
  );
}

/** The printer's state as a dot with words (colour never alone); faults say what to do. */
function PrinterDot({ snap }: { snap: Snapshot }) {
  const { t } = useMessages();
  const p = snap.devices.printer;
  if (p.state === 'none') return null;
  const level = p.state === 'ok' ? 'ok' : p.state === 'paperLow' ? 'warn' : 'bad';
  const words = t.printerStates[p.state];
  const queued = p.queued > 0 ? ` · ${fill(t.printerQueued, { n: p.queued })}` : '';
  return (
    <span className={`device ${level}`} data-testid="printer-status" title={words + queued}>
      <span aria-hidden="true">{level === 'ok' ? '●' : level === 'warn' ? '▲' : '■'} </span>
      {t.printer}: {words}
      {queued}
    </span>
  );
}

function KeyButton({ k, label, onClick }: { k: string; label: string; onClick: () => void }) {
  return (
    <button type="button" className="key" onClick={onClick} aria-keyshortcuts={k === 'Esc' ? 'Escape' : k}>
      <kbd>{k}</kbd>
      <span>{label}</span>
    </button>
  );
}

function Keypad({ onKey }: { onKey: (k: string) => void }) {
  const keys = ['7', '8', '9', '4', '5', '6', '1', '2', '3', 'C', '0', ','];
  return (
    <div className="keypad">
      {keys.map((k) => (
        <button key={k} type="button" className="pad" onClick={() => onKey(k)} aria-label={k === 'C' ? 'Clear' : k}>
          {k}
        </button>
      ))}
    </div>
  );
}
