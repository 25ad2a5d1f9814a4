/**
 * The copies this till keeps of the store's other tills' journals (issue 19): a peer sends its sales
 * in the very batches it sends HQ (protocol/hq.ts SalesBatch: each sale with its journal entry, and
 * the entries between), and they are checked as HQ checks them before anything is stored — the
 * piece of chain itself (protocol/journal-chain-check.ts: hashes, unbroken, signed with the peer's
 * journal key as the store roster gives it), then its join with what is held here:
 *
 * - a piece that continues the held head must start from its hash; entries held already must be
 *   the very same (the hash at the highest held one vouches for all before it) — another entry at a
 *   held seq is a fork;
 * - a piece that starts beyond what is held (a gap) stores nothing: the answer's ackedThrough tells
 *   the sender where to resend from;
 * - a batch that is not the peer's valid signed chain (forged, tampered, holed, another terminal's
 *   entries under this id, a fork) is refused whole: nothing stored, its sales listed as rejected,
 *   the problem kept on the peer's head row for the service screen.
 *
 * Each entry's own signature is checked after the batch is kept, while the lane is idle
 * (core/peers/audit.ts): a batch is taken as HQ takes one, and catching up is not held back by one
 * Ed25519 verification per entry.
 *
 * Resent batches are idempotent. Every entry is stored (sales' and those between), so a copy holds
 * the peer's journal unbroken from its first held entry, and can be sent on (to HQ, to a reflashed
 * till) as the peer would send it: `sales` gives outbox-shaped rows, `piece` their chain.
 */
import { checkChain, JournalKeys, type ChainPoint, type JournalKey, type KeyRing } from '../../protocol/journal-chain-check';
import { COPY_PAGE_LIMIT, type CopyPage } from '../../protocol/peer-copy';
import { GENESIS_HASH } from '../../protocol/journal-chain';
import type { ChainLink, EntryChain, SalesAck, SalesBatch, SaleUpload } from '../../protocol/hq';
import type { Db } from '../db';
import { copiesDb } from '../db/copies-file';
import { commitLight } from '../db/durability';
import type { OutboxRow } from '../sync/repo';
import type { EntryRow } from '../sync/chain';
import { placeOf, type HeadRow } from './copy-place';

/** A peer as held here: its chain head, its sales held through, when it was last heard, its last problem. */
export interface PeerHead {
  terminalId: string;
  chainSeq: number;
  chainHash: string | null;
  /** Every sale of the peer up to this sequence is held. */
  ackedThrough: number;
  /** The highest sale sequence the peer has sent that was held or checked. */
  maxSequence: number;
  lastContact: string | null;
  alert: string | null;
  alertAt: string | null;
  /** Sales refused, counted each time a batch was refused. */
  rejectedCount: number;
}

/** A held journal entry: its chain fields, and its body — null for a sale's own entry (the body is the sale's). */
export type PeerEntry = EntryChain & { body: string | null };

export type CopyVerdict = { ok: true; entries: number; sales: number; head: ChainPoint | null } | { ok: false; reason: string };

/** The batch is not the peer's chain, or does not continue the copy: refused whole with this reason. */
class Refused extends Error {}

const entryOf = (r: EntryRow): PeerEntry => ({ seq: r.seq, at: r.at, kind: r.kind, ref: r.ref, prevHash: r.prev_hash, hash: r.hash, signature: r.signature, keyId: r.key_id, body: r.body });
const chainOf = ({ body: _body, ...e }: PeerEntry): EntryChain => e;
const short = (h: string | null) => `${(h ?? '').slice(0, 12)}…`;
/** Entries after a till's last sale a copy page carries at most (the protocol takes 50,000 links). */
const MAX_TAIL = 40_000;
const SALE_COLUMNS = 'sequence, sale_id, kind, body AS payload, created_at, business_date, total, journal_seq';

