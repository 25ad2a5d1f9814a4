/**
 * The instants tests run at. No test depends on the day it is run: the core's clock is set
 * (core/clock.ts) to one of these, and tests of day-bound rules pick their day explicitly.
 */
import { clockFrom, type Clock } from '../../core/clock';

/** An ordinary Monday morning in the demo store (Stockholm): no day-bound promotion applies. */
export const MONDAY = '2026-11-23T10:00:00+01:00';
/** Friday noon in Stockholm: inside the demo's "bread −20 % Fri–Sat 08–21". */
export const FRIDAY_NOON = '2026-11-27T12:00:00+01:00';
/** Sunday noon in Stockholm: outside it. */
export const SUNDAY_NOON = '2026-11-29T12:00:00+01:00';

/** A clock that starts at `at` (an ordinary Monday by default) and runs at real speed. */
export function testClock(at: string = MONDAY): Clock {
  return clockFrom(at);
}
