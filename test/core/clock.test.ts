/**
 * The one clock (test/lint/clock.test.ts checks nothing else reads the wall clock): every calendar question is
 * answered in the store's time zone — at midnight, across a month's end, over a DST change —
 * whatever the process's TZ or today's date.
 */
import { describe, expect, it } from 'vitest';
import { clockFrom, instantAt, isTimeZone, ManualClock, storeDate, wallTime } from '../../core/clock';
import { secondsBetween } from '../../core/payments/zvt';
import { PROFILES } from '../../core/profile';

const STOCKHOLM = 'Europe/Stockholm';

describe('the one clock', () => {
  it('starts where it is set and runs on at real speed', async () => {
    const c = clockFrom('2026-11-27T12:00:00+01:00');
    const a = c().getTime();
    expect(a - Date.parse('2026-11-27T11:00:00Z')).toBeLessThan(1000);
    await new Promise((r) => setTimeout(r, 30));
    expect(c().getTime()).toBeGreaterThan(a);
    expect(() => clockFrom('Friday')).toThrow(/not an instant/);
  });

  it('moves only when told (manual)', () => {
    const m = new ManualClock('2026-11-30T22:59:59Z');
    expect(m.now().toISOString()).toBe('2026-11-30T22:59:59.000Z');
    m.advance(2_000);
    expect(m.now().toISOString()).toBe('2026-11-30T23:00:01.000Z');
    m.set('2027-01-01T00:00:00Z');
    expect(m.now().getUTCFullYear()).toBe(2027);
  });

  it('every country profile names a real time zone', () => {
    for (const p of Object.values(PROFILES)) expect(isTimeZone(p.timeZone), p.country).toBe(true);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
  });
});

describe('business dates in the store time zone', () => {
  it('a day ends at the store midnight, not at UTC midnight or the process time zone', () => {
    // 23:59:59 and 00:00:01 Stockholm time (CET, UTC+1) on the last day of November
    expect(storeDate('2026-11-30T22:59:59Z', STOCKHOLM)).toBe('2026-11-30');
    expect(storeDate('2026-11-30T23:00:01Z', STOCKHOLM)).toBe('2026-12-01');
    // the same instants seen from a store in Kiribati (UTC+14) are a day later already
    expect(storeDate('2026-11-30T09:59:00Z', 'Pacific/Kiritimati')).toBe('2026-11-30');
    expect(storeDate('2026-11-30T10:00:00Z', 'Pacific/Kiritimati')).toBe('2026-12-01');
  });

  it('the night of the change to summer time is one business day, and so is the change back', () => {
    // 2027-03-28: 02:00 CET jumps to 03:00 CEST; 2027-10-31: 03:00 CEST falls back to 02:00 CET
    expect(storeDate('2027-03-27T23:30:00Z', STOCKHOLM)).toBe('2027-03-28'); // 00:30 CET
    expect(storeDate('2027-03-28T01:30:00Z', STOCKHOLM)).toBe('2027-03-28'); // 03:30 CEST
    expect(storeDate('2027-03-28T21:59:59Z', STOCKHOLM)).toBe('2027-03-28'); // 23:59:59 CEST
    expect(storeDate('2027-03-28T22:00:00Z', STOCKHOLM)).toBe('2027-03-29');
    expect(storeDate('2027-10-30T22:00:00Z', STOCKHOLM)).toBe('2027-10-31'); // 00:00 CEST
    expect(storeDate('2027-10-31T22:59:59Z', STOCKHOLM)).toBe('2027-10-31'); // 23:59:59 CET (a 25-hour day)
    expect(storeDate('2027-10-31T23:00:00Z', STOCKHOLM)).toBe('2027-11-01');
  });

  it('a wall clock shows local time on both sides of a DST change', () => {
    expect(wallTime(new Date('2027-03-28T00:59:59Z'), STOCKHOLM)).toMatchObject({ hour: 1, minute: 59, second: 59 });
    expect(wallTime(new Date('2027-03-28T01:00:00Z'), STOCKHOLM)).toMatchObject({ hour: 3, minute: 0 });
  });
});

describe("a payment terminal's MMDD/HHMMSS against the till's time", () => {
  it('is compared in the store time zone', () => {
    // 12:00:05 Stockholm is 11:00:05Z in winter
    expect(secondsBetween('1127', '120005', '2026-11-27T11:00:00.000Z', STOCKHOLM)).toBe(5);
    expect(secondsBetween('1127', '115955', '2026-11-27T11:00:00.000Z', STOCKHOLM)).toBe(-5);
  });

  it("in the autumn's repeated hour is the same wall clock, not an hour apart (no double charge after a crash)", () => {
    // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 01:20Z is the second 02:20 in Stockholm
    expect(secondsBetween('1025', '022005', '2026-10-25T01:20:00.000Z', STOCKHOLM)).toBe(5);
    expect(secondsBetween('1025', '022005', '2026-10-25T00:20:00.000Z', STOCKHOLM)).toBe(5);
  });

  it('across New Year is seconds, not a year', () => {
    // started 23:59:58 on 31 December Stockholm time, the terminal stamped 00:00:01 on 1 January
    expect(secondsBetween('0101', '000001', '2026-12-31T22:59:58.000Z', STOCKHOLM)).toBe(3);
    // 01:00:00 on 1 January in Stockholm; the terminal stamped 23:59:58 the day before
    expect(secondsBetween('1231', '235958', '2027-01-01T00:00:00.000Z', STOCKHOLM)).toBe(-3602);
  });

  it('refuses what is not a date or time', () => {
    expect(secondsBetween('13', '120000', '2026-11-27T11:00:00Z', STOCKHOLM)).toBeNull();
    expect(secondsBetween('1127', '12:00', '2026-11-27T11:00:00Z', STOCKHOLM)).toBeNull();
  });

  it('finds the instant a store’s wall clock shows a time of a date, on the days DST begins and ends, and refuses a date that is none', () => {
    expect(instantAt('2026-03-29', 8, 0, STOCKHOLM).toISOString()).toBe('2026-03-29T06:00:00.000Z');
    expect(instantAt('2026-10-25', 8, 0, 'Europe/Berlin').toISOString()).toBe('2026-10-25T07:00:00.000Z');
    expect(instantAt('2026-12-07', 23, 30, 'Pacific/Kiritimati').toISOString()).toBe('2026-12-07T09:30:00.000Z');
    expect(instantAt('2026-12-07', 8, 0, 'America/Los_Angeles').toISOString()).toBe('2026-12-07T16:00:00.000Z');
    expect(() => instantAt('2026-02-30', 8, 0, STOCKHOLM)).toThrow(/no such date/);
    expect(() => instantAt('7.12.2026', 8, 0, STOCKHOLM)).toThrow(/not a date/);
  });
});
