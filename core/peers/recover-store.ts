/**
 * Keeps a reflashed till's recovered journal (core/peers/recover.ts) in its new database, all in one
 * transaction or nothing: the entries as they were written (each with its old signature; the retired
 * keys recorded so the till's own verifier checks them), the sales and returns (with what each
 * return took back, so nothing is returned twice), the outbox rows of the sales HQ has not
 * acknowledged, the till day (an open till comes back open, with its float: core/till/restore.ts),
 * its parked baskets (core/suspend/restore.ts), and then the till's first own entry, `terminal.recovered`, signed with its new key, continuing
 * the chain from the last recovered entry. The whole journal is verified before the transaction
 * commits.
 */
import type { ChainPoint } from '../../protocol/journal-chain-check';
import { ed25519PublicKey, keyIdOfRaw } from '../../protocol/journal-chain';
import type { ChainLink } from '../../protocol/hq';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { saleRepo } from '../checkout/sale-repo';
import { Journal } from '../journal';
import { loadOrCreateTerminalSigner } from '../journal/signer';
import type { HqLink } from '../sync/link';
import { OutboxRepo } from '../sync/repo';
import { returnRepo } from '../returns/repo';
import { restoreTillDay } from '../till/restore';
import { restoreParked } from '../suspend/restore';
import { HQ_HELD_PREFIX } from '../journal/archive';
import { RecoveryPending, type Reflash } from './recovery-pending';

export type { Reflash };

/** A recovered journal entry with its body (a sale's entry carries the sale's document). */
export type RecoveredEntry = ChainLink;

export interface RecoveredChain {
  /** Entries 1 through `head`, in order; none when they are HQ's record (`heldAtHq`). */
  entries: RecoveredEntry[];
  sales: Array<{ sequence: number; saleId: string; kind: 'sale' | 'return'; businessDate: string; total: number; createdAt: string; body: string; journalSeq: number }>;
  head: ChainPoint;
  /**
   * Recovered from HQ (core/peers/recover-hq.ts): entries 1 through `head` are not on this till; HQ
   * holds its record of them. The chain goes on from `head` as from an archive (journal_archive,
   * its file `hq:<terminal>`), and each sale keeps its document in its own row.
   */
  heldAtHq?: boolean;
}

interface SaleDoc {
  operator?: string | null;
  totals?: { rounding?: number };
  rounding?: number;
  originalSaleId?: string | null;
  lines?: Array<{ lineId: string; quantity: number; amount: number }>;
}

export function keepRecovered(db: Db, link: HqLink, reflash: Reflash, chain: RecoveredChain, o: { now: Clock; from: string; peers: string[] }): { unsent: number; recoveredSeq: number; tillOpen: string | null } {
  const has = db.prepare<[], { n: number }>('SELECT (SELECT count(*) FROM journal) + (SELECT count(*) FROM sale) AS n');
  const sales = saleRepo(db);
  const returns = returnRepo(db);
  const outbox = new OutboxRepo(db);
  const signer = loadOrCreateTerminalSigner(db, o.now);
  const acked = Math.min(reflash.hqAckedThrough, chain.sales.length);
  return db.transaction(() => {
    if (has.get()!.n > 0) throw new RecoveryError('this database already has journal entries or sales of its own: recover a reflashed till into an empty data directory');
    const journal = new Journal(db, { signer });
    // The retired keys, each from the first entry it signed (the till's verifier accepts a signature only by a recorded key).
    const firstSigned = new Map<string, number>();
    for (const e of chain.entries) if (e.keyId && !firstSigned.has(e.keyId)) firstSigned.set(e.keyId, e.seq);
    const keys = reflash.previousJournalKeys
      .map((raw) => ({ keyId: keyIdOfRaw(raw), publicKeyPem: ed25519PublicKey(raw).export({ format: 'pem', type: 'spki' }).toString(), firstSeq: firstSigned.get(keyIdOfRaw(raw)) }))
      .filter((k): k is { keyId: string; publicKeyPem: string; firstSeq: number } => k.firstSeq !== undefined);
    journal.adopt(chain.entries, keys);
    if (chain.heldAtHq && chain.head.seq > 0) anchorAtHq(db, link.terminalId, chain, o.now().toISOString());
    for (const s of chain.sales) {
      const doc = JSON.parse(s.body) as SaleDoc;
      const rounding = s.kind === 'return' ? -(doc.rounding ?? 0) : (doc.totals?.rounding ?? 0);
      const originalSaleId = s.kind === 'return' ? (doc.originalSaleId ?? null) : null;
      const row = { saleId: s.saleId, sequence: s.sequence, completedAt: s.createdAt, businessDate: s.businessDate, operator: doc.operator ?? null, total: s.total, rounding, journalSeq: s.journalSeq, originalSaleId };
      sales.insert(chain.heldAtHq ? { ...row, body: s.body } : row, s.kind, s.sequence > acked);
      if (originalSaleId) for (const l of doc.lines ?? []) returns.insertLine(s.saleId, originalSaleId, l.lineId, l.quantity, l.amount);
    }
    outbox.ack(acked);
    const tillOpen = restoreTillDay(db, chain.entries);
    restoreParked(db, chain.entries, link.storeId);
    const at = o.now().toISOString();
    // The key that signed the last recovered entry is the one this entry takes over from (a till reflashed twice before it recovered signed with its oldest).
    const previousKeyId = [...chain.entries].reverse().find((e) => e.keyId)?.keyId ?? keyIdOfRaw(reflash.previousJournalKeys[reflash.previousJournalKeys.length - 1]!);
    const entry = journal.append('terminal.recovered', null, { terminalId: link.terminalId, keyId: signer.keyId, previousKeyId, through: { seq: chain.head.seq, hash: chain.head.hash }, sales: chain.sales.length, from: o.from === 'none' ? o.peers : [o.from] }, at);
    const v = journal.verify();
    if (!v.ok) throw new RecoveryError(`the recovered journal does not verify at entry ${v.seq}: ${v.reason}`);
    new RecoveryPending(db).clear();
    return { unsent: chain.sales.length - acked, recoveredSeq: entry.seq, tillOpen };
  }).immediate();
}

/** The chain through `head` is HQ's record: this till's journal continues from it as from an archive no file of which is here. */
function anchorAtHq(db: Db, terminalId: string, chain: RecoveredChain, at: string): void {
  const first = chain.sales[0]?.createdAt ?? at;
  const last = chain.sales.at(-1)?.createdAt ?? at;
  db.prepare(
    `INSERT INTO journal_archive (through_seq, first_seq, through_hash, first_at, last_at, entries, file, sha256, archived_at)
     VALUES (?, 1, ?, ?, ?, ?, ?, '', ?)`,
  ).run(chain.head.seq, chain.head.hash, first, last, chain.head.seq, `${HQ_HELD_PREFIX}${terminalId}`, at);
}

/** Recovery could not be done; nothing was kept. */
export class RecoveryError extends Error {}
