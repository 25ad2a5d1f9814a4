import { randomBytes } from 'node:crypto';
import { systemClock } from './clock';

let lastMs = -1;
let seq = 0;

/**
 * UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, 12 bits of a per-millisecond counter
 * (so ids made in the same millisecond still sort in creation order), variant, 62 random bits.
 */
export function uuidv7(now: number = systemClock().getTime()): string {
  if (now <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
    now = lastMs;
  } else {
    lastMs = now;
    seq = 0;
  }
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  return uuidFromHex(b.toString('hex'));
}

/** A UUID from its 32 hex digits (as a receipt or slip barcode carries it). */
export function uuidFromHex(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
