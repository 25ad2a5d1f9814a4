/**
 * The core's clock as the screen shows it. The core stamps every welcome and snapshot with its
 * time (core/clock.ts); the screen keeps the difference to its own monotonic clock (performance.now()), so the status bar
 * clock, "offline for 12 min" and countdowns tell the core's time (which tests and the demo set),
 * not whatever the browser's machine believes. Times are shown in the store's time zone.
 */
let offsetMs = 0;

/** Called with the `now` of each message from the core. */
export function setCoreTime(iso: string): void {
  const t = Date.parse(iso);
  if (!Number.isNaN(t)) offsetMs = t - performance.now();
}

/** The core's current time in epoch milliseconds. */
export function coreNow(): number {
  return performance.now() + offsetMs;
}
