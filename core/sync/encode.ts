/** A sales request's bytes (SalesBatch as JSON), built from the sales one by one so a batch knows its size as it grows. */
import type { ChainLink, EntryChain, SalesBatch, SaleUpload } from '../../protocol/hq';
import type { SaleFeed } from './feed';
import type { OutboxRow } from './repo';

/** One request's worth of a feed: the rows it carries, encoded; `full` if more rows may follow it right away. */
export interface EncodedBatch {
  rows: OutboxRow[];
  body: Buffer;
  at: string;
  full: boolean;
}

/** How a batch is cut and what its envelope says (the uploader's options). */
export interface BatchShape {
  batchSize: number;
  maxBatchBytes: number;
  softwareVersion: string;
}

/**
 * The request for as many of `rows` as fit in `maxBatchBytes` (at least one), encoded once, with the
 * piece of journal chain they belong to (their entries, the entries between: the receiver checks it
 * before it stores them) and what will still wait once the receiver has them. The uploader's own
 * thread and a peer's batch worker (core/peers/batch-worker.ts) build a batch with this alone.
 */
export function encodeBatch(
  feed: Pick<SaleFeed, 'backlogAfter'>,
  chain: { piece(rows: readonly OutboxRow[]): { entries: Map<number, EntryChain>; links: ChainLink[] } },
  rows: OutboxRow[],
  shape: BatchShape,
  at: string,
): EncodedBatch {
  const piece = chain.piece(rows);
  const parts = encodeSales(rows, shape.maxBatchBytes, piece.entries);
  const sent = parts.length === rows.length ? rows : rows.slice(0, parts.length);
  const { links } = sent === rows ? piece : chain.piece(sent);
  const after = feed.backlogAfter(sent[sent.length - 1]!.sequence);
  const body = salesRequest({ clock: at, softwareVersion: shape.softwareVersion, backlog: { count: after.n, oldestAt: after.oldest }, links }, parts);
  return { rows: sent, body, at, full: sent.length < rows.length || rows.length === shape.batchSize };
}

/**
 * The first of `rows` that fit in `maxBytes` with the envelope (at least one), each sale encoded to
 * bytes on its own — the batch knows its size as it grows, and the request is these bytes joined
 * (timed alone, cheaper than one JSON.stringify of the whole batch; in a whole drain on a shared
 * machine no difference showed).
 */
export function encodeSales(rows: readonly OutboxRow[], maxBytes: number, entries: ReadonlyMap<number, EntryChain> = new Map()): Buffer[] {
  const parts: Buffer[] = [];
  let bytes = 256; // the envelope
  for (const r of rows) {
    const sale: SaleUpload = {
      sequence: r.sequence, saleId: r.sale_id, kind: r.kind === 'return' ? 'return' : 'sale', businessDate: r.business_date, total: r.total, createdAt: r.created_at, body: r.payload, entry: entries.get(r.sequence),
    };
    const part = Buffer.from(`${parts.length ? ',' : ''}${JSON.stringify(sale)}`);
    if (parts.length && bytes + part.length > maxBytes) break;
    parts.push(part);
    bytes += part.length;
  }
  return parts;
}

/** A sales request (SalesBatch as JSON) from its envelope and its encoded sales. */
export function salesRequest(head: Omit<SalesBatch, 'sales'>, parts: readonly Buffer[]): Buffer {
  return Buffer.concat([Buffer.from(`${JSON.stringify(head).slice(0, -1)},"sales":[`), ...parts, Buffer.from(']}')]);
}
