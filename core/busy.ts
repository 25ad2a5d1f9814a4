/**
 * The event loop a lane shares with the uploaders of its process (issue 19: replication never slows
 * a scan). The lane notes each command it handles (core/selfcheckout/attendance.ts `touch`); an
 * uploader sending to a store peer (core/sync/uploader.ts `pace`) paces itself while the lane has
 * worked within the last two seconds: after each batch it leaves the loop to the lane for as long as
 * the batch took to record; so does the peer listener after each batch it keeps (core/peers/sync.ts).
 * An idle till catches its peers up, and is caught up, at full speed.
 */
import { performance } from 'node:perf_hooks';

let lastCommandAt = Number.NEGATIVE_INFINITY;

/** The lane handled a command now. */
export function laneWorked(): void {
  lastCommandAt = performance.now();
}

/** Whether the lane handled a command within `withinMs`. */
export function laneBusy(withinMs = 2_000): boolean {
  return performance.now() - lastCommandAt < withinMs;
}

/** While the lane is at work, waits `ms` on a timer (the lane's commands due meanwhile run first); else resolves at once. */
export function yieldToLane(ms: number): Promise<void> {
  return laneBusy() ? new Promise<void>((r) => setTimeout(r, Math.max(1, ms))) : Promise.resolve();
}
