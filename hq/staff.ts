/**
 * The store's staff at HQ (migration 0011; protocol/staff.ts): store IT adds, changes and removes
 * operators (`npm run hq:staff`, or the admin API), HQ hashes each PIN at once (scrypt, the
 * terminals' own format) and keeps only the hash. A store's staff list is its own rows and the
 * chain-wide ones (store '*'; the store's own row of the same number wins); its version is the
 * highest revision among them, so any change that concerns a store — a removal too — raises it.
 * Terminals get the list at check-in, signed with HQ's store-document key (hq/roster.ts).
 */
import { ZodError } from 'zod';
import { hashPin, PIN_PATTERN } from '../protocol/pin';
import { OperatorIdSchema, StaffListSchema, StaffRoleSchema, type StaffList, type StaffMember } from '../protocol/staff';
import { HqError } from './errors';
import { isStoreId } from './store-id';
import { badgesOf } from './staff-badges';
import { nextRevision } from './staff-revision';
import type { Sql } from './sql';
import type { RosterSigner } from './roster';
import type { SignedRoster } from '../protocol/hq';

/** Staff of every store. */
export const ALL_STORES = '*';

/** The most operators a store's own rows may hold (the list a terminal takes holds at most 5,000 with the chain-wide ones). */
const MAX_STAFF = 4_000;

export interface StaffInput {
  storeId: string;
  id: string;
  name: string;
  role: string;
  /** The PIN as typed by store IT (hashed here, never stored); left out on a change of name or role only. */
  pin?: string;
}

interface StaffRow {
  store_id: string;
  operator_id: string;
  name: string;
  role: string;
  pin_hash: string | null;
  removed: number;
  revision: number | string;
  updated_at: string;
}

function checkStore(storeId: string): void {
  if (storeId !== ALL_STORES && !isStoreId(storeId)) throw new HqError(400, 'INVALID', `a store id is 1 to 32 letters, digits, - or _ (or ${ALL_STORES} for every store)`);
}

/** Adds an operator to a store's staff (or every store's: '*'), or changes one; returns the new revision. A new operator needs a PIN. */
export async function setStaff(sql: Sql, input: StaffInput, now: Date): Promise<number> {
  checkStore(input.storeId);
  if (!OperatorIdSchema.safeParse(input.id).success) throw new HqError(400, 'INVALID', 'an operator number is 1 to 8 digits');
  const name = input.name.trim();
  if (!name || name.length > 60) throw new HqError(400, 'INVALID', 'a name is 1 to 60 characters');
  const role = StaffRoleSchema.safeParse(input.role);
  if (!role.success) throw new HqError(400, 'INVALID', `a role is one of ${StaffRoleSchema.options.join(', ')}`);
  if (input.pin !== undefined && !PIN_PATTERN.test(input.pin)) throw new HqError(400, 'INVALID', 'a PIN is 4 to 8 digits');
  const pinHash = input.pin === undefined ? null : hashPin(input.pin);
  return sql.tx(async (q) => {
    // The counter first: its row lock orders concurrent changes (PostgreSQL, READ COMMITTED), so what is read below is current.
    const revision = await nextRevision(q);
    const [held] = await q.query<StaffRow>('SELECT * FROM staff WHERE store_id = $1 AND operator_id = $2', [input.storeId, input.id]);
    const hash = pinHash ?? (held && !held.removed ? held.pin_hash : null);
    if (!hash) throw new HqError(400, 'INVALID', `operator ${input.id} is new at ${input.storeId === ALL_STORES ? 'every store' : `store ${input.storeId}`}: give a PIN`);
    if (!held) {
      const [n] = await q.query<{ n: number | string }>('SELECT count(*) AS n FROM staff WHERE store_id = $1 AND removed = 0', [input.storeId]);
      if (Number(n!.n) >= MAX_STAFF) throw new HqError(400, 'INVALID', `a store's staff list holds at most ${MAX_STAFF} operators`);
    }
    await q.query(
      `INSERT INTO staff (store_id, operator_id, name, role, pin_hash, removed, revision, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7)
       ON CONFLICT (store_id, operator_id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash, removed = 0, revision = excluded.revision, updated_at = excluded.updated_at`,
      [input.storeId, input.id, name, role.data, hash, revision, now.toISOString()],
    );
    return revision;
  });
}

