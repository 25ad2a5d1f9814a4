/**
 * A reflashed till that no store peer can help gets its past back from HQ (issue 19.3, "from its
 * peers (or HQ)"): a store with one till has no peers at all. HQ keeps each sale's document and
 * the number and hash of its journal entry, and the chain head it checked — not the entries between
 * sales, nor the signatures (protocol/hq-recovery.ts). So from HQ the till gets back:
 * - its sales and returns (returns and receipt copies of them work again; nothing is sent twice: HQ
 *   has them all),
 * - its chain, continued from the head HQ checked: its first own entry, `terminal.recovered` (from
 *   ["hq"]), is signed with the new key after that head; the entries through it stay HQ's record
 *   (journal_archive, file `hq:<terminal>`: the till's verifier starts there).
 * Not: the till day (the till starts closed; the cashier counts the drawer and opens it), parked
 * baskets, and sales HQ never got. A peer holding entries past HQ's head would see this chain as a
 * fork and refuse it; so HQ is asked only when the roster names no peer, or when store IT says so
 * (`npm run provision -- --recover --from-hq`) after no peer could give the journal back.
 */
import { RECOVERY_PAGE_LIMIT, RecoveryPageSchema, type RecoveryPage } from '../../protocol/hq-recovery';
import { GENESIS_HASH } from '../../protocol/journal-chain';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { signedGet, type HqLink } from '../sync/link';
import { keepRecovered, RecoveryError, type RecoveredChain, type Reflash } from './recover-store';
import { RosterRepo } from './roster';

export interface HqRecoveryResult {
  sales: number;
  /** The head HQ checked, which the till's chain continues from. */
  through: { seq: number; hash: string };
  recoveredSeq: number;
}

async function page(link: HqLink, after: number, limit: number, fetchFn: typeof fetch, timeoutMs: number): Promise<RecoveryPage> {
  const res = await signedGet(link, `/v1/recovery/sales?after=${after}&limit=${limit}`, fetchFn, timeoutMs);
  const parsed = RecoveryPageSchema.safeParse(await res.json());
  if (!parsed.success) throw new RecoveryError(`HQ's answer is not a page of sales: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.terminalId !== link.terminalId) throw new RecoveryError(`HQ answered with the sales of ${parsed.data.terminalId}`);
  return parsed.data;
}

/** Reads every sale HQ holds of this till, checking that they run without a gap to what HQ acknowledged and end at the head HQ checked. */
async function readFromHq(link: HqLink, reflash: Reflash, o: { fetchFn: typeof fetch; timeoutMs: number; pageSize: number }): Promise<RecoveredChain> {
  const sales: RecoveredChain['sales'] = [];
  const first = await page(link, 0, 0, o.fetchFn, o.timeoutMs);
  const { ackedThrough, chainSeq, chainHash } = first;
  if (ackedThrough < reflash.hqAckedThrough || chainSeq < reflash.chainSeq) throw new RecoveryError(`HQ now holds less of this till than when it was reflashed (${ackedThrough} sales, entry ${chainSeq}; then ${reflash.hqAckedThrough}, entry ${reflash.chainSeq})`);
  while (sales.length < ackedThrough) {
    const p = await page(link, sales.length, o.pageSize, o.fetchFn, o.timeoutMs);
    if (p.ackedThrough !== ackedThrough || p.chainSeq !== chainSeq) throw new RecoveryError('HQ took more sales of this till while it was being recovered: try again');
    if (!p.sales.length) throw new RecoveryError(`HQ holds sale ${sales.length + 1} of this till only as set aside (quarantined): it cannot continue the chain without it`);
    for (const s of p.sales) {
      if (s.sequence !== sales.length + 1) throw new RecoveryError(`HQ's sales of this till jump from ${sales.length} to ${s.sequence} (a sale it set aside)`);
      const prev = sales.at(-1);
      if (prev && s.journalSeq <= prev.journalSeq) throw new RecoveryError(`sale ${s.sequence}'s journal entry ${s.journalSeq} is not after sale ${prev.sequence}'s`);
      sales.push({ sequence: s.sequence, saleId: s.saleId, kind: s.kind, businessDate: s.businessDate, total: s.total, createdAt: s.createdAt, body: s.body, journalSeq: s.journalSeq });
      if (s.sequence === ackedThrough && (s.journalSeq !== chainSeq || s.journalHash !== chainHash)) throw new RecoveryError(`the last sale's entry (${s.journalSeq}) is not the head HQ checked (${chainSeq})`);
    }
  }
  if (chainSeq > 0 && !chainHash) throw new RecoveryError('HQ gave no hash for the head it checked');
  return { entries: [], sales, head: chainSeq > 0 ? { seq: chainSeq, hash: chainHash! } : { seq: 0, hash: GENESIS_HASH }, heldAtHq: true };
}

/** Recovers this till's sales from HQ and continues its chain from HQ's head (see the top of this file); nothing is kept unless all of it is. */
export async function recoverFromHq(db: Db, link: HqLink, reflash: Reflash, opts: { now: Clock; log: (line: string) => void; fetchFn?: typeof fetch; timeoutMs?: number; pageSize?: number }): Promise<HqRecoveryResult> {
  const pageSize = Math.min(opts.pageSize ?? RECOVERY_PAGE_LIMIT, RECOVERY_PAGE_LIMIT);
  const chain = await readFromHq(link, reflash, { fetchFn: opts.fetchFn ?? fetch, timeoutMs: opts.timeoutMs ?? 30_000, pageSize });
  const kept = keepRecovered(db, link, reflash, chain, { now: opts.now, from: 'hq', peers: [] });
  opts.log(`recovery: ${chain.sales.length} sales back from HQ; the journal goes on after entry ${chain.head.seq}`);
  return { sales: chain.sales.length, through: chain.head, recoveredSeq: kept.recoveredSeq };
}

/**
 * Where a reflashed till's past comes from: its peers, or HQ when store IT says so (`fromHq`) or
 * when HQ's roster names no other till of the store (there is nobody else to ask).
 */
export function recoverySource(db: Db, link: HqLink, reflash: Reflash, fromHq: boolean): 'peers' | 'hq' {
  if (fromHq) return 'hq';
  const roster = new RosterRepo(db);
  const stored = roster.store(reflash.roster, link.rosterKey ?? null);
  if (!stored.ok && !stored.reason.startsWith('ROLLBACK')) throw new RecoveryError(`HQ's roster could not be taken: ${stored.reason}`);
  return roster.peers(link.terminalId).length === 0 ? 'hq' : 'peers';
}
