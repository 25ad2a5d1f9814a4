/** Reconnect timing for devices: exponential backoff with ±20 % jitter, reset when a connection works. */
export class Retry {
  private delay: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly attempt: () => void,
    private readonly minMs = 200,
    private readonly maxMs = 5_000,
  ) {
    this.delay = minMs;
  }

  /** Schedules one attempt (no-op if one is already scheduled). */
  schedule(): void {
    if (this.timer) return;
    const wait = this.delay * (0.8 + Math.random() * 0.4);
    this.delay = Math.min(this.delay * 2, this.maxMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.attempt();
    }, wait);
  }

  /** The connection works: the next failure starts again from the shortest delay. */
  reset(): void {
    this.delay = this.minMs;
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
