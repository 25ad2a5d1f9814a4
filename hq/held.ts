/**
 * What the fleet holds, newest first: the highest catalog version, staff list version and — for one
 * store — store record revision that any terminal in service reported at its last check-in. HQ
 * numbers what it publishes past these as well as past its own records, so an HQ restored from an
 * older backup — its counters gone back — never offers a terminal something it would refuse as a
 * rollback: its next catalog, staff change and store record reach every terminal (docs/design.md,
 * "HQ restored from a backup").
 *
 * Whose versions count follows what the terminal compares against: the catalog is one for the
 * fleet, and the staff lists are numbered by one fleet-wide counter (chain-wide operators are on
 * every store's list), so those are the fleet's maximum; the store's record is numbered per store and
 * a terminal only ever holds its own store's (a new enrollment forgets it), so that is the store's
 * maximum. Revoked terminals are skipped for all three: HQ refuses their check-ins, so nothing it
 * publishes is ever offered to them, and a reflashed till enrolls afresh (holding nothing).
 */
import type { Sql } from './sql';

export interface Held {
  catalog: number;
  staff: number;
  /** The store's record revision held by the store's terminals (0 when no store was asked for). */
  legal: number;
}

export async function newestHeld(q: Sql, legalOf: string | null = null): Promise<Held> {
  const [r] = await q.query<{ catalog: number | string | null; staff: number | string | null; legal: number | string | null }>(
    'SELECT max(catalog_version) AS catalog, max(staff_version) AS staff, max(CASE WHEN store_id = $1 THEN legal_version END) AS legal FROM terminal WHERE revoked_at IS NULL',
    [legalOf],
  );
  return { catalog: Number(r?.catalog ?? 0), staff: Number(r?.staff ?? 0), legal: Number(r?.legal ?? 0) };
}
