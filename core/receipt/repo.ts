/**
 * The receipts kept on the terminal (`receipt`, migrations 0004 and 0017): read back by the sale
 * they belong to. The lane writes them with its sale (core/checkout).
 */
import type { Db } from '../db';
import { unpackReceipt } from '../db/sale-body';

export class ReceiptRepo {
  private readonly ofSale;

  constructor(db: Db) {
    this.ofSale = db.prepare<[string], { text: string; packed: Buffer | null }>("SELECT text, packed FROM receipt WHERE sale_id = ? AND kind IN ('sale', 'training') ORDER BY created_at LIMIT 1");
  }

  /** The text of a sale's (or training sale's) first receipt; null when the terminal has none. */
  saleReceipt(saleId: string): string | null {
    const row = this.ofSale.get(saleId);
    return row ? unpackReceipt(row) : null;
  }
}
