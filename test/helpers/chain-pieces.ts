/**
 * A terminal's journal for tests of its key ring (a reflashed till, issue 19.3): real entries
 * (core/journal Journal) signed with one key, then another, cut into sales batches as the uploader
 * sends them — each sale's entry, and the entries between, from the one after the previous sale's.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase, type Db } from '../../core/db';
import { Journal, type JournalEntry } from '../../core/journal';
import { Ed25519Signer } from '../../core/journal/signer';
import type { ChainLink, SalesBatch, SaleUpload } from '../../protocol/hq';
import { rawAppend } from './journal';
import { rawEd25519 } from '../../protocol/journal-chain';

const AT = '2026-12-01T10:00:00.000Z';

/** A fresh journal signing key, and its public key as HQ's protocol carries it (raw Ed25519, base64url). */
export function journalSigner(): { signer: Ed25519Signer; raw: string } {
  const { signer } = Ed25519Signer.generate();
  return { signer, raw: rawEd25519(signer.publicKeyPem) };
}

export class TestChain {
  readonly db: Db = openDatabase(':memory:');
  /** Each sale's entry, by outbox sequence − 1. */
  readonly sales: JournalEntry[] = [];
  private readonly entries: JournalEntry[] = [];
  private journal: Journal;

  constructor(
    private signer: Ed25519Signer,
    /** Names its sales' ids (unique at HQ across terminals): the same for a copy of its journal. */
    readonly prefix = `S${randomBytes(4).toString('hex')}`,
  ) {
    this.journal = new Journal(this.db, { signer });
  }

  /** From here the journal signs with `signer` (what a reflashed till holding its recovered journal does). */
  signWith(signer: Ed25519Signer): void {
    this.signer = signer;
    this.journal = new Journal(this.db, { signer });
  }

  append(kind: string, ref: string | null, body: unknown): JournalEntry {
    const e = this.db.transaction(() => rawAppend(this.journal, kind, ref, body, AT))();
    this.entries.push(e);
    return e;
  }

  /** `n` sales; `prefix` names their ids (another till's sales at the same sequences: a fork). */
  sell(n = 1, prefix = this.prefix): void {
    for (let i = 0; i < n; i++) {
      const saleId = `${prefix}-${this.sales.length + 1}`;
      this.sales.push(this.append('sale.completed', saleId, { saleId, total: 100 + this.sales.length }));
    }
  }

  /** The `terminal.recovered` entry (core/journal/kinds.ts) a reflashed till writes first with its new key; `over` alters its body. */
  recovered(previous: Ed25519Signer, over: Record<string, unknown> = {}): JournalEntry {
    const last = this.entries[this.entries.length - 1]!;
    return this.append('terminal.recovered', null, { terminalId: 'T', keyId: this.signer.keyId, previousKeyId: previous.keyId, through: { seq: last.seq, hash: last.hash }, sales: this.sales.length, from: [], ...over });
  }

  /** The batch of sales `from`..`to` (outbox sequences) with its piece of chain. */
  batch(from: number, to: number): SalesBatch {
    const start = from === 1 ? 1 : this.sales[from - 2]!.seq + 1;
    const end = this.sales[to - 1]!.seq;
    const saleSeqs = new Set(this.sales.map((s) => s.seq));
    const links: ChainLink[] = this.entries.filter((e) => e.seq >= start && e.seq <= end && !saleSeqs.has(e.seq)).map((e) => ({ ...e }));
    const sales: SaleUpload[] = this.sales.slice(from - 1, to).map((e, i) => ({
      sequence: from + i,
      saleId: e.ref!,
      kind: 'sale',
      businessDate: AT.slice(0, 10),
      total: 100 + from - 1 + i,
      createdAt: AT,
      body: e.body,
      entry: { seq: e.seq, at: e.at, kind: e.kind, ref: e.ref, prevHash: e.prevHash, hash: e.hash, signature: e.signature, keyId: e.keyId },
    }));
    return { clock: AT, backlog: { count: 0, oldestAt: null }, sales, links };
  }
}
