/** The catalog's gift card ranges in the terminal's database (migrations/terminal/0019_gift_card_ranges.sql). */
import type { GiftRangeRecord } from '../../protocol/catalog';
import type { Db } from '../db';

/** Replaces the ranges with these (inside the caller's transaction: a catalog's switch, the demo catalog). */
export function replaceGiftRanges(db: Db, ranges: ReadonlyArray<Omit<GiftRangeRecord, 't'>>): void {
  db.prepare('DELETE FROM gift_card_range').run();
  const ins = db.prepare('INSERT INTO gift_card_range (prefix, length, check_digit, issue) VALUES (?, ?, ?, ?)');
  for (const r of ranges) ins.run(r.prefix, r.length, r.check, r.issue ? 1 : 0);
}
