/** Which screen gets the customer display window. */
import { describe, expect, it } from 'vitest';
import { customerDisplayUrl, pickCustomerDisplay } from '../../electron/main/displays';

const screen = (id: number, width: number, height: number) => ({ id, bounds: { x: 0, y: 0, width, height } });
const lane = screen(1, 1920, 1080);
const small = screen(2, 800, 480);
const big = screen(3, 1280, 1024);

describe('customer display screen', () => {
  it('one screen: no customer window', () => {
    expect(pickCustomerDisplay([lane], 1, undefined)).toBeNull();
  });
  it('auto: the largest screen that is not the lane’s', () => {
    expect(pickCustomerDisplay([lane, small, big], 1, 'auto')?.id).toBe(3);
    expect(pickCustomerDisplay([lane, small], 1, undefined)?.id).toBe(2);
  });
  it('off, or a configured id (never the lane’s own screen)', () => {
    expect(pickCustomerDisplay([lane, big], 1, 'off')).toBeNull();
    expect(pickCustomerDisplay([lane, small, big], 1, '2')?.id).toBe(2);
    expect(pickCustomerDisplay([lane, small], 1, '1')).toBeNull();
    expect(pickCustomerDisplay([lane, small], 1, 'left')).toBeNull();
  });
  it('loads the customer view from the app origin', () => {
    expect(customerDisplayUrl('kassa://app/')).toBe('kassa://app/?view=customer');
    expect(customerDisplayUrl('kassa://app/?view=lane#x')).toBe('kassa://app/?view=customer');
  });
});