export class PeerCopies {
  private readonly s;
  private readonly ingestTx;
  /** Journal keys as key objects, made once each. */
  private readonly keys = new JournalKeys();

  private readonly db: Db;

  /** `lane`: the lane's database; the copies are in their own file beside it (core/db/copies-file.ts; in memory, the lane's own). */
  constructor(lane: Db) {
    const db = copiesDb(lane);
    this.db = db;
    this.s = {
      ensureHead: db.prepare('INSERT OR IGNORE INTO peer_head (terminal_id) VALUES (?)'),
      head: db.prepare<[string], HeadRow>('SELECT * FROM peer_head WHERE terminal_id = ?'),
      heads: db.prepare<[], HeadRow>('SELECT * FROM peer_head ORDER BY terminal_id'),
      firstHeld: db.prepare<[string], { seq: number | null }>('SELECT min(seq) AS seq FROM peer_entry WHERE terminal_id = ?'),
      entryAt: db.prepare<[string, number], { hash: string; prev_hash: string }>('SELECT hash, prev_hash FROM peer_entry WHERE terminal_id = ? AND seq = ?'),
      outageAt: db.prepare<[string, number], { kind: string }>(
        "SELECT kind FROM peer_entry WHERE terminal_id = ? AND seq <= ? AND kind IN ('signer.outage.start', 'signer.outage.end') ORDER BY seq DESC LIMIT 1",
      ),
      heldSales: db.prepare<[string, number, number], { sequence: number; sale_id: string; journal_hash: string }>(
        'SELECT sequence, sale_id, journal_hash FROM peer_sale WHERE terminal_id = ? AND sequence >= ? AND sequence <= ? ORDER BY sequence',
      ),
      insertSale: db.prepare(
        `INSERT INTO peer_sale (terminal_id, sequence, sale_id, kind, business_date, total, created_at, body, journal_seq, journal_hash)
         VALUES (@terminalId, @sequence, @saleId, @kind, @businessDate, @total, @createdAt, @body, @journalSeq, @journalHash)`,
      ),
      insertEntry: db.prepare(
        `INSERT OR IGNORE INTO peer_entry (terminal_id, seq, at, kind, ref, body, prev_hash, hash, signature, key_id)
         VALUES (@terminalId, @seq, @at, @kind, @ref, @body, @prevHash, @hash, @signature, @keyId)`,
      ),
      advance: db.prepare(
        `UPDATE peer_head SET chain_seq = @chainSeq, chain_hash = @chainHash, chain_outage = @outage, acked_through = @acked,
           max_sequence = max(max_sequence, @acked), last_contact = @at WHERE terminal_id = @terminalId`,
      ),
      contact: db.prepare('UPDATE peer_head SET last_contact = ? WHERE terminal_id = ?'),
      refuse: db.prepare('UPDATE peer_head SET alert = @reason, alert_at = @at, last_contact = @at, rejected_count = rejected_count + @n WHERE terminal_id = @terminalId'),
      saleById: db.prepare<[string], { sequence: number; lane_id: string | null; body: string }>("SELECT sequence, json_extract(body, '$.laneId') AS lane_id, body FROM peer_sale WHERE sale_id = ? AND kind = 'sale' LIMIT 1"),
      receiptOf: db.prepare<[string], { body: string; seq: number; hash: string; signature: string | null }>(
        "SELECT s.body, e.seq, e.hash, e.signature FROM peer_sale s JOIN peer_entry e ON e.terminal_id = s.terminal_id AND e.seq = s.journal_seq WHERE s.sale_id = ? AND s.kind = 'sale' LIMIT 1",
      ),
      // (The kind term repeats the partial index's: peer_entry_basket, migration 0026.)
      basket: db.prepare<[string, string], { body: string }>("SELECT body FROM peer_entry WHERE json_extract(body, '$.suspendId') = ? AND kind IN ('sale.suspended', 'sale.resumed') AND kind = ? LIMIT 1"),
      resumedAll: db.prepare<[], { suspend_id: string; lane: string }>(
        "SELECT json_extract(body, '$.suspendId') AS suspend_id, json_extract(body, '$.lane') AS lane FROM peer_entry WHERE kind IN ('sale.suspended', 'sale.resumed') AND kind = 'sale.resumed'",
      ),
      returnsOf: db.prepare<[string], { body: string }>("SELECT body FROM peer_sale WHERE json_extract(body, '$.originalSaleId') = ? AND kind = 'return'"),
      backlog: db.prepare<[string, number], { n: number; oldest: string | null }>('SELECT count(*) AS n, min(created_at) AS oldest FROM peer_sale WHERE terminal_id = ? AND sequence > ?'),
      sales: db.prepare<[string, number, number], OutboxRow>(`SELECT ${SALE_COLUMNS} FROM peer_sale WHERE terminal_id = ? AND sequence > ? ORDER BY sequence LIMIT ?`),
      saleEntry: db.prepare<[string, number], { journal_seq: number }>('SELECT journal_seq FROM peer_sale WHERE terminal_id = ? AND sequence = ?'),
      keyAt: db.prepare<[string, number], { key_id: string }>('SELECT key_id FROM peer_entry WHERE terminal_id = ? AND seq <= ? AND key_id IS NOT NULL ORDER BY seq DESC LIMIT 1'),
      saleBody: db.prepare<[string, number], { body: string }>('SELECT body FROM peer_sale WHERE terminal_id = ? AND journal_seq = ?'),
      entries: db.prepare<[string, number, number], EntryRow>('SELECT seq, at, kind, ref, body, prev_hash, hash, signature, key_id FROM peer_entry WHERE terminal_id = ? AND seq >= ? AND seq <= ? ORDER BY seq'),
    };
    this.ingestTx = db.transaction((terminalId: string, key: JournalKey[], batch: SalesBatch, at: string): SalesAck => {
      this.s.ensureHead.run(terminalId);
      const head = this.s.head.get(terminalId)!;
      try {
        return this.accept(terminalId, key, batch, at, head);
      } catch (err) {
        if (!(err instanceof Refused)) throw err;
        this.s.refuse.run({ terminalId, reason: err.message, at, n: batch.sales.length });
        // A tail (no sales) refused is listed as sequence 0, so the listener answers it as the error it is.
        const rejected = batch.sales.length ? batch.sales.map((s) => ({ sequence: s.sequence, reason: err.message })) : [{ sequence: 0, reason: err.message }];
        return { ackedThrough: head.acked_through, accepted: 0, duplicates: 0, rejected, gaps: [] };
      }
    });
  }

