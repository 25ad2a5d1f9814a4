/**
 * Where a batch's piece of journal chain meets what HQ holds (hq/chain.ts checks the piece itself):
 * its first entry must follow the previous sale's entry, and the next sale's piece — if it came
 * first (two batches in flight land in either order) — must follow its last. A piece that does not
 * join is a fork or a rewritten journal: the batch is refused and the terminal flagged. The join
 * with a sale HQ does not hold yet is kept (`chain_pending`) and checked when that sale comes.
 * Also the quarantine: a refused sale is kept as it arrived, with the reason.
 */
import type { SalesBatch } from '../protocol/hq';
import { GENESIS_HASH } from '../protocol/journal-chain';
import type { ChainCheck, ChainPoint } from './chain';
import type { Sql } from './sql';

export interface JoinResult {
  /** The batch does not continue the chain HQ holds: refuse it whole. */
  refusal?: string;
  /** The batch is fine, but a sale HQ stored earlier does not follow it: flag the terminal. */
  alert?: string;
}

/** What HQ holds where the batch goes: the sales stored from the one before it through its last, and a refused one before it. */
interface Held {
  sequence: number;
  journal_seq: number | null;
  journal_hash: string | null;
  refused: number;
}

const same = (a: ChainPoint, b: { seq: number | null; hash: string | null }) => a.seq === b.seq && a.hash === b.hash;

export async function joinChain(q: Sql, terminalId: string, batch: SalesBatch, chain: { from: ChainPoint; head: ChainPoint; bySequence: Map<number, ChainPoint> }): Promise<JoinResult> {
  const seqs = batch.sales.map((s) => s.sequence);
  const first = Math.min(...seqs);
  const last = Math.max(...seqs);
  const out: JoinResult = {};
  // One read: the sales HQ stores from the one before the batch through its last, and the one
  // before it where HQ refused it (it stays where the chain joins).
  const rows = await q.query<Held>(
    `SELECT sequence, journal_seq, journal_hash, 0 AS refused FROM sale_seq WHERE terminal_id = $1 AND sequence >= $2 AND sequence <= $3
     UNION ALL SELECT sequence, journal_seq, journal_hash, 1 AS refused FROM rejected_sale WHERE terminal_id = $1 AND sequence = $2 ORDER BY 1, 4`,
    [terminalId, first - 1, last],
  );
  // Sales HQ holds already (a batch sent again) must be the very entries it holds: another entry
  // there means the terminal's journal went back and was written again from that point.
  for (const h of rows) {
    const now = Number(h.refused) === 0 ? chain.bySequence.get(Number(h.sequence)) : undefined;
    if (now && h.journal_seq !== null && !same(now, { seq: Number(h.journal_seq), hash: h.journal_hash }))
      return { refusal: `the journal chain forks at sale ${h.sequence}: HQ holds entry ${h.journal_seq} (${(h.journal_hash ?? '').slice(0, 12)}…), the terminal now sends entry ${now.seq} (${now.hash.slice(0, 12)}…)` };
  }
  if (first === 1) {
    // The terminal's first sale: its chain starts at genesis, or where its journal was archived before it ever sold to HQ.
    if (chain.from.seq === 0 && chain.from.hash !== GENESIS_HASH) return { refusal: 'the journal chain does not start at its genesis' };
  } else {
    const at = rows.find((r) => Number(r.sequence) === first - 1);
    const before = at ? { seq: at.journal_seq === null ? null : Number(at.journal_seq), hash: at.journal_hash } : null;
    if (!before) {
      await q.query('INSERT INTO chain_pending (terminal_id, sequence, from_seq, from_hash) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [terminalId, first, chain.from.seq, chain.from.hash]);
    } else if (before.seq !== null && !same(chain.from, before)) {
      return {
        refusal: `the journal chain forks: sale ${first} continues from entry ${chain.from.seq} (${chain.from.hash.slice(0, 12)}…), but sale ${first - 1} HQ holds is entry ${before.seq} (${(before.hash ?? '').slice(0, 12)}…)`,
      };
    }
  }
  const [next] = await q.query<{ from_seq: number; from_hash: string }>('SELECT from_seq, from_hash FROM chain_pending WHERE terminal_id = $1 AND sequence = $2', [terminalId, last + 1]);
  if (next) {
    if (!same(chain.head, { seq: Number(next.from_seq), hash: next.from_hash }))
      out.alert = `the journal chain forks: sale ${last + 1}, received earlier, does not continue from sale ${last} (entry ${chain.head.seq})`;
    await q.query('DELETE FROM chain_pending WHERE terminal_id = $1 AND sequence = $2', [terminalId, last + 1]);
  }
  return out;
}

/** What HQ keeps of a refused sale. */
export type Quarantined = Pick<SalesBatch['sales'][number], 'sequence' | 'saleId' | 'body' | 'entry'>;

/** Quarantines one sale with the reason; 1 when it was not quarantined before (the terminal's counter). */
export async function quarantineRow(q: Sql, terminalId: string, s: Quarantined, reason: string, now: Date): Promise<number> {
  const r = await q.query(
    'INSERT INTO rejected_sale (terminal_id, sequence, reason, at, sale_id, body, journal_seq, journal_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING sequence',
    [terminalId, s.sequence, reason, now.toISOString(), s.saleId, s.body, s.entry?.seq ?? null, s.entry?.hash ?? null],
  );
  return r.length;
}

/** The chain head HQ keeps after a batch (seq, hash, signer out): the highest entry it has checked (batches may land out of order). */
export function chainHead(t: { chain_seq: number; chain_hash: string | null; chain_outage: number }, chain: ChainCheck | null, refusal: string | null): [number, string | null, number] {
  const kept: [number, string | null, number] = [Number(t.chain_seq), t.chain_hash, Number(t.chain_outage)];
  if (!chain?.ok || refusal || chain.head.seq <= Number(t.chain_seq)) return kept;
  return [chain.head.seq, chain.head.hash, chain.outage ? 1 : 0];
}
