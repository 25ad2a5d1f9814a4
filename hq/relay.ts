/**
 * Sales a store peer sent for a till (issue 19: the till was wiped or died before it sent them;
 * hq/server.ts POST /v1/peers/:id/sales). They are checked against the till's own chain and key like
 * any batch, and refused whole on any problem (hq/store.ts ingest); what is stored moves the till's
 * acknowledgement and chain head, and says who sent them — never the till's own contact, clock,
 * backlog or version, which are only ever what it reported itself.
 */
import type { Sql } from './sql';

export async function recordRelayed(
  q: Sql,
  terminalId: string,
  r: { acked: number; maxSeq: number; accepted: number; head: [number, string | null, number]; at: string; relayedBy: string },
): Promise<void> {
  await q.query(
    `UPDATE terminal SET acked_through = $1, max_sequence = $2, sales_count = sales_count + $3, chain_seq = $4, chain_hash = $5, chain_outage = $6,
       relayed_by = CASE WHEN $3 > 0 THEN $7 ELSE relayed_by END, relayed_at = CASE WHEN $3 > 0 THEN $8 ELSE relayed_at END
     WHERE terminal_id = $9`,
    [r.acked, r.maxSeq, r.accepted, ...r.head, r.relayedBy, r.at, terminalId],
  );
}
