/** What a demo day sells: the market's fixed demo items a cashier scans without more ado, and how its cash is counted. */
import type { Profile } from '../../protocol/terminal';
import { DEMO_MARKETS } from '../markets/demo';

export interface PoolItem {
  code: string;
  /** The deposit item this product carries, if any. */
  depositItemId: string | null;
}

/** Piece items with a barcode and a price, no age limit (no ID check in a demo day), deposits carried by their drinks. */
export function demoPool(country: Profile['country']): PoolItem[] {
  const pool = Object.values(DEMO_MARKETS[country].items)
    .filter((i) => i.codes.length > 0 && i.unit === 'piece' && !i.isDeposit && !i.ageLimit && i.price > 0 && !/^2/.test(i.codes[0]!))
    .map((i) => ({ code: i.codes[0]!, depositItemId: i.deposit ?? null }));
  if (pool.length === 0) throw new Error(`the ${country} demo catalog has no item a demo day can sell`);
  return pool;
}

/** A drawer count of `amount` in the profile's notes and coins, largest first (what cannot be made up of them is left out). */
export function denominationCount(profile: Profile, amount: number): Array<{ denomination: number; count: number }> {
  const out: Array<{ denomination: number; count: number }> = [];
  let left = amount;
  for (const d of [...profile.denominations].sort((a, b) => b - a)) {
    const count = Math.floor(left / d);
    if (count > 0) out.push({ denomination: d, count });
    left -= count * d;
  }
  return out;
}