/** Removes an operator from a store's staff (or every store's); terminals drop them at their next check-in. False: no such operator. */
export async function removeStaff(sql: Sql, storeId: string, id: string, now: Date): Promise<boolean> {
  checkStore(storeId);
  return sql.tx(async (q) => {
    const revision = await nextRevision(q); // first: it orders concurrent changes (see setStaff)
    const [held] = await q.query<StaffRow>('SELECT * FROM staff WHERE store_id = $1 AND operator_id = $2 AND removed = 0', [storeId, id]);
    if (!held) throw new NotFound();
    await q.query('UPDATE staff SET removed = 1, pin_hash = NULL, revision = $1, updated_at = $2 WHERE store_id = $3 AND operator_id = $4', [revision, now.toISOString(), storeId, id]);
    await q.query('UPDATE staff_badge SET revoked = 1 WHERE store_id = $1 AND operator_id = $2', [storeId, id]); // added again later, they get new badges
    return true;
  }).catch((err: unknown) => {
    // Nothing to remove: the transaction (and the revision it took) is rolled back.
    if (err instanceof NotFound) return false;
    throw err;
  });
}

class NotFound extends Error {}

/** The staff as store IT sees them: a store's (or every store's: '*') operators, without their PIN hashes. */
export async function listStaff(sql: Sql, storeId: string): Promise<Array<{ storeId: string; id: string; name: string; role: string; updatedAt: string }>> {
  checkStore(storeId);
  const rows = await sql.query<StaffRow>(
    `SELECT * FROM staff WHERE removed = 0 AND (store_id = $1 OR store_id = '${ALL_STORES}') ORDER BY operator_id, store_id`,
    [storeId],
  );
  return rows.map((r) => ({ storeId: r.store_id, id: r.operator_id, name: r.name, role: r.role, updatedAt: r.updated_at }));
}

/** What a check-in's answer says of the staff: to a terminal that said which list it holds, the store's signed list when HQ's is newer (null: not newer); nothing to one that did not say. */
export async function staffOffer(sql: Sql, signer: RosterSigner, storeId: string, held: { version: number } | undefined, now: Date): Promise<{ staff?: SignedRoster | null }> {
  if (!held) return {};
  // Most check-ins hold the current list: its version alone says so, without reading and checking every row.
  const [v] = await sql.query<{ version: number | string | null }>(`SELECT max(revision) AS version FROM staff WHERE store_id = $1 OR store_id = '${ALL_STORES}'`, [storeId]);
  if (Number(v?.version ?? 0) <= held.version) return { staff: null };
  try {
    const list = await storeStaffList(sql, storeId, now);
    return { staff: list && list.version > held.version ? signer.sign(list) : null };
  } catch (err) {
    // A list HQ cannot make (more than a terminal takes): left out, so the catalog, roster and OS still get through.
    if (err instanceof ZodError) return {};
    throw err;
  }
}

/** The staff list of one store as terminals get it, or null when HQ has never had staff for it (version 0). */
export async function storeStaffList(sql: Sql, storeId: string, now: Date): Promise<StaffList | null> {
  const rows = await sql.query<StaffRow>(`SELECT * FROM staff WHERE store_id = $1 OR store_id = '${ALL_STORES}'`, [storeId]);
  if (!rows.length) return null;
  const version = Math.max(...rows.map((r) => Number(r.revision)));
  const byId = new Map<string, StaffRow>();
  // The store's own row wins over a chain-wide one of the same number (removed or not).
  for (const r of rows) if (r.store_id !== ALL_STORES || !byId.has(r.operator_id)) byId.set(r.operator_id, r);
  const badges = await badgesOf(sql, storeId);
  const staff: StaffMember[] = [...byId.values()]
    .filter((r) => !r.removed && r.pin_hash)
    .sort((a, b) => a.operator_id.localeCompare(b.operator_id, 'en', { numeric: true }))
    .map((r) => {
      const held = badges(r.store_id, r.operator_id);
      return { id: r.operator_id, name: r.name, role: r.role as StaffMember['role'], pinHash: r.pin_hash!, ...(held.length ? { badges: held } : {}) };
    });
  return StaffListSchema.parse({ storeId, version, issuedAt: now.toISOString(), staff });
}

/** Each store's staff list version at HQ (0: none), from one read: the highest revision of its own rows and the chain-wide ones. */
export async function staffVersions(sql: Sql): Promise<(storeId: string) => number> {
  const rows = await sql.query<{ store_id: string; v: number | string }>('SELECT store_id, max(revision) AS v FROM staff GROUP BY store_id');
  const by = new Map(rows.map((r) => [r.store_id, Number(r.v)]));
  const all = by.get(ALL_STORES) ?? 0;
  return (storeId) => Math.max(all, by.get(storeId) ?? 0);
}
