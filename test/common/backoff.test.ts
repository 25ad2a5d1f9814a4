import { describe, expect, it } from 'vitest';
import { Backoff, exponentialDelay } from '../../common/backoff';

/** A random source that returns the given values in turn (then the last one forever). */
const seq = (...values: number[]) => {
  let i = 0;
  return () => values[Math.min(i++, values.length - 1)]!;
};

describe('exponentialDelay', () => {
  it('doubles from min and stops at max', () => {
    expect([0, 1, 2, 3, 4, 5, 50].map((n) => exponentialDelay(n, 200, 5_000))).toEqual([200, 400, 800, 1_600, 3_200, 5_000, 5_000]);
  });
  it('treats negative and fractional attempts as whole attempts from 0', () => {
    expect([-3, 0.9, 1.5].map((n) => exponentialDelay(n, 10, 100))).toEqual([10, 10, 20]);
  });
});

describe('Backoff', () => {
  it('grows by doubling up to max (no spread with a middle random value)', () => {
    const b = new Backoff({ minMs: 100, maxMs: 1_000, jitter: 0.2 }, () => 0.5);
    expect(Array.from({ length: 7 }, () => b.next())).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it('spreads each delay within ±jitter of it', () => {
    const low = new Backoff({ minMs: 1_000, maxMs: 8_000, jitter: 0.2 }, () => 0);
    const high = new Backoff({ minMs: 1_000, maxMs: 8_000, jitter: 0.2 }, () => 0.999_999);
    expect(low.next()).toBeCloseTo(800);
    expect(high.next()).toBeCloseTo(1_200, 2);
    expect(low.next()).toBeCloseTo(1_600);
    expect(high.next()).toBeCloseTo(2_400, 2);
  });

  it('stays within bounds whatever the random source returns', () => {
    const b = new Backoff({ minMs: 50, maxMs: 400, jitter: 0.5 }, seq(0, 0.3, 0.999, 0.1, 0.7, 0, 0.999));
    for (let i = 0; i < 7; i++) {
      const d = b.next();
      expect(d).toBeGreaterThanOrEqual(25);
      expect(d).toBeLessThan(600);
    }
  });

  it('is exact with no jitter', () => {
    const b = new Backoff({ minMs: 10, maxMs: 35, jitter: 0 }, () => 0.9);
    expect([b.next(), b.next(), b.next(), b.next()]).toEqual([10, 20, 35, 35]);
  });

  it('starts again from min after a reset', () => {
    const b = new Backoff({ minMs: 100, maxMs: 10_000 }, () => 0.5);
    b.next();
    b.next();
    b.next();
    b.reset();
    expect(b.next()).toBe(100);
    expect(b.next()).toBe(200);
  });

  it('uses ±20 % by default', () => {
    expect(new Backoff({ minMs: 1_000, maxMs: 5_000 }, () => 0).next()).toBeCloseTo(800);
  });
});
