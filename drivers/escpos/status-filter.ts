/**
 * Which printer status to believe. A port sending garbage produces bytes that now and then fit a
 * reply's fixed bits by chance (one random byte in sixteen does), and each such "reply" read as
 * paper out, cover open, offline… made the lane flap between states. So a status is reported only
 * when the same complete reading comes twice in a row with no garbage between them; and a burst of
 * garbage (`burstBytes` bytes that are no reply within `burstWindowMs`) makes the printer
 * "unreadable" — not a printer, or a line that garbles what it says — until the burst is over and
 * a reading repeats again. Times are elapsed milliseconds handed in (performance.now()); no clock here.
 */
import type { PrinterStatus } from './status';

export interface StatusFilterOptions {
  /** Bytes that are no reply, within the window, that make the port unreadable (default 16). */
  burstBytes?: number;
  /** The window those bytes are counted in (default 2 s). */
  burstWindowMs?: number;
}

export type Verdict = { kind: 'status'; status: PrinterStatus } | { kind: 'unreadable'; reason: string };

const same = (a: PrinterStatus, b: PrinterStatus) => JSON.stringify(a) === JSON.stringify(b);

export class StatusFilter {
  private candidate: PrinterStatus | null = null;
  private repeated = false;
  /** Times of the last `burstBytes` bad bytes, oldest first. */
  private bad: number[] = [];
  private unreadable = false;
  readonly burstBytes: number;
  readonly burstWindowMs: number;

  constructor(opts: StatusFilterOptions = {}) {
    this.burstBytes = opts.burstBytes ?? 16;
    this.burstWindowMs = opts.burstWindowMs ?? 2_000;
  }

  /** Whether the port is unreadable now (a burst of garbage, not yet followed by a repeated reading). */
  get isUnreadable(): boolean {
    return this.unreadable;
  }

  /** A fresh connection: nothing read yet. */
  reset(): void {
    this.candidate = null;
    this.repeated = false;
    this.bad = [];
    this.unreadable = false;
  }

  /**
   * A byte that is no reply. Breaks the repetition of a reading; returns the unreadable verdict
   * when it completes a burst (once: the port stays unreadable until a reading is believed again).
   */
  garbage(byte: number, now: number): Verdict | null {
    this.candidate = null;
    this.repeated = false;
    this.bad.push(now);
    if (this.bad.length > this.burstBytes) this.bad.shift();
    if (this.unreadable || !this.inBurst(now)) return null;
    this.unreadable = true;
    const reason = `not a printer / unreadable: ${this.burstBytes} bytes that are no status reply within ${this.burstWindowMs / 1_000} s (last 0x${byte.toString(16).padStart(2, '0')})`;
    return { kind: 'unreadable', reason };
  }

  /**
   * A complete reading (a whole polling round, or a whole ASB frame). Returns the status to report
   * once the same reading came twice in a row and no burst of garbage is going on; else null.
   */
  reading(status: PrinterStatus, now: number): Verdict | null {
    if (this.candidate && same(this.candidate, status)) this.repeated = true;
    else {
      this.candidate = status;
      this.repeated = false;
    }
    if (!this.repeated || this.inBurst(now)) return null;
    this.unreadable = false;
    return { kind: 'status', status };
  }

  private inBurst(now: number): boolean {
    return this.bad.length >= this.burstBytes && now - this.bad[0]! <= this.burstWindowMs;
  }
}
