/**
 * A terminal's journal keys at ingest (issue 19.3): a reflashed terminal keeps its id and chain but
 * signs with a new key, and its earlier keys stay in `journal_key_history` (hq/reflash.ts), oldest
 * first. HQ checks each piece of its chain against the key ring (protocol/journal-chain-check.ts):
 * the chain moves to a later key only at a `terminal.recovered` entry, and an older key never
 * signs after that.
 *
 * What HQ knows of where a retired key's entries end: `through_seq`, the entry before the switch
 * (from the first accepted piece holding it); before that, `reach_seq`, the highest entry checked in
 * it (or an older key), and `later_seq`, the lowest entry checked in a later one (a later batch of
 * two in flight may land before the one with the switch). A piece must fit these: it starts in the
 * key in force where it starts — exactly that key when the entry before it is known to be in it —
 * and an older key's entries stop where a later key's begin, only ever at one switch entry.
 */
import type { SalesBatch } from '../protocol/hq';
import { checkChain, RECOVERED_KIND, recoveredBody, type ChainCheck, type JournalKey, type JournalKeys, type KeyRing } from '../protocol/journal-chain-check';

export { JournalKeys } from '../protocol/journal-chain-check';
import type { Sql } from './sql';

/** A retired key of a terminal as `journal_key_history` holds it. */
export interface RetiredKey {
  position: number;
  journal_key: string;
  through_seq: number | null;
  reach_seq: number;
  later_seq: number | null;
}

/** What an accepted piece teaches HQ about the retired keys (written with the batch). */
export interface KeyFacts {
  updates: Array<{ position: number; through: number | null; reach: number; later: number | null }>;
  /** The piece holds the switch to the current key: the terminal has recovered its chain. */
  recovered: boolean;
}

type Ok = Extract<ChainCheck, { ok: true }>;

/**
 * Checks a batch's piece of chain against the terminal's keys: its one key (never reflashed, read
 * from its row alone), or its key ring and what HQ knows of where each retired key ends. `facts`:
 * what the piece adds to that, to record when the batch is accepted.
 */
export async function checkPiece(
  q: Sql,
  t: { terminal_id: string; journal_key: string | null; chain_outage: number; reflashed_at: string | null },
  batch: SalesBatch,
  made: JournalKeys,
): Promise<{ chain: ChainCheck; facts: KeyFacts | null }> {
  const outage = Number(t.chain_outage) === 1;
  if (!t.journal_key || !t.reflashed_at) return { chain: checkChain(batch, t.journal_key ? made.key(t.journal_key) : null, outage), facts: null };
  const retired = await retiredKeys(q, t.terminal_id);
  const keys = [...retired.map((r) => made.key(r.journal_key)), made.key(t.journal_key)];
  const chain = checkChain(batch, ringFor(keys, retired, batch), outage);
  if (!chain.ok) return { chain, facts: null };
  const review = reviewKeys(batch, keys, retired, chain);
  return 'refusal' in review ? { chain: { ok: false, reason: review.refusal }, facts: null } : { chain, facts: review };
}

export async function retiredKeys(q: Sql, terminalId: string): Promise<RetiredKey[]> {
  const rows = await q.query<RetiredKey>('SELECT position, journal_key, through_seq, reach_seq, later_seq FROM journal_key_history WHERE terminal_id = $1 ORDER BY position', [terminalId]);
  const n = (v: number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({ position: Number(r.position), journal_key: r.journal_key, through_seq: n(r.through_seq), reach_seq: Number(r.reach_seq), later_seq: n(r.later_seq) }));
}

/** The first journal entry a batch carries (its piece starts there); 0 when none. */
function firstEntry(batch: SalesBatch): number {
  const seqs = [...(batch.links ?? []).map((l) => l.seq), ...batch.sales.flatMap((s) => (s.entry ? [s.entry.seq] : []))];
  return seqs.length ? Math.min(...seqs) : 0;
}

/**
 * The ring a piece starting at `first` is checked against: it may not start in a key whose switch HQ
 * knows to lie before it, and must start in `from` itself when the entry before it is known to be in it.
 */
