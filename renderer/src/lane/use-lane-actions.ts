/** What the lane's keys, buttons and menu do (F1–F12, Esc, tenders), and what a code from the scan line does. */
import { useCallback, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';
import type { CommandBody, Line, Snapshot } from '../../../protocol/terminal';
import { parseCashAmount, parseQuantity } from '../format';
import type { Messages } from '../i18n';
import { useMessages } from '../shared/messages';
import type { WedgeDetector } from '../wedge';
import type { Local } from './lane-message';

type Send = (c: CommandBody) => boolean;

export interface LaneActionsInput {
  snap: Snapshot;
  /** The connection's send (a command that could not be sent says so on the message line). */
  send: Send;
  /** The entry line. */
  input: string;
  setInput: Dispatch<SetStateAction<string>>;
  /** Where F1, F2 and F5 act. */
  selectedLine: Line | undefined;
  setShowVat: Dispatch<SetStateAction<boolean>>;
  wedge: RefObject<WedgeDetector>;
}

/** What the actions work with: the input, the lane's own send, and a hint on the message line. */
interface Ctx extends LaneActionsInput {
  t: Messages;
  hint: (text: string) => void;
}

export type LaneActions = ReturnType<typeof entryActions> & ReturnType<typeof saleActions>;

export function useLaneActions(o: LaneActionsInput) {
  const { t } = useMessages();
  const [local, setLocal] = useState<Local | null>(null);
  // The "press F11 again" state is read from a ref: a second F11 pressed before React re-renders
  // must still cancel (a quick double press is what the prompt asks for).
  const confirmCancelRef = useRef(false);
  const setConfirmCancel = useCallback((on: boolean) => {
    confirmCancelRef.current = on;
  }, []);
  const send = useCallback(
    (cmd: CommandBody) => {
      const ok = o.send(cmd);
      if (!ok) setLocal({ text: t.notConnected, kind: 'error', at: performance.now() });
      return ok;
    },
    [o.send, t],
  );
  const hint = (text: string) => setLocal({ text, kind: 'info', at: performance.now() });
  const c: Ctx = { ...o, send, t, hint };
  const actions: LaneActions = { ...entryActions(c), ...saleActions(c, confirmCancelRef, setConfirmCancel) };
  /** A code from the scan line, or scanned while the focus was elsewhere (input/owner.ts). False: refused here. */
  const submitCode = (code: string, source: 'wedge' | 'keyboard'): boolean => {
    if (!o.snap.checkout && (/^S[0-9a-f]{32}$/.test(code) || code.startsWith('KS1|'))) {
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
  /** Enter on the scan line: the code typed or scanned; empty, it completes a paid sale. */
  const scan = () => {
    const code = o.input.trim();
    if (!code) {
      if (o.snap.checkout?.state === 'paid') send({ cmd: 'complete' });
      return;
    }
    if (submitCode(code, o.wedge.current.finish(code.length))) o.setInput('');
  };
  return { send, local, actions, scan, submitCode, setConfirmCancel };
}

/** F10 (cash) and F9 (card): what is owed with the entry line empty, else the amount typed. */
function tender(c: Ctx, cmd: 'tenderCash' | 'tenderCard') {
  if (c.input.trim() === '') {
    c.send({ cmd });
    return;
  }
  const amount = parseCashAmount(c.input);
  if (amount === null) return c.hint(c.t.msgTypeCash);
  c.send({ cmd, amount });
  c.setInput('');
}

/** The actions that read the entry line (a quantity, a code, an amount, a discount, a card number). */
function entryActions(c: Ctx) {
  const { input, setInput, selectedLine, send, hint, t } = c;
  const co = c.snap.checkout;
  return {
    qty: () => {
      const q = parseQuantity(input);
      if (q === null || !selectedLine) return hint(t.msgTypeQty);
      send({ cmd: 'setQuantity', lineId: selectedLine.lineId, quantity: q });
      setInput('');
    },
    priceCheck: () => {
      const code = input.trim();
      if (!code) return hint(t.msgPriceCheckType);
      send({ cmd: 'priceCheck', code: code.slice(0, 128) });
      setInput('');
    },
    cash: () => tender(c, 'tenderCash'),
    card: () => tender(c, 'tenderCard'),
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
    giftCard: () => {
      const code = input.trim();
      if (!/^\d{8,20}$/.test(code)) return hint(t.gift.typeOrScan);
      send({ cmd: 'tenderVoucher', code });
      setInput('');
    },
    back: () => {
      if (input) setInput('');
      else if (co?.state === 'subtotal' && co.tenders.length === 0) send({ cmd: 'backToSale' });
    },
  };
}

/** The actions on the sale and the lane; cancelling a sale asks first (F11 twice). */
function saleActions(c: Ctx, confirmCancel: { readonly current: boolean }, setConfirmCancel: (on: boolean) => void) {
  const { snap, selectedLine, send, hint, t } = c;
  return {
    void: () => {
      if (selectedLine) send({ cmd: 'voidLine', lineId: selectedLine.lineId });
    },
    vat: () => c.setShowVat((v) => !v),
    voidLast: () => send({ cmd: 'voidLast' }),
    suspend: () => send({ cmd: 'suspendSale' }),
    lock: () => send({ cmd: 'lock' }),
    training: () => send({ cmd: 'setTraining', on: !snap.lane.training }),
    cancel: () => {
      if (!snap.checkout) return;
      if (!confirmCancel.current) {
        setConfirmCancel(true);
        hint(t.confirmCancel);
        return;
      }
      setConfirmCancel(false);
      send({ cmd: 'cancelSale' });
    },
    subtotal: () => send({ cmd: 'subtotal' }),
    signOut: () => send({ cmd: 'signOut' }),
    complete: () => send({ cmd: 'complete' }),
  };
}
