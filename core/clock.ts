/**
 * The core's one clock. Nothing in the core, the drivers or HQ reads the wall clock except through
 * a Clock handed to it where the process is composed (core/main.ts, hq/main.ts): promotions, idle
 * rules, reports, receipts, journal entries and sync all take their time from it, so tests and
 * demos can set it (`--clock` on the demo core) and nothing depends on the day a test runs.
 *
 * Elapsed time (timeouts, backoff, latency) is measured with `performance.now()`, which is not the
 * wall clock and cannot jump.
 *
 * Calendar questions (which business day, which weekday and hour a promotion sees, what a receipt
 * prints) are answered in the store's time zone (Profile.timeZone), never the process's TZ.
 */
import { performance } from 'node:perf_hooks';

/** The current instant. */
export type Clock = () => Date;

/** The machine's clock: the only place the wall clock is read. */
export const systemClock: Clock = () => new Date();

/**
 * A clock that starts at `start` and runs at real speed from there (timers, idle rules and
 * timeouts behave as in production; only the calendar is chosen).
 */
export function clockFrom(start: Date | string): Clock {
  const at = typeof start === 'string' ? new Date(start) : start;
  if (Number.isNaN(at.getTime())) throw new Error(`not an instant: "${String(start)}"`);
  const t0 = performance.now();
  return () => new Date(at.getTime() + Math.floor(performance.now() - t0));
}

/** A clock that moves only when told (unit tests). */
export class ManualClock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
    if (Number.isNaN(this.t)) throw new Error(`not an instant: "${String(start)}"`);
  }
  /** The Clock to hand to the code under test. */
  readonly now: Clock = () => new Date(this.t);
  set(at: Date | string): void {
    this.t = new Date(at).getTime();
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** The calendar date (YYYY-MM-DD) of an instant in the store's time zone: the business date. */
export function storeDate(at: Date | string, timeZone: string): string {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  return f.format(typeof at === 'string' ? new Date(at) : at);
}

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallFormats = new Map<string, Intl.DateTimeFormat>();
/** What a clock on the wall in `timeZone` shows at an instant (a device's local date and time). */
export function wallTime(at: Date, timeZone: string): WallTime {
  let f = wallFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    wallFormats.set(timeZone, f);
  }
  const part = (type: string) => Number(f.formatToParts(at).find((p) => p.type === type)?.value ?? 0);
  return { year: part('year'), month: part('month'), day: part('day'), hour: part('hour'), minute: part('minute'), second: part('second') };
}

/** The instant a clock on the wall in `timeZone` shows `date` (YYYY-MM-DD) at `hour`:`minute` (a store's opening time). */
export function instantAt(date: string, hour: number, minute: number, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a date (YYYY-MM-DD): "${date}"`);
  const want = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), hour, minute);
  if (storeDate(new Date(want), 'UTC') !== date) throw new Error(`no such date: "${date}"`);
  let t = want;
  // Twice: the zone's offset at the first guess may differ from the offset at the answer (a DST change that day).
  for (let i = 0; i < 2; i++) {
    const w = wallTime(new Date(t), timeZone);
    t += want - Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  }
  return new Date(t);
}
