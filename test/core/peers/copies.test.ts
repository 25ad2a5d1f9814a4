/**
 * A till's verified copies of its peers' journals (issue 19, core/peers/copies.ts), fed the very
 * batches a real lane's uploader makes from its signed journal, into a second real SQLite file: a
 * peer's sales and entries are all held and verify; resends are duplicates; forged, tampered,
 * truncated, forked and foreign chains are refused whole with an alert and poison nothing; a batch
 * beyond what is held is answered with what is held.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { CopyAudit } from '../../../core/peers/audit';
import { PeerCopies } from '../../../core/peers/copies';
import { ChainReader } from '../../../core/sync/chain';
import { OutboxRepo, type OutboxRow } from '../../../core/sync/repo';
import { encodeSales, salesRequest } from '../../../core/sync/encode';
import { SalesBatchSchema, type ChainLink, type EntryChain, type SalesBatch } from '../../../protocol/hq';
import { MONDAY } from '../../helpers/clock';
import { run, sellMilkForCash } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { copyOfTill, sellingTill, type SellingTill } from '../../helpers/peer-tills';

const tmp = tempDir('kassa-peer-copies-');
afterAll(() => tmp.cleanup());
const NOW = new Date(MONDAY);
const SALE_KINDS = new Set(['sale.completed', 'sale.return']);

type Till = SellingTill;
const till = (name: string): Till => sellingTill(tmp.dir, name);
const copyOf = (t: Till, name: string): Promise<Till> => copyOfTill(t, tmp.dir, name);

/** `n` sales, each after a cancelled one (a journal entry between sales: the batches carry links). */
function sell(t: Till, n: number, code = DEMO_ITEMS.milk.codes[0]!): void {
  for (let i = 0; i < n; i++) {
    run(t.lane, { cmd: 'scan', code });
    run(t.lane, { cmd: 'cancelSale' });
    if (code === DEMO_ITEMS.milk.codes[0]) sellMilkForCash(t.lane);
    else {
      run(t.lane, { cmd: 'scan', code });
      run(t.lane, { cmd: 'tenderCash' });
      run(t.lane, { cmd: 'complete' });
    }
  }
}

/** The request a batch of outbox rows makes, as the uploader encodes it, parsed as a receiver parses it. */
function request(rows: OutboxRow[], piece: { entries: Map<number, EntryChain>; links: ChainLink[] }): SalesBatch {
  const parts = encodeSales(rows, 3_000_000, piece.entries);
  expect(parts).toHaveLength(rows.length);
  const body = salesRequest({ clock: NOW.toISOString(), backlog: { count: 0, oldestAt: null }, links: piece.links }, parts);
  return SalesBatchSchema.parse(JSON.parse(body.toString('utf8')));
}

/** The batch `t`'s uploader sends for its outbox rows after `after`. */
function batchOf(t: Till, after: number, limit = 100): SalesBatch {
  const rows = new OutboxRepo(t.db).batch(after, limit);
  return request(rows, new ChainReader(t.db).piece(rows));
}

const receiver = (name: string) => new PeerCopies(openDatabase(join(tmp.dir, `${name}.db`)));
const headOf = (p: PeerCopies, id: string) => p.heads().find((h) => h.terminalId === id)!;
const journalOf = (t: Till) => t.db.prepare<[], { seq: number; kind: string; body: string; hash: string; signature: string | null }>('SELECT seq, kind, body, hash, signature FROM journal ORDER BY seq').all();