  /**
   * Checks a peer's batch and stores what is new of it, in one transaction. `journalKeys`: the peer's
   * journal key as the roster gives it (raw Ed25519, base64url, as HQ's terminal.journal_key), after
   * the keys it retired when it was reflashed (oldest first).
   */
  ingest(terminalId: string, journalKeys: string | readonly string[], batch: SalesBatch, now: Date): SalesAck {
    // Without an fsync of its own (docs/design.md, power cuts): one that takes it back makes the peer send again (SaleFeed.rewind).
    return commitLight(this.db, () => this.ingestTx.immediate(terminalId, this.ring(journalKeys), batch, now.toISOString()));
  }

  private ring(journalKeys: string | readonly string[]): JournalKey[] {
    return (typeof journalKeys === 'string' ? [journalKeys] : journalKeys).map((k) => this.keys.key(k));
  }

  /** The key ring for a piece after entry `before`: the key that signed the last held entry up to there is in force (the first before any). */
  private ringAt(terminalId: string, keys: JournalKey[], before: number): KeyRing {
    const id = this.s.keyAt.get(terminalId, before)?.key_id;
    return { keys, from: Math.max(0, keys.findIndex((k) => k.keyId === id)), exact: true };
  }

  /** What the chain check of a piece starting at entry `start` takes: the key ring in force there, and whether the signer was out. */
  private chainInputs(terminalId: string, keys: JournalKey[], head: HeadRow, start: number): { ring: KeyRing; outageBefore: boolean } {
    const outageBefore = start - 1 >= head.chain_seq ? head.chain_outage === 1 : this.s.outageAt.get(terminalId, start - 1)?.kind === 'signer.outage.start';
    return { ring: this.ringAt(terminalId, keys, start - 1), outageBefore };
  }

