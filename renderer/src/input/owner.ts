/**
 * One owner of focus and keyboard input for a screen (issue 15): every screen that sells (the lane,
 * the kiosk) hands its window-level keydown here first.
 *
 * - A window that is open (the top `[role=dialog][aria-modal=true]`) owns the focus: Tab cycles
 *   inside it, a key pressed while the focus is outside it moves the focus in (nothing is typed into
 *   the scan line behind it), Escape presses its `[data-dismiss]` button.
 * - A tap into a field keeps that field's focus (nothing here steals it).
 * - Scanner input is told from typing by the wedge timing wherever the focus is. A scan that ended
 *   in a field that does not take scans is taken back out of that field (its value restored to what
 *   it was before the scan began) and routed: with a window open, to the window (a `kassa:scan`
 *   event it may take — a supervisor badge, a receipt barcode) or refused on screen; with none, to
 *   the sale. A scanned code never becomes a typed price, count or PIN.
 * A window with its own Escape rule (unsaved edits are not thrown away) leaves out `data-dismiss`.
 * Fields that do take scans (the scan line, a badge field, a receipt code field) carry
 * `data-scan-field`.
 */
import type { WedgeTiming } from '../wedge';
import { ScanRun } from './scan-run';

/** The event a window receives for a scan made while it is open; `preventDefault()` takes it. */
export const SCAN_EVENT = 'kassa:scan';

export interface FieldSnapshot {
  el: HTMLInputElement | HTMLTextAreaElement;
  value: string;
  start: number | null;
  end: number | null;
}

const TEXT_TYPES = new Set(['text', 'password', 'search', 'tel', 'number', 'email', 'url', '']);

function textField(el: Element | null): HTMLInputElement | HTMLTextAreaElement | null {
  if (!el) return null;
  if (el.tagName === 'TEXTAREA') return el as HTMLTextAreaElement;
  if (el.tagName === 'INPUT' && TEXT_TYPES.has((el as HTMLInputElement).type)) return el as HTMLInputElement;
  return null;
}

function snapshotOf(el: Element | null): FieldSnapshot | null {
  const f = textField(el);
  if (!f) return null;
  let start: number | null = null;
  let end: number | null = null;
  try {
    start = f.selectionStart;
    end = f.selectionEnd;
  } catch {
    // number inputs have no selection
  }
  return { el: f, value: f.value, start, end };
}

/** Puts a field back as it was, telling React (its onChange runs with the old value). */
export function restoreField(s: FieldSnapshot): void {
  const proto = s.el.tagName === 'TEXTAREA' ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(s.el, s.value);
  s.el.dispatchEvent(new Event('input', { bubbles: true }));
  try {
    if (s.start !== null && s.end !== null) s.el.setSelectionRange(s.start, s.end);
  } catch {
    // no selection on this kind of field
  }
}

/** The window on top, if one is open. */
export function topDialog(): HTMLElement | null {
  const all = document.querySelectorAll<HTMLElement>('[role="dialog"][aria-modal="true"]');
  return all.length ? all[all.length - 1]! : null;
}

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [href], [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.offsetParent !== null || el === document.activeElement);
}

/** Moves the focus into a window: its autofocus field, else its first field, else its first button. */
export function focusInto(dialog: HTMLElement): void {
  const list = focusables(dialog);
  const pick = dialog.querySelector<HTMLElement>('[autofocus]') ?? list.find((el) => textField(el) || el.tagName === 'SELECT') ?? list[0];
  (pick ?? dialog).focus();
}

export interface InputOwnerOptions {
  /** The screen's scan line (takes scans when no window is open). */
  entry: () => HTMLInputElement | null;
  /** A scan made where no window is open and the scan line did not have the focus. */
  onScan: (code: string) => void;
  /** A scan made while a window is open that the window did not take. */
  onRefused: (code: string) => void;
}

export class InputOwner {
  readonly run: ScanRun<FieldSnapshot>;
  constructor(
    timing: WedgeTiming,
    private readonly o: InputOwnerOptions,
  ) {
    this.run = new ScanRun(timing);
  }

  /** The screen's window-level keydown (capture phase), first. True when it took the key. */
  keydown(e: KeyboardEvent): boolean {
    const active = document.activeElement;
    const dialog = topDialog();
    const mods = e.ctrlKey || e.metaKey || e.altKey;
    const printable = e.key.length === 1 && !mods;
    if (printable) this.run.key(e.timeStamp, e.key, snapshotOf(active));
    if (e.key === 'Enter' && !mods) return this.enter(e, active, dialog);
    if (!dialog) return false;
    if (e.key === 'Tab') {
      e.preventDefault();
      const list = focusables(dialog);
      if (!list.length) return true;
      const i = list.indexOf(active as HTMLElement);
      const next = i < 0 ? 0 : (i + (e.shiftKey ? list.length - 1 : 1)) % list.length;
      list[next]!.focus();
      return true;
    }
    if (e.key === 'Escape') {
      const dismiss = dialog.querySelector<HTMLElement>('[data-dismiss]');
      if (dismiss) {
        e.preventDefault();
        e.stopPropagation();
        dismiss.click();
        return true;
      }
      return false;
    }
    if (!dialog.contains(active)) {
      // The focus is behind the window (the scan line): nothing is typed there.
      if (printable) e.preventDefault();
      focusInto(dialog);
      return printable;
    }
    return false;
  }

  private enter(e: KeyboardEvent, active: Element | null, dialog: HTMLElement | null): boolean {
    const inDialog = dialog !== null && dialog.contains(active);
    const takesScans = dialog ? inDialog && active?.closest('[data-scan-field]') !== null : active === this.o.entry() || active?.closest('[data-scan-field]') != null;
    const scan = this.run.enter(e.timeStamp);
    if (takesScans || !scan) {
      if (dialog && !inDialog) {
        // An Enter behind the window never submits the scan line.
        e.preventDefault();
        e.stopPropagation();
        focusInto(dialog);
        return true;
      }
      return false;
    }
    e.preventDefault();
    e.stopPropagation();
    if (scan.field) restoreField(scan.field);
    if (dialog) {
      const ev = new CustomEvent<string>(SCAN_EVENT, { detail: scan.code, cancelable: true });
      dialog.dispatchEvent(ev);
      if (!ev.defaultPrevented) this.o.onRefused(scan.code);
      if (!inDialog) focusInto(dialog);
    } else {
      this.o.onScan(scan.code);
    }
    return true;
  }
}
