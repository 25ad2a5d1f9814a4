/**
 * The acknowledgement and gaps of every ingest, on both backends, equal what the stored tables say
 * (everything stored or refused for good, read back independently): batches in order, with gaps,
 * out of order, repeated, holding duplicates, refusals and conflicting sales, one sale at a time or
 * many. Ingest works the answer out from the batch itself when nothing lay beyond the previous
 * acknowledgement and reads the tables otherwise; both must give the same answer.
 * Also: text arrays sent to PostgreSQL in the binary format arrive as they were sent, and its sale
 * table carries no index beyond its key (sale_seq finds a sale by terminal and sequence).
 */
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { migrate, pgTextArray, type Sql } from '../../hq/sql';
import { HqStore } from '../../hq/store';
import type { SalesBatch } from '../../protocol/hq';
import { tempDir } from '../helpers/tmp';
import { hqBackends, PG_URL } from '../helpers/hq-backends';
import { testClock } from '../helpers/clock';
import { entryHash, GENESIS_HASH, keyIdOfSpki, rawEd25519 } from '../../protocol/journal-chain';

const MIGRATIONS = join(__dirname, '../../migrations/hq');
const clock = testClock();
const NOW = clock().toISOString();
const tmp = tempDir('kassa-hq-ack-');
afterAll(() => tmp.cleanup());

type Sale = SalesBatch['sales'][number];
const sale = (sequence: number, saleId: string = randomUUID(), body = JSON.stringify({ n: sequence })): Sale => ({
  sequence,
  saleId,
  kind: 'sale',
  businessDate: '2026-11-23',
  total: 100 * sequence,
  createdAt: NOW,
  body,
});

/** Highest contiguous sequence done and the gaps after it, from the tables alone. */
async function fromTables(sql: Sql, terminalId: string): Promise<{ ackedThrough: number; gaps: Array<{ from: number; to: number }> }> {
  const done = (
    await sql.query<{ sequence: number }>('SELECT sequence FROM sale_seq WHERE terminal_id = $1 UNION SELECT sequence FROM rejected_sale WHERE terminal_id = $1', [terminalId])
  )
    .map((r) => Number(r.sequence))
    .sort((a, b) => a - b);
  let acked = 0;
  while (done.includes(acked + 1)) acked++;
  const gaps: Array<{ from: number; to: number }> = [];
  let expect = acked + 1;
  for (const n of done.filter((x) => x > acked)) {
    if (n > expect) gaps.push({ from: expect, to: n - 1 });
    expect = n + 1;
  }
  return { ackedThrough: acked, gaps };
}