  /** The checks, then the store; a Refused thrown here stores nothing. */
  private accept(terminalId: string, keys: JournalKey[], batch: SalesBatch, at: string, head: HeadRow): SalesAck {
    const sales = batch.sales;
    const acked = head.acked_through;
    const done = (accepted: number, duplicates: number, gaps: SalesAck['gaps'] = []): SalesAck => ({ ackedThrough: this.s.head.get(terminalId)!.acked_through, accepted, duplicates, rejected: [], gaps });
    // A tail (no sales: the entries after the peer's last sale, core/peers/feed.ts) is taken where it
    // joins what is held, as a sales piece is; a copy starts only at a sale's piece or the genesis.
    const where = placeOf(head, batch);
    if (where === 'not consecutive') throw new Refused('the batch’s sales are not consecutive sequences');
    if (where === 'empty tail' || where === 'beyond') {
      this.s.contact.run(at, terminalId);
      const first = sales[0]?.sequence ?? acked + 1;
      return done(0, 0, first > acked + 1 ? [{ from: acked + 1, to: first - 1 }] : []);
    }
    const { first, last, start } = where;
    const inputs = this.chainInputs(terminalId, keys, head, start);
    const chain = checkChain(batch, inputs.ring, inputs.outageBefore);
    if (!chain.ok) throw new Refused(chain.reason);
    const [mislabelled] = chain.mislabelled.values();
    if (mislabelled !== undefined) throw new Refused(mislabelled);
    const extends_ = this.join(terminalId, head, batch, chain);
    // Sales held already must be the very same sales, with the same entries.
    let duplicates = 0;
    for (const h of this.s.heldSales.all(terminalId, first, Math.min(last, acked))) {
      const s = sales[h.sequence - first]!;
      if (s.saleId !== h.sale_id || s.entry!.hash !== h.journal_hash)
        throw new Refused(`the journal chain forks at sale ${h.sequence}: the copy holds ${h.sale_id} (${short(h.journal_hash)}), the peer now sends ${s.saleId} (${short(s.entry!.hash)})`);
      duplicates++;
    }
    // checkChain verified the piece's last signature (it vouches for the hashes before it), as HQ does;
    // each entry's own signature is checked after the batch is kept, off the catch-up's path (core/peers/audit.ts).
    if (!extends_ && last > acked) throw new Refused(`the piece ends at entry ${chain.head.seq}, before the copy’s first entry, yet carries sales after ${acked}`);
    const accepted = this.store(terminalId, batch, acked, extends_);
    const grows = chain.head.seq > head.chain_seq;
    this.s.advance.run({
      terminalId, at, acked: Math.max(acked, last),
      chainSeq: grows ? chain.head.seq : head.chain_seq, chainHash: grows ? chain.head.hash : head.chain_hash, outage: (grows ? chain.outage : head.chain_outage === 1) ? 1 : 0,
    });
    return done(accepted, duplicates);
  }