describe('a till’s copies of its peers’ journals', () => {
  it('hold every sale and journal entry of a peer, verified; resent batches are duplicates; a copy is sent on as the peer sends it', () => {
    const a = till('hold-a');
    sell(a, 5);
    const copies = receiver('hold-copies');
    expect(copies.ingest('A', a.key, batchOf(a, 0, 2), NOW)).toEqual({ ackedThrough: 2, accepted: 2, duplicates: 0, rejected: [], gaps: [] });
    expect(copies.ingest('A', a.key, batchOf(a, 2, 2), NOW)).toMatchObject({ ackedThrough: 4, accepted: 2, duplicates: 0 });
    expect(copies.ingest('A', a.key, batchOf(a, 4, 2), NOW)).toMatchObject({ ackedThrough: 5, accepted: 1, duplicates: 0 });
    // Sent again (an answer lost on the way), whole or in part: nothing changes.
    expect(copies.ingest('A', a.key, batchOf(a, 0), NOW)).toEqual({ ackedThrough: 5, accepted: 0, duplicates: 5, rejected: [], gaps: [] });
    expect(copies.ingest('A', a.key, batchOf(a, 3, 1), NOW)).toEqual({ ackedThrough: 5, accepted: 0, duplicates: 1, rejected: [], gaps: [] });

    // The copy's sales are the peer's outbox rows; its entries are the peer's journal through the last sale's, links with their bodies.
    const outbox = new OutboxRepo(a.db).batch(0, 100);
    expect(copies.sales('A', 0, 100)).toEqual(outbox);
    expect(copies.sales('A', 3, 1).map((r) => r.sequence)).toEqual([4]);
    const head = headOf(copies, 'A');
    const lastSale = outbox[4]!.journal_seq!;
    expect(head).toMatchObject({ chainSeq: lastSale, ackedThrough: 5, maxSequence: 5, lastContact: NOW.toISOString(), alert: null, rejectedCount: 0 });
    const journal = journalOf(a).filter((e) => e.seq <= lastSale);
    expect(journal.filter((e) => e.kind === 'sale.cancelled').length).toBeGreaterThan(0); // links were carried
    const held = copies.entries('A', 1, lastSale);
    expect(held.map((e) => [e.seq, e.hash, e.signature])).toEqual(journal.map((e) => [e.seq, e.hash, e.signature]));
    expect(held.map((e) => e.body)).toEqual(journal.map((e) => (SALE_KINDS.has(e.kind) ? null : e.body)));
    expect(head.chainHash).toBe(journal[journal.length - 1]!.hash);
    expect(copies.verifyAll('A', a.key)).toEqual({ ok: true, entries: journal.length, sales: 5, head: { seq: lastSale, hash: head.chainHash } });
    // Checked with another key, the same copy does not verify.
    expect(copies.verifyAll('A', till('hold-other').key)).toMatchObject({ ok: false, reason: expect.stringMatching(/not the terminal's enrolled key/) });

    // Sent on from the copy (to HQ, to another till) it is the very request the peer makes, and verifies there.
    const rows = copies.sales('A', 0, 3);
    expect(request(rows, copies.piece('A', rows))).toEqual(batchOf(a, 0, 3));
    const later = copies.sales('A', 3, 10);
    expect(request(later, copies.piece('A', later))).toEqual(batchOf(a, 3));
    const onward = receiver('hold-onward');
    expect(onward.ingest('A', a.key, request(rows, copies.piece('A', rows)), NOW)).toMatchObject({ ackedThrough: 3, accepted: 3 });
    expect(onward.ingest('A', a.key, request(later, copies.piece('A', later)), NOW)).toMatchObject({ ackedThrough: 5, accepted: 2 });
    expect(onward.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 5, entries: journal.length });
  });

  it('refuse a forged, tampered or truncated batch whole, with an alert, and poison nothing', () => {
    const a = till('forged-a');
    sell(a, 2);
    const copies = receiver('forged-copies');
    expect(copies.ingest('A', a.key, batchOf(a, 0), NOW)).toMatchObject({ ackedThrough: 2, accepted: 2 });
    sell(a, 3);
    const genuine = batchOf(a, 2);
    expect(genuine.links!.length).toBeGreaterThan(1);
    const entriesBefore = copies.entries('A', 1, 10_000).length;
    const otherSignature = genuine.sales[0]!.entry!.signature!;
    const cases: Array<[string, (b: SalesBatch) => void, RegExp]> = [
      ['last signature forged', (b) => (b.sales[2]!.entry!.signature = otherSignature), /^journal entry \d+'s signature does not verify/],
      ['signature dropped', (b) => (b.sales[1]!.entry!.signature = null), /^journal entry \d+ is not signed, outside a signer outage$/],
      ['body tampered', (b) => (b.sales[1]!.body = b.sales[1]!.body.replace(/"total":(\d+)/, '"total":1')), /^journal entry \d+ does not hash to what the terminal sent \(altered content\)$/],
      ['a link tampered', (b) => (b.links![0]!.body = b.links![0]!.body.replace('{', '{"x":1,')), /altered content/],
      ['an entry cut out', (b) => b.links!.splice(1, 1), /^journal entry \d+ is missing between the batch's entries \(a gap in the chain\)$/],
      ['a sale cut out', (b) => b.sales.splice(1, 1), /not consecutive/],
      ['a sale without its entry', (b) => delete b.sales[2]!.entry, /^sale 5 came without its journal entry$/],
      ['a sale sent as another', (b) => (b.sales[1]!.saleId = b.sales[0]!.saleId), /^journal entry \d+ is sale.completed .*, not the sale .* it was sent as$/],
    ];
    for (const [name, alter, reason] of cases) {
      const b = structuredClone(genuine);
      alter(b);
      const ack = copies.ingest('A', a.key, b, NOW);
      expect(ack, name).toMatchObject({ ackedThrough: 2, accepted: 0, duplicates: 0, gaps: [] });
      expect(ack.rejected.map((r) => r.sequence), name).toEqual(b.sales.map((s) => s.sequence));
      for (const r of ack.rejected) expect(r.reason, name).toMatch(reason);
      expect(headOf(copies, 'A'), name).toMatchObject({ ackedThrough: 2, alert: expect.stringMatching(reason), alertAt: NOW.toISOString() });
      expect(copies.sales('A', 0, 100), name).toHaveLength(2);
      expect(copies.entries('A', 1, 10_000), name).toHaveLength(entriesBefore);
    }
    expect(headOf(copies, 'A').rejectedCount).toBe(cases.length * 3 - 1);
    // A piece whose first entries are cut starts beyond what is held: nothing stored, the sender is told where to resend from.
    const cut = structuredClone(genuine);
    cut.links!.splice(0, cut.links!.findIndex((l) => l.seq > genuine.links![0]!.seq) + 1);
    expect(cut.links![0]!.seq).toBeGreaterThan(genuine.links![0]!.seq);
    expect(copies.ingest('A', a.key, cut, NOW)).toEqual({ ackedThrough: 2, accepted: 0, duplicates: 0, rejected: [], gaps: [] });
    // The genuine batch is taken as it would have been; the copy verifies, the last alert stays for store IT.
    expect(copies.ingest('A', a.key, genuine, NOW)).toEqual({ ackedThrough: 5, accepted: 3, duplicates: 0, rejected: [], gaps: [] });
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 5 });
    expect(copies.sales('A', 0, 100)).toEqual(new OutboxRepo(a.db).batch(0, 100));
    expect(headOf(copies, 'A').alert).toMatch(/not the sale .* it was sent as/);
  });

  it('check each entry’s own signature after the batch is kept, off the catch-up’s path, and tell store IT of one that does not verify', () => {
    const a = till('audit-a');
    sell(a, 3);
    const db = openDatabase(join(tmp.dir, 'audit-copies.db'));
    const copies = new PeerCopies(db);
    // A middle entry's signature swapped for another's: the piece's last signature still vouches for every hash, so the batch is taken as HQ takes it…
    const b = batchOf(a, 0);
    const swapped = b.sales[0]!.entry!.seq;
    b.sales[0]!.entry!.signature = b.sales[1]!.entry!.signature;
    expect(copies.ingest('A', a.key, b, NOW)).toMatchObject({ ackedThrough: 3, accepted: 3, rejected: [] });
    expect(headOf(copies, 'A').alert).toBeNull();
    // …and the audit, a step at a time, finds it: an alert on the peer's row, and it goes on to the end of the copy.
    const audit = new CopyAudit(db);
    const keysOf = (id: string) => (id === 'A' ? [a.key] : null);
    const at = '2026-11-23T10:05:00.000Z';
    const entries = copies.entries('A', 1, 10_000).length;
    let checked = 0;
    for (let n = audit.step(keysOf, 2, at); n > 0; n = audit.step(keysOf, 2, at)) checked += n;
    expect(checked).toBe(entries);
    expect(headOf(copies, 'A')).toMatchObject({ alert: `journal entry ${swapped}'s signature does not verify with the terminal's journal key (found checking the copy)`, alertAt: at });
    // A peer the roster gives no key for waits; a copy audited to its head is not checked again.
    expect(audit.step(keysOf, 100, at)).toBe(0);
  });

  it('answer a batch beyond what is held with what is held, and take the rest once it comes', () => {
    const a = till('gap-a');
    sell(a, 4);
    const copies = receiver('gap-copies');
    expect(copies.ingest('A', a.key, batchOf(a, 2), NOW)).toEqual({ ackedThrough: 0, accepted: 0, duplicates: 0, rejected: [], gaps: [{ from: 1, to: 2 }] });
    expect(copies.sales('A', 0, 100)).toEqual([]);
    expect(copies.entries('A', 1, 10_000)).toEqual([]);
    expect(copies.ingest('A', a.key, batchOf(a, 0, 1), NOW)).toMatchObject({ ackedThrough: 1, accepted: 1 });
    expect(copies.ingest('A', a.key, batchOf(a, 2), NOW)).toEqual({ ackedThrough: 1, accepted: 0, duplicates: 0, rejected: [], gaps: [{ from: 2, to: 2 }] });
    expect(copies.ingest('A', a.key, batchOf(a, 1), NOW)).toMatchObject({ ackedThrough: 4, accepted: 3, duplicates: 0 });
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 4 });
    expect(headOf(copies, 'A')).toMatchObject({ alert: null, rejectedCount: 0 });
  });

  it('refuse a forked chain — the same till’s journal gone back and sold on differently — whichever branch came second', async () => {
    const a = till('fork-a');
    sell(a, 2);
    const b = await copyOf(a, 'fork-b');
    expect(b.key).toBe(a.key);
    sell(a, 2);
    sell(b, 2, DEMO_ITEMS.bread.codes[0]!);
    const copies = receiver('fork-copies');
    expect(copies.ingest('A', a.key, batchOf(a, 0), NOW)).toMatchObject({ ackedThrough: 4, accepted: 4 });
    // The other branch continuing from sale 2, and whole: refused; nothing of it held.
    for (const after of [2, 0, 3]) {
      const ack = copies.ingest('A', a.key, batchOf(b, after), NOW);
      expect(ack, `after ${after}`).toMatchObject({ ackedThrough: 4, accepted: 0, duplicates: 0 });
      expect(ack.rejected.map((r) => r.sequence)).toEqual(batchOf(b, after).sales.map((s) => s.sequence));
      for (const r of ack.rejected) expect(r.reason).toMatch(/^the journal chain forks/);
    }
    expect(headOf(copies, 'A')).toMatchObject({ ackedThrough: 4, alert: expect.stringMatching(/^the journal chain forks/) });
    // The branch held goes on.
    sell(a, 1);
    expect(copies.ingest('A', a.key, batchOf(a, 4), NOW)).toMatchObject({ ackedThrough: 5, accepted: 1 });
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 5 });
    expect(copies.sales('A', 0, 100)).toEqual(new OutboxRepo(a.db).batch(0, 100));
    // Where the other branch came first, it is the one held and the first branch is the fork.
    const other = receiver('fork-copies-2');
    expect(other.ingest('A', a.key, batchOf(b, 0), NOW)).toMatchObject({ ackedThrough: 4, accepted: 4 });
    expect(other.ingest('A', a.key, batchOf(a, 2), NOW).rejected.map((r) => r.reason)).toEqual([expect.stringMatching(/forks/), expect.stringMatching(/forks/), expect.stringMatching(/forks/)]);
    expect(other.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 4 });
    expect(other.sales('A', 0, 100)).toEqual(new OutboxRepo(b.db).batch(0, 100));
  });

  it('refuse another till’s valid batch replayed under this till’s id', () => {
    const a = till('replay-a');
    const c = till('replay-c');
    sell(a, 2);
    sell(c, 3);
    const copies = receiver('replay-copies');
    // Before anything of A is held, and after.
    for (const held of [0, 2]) {
      const ack = copies.ingest('A', a.key, batchOf(c, 0), NOW);
      expect(ack).toMatchObject({ ackedThrough: held, accepted: 0, duplicates: 0 });
      expect(ack.rejected).toHaveLength(3);
      for (const r of ack.rejected) expect(r.reason).toMatch(/^journal entry \d+ is signed with key [0-9a-f]{16}, not the terminal's enrolled key [0-9a-f]{16}$/);
      if (held === 0) expect(copies.ingest('A', a.key, batchOf(a, 0), NOW)).toMatchObject({ ackedThrough: 2, accepted: 2 });
    }
    expect(copies.sales('A', 0, 100)).toEqual(new OutboxRepo(a.db).batch(0, 100));
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 2 });
    expect(headOf(copies, 'A')).toMatchObject({ rejectedCount: 6, alert: expect.stringMatching(/not the terminal's enrolled key/) });
    // C's own copy, under its own id, is taken.
    expect(copies.ingest('C', c.key, batchOf(c, 0), NOW)).toMatchObject({ ackedThrough: 3, accepted: 3 });
    expect(copies.heads().map((h) => h.terminalId)).toEqual(['A', 'C']);
  });
});