describe.each(hqBackends(tmp.dir))('acknowledgements on $name', (backend) => {
  let sql: Sql;
  let store: HqStore;
  beforeAll(async () => {
    sql = await backend.open();
    await migrate(sql, MIGRATIONS);
    store = new HqStore(sql, { now: clock });
  });
  afterAll(async () => {
    await sql.close();
    await backend.cleanup();
  });

  /** Each terminal's journal key: its sales are entries of a signed chain, as HQ requires. */
  const journalKeys = new Map<string, ReturnType<typeof generateKeyPairSync>>();
  const terminal = async (lane: string) => {
    const token = await store.createEnrollmentToken('store-ack', lane);
    const { publicKey } = generateKeyPairSync('ed25519');
    const journal = generateKeyPairSync('ed25519');
    const raw = (k: typeof publicKey) => rawEd25519(k);
    const { terminalId } = await store.enroll({ token, publicKey: raw(publicKey), journalKey: raw(journal.publicKey), softwareVersion: 'test' });
    journalKeys.set(terminalId, journal);
    return terminalId;
  };
  /**
   * The terminal's journal as the batches tell it: entry n is the first sale made at sequence n (a
   * later, different sale at n is another chain's — a fork); each sale carries its entry, signed.
   */
  const withEntries = (terminalId: string, batches: Sale[][]): Sale[][] => {
    const { privateKey, publicKey } = journalKeys.get(terminalId)!;
    const keyId = keyIdOfSpki(publicKey.export({ format: 'der', type: 'spki' }));
    const first = new Map<number, Sale>();
    for (const x of batches.flat()) if (!first.has(x.sequence)) first.set(x.sequence, x);
    const content = (x: Sale) => ({ seq: x.sequence, at: NOW, kind: 'sale.completed', ref: x.saleId, body: x.body });
    const hashes = [GENESIS_HASH];
    for (let n = 1; n <= Math.max(0, ...first.keys()); n++) hashes.push(first.has(n) ? entryHash(hashes[n - 1]!, content(first.get(n)!)) : entryHash(hashes[n - 1]!, { seq: n, at: NOW, kind: 'note', ref: null, body: '{}' }));
    return batches.map((b) =>
      b.map((x) => {
        const prevHash = hashes[x.sequence - 1]!;
        const hash = entryHash(prevHash, content(x));
        return { ...x, entry: { seq: x.sequence, at: NOW, kind: 'sale.completed', ref: x.saleId, prevHash, hash, signature: sign(null, Buffer.from(hash, 'hex'), privateKey).toString('base64'), keyId } };
      }),
    );
  };
  /** Ingests each batch; after each, the answer, the terminal row and the tables agree. */
  const play = async (terminalId: string, batches: Sale[][]) => {
    const acks = [];
    for (const sales of withEntries(terminalId, batches)) {
      const ack = await store.ingest(terminalId, { clock: NOW, backlog: { count: 0, oldestAt: null }, sales });
      const want = await fromTables(sql, terminalId);
      expect({ ackedThrough: ack.ackedThrough, gaps: ack.gaps }, `after the batch of ${sales.map((s) => s.sequence).join(',')}`).toEqual(want);
      expect(Number((await store.terminal(terminalId))!.acked_through)).toBe(want.ackedThrough);
      acks.push(ack);
    }
    return acks;
  };
  const run = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => sale(from + i));

  it('batches in order, then out of order (the later one first), then filling a gap', async () => {
    const id = await terminal('order');
    const acks = await play(id, [run(1, 5), run(11, 15), run(6, 10), run(16, 16), [sale(20), sale(18)], run(17, 17), run(19, 19)]);
    expect(acks.map((a) => a.ackedThrough)).toEqual([5, 5, 15, 16, 16, 18, 20]);
    expect(acks[1]!.gaps).toEqual([{ from: 6, to: 10 }]);
    expect(acks[4]!.gaps).toEqual([{ from: 17, to: 17 }, { from: 19, to: 19 }]);
  });

  it('a batch that starts past the acknowledgement leaves a gap; the batch before it arriving later closes it', async () => {
    const id = await terminal('gap');
    const acks = await play(id, [run(3, 4), run(7, 9), run(1, 2), run(5, 6)]);
    expect(acks.map((a) => a.ackedThrough)).toEqual([0, 0, 4, 9]);
    expect(acks[1]!.gaps).toEqual([{ from: 1, to: 2 }, { from: 5, to: 6 }]);
  });

  it('a batch sent again, a batch holding the same sequence twice, and sequences already acknowledged', async () => {
    const id = await terminal('dup');
    const first = run(1, 4);
    const five = sale(5);
    const same = sale(6);
    const acks = await play(id, [first, first, [first[1]!, first[2]!, five, sale(5, first[0]!.saleId), sale(7, first[3]!.saleId), same, same], run(8, 9)]);
    expect(acks.map((a) => a.ackedThrough)).toEqual([4, 4, 7, 9]);
    expect(acks[1]).toMatchObject({ accepted: 0, duplicates: 4 });
    // The third batch is no unbroken piece of the journal chain (entry 4 is not in it, 5 and 6 twice):
    // what HQ holds stays, the rest is refused — each with what HQ knows of it, else the chain's reason.
    expect(acks[2]).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(acks[2]!.rejected).toEqual([
      { sequence: 5, reason: "journal entry 4 is missing between the batch's entries (a gap in the chain)" },
      { sequence: 5, reason: `sale ${first[0]!.saleId} was already received as sequence 1` },
      { sequence: 7, reason: `sale ${first[3]!.saleId} was already received as sequence 4` },
      { sequence: 6, reason: "journal entry 4 is missing between the batch's entries (a gap in the chain)" },
      { sequence: 6, reason: "journal entry 4 is missing between the batch's entries (a gap in the chain)" },
    ]);
  });

  it('refusals count as done: a body that is not JSON, a sequence holding another sale, a sale id another terminal sent', async () => {
    const other = await terminal('other');
    const theirs = sale(1);
    await play(other, [[theirs]]);
    const id = await terminal('refused');
    const acks = await play(id, [run(1, 2), [sale(3, undefined, 'not json'), sale(4)], [sale(2), sale(5, theirs.saleId), sale(6)], [sale(9, undefined, '{')], run(7, 8)]);
    expect(acks.map((a) => a.ackedThrough)).toEqual([2, 4, 6, 6, 9]);
    // 6 is refused with them: that batch is no unbroken piece of the chain (entries 3 and 4 are not in it, 2 is another sale's).
    expect(acks[2]!.rejected.map((r) => r.sequence)).toEqual([2, 5, 6]);
    expect(acks[3]!.gaps).toEqual([{ from: 7, to: 8 }]);
  });

  it.runIf(backend.name === 'PostgreSQL')('the sale table has its key as its only index: sale_seq leads from (terminal, sequence) to it', async () => {
    const idx = await sql.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'sale' AND schemaname = current_schema()");
    expect(idx.map((i) => i.indexdef.replace(/^.* USING /, ''))).toEqual(['btree (sale_id, business_date)']);
  });

  it('a batch of new sales is stored with a few statements, not one per sale', async () => {
    const id = await terminal('set');
    const seen: string[] = [];
    const counting = (inner: Sql): Sql => ({
      dialect: inner.dialect,
      query: <T>(text: string, params?: unknown[]) => {
        seen.push(text);
        return inner.query<T>(text, params);
      },
      tx: (fn) => inner.tx((q) => fn(counting(q))),
      close: () => inner.close(),
    });
    const [sales] = withEntries(id, [run(1, 300)]);
    const ack = await new HqStore(counting(sql), { now: clock }).ingest(id, { clock: NOW, backlog: { count: 0, oldestAt: null }, sales: sales! });
    expect(ack).toMatchObject({ ackedThrough: 300, accepted: 300, rejected: [] });
    // The terminal's row, the chain's join, the inserts (SQLite: chunks of 256, 32, 8, 4), the acknowledgement.
    expect(seen.length).toBeLessThan(15);
    expect(await fromTables(sql, id)).toEqual({ ackedThrough: 300, gaps: [] });
  });

  it('one sale at a time, an empty batch, and a batch already acknowledged in full', async () => {
    const id = await terminal('single');
    const acks = await play(id, [[sale(1)], [], [sale(3)], [sale(2)], run(1, 1), []]);
    expect(acks.map((a) => a.ackedThrough)).toEqual([1, 1, 1, 3, 3, 3]);
  });
});

describe('text arrays in the binary format (PostgreSQL)', () => {
  it('arrive as sent: empty, quotes, backslashes, commas and braces, NULL as text and as null, non-ASCII', async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    try {
      for (const values of [[], ['a'], ['', 'x,y', '"q"', 'back\\slash', 'NULL', null, 'Våra ’ 😀', '{}', ' '], Array.from({ length: 2000 }, (_, i) => `v${i}`)]) {
        const [row] = (await c.query<{ a: Array<string | null>; n: number | null }>('SELECT $1::text[] AS a, cardinality($1::text[]) AS n', [pgTextArray(values)])).rows;
        expect(row).toEqual({ a: values, n: values.length });
      }
    } finally {
      await c.end();
    }
  });
});
