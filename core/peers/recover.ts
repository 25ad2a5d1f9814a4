/**
 * A reflashed till gets its past back (issue 19.3). A till provisioned again for its lane with a
 * reflash token (HQ: `--issue-token STORE:LANE --reflash`) keeps the old lane's terminal id but has a
 * new key and an empty database. Before it sells it asks its store peers for the copy each keeps of
 * its journal (core/peers/copies.ts, `GET /v1/copy`: the very batches it once sent them), checks every
 * page as every receiver checks a batch (protocol/journal-chain-check.ts: hashes, unbroken, signed
 * with its retired key — the keys HQ's enrollment answer names), takes the longest chain a peer
 * holds that reaches what HQ has checked, and keeps it (core/peers/recover-store.ts): its journal,
 * its sales (returns and receipt copies of them work again), the sales HQ has not yet got (sent
 * again, from the same sequences), and then its first own entry, `terminal.recovered`, signed with
 * the new key — the chain goes on from the last entry anyone holds, never from genesis again, so no
 * sequence number is used twice and no fork is made.
 *
 * The entries after its last sale come back as far as a peer holds them (the tails a till sends
 * its peers once its sales are sent, core/peers/feed.ts): its chain goes on from there, so peers
 * holding them see no fork, and a till opened or cash moved after the last sale comes back too
 * (core/till/restore.ts), and so do baskets parked after it (core/suspend/restore.ts). What it does
 * not bring back: entries after the last one any peer holds.
 */
import { GENESIS_HASH } from '../../protocol/journal-chain';
import { checkChain, journalKey, type ChainPoint, type JournalKey } from '../../protocol/journal-chain-check';
import { COPY_PAGE_LIMIT, CopyPageSchema, type CopyPage } from '../../protocol/peer-copy';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { signedGet, type HqLink } from '../sync/link';
import { RosterRepo, type Peer } from './roster';
import { pinnedFetch } from './tls';
import { keepRecovered, RecoveryError, type RecoveredChain, type RecoveredEntry, type Reflash } from './recover-store';

export type { Reflash };

export interface RecoveryOptions {
  now: Clock;
  log: (line: string) => void;
  fetchFn?: typeof fetch;
  /** How long to keep asking while no peer answers (default 2 minutes: a peer may be restarting). */
  waitMs?: number;
  /** Each request's time limit (default 15 s). */
  timeoutMs?: number;
  pageSize?: number;
  /** Waits between rounds of asking (tests pass a quick one). */
  sleep?: (ms: number) => Promise<void>;
}

export interface RecoveryResult {
  /** The peer whose copy was taken, and its lane. */
  from: { terminalId: string; laneId: string };
  entries: number;
  sales: number;
  /** Sales HQ had not acknowledged: they are sent again. */
  unsent: number;
  /** The last entry recovered, and the `terminal.recovered` entry that continues from it. */
  through: ChainPoint;
  recoveredSeq: number;
  /** The till session open before the wipe, open again (null: none was). */
  tillOpen: string | null;
  /** What each peer asked held (its copy's head), or why it could not be asked. */
  peers: Array<{ terminalId: string; laneId: string; chainSeq: number | null; sales: number | null; problem: string | null }>;
}

