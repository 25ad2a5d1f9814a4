/**
 * The store's staff from HQ on the terminal (protocol/staff.ts; migration 0029): HQ sends its signed
 * staff list at check-in when it is newer than the one applied here. It is taken only if it verifies
 * with HQ's key pinned at enrollment, is for this terminal's store and is not older than the one
 * applied; then, in one transaction, every operator it names is added or changed (a wrong-PIN count
 * and lockout stay unless the PIN changed) and every other operator becomes inactive — on a terminal
 * with an HQ link, HQ's list is the staff. The badges HQ issued (their hashes, in the list) replace the
 * ones the list before had (operator_badge.source), so a badge works at every till of the
 * store and a revoked one at none. A refusal changes nothing and says why.
 */
import type { Db } from '../db';
import { verifyStaffList, type StaffList } from '../../protocol/staff';
import { takeStoreDocument } from '../sync/store-document';
import { HqLinkRepo } from '../sync/repo';

export interface StaffListState {
  storeId: string;
  version: number;
  issuedAt: string;
  appliedAt: string;
  count: number;
}

export type StaffApplyResult = { ok: true; list: StaffList } | { ok: false; reason: string };

export class StaffListRepo {
  private readonly s;
  private readonly links: HqLinkRepo;

  constructor(private readonly db: Db) {
    this.links = new HqLinkRepo(db);
    this.s = {
      held: db.prepare<[], { store_id: string; version: number; issued_at: string; applied_at: string; staff_count: number }>('SELECT * FROM staff_list WHERE id = 1'),
      save: db.prepare(
        `INSERT INTO staff_list (id, store_id, version, issued_at, applied_at, staff_count) VALUES (1, @storeId, @version, @issuedAt, @appliedAt, @count)
         ON CONFLICT (id) DO UPDATE SET store_id = excluded.store_id, version = excluded.version, issued_at = excluded.issued_at, applied_at = excluded.applied_at, staff_count = excluded.staff_count`,
      ),
      clear: db.prepare('DELETE FROM staff_list'),
      // A PIN hash that did not change keeps the wrong-PIN count and any lockout; a new PIN clears them.
      upsert: db.prepare(
        `INSERT INTO operator (id, name, role, pin_hash, active) VALUES (@id, @name, @role, @pinHash, 1)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, active = 1,
           failed_attempts = CASE WHEN operator.pin_hash = excluded.pin_hash THEN operator.failed_attempts ELSE 0 END,
           locked_until = CASE WHEN operator.pin_hash = excluded.pin_hash THEN operator.locked_until ELSE NULL END,
           pin_hash = excluded.pin_hash`,
      ),
      deactivateAll: db.prepare('UPDATE operator SET active = 0'),
      // HQ's badges are the ones in its newest list; a terminal's own (npm run badge:issue) stay.
      dropHqBadges: db.prepare("DELETE FROM operator_badge WHERE source = 'hq'"),
      addHqBadge: db.prepare("INSERT INTO operator_badge (badge_hash, operator_id, source) VALUES (?, ?, 'hq') ON CONFLICT (badge_hash) DO UPDATE SET operator_id = excluded.operator_id, source = 'hq', revoked = 0"),
    };
  }

  /** The staff list applied last (null: none from HQ yet). */
  current(): StaffListState | null {
    const r = this.s.held.get();
    return r ? { storeId: r.store_id, version: r.version, issuedAt: r.issued_at, appliedAt: r.applied_at, count: r.staff_count } : null;
  }

  /** The version a check-in tells HQ (0: none). */
  version(): number {
    return this.current()?.version ?? 0;
  }

  /** Every operator inactive (the terminal moved to another store: none of the old store's staff may sign in). */
  deactivateAll(): void {
    this.s.deactivateAll.run();
  }

  /** Forgets the list applied (a new enrollment: the next HQ's list is taken whatever its version); the operators stay until it comes. */
  clear(): void {
    this.s.clear.run();
  }

  /** Applies a signed staff list from HQ if it verifies with `key` (HQ's, pinned at enrollment), is for this store and is newer than the one applied. */
  apply(signed: unknown, key: string | null, now: Date): StaffApplyResult {
    const taken = takeStoreDocument(signed, key, verifyStaffList, this.links.get(), { key: 'HQ key', doc: 'the staff list', takes: 'staff' });
    if (!taken.ok) return taken;
    const list = taken.doc;
    const held = this.current();
    if (held && list.version < held.version) return { ok: false, reason: `ROLLBACK: the staff list is version ${list.version}, older than the one applied (${held.version}); kept that one` };
    if (held && list.version === held.version) return { ok: true, list };
    this.db.transaction(() => {
      this.s.deactivateAll.run();
      this.s.dropHqBadges.run();
      for (const m of list.staff) {
        this.s.upsert.run({ id: m.id, name: m.name, role: m.role, pinHash: m.pinHash });
        for (const b of m.badges ?? []) this.s.addHqBadge.run(b, m.id);
      }
      this.s.save.run({ storeId: list.storeId, version: list.version, issuedAt: list.issuedAt, appliedAt: now.toISOString(), count: list.staff.length });
    })();
    return { ok: true, list };
  }
}
