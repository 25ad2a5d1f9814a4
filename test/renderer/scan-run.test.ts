/** The scan run (renderer/src/input/scan-run.ts, used by owner.ts): a scanner's rhythm is told from a person's wherever the focus is. */
import { describe, expect, it } from 'vitest';
import { ScanRun } from '../../renderer/src/input/scan-run';

const timing = { maxKeyGapMs: 30, minLength: 6 };
function typed(run: ScanRun<object>, text: string, start: number, gap: number): number {
  let t = start;
  for (const c of text) {
    run.key(t, c, null);
    t += gap;
  }
  return t;
}

describe('ScanRun', () => {
  it('takes fast keys ended by a fast Enter as a scan, with its code', () => {
    const run = new ScanRun<object>(timing);
    const end = typed(run, '7310865000101', 1000, 4);
    expect(run.enter(end)).toEqual({ code: '7310865000101', field: null });
  });

  it('a person typing (gaps over the limit), a late Enter or a short run is not a scan', () => {
    const run = new ScanRun<object>(timing);
    expect(run.enter(typed(run, '49,90', 0, 120))).toBeNull();
    expect(run.enter(typed(run, '7310865000101', 1000, 4) + 200)).toBeNull();
    expect(run.enter(typed(run, '12345', 2000, 4))).toBeNull();
  });

  it('a scan right after typing is only the fast run: the field is taken back to before it began', () => {
    const run = new ScanRun<object>(timing);
    const field = { value: '', start: 0, end: 0 };
    run.key(0, '4', field);
    const before = { ...field, value: '4', start: 1, end: 1 };
    let t = 500;
    run.key(t, '7', before);
    for (const c of '310865000101') run.key((t += 4), c, { ...before, value: 'x' });
    expect(run.enter(t + 4)).toEqual({ code: '7310865000101', field: before });
  });
});
