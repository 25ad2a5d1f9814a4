/** What returns read and write besides the sale rows: returned quantities per line, and earlier refunds of a sale. */
import type { Db } from '../db';
import { SALE_BODY } from '../db/sale-body';

export function returnRepo(db: Db) {
  const s = {
    returnedQty: db.prepare<[string], { line_id: string; q: number }>('SELECT line_id, sum(quantity) AS q FROM return_line WHERE original_sale_id = ? GROUP BY line_id'),
    earlierRefunds: db.prepare<[string], { body: string }>(`SELECT ${SALE_BODY} AS body FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.original_sale_id = ?`),
    insertLine: db.prepare('INSERT INTO return_line (return_id, original_sale_id, line_id, quantity, amount) VALUES (?, ?, ?, ?, ?)'),
  };
  return {
    returnedSoFar: (saleId: string): Map<string, number> => new Map(s.returnedQty.all(saleId).map((r) => [r.line_id, r.q])),
    earlierRefundBodies: (saleId: string): string[] => s.earlierRefunds.all(saleId).map((r) => r.body),
    insertLine: (returnId: string, originalSaleId: string, lineId: string, quantity: number, amount: number) => void s.insertLine.run(returnId, originalSaleId, lineId, quantity, amount),
  };
}

export type ReturnRepo = ReturnType<typeof returnRepo>;
