import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Coalescer, RateLimitedLog, spanWords } from '../../common/rate-limit';

let t = 0;
const elapsed = () => t;
beforeEach(() => {
  t = 0;
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RateLimitedLog', () => {
  it('writes the first lines of a window, then one line with the count of the rest when the window ends', () => {
    const out: string[] = [];
    const log = new RateLimitedLog((l) => out.push(l), { max: 3, windowMs: 60_000, what: 'bad bytes', elapsed });
    for (let i = 0; i < 5_737; i++) {
      log.log(`bad byte ${i}`);
      t += 10;
    }
    expect(out).toEqual(['bad byte 0', 'bad byte 1', 'bad byte 2']);
    expect(log.pending).toBe(5_734);
    // The source falls silent: the window's end writes the count all the same.
    t = 60_000;
    vi.advanceTimersByTime(60_000);
    expect(out).toEqual(['bad byte 0', 'bad byte 1', 'bad byte 2', '… 5,734 more bad bytes in the last minute']);
    // A new window: lines are written again.
    t = 200_000;
    log.log('bad byte again');
    expect(out.at(-1)).toBe('bad byte again');
    log.stop();
    expect(out).toHaveLength(5);
  });

  it('a line after the window ends writes the count first; flush() writes it early, naming the span', () => {
    const out: string[] = [];
    const log = new RateLimitedLog((l) => out.push(l), { max: 1, windowMs: 1_000, what: 'lines', elapsed });
    log.log('a');
    log.log('b');
    log.log('c');
    t = 1_500;
    log.log('d');
    expect(out).toEqual(['a', '… 2 more lines in the last 1 s', 'd']);
    log.log('e');
    t = 1_800;
    log.flush();
    expect(out.at(-1)).toBe('… 1 more lines in the last 300 ms');
    log.flush();
    expect(out).toHaveLength(4);
  });

  it('words spans', () => {
    expect([60_000, 3_600_000, 4_200, 250].map(spanWords)).toEqual(['minute', 'hour', '4 s', '250 ms']);
  });
});

describe('Coalescer', () => {
  it('passes the first value at once and then at most one per interval, always ending on the latest', () => {
    const out: number[] = [];
    const c = new Coalescer<number>((v) => out.push(v), 250);
    for (let i = 1; i <= 5_735; i++) c.push(i);
    expect(out).toEqual([1]);
    vi.advanceTimersByTime(250);
    expect(out).toEqual([1, 5_735]);
    vi.advanceTimersByTime(1_000);
    expect(out).toEqual([1, 5_735]);
  });

  it('passes nothing when the value came back to what was last passed', () => {
    const out: string[] = [];
    const c = new Coalescer<string>((v) => out.push(v), 250);
    c.push('ok');
    c.push('paperOut');
    c.push('ok');
    vi.advanceTimersByTime(250);
    expect(out).toEqual(['ok']);
    c.push('ok');
    expect(out).toEqual(['ok']);
    c.push('unreadable');
    expect(out).toEqual(['ok', 'unreadable']);
    c.push('ok');
    c.cancel();
    vi.advanceTimersByTime(1_000);
    expect(out).toEqual(['ok', 'unreadable']);
  });
});
