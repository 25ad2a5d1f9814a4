/**
 * Where a peer's batch lies against the copy held of that peer (core/peers/copies.ts `ingest`): the
 * piece it starts at, or why it is not checked at all.
 */
import type { SalesBatch } from '../../protocol/hq';

/** A peer's head row as stored (peer_head). */
export interface HeadRow {
  terminal_id: string;
  chain_seq: number;
  chain_hash: string | null;
  chain_outage: number;
  acked_through: number;
  max_sequence: number;
  last_contact: string | null;
  alert: string | null;
  alert_at: string | null;
  rejected_count: number;
}

/**
 * Where a batch's piece lies against the copy: its sales' sequences and the entry it starts at; or
 * why it is not checked — a tail with no entries, sales out of sequence (refused), or a piece that
 * starts beyond what is held (nothing joins it: the sender resends from ackedThrough).
 * (A sale without its entry is left to the chain check, which refuses it.)
 */
export function placeOf(head: HeadRow, batch: SalesBatch): { first: number; last: number; start: number } | 'empty tail' | 'not consecutive' | 'beyond' {
  const { sales } = batch;
  const tail = sales.length === 0;
  if (tail && !batch.links?.length) return 'empty tail';
  const first = sales[0]?.sequence ?? head.acked_through + 1;
  if (sales.some((s, i) => s.sequence !== first + i)) return 'not consecutive';
  const start = Math.min(...sales.map((s) => s.entry?.seq ?? 0), ...(batch.links ?? []).map((l) => l.seq));
  if (first > head.acked_through + 1 || (head.chain_seq > 0 && start - 1 > head.chain_seq) || (tail && head.chain_seq === 0 && start !== 1)) return 'beyond';
  return { first, last: first + sales.length - 1, start };
}
