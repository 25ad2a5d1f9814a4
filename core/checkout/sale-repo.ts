/**
 * Where a completed sale or return is written: its row (sharing the outbox's gapless sequence),
 * its outbox row, its receipt (deflated), and how a sale is read back by id. The body is kept
 * once, in the journal entry (journal_seq); archiving the journal writes it back.
 */
import type { Db } from '../db';
import { packReceipt, SALE_BODY, unpackReceipt } from '../db/sale-body';

export interface SaleRow {
  saleId: string;
  sequence: number;
  completedAt: string;
  businessDate: string;
  operator: string | null;
  total: number;
  rounding: number;
  journalSeq: number;
  originalSaleId: string | null;
  /** The sale's document, kept here only where its journal entry is not on this till (archived, or recovered from HQ). */
  body?: string;
}

export function saleRepo(db: Db) {
  const s = {
    // Sales and returns share the outbox's gapless sequence; acknowledged outbox rows are compacted, the sales stay.
    nextSequence: db.prepare<[], { next: number }>('SELECT coalesce(max(sequence), 0) + 1 AS next FROM sale'),
    insertSale: db.prepare(
      `INSERT INTO sale (sale_id, sequence, completed_at, business_date, operator, total, rounding, body, receipt_text, journal_seq, original_sale_id)
       VALUES (@saleId, @sequence, @completedAt, @businessDate, @operator, @total, @rounding, @body, '', @journalSeq, @originalSaleId)`,
    ),
    // The payload is read from the sale's journal entry when sent (OUTBOX_BATCH_SQL in sync/repo.ts).
    insertOutbox: db.prepare("INSERT INTO outbox (sequence, sale_id, kind, payload, created_at) VALUES (?, ?, ?, '', ?)"),
    insertReceipt: db.prepare<[string, string, string, string, Buffer]>("INSERT INTO receipt (receipt_id, sale_id, kind, created_at, text, packed) VALUES (?, ?, ?, ?, '', ?)"),
    receiptOf: db.prepare<[string], { text: string; packed: Buffer | null }>("SELECT text, packed FROM receipt WHERE sale_id = ? AND kind IN ('sale', 'training') ORDER BY created_at LIMIT 1"),
    copies: db.prepare<[string], { n: number }>("SELECT count(*) AS n FROM receipt WHERE sale_id = ? AND kind = 'copy'"),
    saleById: db.prepare<[string], { sale_id: string; sequence: number; completed_at: string; body: string }>(
      `SELECT s.sale_id, s.sequence, s.completed_at, ${SALE_BODY} AS body FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.sale_id = ?`,
    ),
  };
  return {
    nextSequence: (): number => s.nextSequence.get()!.next,
    /** The sale (or return) row and its outbox row, so the uploader sends it (`toHq` false: HQ has it already — a reflashed till's recovered sales). */
    insert(row: SaleRow, kind: 'sale' | 'return', toHq = true): void {
      s.insertSale.run({ ...row, body: row.body ?? '' });
      if (toHq) s.insertOutbox.run(row.sequence, row.saleId, kind, row.completedAt);
    },
    insertReceipt: (receiptId: string, saleId: string, kind: 'sale' | 'training' | 'copy', at: string, text: string) => void s.insertReceipt.run(receiptId, saleId, kind, at, packReceipt(text)),
    /** The text of a sale's own receipt, or null. */
    receiptText(saleId: string): string | null {
      const r = s.receiptOf.get(saleId);
      return r ? unpackReceipt(r) : null;
    },
    byId: (saleId: string) => s.saleById.get(saleId),
    /** How many copies of a sale's receipt were made. */
    copies: (saleId: string): number => s.copies.get(saleId)!.n,
  };
}

export type SaleRepo = ReturnType<typeof saleRepo>;