export { RecoveryError };

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/** Hands the peer the roster that names this till's new key (so it hears the signed requests that follow). */
async function handRoster(peer: Peer, roster: Reflash['roster'], fetchFn: typeof fetch, timeoutMs: number): Promise<void> {
  const res = await fetchFn(new URL('/v1/roster', `https://${peer.address}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(roster), signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new Error(`it did not take the roster (${res.status}): ${await res.text().catch(() => '')}`.slice(0, 300));
}

async function page(link: HqLink, peer: Peer, after: number, limit: number, fetchFn: typeof fetch, timeoutMs: number): Promise<CopyPage> {
  const res = await signedGet({ ...link, hqUrl: `https://${peer.address}` }, `/v1/copy?after=${after}&limit=${limit}`, fetchFn, timeoutMs);
  const parsed = CopyPageSchema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`its answer is not a copy page: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`);
  if (parsed.data.terminalId !== link.terminalId) throw new Error(`it answered with the copy of ${parsed.data.terminalId}`);
  return parsed.data;
}

/** Reads a peer's whole copy of this till's journal, page by page, checking each as it comes; throws (with the reason) on anything that is not this till's chain. */
async function readCopy(link: HqLink, peer: Peer, keys: JournalKey[], reflash: Reflash, o: Required<Pick<RecoveryOptions, 'timeoutMs' | 'pageSize'>> & { fetchFn: typeof fetch }): Promise<RecoveredChain> {
  const entries: RecoveredEntry[] = [];
  const sales: RecoveredChain['sales'] = [];
  let head: ChainPoint = { seq: 0, hash: GENESIS_HASH };
  let from = 0;
  let outage = false;
  for (;;) {
    const p = await page(link, peer, sales.length, o.pageSize, o.fetchFn, o.timeoutMs);
    const batch = p.batch;
    if (batch.sales.length === 0) break;
    const chain = checkChain(batch, { keys, from, exact: true }, outage);
    if (!chain.ok) throw new Error(chain.reason);
    const [mislabelled] = chain.mislabelled.values();
    if (mislabelled) throw new Error(mislabelled);
    if (chain.from.seq !== head.seq || chain.from.hash !== head.hash) throw new Error(`its page after sale ${sales.length} does not continue from entry ${head.seq} (a fork or a hole in its copy)`);
    for (const [i, s] of batch.sales.entries()) {
      if (s.sequence !== sales.length + 1 + i) throw new Error(`its sales jump from ${sales.length + i} to ${s.sequence}`);
    }
    for (const l of batch.links ?? []) entries.push(l);
    for (const s of batch.sales) {
      entries.push({ ...s.entry!, body: s.body });
      sales.push({ sequence: s.sequence, saleId: s.saleId, kind: s.kind, businessDate: s.businessDate, total: s.total, createdAt: s.createdAt, body: s.body, journalSeq: s.entry!.seq });
    }
    head = chain.head;
    from = chain.keyIndex;
    outage = chain.outage;
    if (sales.length >= p.ackedThrough) break;
  }
  entries.sort((a, b) => a.seq - b.seq);
  if (reflash.chainSeq > head.seq) throw new Error(`HQ has checked this till's journal through entry ${reflash.chainSeq}; this copy ends at ${head.seq}`);
  if (reflash.chainSeq > 0 && entries.find((e) => e.seq === reflash.chainSeq)?.hash !== reflash.chainHash) throw new Error(`its entry ${reflash.chainSeq} is not the one HQ checked (a fork)`);
  if (reflash.hqAckedThrough > sales.length) throw new Error(`HQ holds this till's sales through ${reflash.hqAckedThrough}; this copy has ${sales.length}`);
  return { entries, sales, head };
}

/** Asks every peer with an address for its copy's head (handing it the roster first); the ones that answered, best first. */
async function heads(link: HqLink, peers: Peer[], roster: Reflash['roster'], fetchOf: (peer: Peer) => typeof fetch, timeoutMs: number): Promise<Array<{ peer: Peer; head: CopyPage | null; problem: string | null }>> {
  const asked = await Promise.all(
    peers.map(async (peer) => {
      try {
        await handRoster(peer, roster, fetchOf(peer), timeoutMs);
        return { peer, head: await page(link, peer, 0, 0, fetchOf(peer), timeoutMs), problem: null };
      } catch (err) {
        return { peer, head: null, problem: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
  return asked.sort((a, b) => (b.head?.chainSeq ?? -1) - (a.head?.chainSeq ?? -1));
}

/**
 * Recovers this till's journal from its peers and continues it (see the top of this file). Keeps
 * asking for `waitMs` while no peer answers with a copy that checks; throws RecoveryError saying
 * what each peer answered when none did. Nothing is kept unless all of it is.
 */
export async function recoverFromPeers(db: Db, link: HqLink, reflash: Reflash, opts: RecoveryOptions): Promise<RecoveryResult> {
  // Each peer over TLS to the holder of its roster key only (core/peers/tls.ts).
  const pinned = new Map<string, typeof fetch>();
  const fetchOf = (p: Peer) => opts.fetchFn ?? pinned.get(p.publicKey) ?? pinned.set(p.publicKey, pinnedFetch(p.publicKey)).get(p.publicKey)!;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const pageSize = Math.min(opts.pageSize ?? COPY_PAGE_LIMIT, COPY_PAGE_LIMIT);
  const roster = new RosterRepo(db);
  // The roster of HQ's answer, unless a newer one came since (a second try: `npm run provision -- --recover`).
  const stored = roster.store(reflash.roster, link.rosterKey ?? null);
  if (!stored.ok && !stored.reason.startsWith('ROLLBACK')) throw new RecoveryError(`HQ's roster could not be taken: ${stored.reason}`);
  const signed = roster.signed() ?? reflash.roster;
  const peers = roster.peers(link.terminalId).filter((p) => p.address);
  if (!peers.length) throw new RecoveryError('the store roster names no other till with an address: there is no peer to recover from (add one: npm run peer -- add)');
  const keys = reflash.previousJournalKeys.map((k) => journalKey(k));
  const deadline = opts.now().getTime() + (opts.waitMs ?? 120_000);
  let report: RecoveryResult['peers'] = [];
  for (;;) {
    const asked = await heads(link, peers, signed, fetchOf, timeoutMs);
    report = asked.map((a) => ({ terminalId: a.peer.terminalId, laneId: a.peer.laneId, chainSeq: a.head?.chainSeq ?? null, sales: a.head?.ackedThrough ?? null, problem: a.problem }));
    for (const [i, a] of asked.entries()) {
      if (!a.head || a.head.ackedThrough === 0) continue;
      try {
        const chain = await readCopy(link, a.peer, keys, reflash, { timeoutMs, pageSize, fetchFn: fetchOf(a.peer) });
        const kept = keepRecovered(db, link, reflash, chain, { now: opts.now, from: a.peer.terminalId, peers: asked.filter((x) => x.head).map((x) => x.peer.terminalId) });
        return { from: { terminalId: a.peer.terminalId, laneId: a.peer.laneId }, entries: chain.entries.length, sales: chain.sales.length, unsent: kept.unsent, through: chain.head, recoveredSeq: kept.recoveredSeq, tillOpen: kept.tillOpen, peers: report };
      } catch (err) {
        const why = err instanceof Error ? err.message : String(err);
        report[i]!.problem = `its copy was not taken: ${why}`;
        opts.log(`recovery: the copy held by lane ${a.peer.laneId} (${a.peer.terminalId}) was not taken: ${why}`);
        if (err instanceof RecoveryError) throw err;
      }
    }
    // Every peer answered and none holds a sale of it, nor does HQ: it never sold; its chain starts over from genesis with the new key.
    if (asked.every((a) => a.head?.ackedThrough === 0) && reflash.chainSeq === 0 && reflash.hqAckedThrough === 0) {
      const kept = keepRecovered(db, link, reflash, { entries: [], sales: [], head: { seq: 0, hash: GENESIS_HASH } }, { now: opts.now, from: 'none', peers: asked.map((a) => a.peer.terminalId) });
      opts.log('recovery: no peer holds a sale of this till and HQ none: its journal starts again');
      return { from: { terminalId: '', laneId: '' }, entries: 0, sales: 0, unsent: 0, through: { seq: 0, hash: GENESIS_HASH }, recoveredSeq: kept.recoveredSeq, tillOpen: null, peers: report };
    }
    if (opts.now().getTime() >= deadline) break;
    opts.log(`recovery: no peer gave a copy that checks yet (${report.map((r) => `lane ${r.laneId}: ${r.problem ?? `${r.sales ?? 0} sales`}`).join('; ')}); asking again`);
    await (opts.sleep ?? realSleep)(2_000);
  }
  throw new RecoveryError(
    `no peer gave this till's journal back: ${report.map((r) => `lane ${r.laneId} (${r.terminalId}): ${r.problem ?? (r.sales ? `${r.sales} sales` : 'holds none of its sales')}`).join('; ')}. ` +
      'Try again when a peer is back (npm run provision -- --recover), or take what HQ holds (npm run provision -- --recover --from-hq: what only the peers hold is lost)',
  );
}
