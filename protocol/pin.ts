/**
 * Operators' PINs as they are stored: scrypt hashes (salted, compared in constant time), never a
 * PIN. HQ hashes a PIN when store IT sets it (hq/staff.ts) and sends only the hash in the signed
 * staff list; the terminal checks a PIN typed at sign-in against it (core/operators).
 */
import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

/** A PIN: 4 to 8 digits. */
export const PIN_PATTERN = /^\d{4,8}$/;

/** A stored PIN hash: `scrypt$N$r$p$salt$hash` (salt and hash base64). */
export const PinHashSchema = z
  .string()
  .max(200)
  .regex(/^scrypt\$\d{1,7}\$\d{1,2}\$\d{1,2}\$[A-Za-z0-9+/=]{8,64}\$[A-Za-z0-9+/=]{16,128}$/, 'a scrypt PIN hash')
  .refine((h) => costAcceptable(h.split('$')), 'scrypt cost out of bounds (N a power of two from 2^10 to 2^15, r 1–8, p 1–2)');

/** The scrypt costs a terminal computes at sign-in: bounded, so a hash from HQ can neither fail scrypt nor hold the lane for long. */
function costAcceptable(parts: string[]): boolean {
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  return Number.isInteger(Math.log2(n)) && n >= 1024 && n <= 32768 && r >= 1 && r <= 8 && p >= 1 && p <= 2;
}

export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  if (!PIN_PATTERN.test(pin)) throw new Error('a PIN is 4 to 8 digits');
  const hash = scryptSync(pin, salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `pin` matches a stored hash. The cost parameters are the hash's own, within bounds (a hash from HQ cannot make a sign-in take minutes). */
export function verifyPin(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (!costAcceptable(parts)) return false;
  const expected = Buffer.from(hash, 'base64');
  try {
    const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  } catch {
    return false;
  }
}
