/** A sales request's bytes (SalesBatch as JSON), built from the sales one by one so a batch knows its size as it grows. */
import type { EntryChain, SalesBatch, SaleUpload } from '../../protocol/hq';
import type { OutboxRow } from './repo';

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
