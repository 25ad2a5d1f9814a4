/**
 * What a terminal takes of HQ's signed store documents at check-in — the staff list
 * (core/operators/staff.ts) and the store's record, its legal particulars (core/markets/store-legal.ts)
 * — through one intake: the check-in says which revision it holds, the document HQ sends when it
 * is newer is taken if it verifies, and why the last one was refused is reported to HQ at the next
 * check-in as an alert (STAFF_REFUSED, STORE_RECORD_REFUSED), never fatal. An HQ older than its
 * terminals refuses the field: the terminal then checks in without it (what it holds stays).
 * (The store roster is not one of these: HQ sends it at every check-in, unasked; core/peers/roster.ts.)
 */
import type { Db } from '../db';
import { applyStoreRecord, heldStoreRecord } from '../markets/store-legal';
import { StaffListRepo } from '../operators/staff';

/** One kind of store document, as the intake takes it. */
export interface StoreDocumentKind {
  /** The check-in's field (and the answer's). */
  field: 'staff' | 'legal';
  /** The alert a refusal is reported as. */
  alertCode: string;
  /** The log's prefix and the document in words ("staff", "the staff list"). */
  logAs: string;
  doc: string;
  /** What the log says when an older HQ refuses the field. */
  olderHq: string;
  /** The revision held here (0: none). */
  held(): number;
  /** Takes a signed document: what to log when taken (null: nothing), or why it was refused. */
  take(signed: unknown, key: string | null, now: Date): { ok: true; taken: string | null } | { ok: false; reason: string };
}

export class StoreDocumentIntake {
  /** Why the last document HQ sent was refused (null: it was taken, or none came yet). */
  refusal: { message: string; since: string } | null = null;
  /** False once HQ refused the field (an older HQ). */
  private hqTakesIt = true;

  constructor(
    readonly kind: StoreDocumentKind,
    private readonly log: ((line: string) => void) | undefined,
  ) {}

  /** The check-in's field: the revision held; nothing to an HQ that does not take it. */
  checkin(): Partial<Record<StoreDocumentKind['field'], { version: number }>> {
    return this.hqTakesIt ? { [this.kind.field]: { version: this.kind.held() } } : {};
  }

  /** Takes the document HQ sent if it verifies with `key` (HQ's, pinned at enrollment) and is newer. */
  take(signed: unknown, key: string | null, now: Date): void {
    const r = this.kind.take(signed, key, now);
    if (r.ok) {
      this.refusal = null;
      if (r.taken) this.log?.(`${this.kind.logAs}: ${r.taken}`);
      return;
    }
    this.refusal = { message: `${this.kind.doc} from HQ was refused: ${r.reason}`.slice(0, 300), since: now.toISOString() };
    this.log?.(`${this.kind.logAs}: ${this.refusal.message}`);
  }

  /** An older HQ refused the field: check in without it from now on. */
  hqRefusesField(): void {
    this.hqTakesIt = false;
    this.log?.(`${this.kind.logAs}: ${this.kind.olderHq} (an older HQ): checking in without`);
  }

  /** The alert of the last refusal, for the next check-in. */
  alerts(): Array<{ code: string; message: string; since: string }> {
    return this.refusal ? [{ code: this.kind.alertCode, ...this.refusal }] : [];
  }
}

/** The staff list: applied when newer (core/operators/staff.ts); `applied` runs after each (signed-in operators no longer on it are signed out). */
export function staffIntake(db: Db, log: ((line: string) => void) | undefined, applied?: () => void): StoreDocumentIntake {
  const repo = new StaffListRepo(db);
  return new StoreDocumentIntake(
    {
      field: 'staff',
      alertCode: 'STAFF_REFUSED',
      logAs: 'staff',
      doc: 'the staff list',
      olderHq: 'HQ does not send staff lists',
      held: () => repo.version(),
      take: (signed, key, now) => {
        const r = repo.apply(signed, key, now);
        if (!r.ok) return r;
        applied?.();
        return { ok: true, taken: `list ${r.list.version} from HQ applied: ${r.list.staff.length} operators` };
      },
    },
    log,
  );
}

/** The store's record: taken when newer; the till reads its particulars for every receipt (core/main.ts), so the next one prints it. */
export function storeRecordIntake(db: Db, log: ((line: string) => void) | undefined): StoreDocumentIntake {
  return new StoreDocumentIntake(
    {
      field: 'legal',
      alertCode: 'STORE_RECORD_REFUSED',
      logAs: 'store',
      doc: "the store's record",
      olderHq: "HQ does not send the store's record",
      held: () => heldStoreRecord(db)?.version ?? 0,
      take: (signed, key) => {
        const r = applyStoreRecord(db, signed, key);
        if (!r.ok) return r;
        return { ok: true, taken: r.changed ? `record ${r.record.version} from HQ taken: ${[r.record.legal.companyName, r.record.legal.orgNumber, r.record.legal.address].filter(Boolean).join(', ')}` : null };
      },
    },
    log,
  );
}