  /**
   * Where the checked piece meets the copy: throws on a fork. False when the piece lies wholly
   * before the copy's first entry (its entries are not added: nothing held vouches for them).
   */
  private join(terminalId: string, head: HeadRow, batch: SalesBatch, chain: { from: ChainPoint; head: ChainPoint }): boolean {
    if (head.chain_seq === 0) {
      // Nothing held yet: the peer's first sale's piece, from its genesis (or where its journal was archived before it ever sold).
      if (chain.from.seq === 0 && chain.from.hash !== GENESIS_HASH) throw new Refused('the journal chain does not start at its genesis');
      return true;
    }
    if (chain.from.seq === head.chain_seq) {
      if (chain.from.hash !== head.chain_hash) throw new Refused(`the journal chain forks: it continues from entry ${chain.from.seq} (${short(chain.from.hash)}), the copy holds ${short(head.chain_hash)} there`);
      return true;
    }
    // The piece overlaps what is held: the highest entry both have must be the same (its hash covers all before it).
    const k = Math.min(chain.head.seq, head.chain_seq);
    const held = this.s.entryAt.get(terminalId, k);
    const firstHeld = this.s.firstHeld.get(terminalId)!.seq!;
    if (!held) {
      // Wholly before the copy's first entry: added only where it leads into it; otherwise only its sales (held already) are compared.
      if (k !== firstHeld - 1) return false;
      const next = this.s.entryAt.get(terminalId, firstHeld)!.prev_hash;
      if (next !== chain.head.hash) this.fork(k, chain.head.hash, next);
      return true;
    }
    const sent = k === chain.head.seq ? chain.head.hash : this.hashIn(batch, k);
    if (sent !== held.hash) this.fork(k, sent, held.hash);
    return true;
  }

  private fork(seq: number, sent: string | undefined, held: string): never {
    throw new Refused(`the journal chain forks at entry ${seq}: the copy holds ${short(held)}, the peer now sends ${short(sent ?? null)}`);
  }

  private hashIn(batch: SalesBatch, seq: number): string | undefined {
    return batch.links?.find((l) => l.seq === seq)?.hash ?? batch.sales.find((s) => s.entry?.seq === seq)?.entry!.hash;
  }

