/**
 * Bounds on how often a noisy source may speak: log lines limited per time window with a count of
 * what was left out (a port sending garbage writes a handful of lines and "… 5,734 more bad bytes
 * in the last minute", not one line a byte), and a value coalesced so that listeners hear at most
 * one change per interval, always ending on the latest (a flapping device cannot flood the lane).
 * Elapsed time is read from an injected monotonic source (performance.now() by default), never the
 * wall clock (core/clock.ts).
 */

/** Milliseconds from an arbitrary origin that never jumps (performance.now()). */
export type Elapsed = () => number;

const count = new Intl.NumberFormat('en-US');

/** A timer that does not keep Node running (browsers have no such thing: numbers there). */
function unref(timer: unknown): void {
  (timer as { unref?: () => void }).unref?.();
}

/** "minute", "hour", or "12 s" / "450 ms": the span a summary line speaks of. */
export function spanWords(ms: number): string {
  if (ms === 60_000) return 'minute';
  if (ms === 3_600_000) return 'hour';
  if (ms >= 1_000) return `${Math.round(ms / 1_000)} s`;
  return `${Math.max(0, Math.round(ms))} ms`;
}

export interface RateLimitedLogOptions {
  /** Lines written in full per window. */
  max: number;
  /** Window length (60 000: "in the last minute"). */
  windowMs: number;
  /** What the summary counts, plural: "bad bytes from the printer". */
  what: string;
  elapsed?: Elapsed;
}

/**
 * Writes the first `max` lines of each window and counts the rest; the count is written as one
 * line when the window ends (by a timer, even if the source fell silent), when a line comes after
 * it, or on flush().
 */
export class RateLimitedLog {
  private windowStart = 0;
  private written = 0;
  private suppressed = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private readonly elapsed: Elapsed;

  constructor(
    private readonly out: (line: string) => void,
    private readonly opts: RateLimitedLogOptions,
  ) {
    this.elapsed = opts.elapsed ?? (() => performance.now());
  }

  /** How many lines were left out so far in this window. */
  get pending(): number {
    return this.suppressed;
  }

  log(line: string): void {
    const now = this.elapsed();
    if (this.written + this.suppressed > 0 && now - this.windowStart >= this.opts.windowMs) this.flush();
    if (this.written + this.suppressed === 0) this.windowStart = now;
    if (this.written < this.opts.max) {
      this.written++;
      this.out(line);
      return;
    }
    this.suppressed++;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), Math.max(0, this.windowStart + this.opts.windowMs - now));
      unref(this.timer);
    }
  }

  /** Writes the count of lines left out (if any) and starts a new window. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.suppressed > 0) {
      const span = Math.min(this.opts.windowMs, this.elapsed() - this.windowStart);
      this.out(`… ${count.format(this.suppressed)} more ${this.opts.what} in the last ${spanWords(span)}`);
    }
    this.written = 0;
    this.suppressed = 0;
  }

  /** Flushes and lets go of the timer. */
  stop(): void {
    this.flush();
  }
}

/**
 * Passes values on at most once per `intervalMs`: the first at once, later ones within the
 * interval as one trailing call with the latest value (none if it equals what was last passed).
 */
export class Coalescer<T> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private latest: { value: T } | null = null;
  private last: { value: T } | null = null;

  constructor(
    private readonly out: (value: T) => void,
    private readonly intervalMs: number,
    private readonly same: (a: T, b: T) => boolean = Object.is,
  ) {}

  push(value: T): void {
    if (this.timer) {
      this.latest = { value };
      return;
    }
    this.pass(value);
  }

  private pass(value: T): void {
    this.latest = null;
    if (this.last && this.same(this.last.value, value)) return;
    this.last = { value };
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.latest) this.pass(this.latest.value);
    }, this.intervalMs);
    unref(this.timer);
    this.out(value);
  }

  /** Drops what waits (the source stopped). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.latest = null;
  }
}
