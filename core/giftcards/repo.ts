/**
 * Gift cards' tables: the cards (`voucher`, migration 0006) and the catalog's number ranges
 * (`gift_card_range`, 0019). Balances change only inside the transaction of the sale or return
 * they belong to (core/giftcards/index.ts journals each change).
 */
import type { GiftRangeRecord } from '../../protocol/catalog';
import type { Db } from '../db';
import type { CheckDigit, GiftCardRange } from './numbers';

export interface CardRow {
  code: string;
  balance: number;
  expires_at: string | null;
  blocked: number;
}

export class GiftCardRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      ranges: db.prepare<[], { prefix: string; length: number; check: CheckDigit; issue: number }>('SELECT prefix, length, check_digit AS "check", issue FROM gift_card_range ORDER BY prefix'),
      card: db.prepare<[string], CardRow>('SELECT code, balance, expires_at, blocked FROM voucher WHERE code = ?'),
      redeem: db.prepare('UPDATE voucher SET balance = balance - ? WHERE code = ? AND balance >= ?'),
      credit: db.prepare('UPDATE voucher SET balance = balance + ? WHERE code = ?'),
      insert: db.prepare('INSERT OR IGNORE INTO voucher (code, balance) VALUES (?, ?)'),
    };
  }

  /** The catalog's ranges, by prefix. */
  ranges(): GiftCardRange[] {
    return this.s.ranges.all().map((r) => ({ prefix: r.prefix, length: r.length, check: r.check, issue: r.issue === 1 }));
  }

  card(code: string): CardRow | undefined {
    return this.s.card.get(code);
  }

  /** Takes `amount` off a card that has it; false when it has not (or there is no such card). */
  debit(code: string, amount: number): boolean {
    return this.s.redeem.run(amount, code, amount).changes === 1;
  }

  credit(code: string, amount: number): void {
    this.s.credit.run(amount, code);
  }

  /** A new card with a balance; false when the number is taken. */
  insert(code: string, balance: number): boolean {
    return this.s.insert.run(code, balance).changes === 1;
  }
}

/** Replaces the ranges with these (inside the caller's transaction: a catalog's switch, the demo catalog). */
export function replaceGiftRanges(db: Db, ranges: ReadonlyArray<Omit<GiftRangeRecord, 't'>>): void {
  db.prepare('DELETE FROM gift_card_range').run();
  const ins = db.prepare('INSERT INTO gift_card_range (prefix, length, check_digit, issue) VALUES (?, ?, ?, ?)');
  for (const r of ranges) ins.run(r.prefix, r.length, r.check, r.issue ? 1 : 0);
}
