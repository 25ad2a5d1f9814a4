/**
 * PIN hashes (protocol/pin.ts): the terminals' own hashes verify; a hash whose scrypt costs are out of
 * bounds — one scrypt cannot compute (N not a power of two, over the memory cap) or one that would
 * hold the lane — is not a PIN hash in a staff list, and verifying against it says "wrong", never throws.
 */
import { describe, expect, it } from 'vitest';
import { hashPin, PinHashSchema, verifyPin } from '../../protocol/pin';

const withCost = (h: string, n: number, r: number, p: number) => h.split('$').map((x, i) => (i === 1 ? String(n) : i === 2 ? String(r) : i === 3 ? String(p) : x)).join('$');

describe('PIN hashes', () => {
  const good = hashPin('4821');

  it('verify the PIN they were made from, and no other', () => {
    expect(PinHashSchema.safeParse(good).success).toBe(true);
    expect(verifyPin('4821', good)).toBe(true);
    expect(verifyPin('4822', good)).toBe(false);
  });

  it.each([
    [3, 8, 1],
    [1, 8, 1],
    [65536, 8, 1],
    [32768, 16, 4],
    [512, 8, 1],
    [16384, 8, 3],
  ])('refuse scrypt costs N=%i r=%i p=%i: not in a staff list, and a sign-in against it is only wrong', (n, r, p) => {
    const odd = withCost(good, n, r, p);
    expect(PinHashSchema.safeParse(odd).success).toBe(false);
    expect(verifyPin('4821', odd)).toBe(false);
  });
});
