/**
 * Tells a keyboard-wedge scanner from a person typing: a scanner "types" a whole code with every
 * keystroke within a few milliseconds of the last, a person does not. Timing comes from the
 * terminal's device configuration. Pure: fed key times, asked at Enter. The times are the key
 * events' own `timeStamp` (when the input reached the browser), not when a handler ran: a renderer
 * busy for 50 ms must not turn a scan into typing.
 */
export interface WedgeTiming {
  maxKeyGapMs: number;
  minLength: number;
}

export class WedgeDetector {
  private times: number[] = [];
  constructor(private timing: WedgeTiming) {}

  setTiming(t: WedgeTiming): void {
    this.timing = t;
  }

  /** A printable keystroke at time `t` (ms). */
  key(t: number): void {
    this.times.push(t);
    if (this.times.length > 512) this.times.shift();
  }

  /** The entry was cleared or edited by hand. */
  reset(): void {
    this.times = [];
  }

  /**
   * At an Enter at time `t` that no entry field takes (a button has the focus): does it end a
   * scan? A scan is the unbroken run of keystrokes before the Enter, every gap (the Enter's too)
   * within the limit, at least the minimum length; a person's Enter comes alone or after a pause.
   */
  scanEndsAt(t: number): boolean {
    const times = this.times;
    this.reset();
    let i = times.length - 1;
    if (i < 0 || t - times[i]! > this.timing.maxKeyGapMs) return false;
    while (i > 0 && times[i]! - times[i - 1]! <= this.timing.maxKeyGapMs) i--;
    return times.length - i >= this.timing.minLength;
  }

  /**
   * At Enter: were the last `length` characters (the code in the entry field) typed by a scanner?
   * Every gap between them must be within the limit; a pause anywhere means a person.
   */
  finish(length: number): 'wedge' | 'keyboard' {
    const times = this.times.slice(-length);
    this.times = [];
    if (length < this.timing.minLength || times.length < length) return 'keyboard';
    for (let i = 1; i < times.length; i++) if (times[i]! - times[i - 1]! > this.timing.maxKeyGapMs) return 'keyboard';
    return 'wedge';
  }
}

/** What the focus rule looks at of an element (a DOM Element has all of it). */
export interface FocusTarget {
  tagName: string;
  type?: string;
  isContentEditable?: boolean;
}

/** A text field other than the scan entry has the focus: keystrokes belong to it, not to scanning. */
export function otherTextFieldFocused(active: FocusTarget | null, scanEntry: FocusTarget | null): boolean {
  if (!active || active === scanEntry) return false;
  const tag = active.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(active.type ?? 'text');
  return active.isContentEditable === true;
}
