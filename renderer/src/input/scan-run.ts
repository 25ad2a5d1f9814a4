/** A scanner's run of keystrokes (input/owner.ts), pure: no DOM. `F` is what the run remembers of the field it began in. */
import type { WedgeTiming } from '../wedge';

/**
 * The run of keystrokes a scanner makes: characters each within the gap of the one before, then
 * Enter within the gap too. Pure: fed key times, asked at Enter.
 */
export class ScanRun<F> {
  private chars: string[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private field: F | null = null;
  constructor(private timing: WedgeTiming) {}

  setTiming(t: WedgeTiming): void {
    this.timing = t;
  }

  /** A printable key at time `t` (ms, the event's own timeStamp), before it is typed into `field`. */
  key(t: number, char: string, field: F | null): void {
    if (t - this.last > this.timing.maxKeyGapMs) {
      this.chars = [];
      this.field = field; // the field as it was before this run: what a scan is taken back to
    }
    this.last = t;
    this.chars.push(char);
    if (this.chars.length > 512) this.chars.shift();
  }

  /** Enter at time `t`: the scanned code and the field it went into, or null when a person typed. */
  enter(t: number): { code: string; field: F | null } | null {
    const scan = t - this.last <= this.timing.maxKeyGapMs && this.chars.length >= this.timing.minLength ? { code: this.chars.join(''), field: this.field } : null;
    this.reset();
    return scan;
  }

  reset(): void {
    this.chars = [];
    this.field = null;
    this.last = Number.NEGATIVE_INFINITY;
  }
}

