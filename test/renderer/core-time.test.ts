/**
 * The screens tell the core's time, not the browser machine's: "offline for 12 min" and the status
 * bar's clock follow the `now` the core stamps on its messages, whatever the browser's clock says.
 */
import { describe, expect, it } from 'vitest';
import { coreNow, setCoreTime } from '../../renderer/src/core-time';
import { ageText } from '../../renderer/src/format';

describe("the core's time on screen", () => {
  it('follows the core even when the browser machine is a year off', () => {
    setCoreTime('2026-11-23T10:00:00.000Z');
    expect(Math.abs(coreNow() - Date.parse('2026-11-23T10:00:00.000Z'))).toBeLessThan(1_000);
    // HQ last reached 12 minutes before the core's now, in the lane's language
    expect(ageText('2026-11-23T09:48:00.000Z', 'sv')).toMatch(/^12\s?min/);
    expect(ageText('2026-11-23T07:00:00.000Z', 'en')).toMatch(/^3\s?hr/);
  });

  it('says "under a minute" in the first minute, never "0 min" (the control unit window read "No answer for 0 min.")', () => {
    setCoreTime('2026-11-23T10:00:00.000Z');
    expect(ageText('2026-11-23T09:59:40.000Z', 'en')).toMatch(/^< 1\s?min/);
    expect(ageText('2026-11-23T09:59:40.000Z', 'de')).toMatch(/^< 1\s?Min/);
    expect(ageText('2026-11-23T09:58:50.000Z', 'sv')).toMatch(/^1\s?min/);
  });

  it('ignores a time it cannot read', () => {
    setCoreTime('2026-11-23T10:00:00.000Z');
    setCoreTime('not a time');
    expect(Math.abs(coreNow() - Date.parse('2026-11-23T10:00:00.000Z'))).toBeLessThan(1_000);
  });
});
