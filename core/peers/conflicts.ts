/**
 * What two tills did to the same thing while they could not see each other (issue 19: partitions).
 * A till refuses a second return of a line, or a second take-up of a parked basket, when it knows of
 * the first — from its own sales or the copies it holds of the others'. Across a partition it cannot
 * know: both lanes return the same receipt line, or take up the same basket. Nothing is lost (both
 * are journalled and reach HQ), but the store must hear of it: once the copies meet, the store report
 * lists each such conflict (core/peers/store-day.ts) — a line returned more times than it was sold,
 * with the lanes that returned it; a basket taken up on more than one lane.
 */
import type { StoreReport } from '../../protocol/terminal';
import type { Db } from '../db';
import { SALE_BODY } from '../db/sale-body';
import type { ReturnDocument } from '../journal/kinds';
import type { OriginalSale } from '../returns';
import type { PeerCopies } from './copies';

export type Conflict = StoreReport['conflicts'][number];

const hex = (uuid: string) => uuid.replace(/-/g, '');

export class Conflicts {
  private readonly s;

  constructor(
    db: Db,
    private readonly copies: PeerCopies,
  ) {
    this.s = {
      ownSale: db.prepare<[string], { body: string }>(`SELECT ${SALE_BODY} AS body FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.sale_id = ?`),
      ownReturns: db.prepare<[string], { body: string }>(`SELECT ${SALE_BODY} AS body FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.original_sale_id = ?`),
      // (The kind term repeats the partial index's: journal_basket, migration 0026.)
      resumed: db.prepare<[], { suspend_id: string; lane: string }>(
        "SELECT json_extract(body, '$.suspendId') AS suspend_id, json_extract(body, '$.lane') AS lane FROM journal WHERE kind IN ('sale.suspended', 'sale.resumed') AND kind = 'sale.resumed'",
      ),
    };
  }

  /** Lines of the sales `originals` (the day's returns' originals) returned more times than sold, anywhere in the store this till can see; then baskets taken up twice. */
  find(originals: Iterable<string>): Conflict[] {
    const out: Conflict[] = [];
    for (const id of new Set(originals)) out.push(...this.overReturned(id));
    const lanes = new Map<string, Set<string>>();
    for (const r of [...this.s.resumed.all(), ...this.copies.resumedBaskets()]) lanes.set(r.suspend_id, (lanes.get(r.suspend_id) ?? new Set()).add(String(r.lane)));
    // The same lane twice is one take-up journalled on a till and held in a copy (a reflashed till's own).
    for (const [id, on] of lanes) if (on.size > 1) out.push({ kind: 'resume', ref: `S${hex(id)}`, lanes: [...on].sort(), item: null, sold: null, returned: null });
    return out;
  }

  private overReturned(saleId: string): Conflict[] {
    const body = this.s.ownSale.get(saleId)?.body ?? this.copies.saleById(saleId)?.body;
    if (!body) return [];
    const sale = JSON.parse(body) as OriginalSale;
    // Each return once (a copy of this till's own journal, a reflashed till's, holds its returns too).
    const returns = [...new Map([...this.s.ownReturns.all(saleId).map((r) => r.body), ...this.copies.returnsOf(saleId)].map((b) => JSON.parse(b) as ReturnDocument).map((r) => [r.saleId, r])).values()];
    const out: Conflict[] = [];
    for (const line of sale.lines) {
      if (line.voided) continue;
      const by = returns.filter((r) => r.lines.some((l) => l.lineId === line.lineId));
      const returned = by.reduce((n, r) => n + r.lines.filter((l) => l.lineId === line.lineId).reduce((q, l) => q + l.quantity, 0), 0);
      if (returned > line.quantity) out.push({ kind: 'return', ref: `R${hex(saleId)}`, lanes: [...new Set(by.map((r) => r.laneId))].sort(), item: line.name, sold: line.quantity, returned });
    }
    return out;
  }
}
