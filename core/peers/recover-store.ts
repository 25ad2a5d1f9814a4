/**
 * Keeps a reflashed till's recovered journal (core/peers/recover.ts) in its new database, all in one
 * transaction or nothing: the entries as they were written (each with its old signature; the retired
 * keys recorded so the till's own verifier checks them), the sales and returns (with what each
 * return took back, so nothing is returned twice), the outbox rows of the sales HQ has not
 * acknowledged, the till day (an open till comes back open, with its float: core/till/restore.ts), and then the till's first own entry, `terminal.recovered`, signed with its new key
 * and continuing the chain from the last recovered entry. The whole journal is verified before the
 * transaction commits.
 */
import { createPublicKey } from 'node:crypto';
import type { ChainPoint } from '../../protocol/journal-chain-check';
import { ED25519_SPKI_PREFIX, keyIdOfRaw } from '../../protocol/journal-chain';
import type { ChainLink } from '../../protocol/hq';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { Journal } from '../journal';
import { loadOrCreateTerminalSigner } from '../journal/signer';
import type { HqLink } from '../sync/link';
import { OutboxRepo } from '../sync/repo';
import { returnRepo } from '../returns/repo';
import { restoreTillDay } from '../till/restore';
import { RecoveryPending, type Reflash } from './recovery-pending';

export type { Reflash };

/** A recovered journal entry with its body (a sale's entry carries the sale's document). */
export type RecoveredEntry = ChainLink;

export interface RecoveredChain {
  /** Entries 1 through `head`, in order. */
  entries: RecoveredEntry[];
  sales: Array<{ sequence: number; saleId: string; kind: 'sale' | 'return'; businessDate: string; total: number; createdAt: string; body: string; journalSeq: number }>;
  head: ChainPoint;
}

interface SaleDoc {
  operator?: string | null;
  totals?: { rounding?: number };
  rounding?: number;
  originalSaleId?: string | null;
  lines?: Array<{ lineId: string; quantity: number; amount: number }>;
}

export function keepRecovered(db: Db, link: HqLink, reflash: Reflash, chain: RecoveredChain, o: { now: Clock; from: string; peers: string[] }): { unsent: number; recoveredSeq: number; tillOpen: string | null } {
  const has = db.prepare<[], { n: number }>('SELECT (SELECT count(*) FROM journal) + (SELECT count(*) FROM sale) AS n').get()!.n;
  const insertEntry = db.prepare(
    'INSERT INTO journal (seq, at, kind, ref, body, prev_hash, hash, signature, key_id) VALUES (@seq, @at, @kind, @ref, @body, @prevHash, @hash, @signature, @keyId)',
  );
  const insertKey = db.prepare('INSERT OR IGNORE INTO journal_key (key_id, public_key_pem, first_seq) VALUES (?, ?, ?)');
  const insertSale = db.prepare(
    `INSERT INTO sale (sale_id, sequence, completed_at, business_date, operator, total, rounding, body, receipt_text, journal_seq, original_sale_id)
     VALUES (@saleId, @sequence, @createdAt, @businessDate, @operator, @total, @rounding, '', '', @journalSeq, @originalSaleId)`,
  );
  const insertOutbox = db.prepare("INSERT INTO outbox (sequence, sale_id, kind, payload, created_at) VALUES (?, ?, ?, '', ?)");
  const returns = returnRepo(db);
  const outbox = new OutboxRepo(db);
  const signer = loadOrCreateTerminalSigner(db, o.now);
  const acked = Math.min(reflash.hqAckedThrough, chain.sales.length);
  return db.transaction(() => {
    if (has > 0) throw new RecoveryError('this database already has journal entries or sales of its own: recover a reflashed till into an empty data directory');
    // The retired keys, each from the first entry it signed (the till's verifier accepts a signature only by a recorded key).
    const firstSigned = new Map<string, number>();
    for (const e of chain.entries) if (e.keyId && !firstSigned.has(e.keyId)) firstSigned.set(e.keyId, e.seq);
    for (const raw of reflash.previousJournalKeys) {
      const id = keyIdOfRaw(raw);
      const pem = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(raw, 'base64url')]), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
      if (firstSigned.has(id)) insertKey.run(id, pem, firstSigned.get(id)!);
    }
    for (const e of chain.entries) insertEntry.run(e);
    for (const s of chain.sales) {
      const doc = JSON.parse(s.body) as SaleDoc;
      const rounding = s.kind === 'return' ? -(doc.rounding ?? 0) : (doc.totals?.rounding ?? 0);
      insertSale.run({ ...s, operator: doc.operator ?? null, rounding, originalSaleId: s.kind === 'return' ? (doc.originalSaleId ?? null) : null });
      if (s.kind === 'return' && doc.originalSaleId) for (const l of doc.lines ?? []) returns.insertLine(s.saleId, doc.originalSaleId, l.lineId, l.quantity, l.amount);
      if (s.sequence > acked) insertOutbox.run(s.sequence, s.saleId, s.kind, s.createdAt);
    }
    outbox.ack(acked);
    const tillOpen = restoreTillDay(db, chain.entries);
    const journal = new Journal(db, { signer });
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

/** Recovery could not be done; nothing was kept. */
export class RecoveryError extends Error {}
