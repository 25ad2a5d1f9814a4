/**
 * The event loop a lane shares with the uploaders of its process (issue 19: replication never slows
 * a scan). The lane notes each command it handles (core/selfcheckout/attendance.ts `touch`); an
 * uploader sending to a store peer (core/sync/uploader.ts `pace`) paces itself while the lane has
 * worked within the last two seconds: after each batch it leaves the loop to the lane for as long as
 * the batch took to build and record. An idle till catches its peers up at full speed.
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
