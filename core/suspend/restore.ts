/**
 * A reflashed till's parked baskets come back with its journal (issue 19.3, core/peers/recover-store.ts):
 * every `sale.suspended` entry of the recovered journal that no `sale.resumed` entry in it took up
 * is parked again — listed on the lane as before the wipe, resumable by its slip. A basket taken up
 * on another lane meanwhile is still refused when its slip is read (core/suspend/commands.ts asks
 * the store's copies), naming that lane.
 */
import type { Db } from '../db';
import { parseBody } from '../journal/kinds';
import { suspendRepo } from './repo';

/** Parks again the baskets the recovered entries left parked; returns how many. */
export function restoreParked(db: Db, entries: ReadonlyArray<{ kind: string; at: string; body: string }>, storeId: string): number {
  const taken = new Set(entries.filter((e) => e.kind === 'sale.resumed').map((e) => parseBody('sale.resumed', e.body).suspendId));
  const repo = suspendRepo(db);
  let n = 0;
  for (const e of entries) {
    if (e.kind !== 'sale.suspended') continue;
    const b = parseBody('sale.suspended', e.body);
    if (taken.has(b.suspendId) || repo.byId(b.suspendId)) continue;
    repo.insert({ suspendId: b.suspendId, storeId, laneId: b.lane, member: b.member ?? null, items: b.items }, e.at, b.operator);
    n++;
  }
  return n;
}
