/**
 * A till's journal after its last sale reaches its peers (issue 19.4, core/peers/feed.ts `tail`,
 * core/peers/copies.ts): once every sale is sent, the entries after the last one a peer holds go as
 * a batch of links only, from a real lane's signed journal into a second real SQLite file. A tail
 * that joins the copy is kept (a parked basket is found in it); resent, nothing changes; the next
 * sale's piece overlaps it and only what is new is kept; a forked tail is refused whole with an
 * alert; a tail beyond what is held, or starting a copy anywhere but the genesis, stores nothing; a
 * tail ends before a sale's own entry and at its limit; a reflashed till's copy page carries it.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { PeerCopies } from '../../../core/peers/copies';
import { PeerFeed } from '../../../core/peers/feed';
import { ChainReader } from '../../../core/sync/chain';
import { OutboxRepo } from '../../../core/sync/repo';
import { encodeSales, salesRequest } from '../../../core/sync/encode';
import { checkChain, journalKey } from '../../../protocol/journal-chain-check';
import { SalesBatchSchema, type ChainLink, type SalesBatch } from '../../../protocol/hq';
import type { Slip } from '../../../protocol/terminal';
import { MONDAY } from '../../helpers/clock';
import { exec, run, sellMilkForCash } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { copyOfTill, sellingTill, type SellingTill } from '../../helpers/peer-tills';

const tmp = tempDir('kassa-peer-tail-');
afterAll(() => tmp.cleanup());
const NOW = new Date(MONDAY);
const MILK = DEMO_ITEMS.milk.codes[0]!;

type Till = SellingTill;
const till = (name: string): Till => sellingTill(tmp.dir, name);
const copyOf = (t: Till, name: string): Promise<Till> => copyOfTill(t, tmp.dir, name);

/** Parks a basket of `n` milk; its slip. */
function park(t: Till, n = 1): Slip {
  run(t.lane, { cmd: 'scan', code: MILK, quantity: n });
  return exec(t.lane, { cmd: 'suspendSale' }).result as Slip;
}

/** As a receiver parses it: the sales request after `after` (as the uploader sends it), or a tail. */
const parse = (body: Buffer): SalesBatch => SalesBatchSchema.parse(JSON.parse(body.toString('utf8')));
function salesBatch(t: Till, after: number): SalesBatch {
  const rows = new OutboxRepo(t.db).batch(after, 100);
  const piece = new ChainReader(t.db).piece(rows);
  return parse(salesRequest({ clock: NOW.toISOString(), backlog: { count: 0, oldestAt: null }, links: piece.links }, encodeSales(rows, 3_000_000, piece.entries)));
}
const tailBatch = (links: ChainLink[]): SalesBatch => parse(salesRequest({ clock: NOW.toISOString(), backlog: { count: 0, oldestAt: null }, links }, []));

const receiver = (name: string) => new PeerCopies(openDatabase(join(tmp.dir, `${name}.db`)));
const headOf = (p: PeerCopies, id: string) => p.heads().find((h) => h.terminalId === id)!;
const lastSeq = (t: Till) => t.db.prepare<[], { seq: number }>('SELECT max(seq) AS seq FROM journal').get()!.seq;
const suspendIdOf = (slip: Slip) => slip.suspendId;

