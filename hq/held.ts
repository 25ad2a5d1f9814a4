/**
 * What the fleet holds, newest first: the highest catalog version and staff list version any
 * terminal in service reported at its last check-in. HQ numbers what it publishes past these as well
 * as past its own records, so an HQ restored from an older backup — its counters gone back — never
 * offers a terminal something it would refuse as a rollback: its next catalog and its next staff
 * change reach every terminal (docs/design.md, "HQ restored from a backup").
 */
import type { Sql } from './sql';

export interface Held {
  catalog: number;
  staff: number;
}

export async function newestHeld(q: Sql): Promise<Held> {
  const [r] = await q.query<{ catalog: number | string | null; staff: number | string | null }>(
    'SELECT max(catalog_version) AS catalog, max(staff_version) AS staff FROM terminal WHERE revoked_at IS NULL',
  );
  return { catalog: Number(r?.catalog ?? 0), staff: Number(r?.staff ?? 0) };
}