export function ringFor(keys: JournalKey[], retired: readonly RetiredKey[], batch: SalesBatch): KeyRing {
  const first = firstEntry(batch);
  let from = 0;
  retired.forEach((r, i) => {
    if (r.through_seq !== null && r.through_seq < first) from = i + 1;
  });
  const r = retired[from];
  // (In the current key there is no later one to tell apart.)
  const exact = r !== undefined && first - 1 <= (r.through_seq ?? r.reach_seq);
  return { keys, from, exact };
}

/** The switches a checked piece holds: for each `terminal.recovered` entry signed with a later key, the key it retires and its sequence. */
function switchesIn(batch: SalesBatch, keys: readonly JournalKey[]): Array<{ from: number; to: number; seq: number }> {
  const out: Array<{ from: number; to: number; seq: number }> = [];
  for (const e of [...(batch.links ?? []), ...batch.sales.flatMap((s) => (s.entry ? [{ ...s.entry, body: s.body }] : []))]) {
    if (e.kind !== RECOVERED_KIND || e.signature === null) continue;
    const to = keys.findIndex((k) => k.keyId === e.keyId);
    const named = recoveredBody(e.body)?.previousKeyId;
    const from = keys.findIndex((k) => k.keyId === named);
    if (to > 0 && from >= 0 && from < to) out.push({ from, to, seq: e.seq });
  }
  return out;
}

/**
 * Whether a piece the ring check passed fits what HQ knows of the retired keys (a refusal: a
 * retired key continued, or the chain switched keys twice, elsewhere) and what it adds to it.
 */
export function reviewKeys(batch: SalesBatch, keys: readonly JournalKey[], retired: readonly RetiredKey[], chain: Ok): { refusal: string } | KeyFacts {
  const switches = switchesIn(batch, keys);
  const first = chain.from.seq + 1;
  const head = chain.head.seq;
  const updates: KeyFacts['updates'] = [];
  let recovered = false;
  for (let i = 0; i < retired.length; i++) {
    const r = retired[i]!;
    const name = keys[i]!.keyId;
    const sw = switches.filter((s) => s.from <= i && s.to > i).map((s) => s.seq - 1);
    let through = r.through_seq;
    for (const t of sw) {
      if (through !== null && through !== t) return { refusal: `the journal chain forks: it moves on from key ${name} after entry ${t}, but HQ holds its switch after entry ${through}` };
      if (r.reach_seq > t) return { refusal: `the journal chain forks: it moves on from key ${name} after entry ${t}, but HQ holds entry ${r.reach_seq} signed with it` };
      if (r.later_seq !== null && r.later_seq <= t) return { refusal: `the journal chain forks: it moves on from key ${name} after entry ${t}, but HQ holds entry ${r.later_seq} signed with a later key` };
      through = t;
    }
    if (chain.keyIndex <= i) {
      // The piece ends in this key or an older one: its entries stop where the later key's begin.
      const signer = keys[chain.keyIndex]!.keyId;
      if (through !== null && head > through) return { refusal: `journal entry ${head} is signed with key ${signer}, which the terminal retired by entry ${through} (a retired key cannot continue the chain)` };
      if (through === null && r.later_seq !== null && head >= r.later_seq - 1)
        return { refusal: `journal entry ${head} is signed with key ${signer}, but HQ holds entry ${r.later_seq} signed with a later key without a ${RECOVERED_KIND} entry between them` };
    }
    const reach = chain.keyIndex <= i ? Math.max(r.reach_seq, head) : r.reach_seq;
    const later = through === null && chain.keyIndex > i ? Math.min(r.later_seq ?? first, first) : r.later_seq;
    if (through !== r.through_seq || reach !== r.reach_seq || later !== r.later_seq) updates.push({ position: r.position, through, reach, later });
    if (i === retired.length - 1 && r.through_seq === null && through !== null) recovered = true;
  }
  return { updates, recovered };
}

/** Writes what an accepted piece taught HQ about the terminal's retired keys. */
export async function recordKeyFacts(q: Sql, terminalId: string, facts: KeyFacts, now: Date): Promise<void> {
  for (const u of facts.updates)
    await q.query('UPDATE journal_key_history SET through_seq = $1, reach_seq = $2, later_seq = $3 WHERE terminal_id = $4 AND position = $5', [u.through, u.reach, u.later, terminalId, u.position]);
  if (facts.recovered) await q.query('UPDATE terminal SET recovered_at = $1 WHERE terminal_id = $2 AND recovered_at IS NULL', [now.toISOString(), terminalId]);
}