describe('a till’s journal after its last sale (its tail) at its peers', () => {
  it('is kept where it joins the copy, found there, taken once; the next sale’s piece overlaps it and adds only what is new', () => {
    const a = till('keep-a');
    sellMilkForCash(a.lane);
    sellMilkForCash(a.lane);
    const copies = receiver('keep-copies');
    const feed = new PeerFeed(a.db, 'R');
    expect(copies.ingest('A', a.key, salesBatch(a, 0), NOW)).toMatchObject({ ackedThrough: 2, accepted: 2 });
    feed.ack(2);
    expect(feed.tail(500, 3_000_000)).toBeNull(); // nothing after the last sale
    const slip = park(a, 3);
    expect(copies.parkedBasket(suspendIdOf(slip))).toBeNull();

    const tail = feed.tail(500, 3_000_000)!;
    expect(tail.through).toBe(lastSeq(a));
    expect(tail.more).toBe(false);
    expect(tail.links.map((l) => l.kind)).toContain('sale.suspended');
    expect(copies.ingest('A', a.key, tailBatch(tail.links), NOW)).toEqual({ ackedThrough: 2, accepted: 0, duplicates: 0, rejected: [], gaps: [] });
    expect(headOf(copies, 'A')).toMatchObject({ chainSeq: tail.through, ackedThrough: 2, alert: null });
    expect(JSON.parse(copies.parkedBasket(suspendIdOf(slip))!)).toMatchObject({ suspendId: slip.suspendId, lane: '1', items: [{ code: MILK, quantity: 3, weightGrams: null }] });
    feed.tailSent(tail.through);
    expect(feed.tail(500, 3_000_000)).toBeNull();
    // Resent (an answer lost): nothing changes.
    expect(copies.ingest('A', a.key, tailBatch(tail.links), NOW)).toMatchObject({ ackedThrough: 2, accepted: 0, rejected: [] });
    expect(headOf(copies, 'A').chainSeq).toBe(tail.through);

    // The next sale's piece starts after sale 2's entry: it carries the tail again, and only the new is kept.
    sellMilkForCash(a.lane);
    const next = salesBatch(a, 2);
    expect(next.links!.some((l) => l.seq <= tail.through)).toBe(true);
    expect(copies.ingest('A', a.key, next, NOW)).toEqual({ ackedThrough: 3, accepted: 1, duplicates: 0, rejected: [], gaps: [] });
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 3, entries: lastSeq(a) });
    feed.ack(3);
    expect(feed.tail(500, 3_000_000)).toBeNull();

    // A reflashed till's last copy page carries what is held after its last sale: its chain goes on from there.
    park(a);
    const t2 = feed.tail(500, 3_000_000)!;
    expect(copies.ingest('A', a.key, tailBatch(t2.links), NOW).rejected).toEqual([]);
    const page = copies.copyPage('A', 0, 1_000);
    const chain = checkChain(page.batch, journalKey(a.key), false);
    expect(chain).toMatchObject({ ok: true, head: { seq: lastSeq(a) } });
    expect(page).toMatchObject({ chainSeq: lastSeq(a), ackedThrough: 3 });
  });

  it('ends before a sale’s own entry and at its limit', () => {
    const a = till('limit-a');
    const feed = new PeerFeed(a.db, 'R');
    // A till that never sold: its tail starts at the genesis, and a copy takes it.
    const first = feed.tail(1, 3_000_000)!;
    expect(first.links.map((l) => l.seq)).toEqual([1]);
    expect(first.more).toBe(true);
    const copies = receiver('limit-copies');
    expect(copies.ingest('A', a.key, tailBatch(first.links), NOW).rejected).toEqual([]);
    expect(headOf(copies, 'A')).toMatchObject({ chainSeq: 1, ackedThrough: 0 });
    feed.tailSent(first.through);
    park(a);
    const before = lastSeq(a);
    sellMilkForCash(a.lane); // not yet sent: the tail stops before its entry
    const rest = feed.tail(500, 3_000_000)!;
    expect(rest.links[0]!.seq).toBe(2);
    expect(rest.links.every((l) => !['sale.completed', 'sale.return'].includes(l.kind))).toBe(true);
    expect(rest.through).toBeLessThanOrEqual(before + 2);
    expect(rest.more).toBe(false);
    expect(copies.ingest('A', a.key, tailBatch(rest.links), NOW).rejected).toEqual([]);
    // The sale then joins the copy as any.
    expect(copies.ingest('A', a.key, salesBatch(a, 0), NOW)).toMatchObject({ ackedThrough: 1, accepted: 1, rejected: [] });
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 1 });
  });

  it('stores nothing beyond what is held, nor as a copy’s start anywhere but the genesis', () => {
    const a = till('gap-a');
    sellMilkForCash(a.lane);
    park(a);
    park(a);
    const feed = new PeerFeed(a.db, 'R');
    feed.ack(1);
    const tail = feed.tail(500, 3_000_000)!;
    // Nothing held yet: a tail after a sale does not start a copy.
    const copies = receiver('gap-copies');
    expect(copies.ingest('A', a.key, tailBatch(tail.links), NOW)).toEqual({ ackedThrough: 0, accepted: 0, duplicates: 0, rejected: [], gaps: [] });
    expect(copies.entries('A', 1, 10_000)).toEqual([]);
    expect(copies.ingest('A', a.key, salesBatch(a, 0), NOW)).toMatchObject({ ackedThrough: 1, accepted: 1 });
    // Its first entries cut: beyond the head, nothing stored; whole, taken.
    const held = headOf(copies, 'A').chainSeq;
    expect(copies.ingest('A', a.key, tailBatch(tail.links.slice(2)), NOW)).toMatchObject({ ackedThrough: 1, rejected: [] });
    expect(headOf(copies, 'A').chainSeq).toBe(held);
    expect(copies.ingest('A', a.key, tailBatch(tail.links), NOW)).toMatchObject({ ackedThrough: 1, rejected: [] });
    expect(headOf(copies, 'A').chainSeq).toBe(tail.through);
  });

  it('refuses a forked tail whole, with an alert, whichever came second, and a tampered one', async () => {
    const a = till('fork-a');
    sellMilkForCash(a.lane);
    const b = await copyOf(a, 'fork-b');
    park(a, 1);
    park(b, 2);
    const [ta, tb] = [a, b].map((t) => {
      const f = new PeerFeed(t.db, 'R');
      f.ack(1);
      return f.tail(500, 3_000_000)!;
    });
    expect(ta!.links[0]!.seq).toBe(tb!.links[0]!.seq);
    const copies = receiver('fork-copies');
    expect(copies.ingest('A', a.key, salesBatch(a, 0), NOW)).toMatchObject({ ackedThrough: 1 });
    expect(copies.ingest('A', a.key, tailBatch(ta!.links), NOW).rejected).toEqual([]);
    const ack = copies.ingest('A', a.key, tailBatch(tb!.links), NOW);
    expect(ack).toMatchObject({ ackedThrough: 1, accepted: 0, rejected: [{ sequence: 0, reason: expect.stringMatching(/^the journal chain forks/) }] });
    expect(headOf(copies, 'A')).toMatchObject({ chainSeq: ta!.through, alert: expect.stringMatching(/forks/) });
    const other = receiver('fork-copies-2');
    expect(other.ingest('A', a.key, salesBatch(b, 0), NOW)).toMatchObject({ ackedThrough: 1 });
    expect(other.ingest('A', a.key, tailBatch(tb!.links), NOW).rejected).toEqual([]);
    expect(other.ingest('A', a.key, tailBatch(ta!.links), NOW).rejected[0]!.reason).toMatch(/forks/);
    // A tampered tail: refused, nothing stored.
    park(a, 4);
    const f = new PeerFeed(a.db, 'R');
    f.ack(1);
    f.tailSent(ta!.through);
    const more = structuredClone(f.tail(500, 3_000_000)!.links);
    more[0]!.body = more[0]!.body.replace('{', '{"x":1,');
    expect(copies.ingest('A', a.key, tailBatch(more), NOW).rejected[0]!.reason).toMatch(/altered content/);
    expect(headOf(copies, 'A').chainSeq).toBe(ta!.through);
    expect(copies.verifyAll('A', a.key)).toMatchObject({ ok: true, sales: 1 });
  });
});