  /** Stores the batch's new sales and its entries (in a savepoint: a sale id held under another sequence refuses the batch). */
  private store(terminalId: string, batch: SalesBatch, acked: number, withEntries: boolean): number {
    let accepted = 0;
    const put = this.db.transaction(() => {
      for (const s of batch.sales) {
        const e = s.entry!;
        if (withEntries) this.s.insertEntry.run({ terminalId, ...e, body: null });
        if (s.sequence <= acked) continue;
        this.s.insertSale.run({ terminalId, sequence: s.sequence, saleId: s.saleId, kind: s.kind, businessDate: s.businessDate, total: s.total, createdAt: s.createdAt, body: s.body, journalSeq: e.seq, journalHash: e.hash });
        accepted++;
      }
      if (withEntries) for (const l of batch.links ?? []) this.s.insertEntry.run({ terminalId, ...l });
    });
    try {
      put();
    } catch (err) {
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) throw new Refused(`a sale of the batch is held under another sequence (${(err as Error).message})`);
      throw err;
    }
    return accepted;
  }

  /** Every peer held, by terminal id. */
  heads(): PeerHead[] {
    return this.s.heads.all().map((r) => ({
      terminalId: r.terminal_id, chainSeq: r.chain_seq, chainHash: r.chain_hash, ackedThrough: r.acked_through, maxSequence: r.max_sequence,
      lastContact: r.last_contact, alert: r.alert, alertAt: r.alert_at, rejectedCount: r.rejected_count,
    }));
  }

  /** A peer's sale (not a return) by its id, as held: its sequence, lane and document. */
  saleById(saleId: string): { sequence: number; laneId: string | null; body: string } | null {
    const r = this.s.saleById.get(saleId);
    return r ? { sequence: r.sequence, laneId: r.lane_id, body: r.body } : null;
  }

  /** A peer's sale with its journal entry (its receipt is made from them). */
  receiptOf(saleId: string): { body: string; journalSeq: number; hash: string; signature: string | null } | null {
    const r = this.s.receiptOf.get(saleId);
    return r ? { body: r.body, journalSeq: r.seq, hash: r.hash, signature: r.signature } : null;
  }

  /** The documents of the returns the store's other tills made of a sale. */
  returnsOf(saleId: string): string[] {
    return this.s.returnsOf.all(saleId).map((r) => r.body);
  }

  /** The `sale.suspended` entry's body of a basket a peer parked, by its suspend id. */
  parkedBasket(suspendId: string): string | null {
    return this.s.basket.get(suspendId, 'sale.suspended')?.body ?? null;
  }

  /** The lane of a peer that took up a parked basket (its `sale.resumed` entry). */
  resumedOn(suspendId: string): string | null {
    const r = this.s.basket.get(suspendId, 'sale.resumed');
    return r ? String((JSON.parse(r.body) as { lane?: unknown }).lane ?? '?') : null;
  }

  /** Every basket a peer took up: its suspend id and the lane (`sale.resumed` entries). */
  resumedBaskets(): Array<{ suspend_id: string; lane: string }> {
    return this.s.resumedAll.all();
  }

  /** How many of a peer's sales after a sequence are held, and when the oldest of them was made. */
  backlogAfter(terminalId: string, afterSequence: number): { n: number; oldest: string | null } {
    return this.s.backlog.get(terminalId, afterSequence)!;
  }

  /** Up to `limit` of a peer's sales after `afterSequence`, shaped as the uploader's outbox rows (core/sync/repo.ts). */
  sales(terminalId: string, afterSequence: number, limit: number): OutboxRow[] {
    return this.s.sales.all(terminalId, afterSequence, limit);
  }

  /** A peer's held journal entries from `fromSeq` through `toSeq`, in order. */
  entries(terminalId: string, fromSeq: number, toSeq: number): PeerEntry[] {
    return this.s.entries.all(terminalId, fromSeq, toSeq).map(entryOf);
  }

  /**
   * For a peer's rows from `sales` (in sequence order): the piece of chain to send with them, as the
   * peer's own uploader makes it (core/sync/chain.ts ChainReader): the sales' entries by sequence,
   * and the entries between the previous sale's entry and the last sale's, with their bodies.
   */
  piece(terminalId: string, rows: ReadonlyArray<Pick<OutboxRow, 'sequence' | 'journal_seq'>>): { entries: Map<number, EntryChain>; links: ChainLink[] } {
    const entries = new Map<number, EntryChain>();
    const links: ChainLink[] = [];
    const first = rows[0];
    if (!first) return { entries, links };
    const lastSeq = Math.max(...rows.map((r) => r.journal_seq ?? 0));
    const before = first.sequence > 1 ? this.s.saleEntry.get(terminalId, first.sequence - 1)?.journal_seq : undefined;
    const from = before !== undefined ? before + 1 : (this.s.firstHeld.get(terminalId)!.seq ?? 1);
    const bySeq = new Map(rows.map((r) => [r.journal_seq, r.sequence]));
    for (const e of this.entries(terminalId, from, lastSeq)) {
      const sequence = bySeq.get(e.seq);
      if (sequence !== undefined) entries.set(sequence, chainOf(e));
      else links.push(this.linkOf(terminalId, e));
    }
    return { entries, links };
  }

  /** A held entry as a batch's link: with its body (a sale's own entry's is the sale's). */
  private linkOf(terminalId: string, e: PeerEntry): ChainLink {
    return { ...chainOf(e), body: e.body ?? this.s.saleBody.get(terminalId, e.seq)!.body };
  }

  /** A page of a till's own copy for it (a reflashed till recovering: core/peers/recover.ts): its sales after `after`, with their piece of chain, as it once sent them. */
  copyPage(terminalId: string, after: number, limit: number): CopyPage {
    // One snapshot: the worker may keep a batch of that till's between two reads (core/db/copies-file.ts).
    return this.db.transaction(() => this.pageOf(terminalId, after, limit))();
  }

  private pageOf(terminalId: string, after: number, limit: number): CopyPage {
    const head = this.s.head.get(terminalId);
    const rows = this.sales(terminalId, after, Math.max(0, Math.min(limit, COPY_PAGE_LIMIT)));
    const { entries, links } = this.piece(terminalId, rows);
    // The last page carries the entries held after the last sale too (a tail): the till's chain goes on from its true end, not from before what its peers hold.
    const lastEntry = rows.at(-1)?.journal_seq ?? null;
    if (head && lastEntry !== null && rows.at(-1)!.sequence === head.acked_through && head.chain_seq > lastEntry) {
      for (const e of this.entries(terminalId, lastEntry + 1, Math.min(head.chain_seq, lastEntry + MAX_TAIL))) links.push(this.linkOf(terminalId, e));
    }
    const sales: SaleUpload[] = rows.map((r) => ({ sequence: r.sequence, saleId: r.sale_id, kind: r.kind === 'return' ? 'return' : 'sale', businessDate: r.business_date, total: r.total, createdAt: r.created_at, body: r.payload, entry: entries.get(r.sequence)! }));
    return {
      terminalId, ackedThrough: head?.acked_through ?? 0, chainSeq: head?.chain_seq ?? 0, chainHash: head?.chain_hash ?? null,
      batch: { clock: head?.last_contact ?? new Date(0).toISOString(), backlog: { count: 0, oldestAt: null }, sales, links },
    };
  }

  /** Checks the whole copy of a peer's chain again, from its first held entry, with the peer's journal key(s) (oldest first). */
  verifyAll(terminalId: string, journalKeys: string | readonly string[]): CopyVerdict {
    return this.db.transaction(() => this.verifyHeld(terminalId, journalKeys))();
  }

  private verifyHeld(terminalId: string, journalKeys: string | readonly string[]): CopyVerdict {
    const head = this.s.head.get(terminalId);
    const firstHeld = this.s.firstHeld.get(terminalId)!.seq;
    if (!head || firstHeld === null) return { ok: true, entries: 0, sales: 0, head: null };
    const rows = this.sales(terminalId, 0, Number.MAX_SAFE_INTEGER);
    if (rows.some((r, i) => r.sequence !== i + 1) || rows.length !== head.acked_through) return { ok: false, reason: `the copy's sales are not sequences 1 to ${head.acked_through} without a gap` };
    const bySeq = new Map(rows.map((r) => [r.journal_seq, r]));
    const sales: SaleUpload[] = [];
    const links: ChainLink[] = [];
    const all = this.entries(terminalId, firstHeld, head.chain_seq);
    for (const e of all) {
      const r = bySeq.get(e.seq);
      if (r) sales.push({ sequence: r.sequence, saleId: r.sale_id, kind: r.kind === 'return' ? 'return' : 'sale', businessDate: r.business_date, total: r.total, createdAt: r.created_at, body: r.payload, entry: chainOf(e) });
      else if (e.body !== null) links.push({ ...chainOf(e), body: e.body });
      else return { ok: false, reason: `journal entry ${e.seq} is a sale's entry whose sale the copy does not hold` };
    }
    if (sales.length !== rows.length) return { ok: false, reason: 'the copy holds sales whose journal entries it does not hold' };
    const chain = checkChain({ clock: head.last_contact ?? '', backlog: { count: 0, oldestAt: null }, sales, links }, { keys: this.ring(journalKeys), from: 0, exact: true }, false);
    if (!chain.ok) return chain;
    const [mislabelled] = chain.mislabelled.values();
    if (mislabelled !== undefined) return { ok: false, reason: mislabelled };
    if (chain.from.seq === 0 && chain.from.hash !== GENESIS_HASH) return { ok: false, reason: 'the journal chain does not start at its genesis' };
    if (chain.head.seq !== head.chain_seq || chain.head.hash !== head.chain_hash) return { ok: false, reason: `the copy's head (entry ${head.chain_seq}) is not the end of the entries it holds` };
    return { ok: true, entries: all.length, sales: rows.length, head: chain.head };
  }
}
