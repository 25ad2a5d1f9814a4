/**
 * The store's record from HQ at check-in (protocol/store-record.ts, core/markets/store-legal.ts):
 * what the check-in says it holds, taking the record HQ sends when it is newer, and why the last one
 * was refused (reported to HQ as STORE_RECORD_REFUSED at the next check-in, never fatal). An HQ
 * older than its terminals refuses the field: the terminal then checks in without it.
 */
import type { Db } from '../db';
import { applyStoreRecord, heldStoreRecord } from '../markets/store-legal';

export class StoreRecordIntake {
  /** Why the last record HQ sent was refused (null: it was taken, or none came yet). */
  refusal: { message: string; since: string } | null = null;
  /** False once HQ refused the field (an older HQ). */
  hqTakesIt = true;

  constructor(
    private readonly db: Db,
    private readonly log: ((line: string) => void) | undefined,
  ) {}

  /** The check-in's `legal` field: the revision held (0: none); nothing to an HQ that does not take it. */
  checkin(): { legal?: { version: number } } {
    return this.hqTakesIt ? { legal: { version: heldStoreRecord(this.db)?.version ?? 0 } } : {};
  }

  /** Takes the record HQ sent if it verifies with `key` and is newer; the till reads its particulars for every receipt (core/main.ts), so the next one prints it. */
  take(signed: unknown, key: string | null, now: Date): void {
    const r = applyStoreRecord(this.db, signed, key);
    if (r.ok) {
      this.refusal = null;
      if (r.changed) this.log?.(`store: record ${r.record.version} from HQ taken: ${[r.record.legal.companyName, r.record.legal.orgNumber, r.record.legal.address].filter(Boolean).join(', ')}`);
      return;
    }
    this.refusal = { message: `the store's record from HQ was refused: ${r.reason}`.slice(0, 300), since: now.toISOString() };
    this.log?.(`store: ${this.refusal.message}`);
  }

  /** The alert of the last refusal, for the next check-in. */
  alerts(): Array<{ code: string; message: string; since: string }> {
    return this.refusal ? [{ code: 'STORE_RECORD_REFUSED', ...this.refusal }] : [];
  }
}
