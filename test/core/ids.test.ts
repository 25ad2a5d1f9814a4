import { describe, expect, it } from 'vitest';
import { uuidv7, UUID_V7 } from '../../core/ids';

describe('UUIDv7', () => {
  it('is a version 7 RFC 9562 UUID carrying the millisecond timestamp', () => {
    const t = Date.UTC(2026, 10, 24, 12, 0, 0);
    const id = uuidv7(t);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(t);
  });
  it('sorts in creation order, even many in one millisecond', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_800_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
