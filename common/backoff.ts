/**
 * The one reconnect/retry timing every runtime shares: exponential backoff (doubling from a
 * shortest delay up to a longest one) with jitter, reset when the connection works again. The
 * random source is injectable so the timing can be tested exactly.
 */

/** A number in [0, 1), like Math.random. */
export type RandomSource = () => number;

export interface BackoffOptions {
  /** First delay (and the delay again after a reset). */
  minMs: number;
  /** Upper bound of the delay before jitter. */
  maxMs: number;
  /** Spread as a fraction of the delay: 0.2 waits between 0.8 and 1.2 times it; 0 is exact. */
  jitter?: number;
}

/** Delay number `attempt` (0-based) without jitter: min · 2^attempt, capped at max. */
export function exponentialDelay(attempt: number, minMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  return Math.min(maxMs, minMs * 2 ** exponent);
}

/** Successive delays of one retry loop. */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly opts: BackoffOptions,
    private readonly random: RandomSource = Math.random,
  ) {}

  /** The delay before the next attempt (with jitter); each call doubles the one after it, up to max. */
  next(): number {
    const base = exponentialDelay(this.attempt, this.opts.minMs, this.opts.maxMs);
    if (base < this.opts.maxMs) this.attempt++;
    const jitter = this.opts.jitter ?? 0.2;
    return base * (1 - jitter + this.random() * 2 * jitter);
  }

  /** The connection works: the next failure starts again from the shortest delay. */
  reset(): void {
    this.attempt = 0;
  }
}

/** A reconnect loop's timer: schedules one attempt at a time after the backoff's next delay. */
export class Retry {
  private readonly backoff: Backoff;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly attempt: () => void,
    minMs = 200,
    maxMs = 5_000,
    random?: RandomSource,
  ) {
    this.backoff = new Backoff({ minMs, maxMs, jitter: 0.2 }, random);
  }

  /** Schedules one attempt (no-op if one is already scheduled). */
  schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.attempt();
    }, this.backoff.next());
  }

  /** The connection works: the next failure starts again from the shortest delay. */
  reset(): void {
    this.backoff.reset();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
