/**
 * Badges issued at HQ (migration staff_badges; docs/design.md, "Staff"): store IT
 * issues an operator a badge (`npm run hq:staff -- badge`, or the admin API), HQ prints its barcode
 * once and keeps only its SHA-256, and the store's staff list carries the hashes, so one badge works
 * at every till of its store (store '*': of every store) — where a badge issued on a terminal
 * (`npm run badge:issue`) works on that terminal only. Revoking an operator's badges (lost, stolen)
 * reaches every till at its next check-in. Issuing and revoking raise the operator's staff revision
 * (the counter every staff change takes first), so the list's version moves on.
 */
import { badgeHash, MAX_BADGES, newBadgeCode } from '../protocol/staff';
import { HqError } from './errors';
import type { Sql } from './sql';
import { nextRevision } from './staff-revision';

/** Issues a badge for an operator on a store's staff (or every store's: '*'); returns its barcode (shown once) and the new revision. */
export async function issueBadge(sql: Sql, storeId: string, operatorId: string, now: Date): Promise<{ badge: string; revision: number }> {
  const code = newBadgeCode();
  const revision = await sql.tx(async (q) => {
    const revision = await nextRevision(q); // first: its row lock orders concurrent changes (hq/staff.ts)
    const [held] = await q.query<{ removed: number }>('SELECT removed FROM staff WHERE store_id = $1 AND operator_id = $2', [storeId, operatorId]);
    if (!held || Number(held.removed)) throw new HqError(404, 'NOT_FOUND', `no operator ${operatorId} on the staff of ${storeId === '*' ? 'every store' : `store ${storeId}`}`);
    const n = await heldBadges(q, storeId, operatorId);
    if (n >= MAX_BADGES) throw new HqError(409, 'TOO_MANY_BADGES', `operator ${operatorId} holds ${MAX_BADGES} badges: revoke them (a lost one cannot be told apart) and issue new ones`);
    await q.query('INSERT INTO staff_badge (badge_hash, store_id, operator_id, revoked, issued_at) VALUES ($1, $2, $3, 0, $4)', [badgeHash(code), storeId, operatorId, now.toISOString()]);
    await touchOperator(q, storeId, operatorId, revision, now);
    return revision;
  });
  return { badge: code, revision };
}

/** Revokes every badge of an operator on a store's staff; returns how many and the new revision (none held: nothing changes, revision null). */
export async function revokeBadges(sql: Sql, storeId: string, operatorId: string, now: Date): Promise<{ revoked: number; revision: number | null }> {
  return sql.tx(async (q) => {
    // The revision counter first, as in every staff change: its row lock orders concurrent changes on PostgreSQL,
    // so the count below cannot miss a badge issued by a transaction that commits in between.
    const revision = await nextRevision(q);
    const n = await heldBadges(q, storeId, operatorId);
    if (!n) return { revoked: 0, revision: null };
    await q.query('UPDATE staff_badge SET revoked = 1 WHERE store_id = $1 AND operator_id = $2 AND revoked = 0', [storeId, operatorId]);
    await touchOperator(q, storeId, operatorId, revision, now);
    return { revoked: n, revision };
  });
}

/** How many badges in force an operator holds. */
async function heldBadges(q: Sql, storeId: string, operatorId: string): Promise<number> {
  const [n] = await q.query<{ n: number | string }>('SELECT count(*) AS n FROM staff_badge WHERE store_id = $1 AND operator_id = $2 AND revoked = 0', [storeId, operatorId]);
  return Number(n!.n);
}

/** The operator's row takes the revision of a change to their badges, so the store's list version moves on. */
async function touchOperator(q: Sql, storeId: string, operatorId: string, revision: number, now: Date): Promise<void> {
  await q.query('UPDATE staff SET revision = $1, updated_at = $2 WHERE store_id = $3 AND operator_id = $4', [revision, now.toISOString(), storeId, operatorId]);
}

/** The badges in force for a store's list, looked up by the staff row they belong to (its store: the store's own or '*'). */
export async function badgesOf(sql: Sql, storeId: string): Promise<(rowStore: string, operatorId: string) => string[]> {
  const rows = await sql.query<{ store_id: string; operator_id: string; badge_hash: string }>(
    `SELECT store_id, operator_id, badge_hash FROM staff_badge WHERE revoked = 0 AND (store_id = $1 OR store_id = '*') ORDER BY issued_at, badge_hash`,
    [storeId],
  );
  const by = new Map<string, string[]>();
  for (const r of rows) {
    const k = `${r.store_id}\u0000${r.operator_id}`;
    by.set(k, [...(by.get(k) ?? []), r.badge_hash]);
  }
  return (rowStore, operatorId) => by.get(`${rowStore}\u0000${operatorId}`) ?? [];
}
