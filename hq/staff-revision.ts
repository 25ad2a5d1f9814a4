/** The staff revision counter (migration 0011 staff_revision): every change to a store's staff or its badges takes the next one first. */
import { newestHeld } from './held';
import type { Sql } from './sql';

/** The next revision: past HQ's counter and past any list a terminal holds (an HQ restored from an older backup, hq/held.ts). */
export async function nextRevision(q: Sql): Promise<number> {
  const { staff } = await newestHeld(q);
  await q.query('UPDATE staff_revision SET revision = CASE WHEN revision > CAST($1 AS BIGINT) THEN revision ELSE CAST($1 AS BIGINT) END + 1 WHERE id = 1', [staff]);
  const [r] = await q.query<{ revision: number | string }>('SELECT revision FROM staff_revision WHERE id = 1');
  return Number(r!.revision);
}
