/**
 * The lane's keyboard, through the one owner of focus and input (input/owner.ts): function keys
 * work wherever the focus is, ↑/↓ move through the lines, typing and scans land in the entry line,
 * and a window that is open owns the keyboard (and the focus) until it closes.
 */
import { useEffect, useRef, useState, type Dispatch, type KeyboardEvent as ReactKeyboardEvent, type RefObject, type SetStateAction } from 'react';
import type { Snapshot } from '../../../protocol/terminal';
import { focusInto, InputOwner, topDialog } from '../input/owner';
import { otherTextFieldFocused, type WedgeDetector } from '../wedge';
import type { LaneActions } from './use-lane-actions';
import { activeItemLines } from './use-lane-selection';

export interface LaneKeysInput {
  snap: Snapshot;
  /** The entry line. */
  inputRef: RefObject<HTMLInputElement | null>;
  wedge: RefObject<WedgeDetector>;
  actions: LaneActions;
  /** Enter on the entry line. */
  scan: () => void;
  submitCode: (code: string, source: 'wedge' | 'keyboard') => boolean;
  setSelected: Dispatch<SetStateAction<string | null>>;
  setConfirmCancel: (on: boolean) => void;
  /** A window is open on the lane (it owns the keyboard; the lane's keys wait). */
  modalOpen: boolean;
}

/** Returns the entry line's own key handler and when a scan was last refused (a window was open). */
export function useLaneKeys(o: LaneKeysInput): { onInputKey: (e: ReactKeyboardEvent<HTMLInputElement>) => void; scanRefusedAt: number | null } {
  const { snap, inputRef, wedge, setConfirmCancel } = o;
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
  // This render's actions, snapshot and window state, for the window-level listener set up once.
  const latest = useRef(o);
  latest.current = o;
  // The one owner of focus and keyboard input (input/owner.ts): windows keep their focus, scans are
  // never typed into a field.
  const owner = useRef<InputOwner | null>(null);
  owner.current ??= new InputOwner(snap.devices.wedge, {
    entry: () => inputRef.current,
    onScan: (code) => latest.current.submitCode(code.trim(), 'wedge'),
    onRefused: () => setScanRefusedAt(performance.now()),
  });
  owner.current.run.setTiming(snap.devices.wedge);

  // Function keys work wherever focus is; printable keys always land in the entry line.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (owner.current!.keydown(e)) return;
      // A window owns the keyboard (its fields, buttons and Escape); the lane's keys wait.
      if (latest.current.modalOpen) return;
      laneKey(e, latest);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  // A window that opens takes the focus; when the last one closes, the scan line has it again.
  const modalOpen = o.modalOpen;
  useEffect(() => {
    const dialog = topDialog();
    if (dialog && !dialog.contains(document.activeElement)) focusInto(dialog);
    else if (!modalOpen && (document.activeElement === document.body || document.activeElement === null)) inputRef.current?.focus();
  }, [modalOpen]);

  const onInputKey = (e: ReactKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      setConfirmCancel(false);
      o.scan();
    } else if (e.key.length === 1) {
      wedge.current.key(e.timeStamp);
    }
  };
  return { onInputKey, scanRefusedAt };
}

/** A key for the lane itself: no window open, and not taken by the input owner. */
function laneKey(e: KeyboardEvent, latest: RefObject<LaneKeysInput>): void {
  const o = latest.current;
  const a = o.actions;
  const map: Record<string, () => void> = { F4: a.suspend, F1: a.qty, F2: a.void, F3: a.priceCheck, F6: a.vat, F7: a.lock, F8: a.subtotal, F9: a.card, F10: a.cash, F11: a.cancel, F12: a.giftCard, Escape: a.back };
  if (e.key === 'F5') {
    e.preventDefault();
    a.discount(e.shiftKey);
    return;
  }
  const fn = map[e.key];
  if (fn) {
    e.preventDefault();
    if (e.key !== 'F11') o.setConfirmCancel(false);
    fn();
    return;
  }
  if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
    e.preventDefault();
    o.setSelected((cur) => {
      const list = activeItemLines(latest.current.snap.checkout);
      if (!list.length) return null;
      const i = Math.max(0, list.findIndex((l) => l.lineId === cur));
      const next = e.key === 'ArrowUp' ? Math.max(0, i - 1) : Math.min(list.length - 1, i + 1);
      return list[next]!.lineId;
    });
    return;
  }
  // Typing (or a wedge scanner) goes to the entry line — unless another text field has the focus.
  const entry = o.inputRef.current;
  if (document.activeElement !== entry && !otherTextFieldFocused(document.activeElement, entry) && (e.key.length === 1 || e.key === 'Enter') && !e.ctrlKey && !e.metaKey && !e.altKey) {
    entry?.focus();
    if (e.key === 'Enter') {
      e.preventDefault();
      o.scan();
    } else o.wedge.current.key(e.timeStamp); // the entry line's own handler misses this first key
  }
}
