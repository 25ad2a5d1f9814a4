/**
 * The operators' tables (`operator`, `operator_badge`; migrations 0004 and 0011): PIN and badge
 * hashes only, never a PIN or a badge's code, and the count of wrong PINs behind a lockout.
 */
import type { Db } from '../db';

export type Role = 'cashier' | 'supervisor' | 'it';

export interface OperatorRow {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
}

export class OperatorRepo {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      byId: db.prepare<[string], OperatorRow>('SELECT * FROM operator WHERE id = ?'),
      byBadge: db.prepare<[string], OperatorRow>(
        'SELECT o.* FROM operator_badge b JOIN operator o ON o.id = b.operator_id WHERE b.badge_hash = ? AND b.revoked = 0 AND o.active = 1',
      ),
      fail: db.prepare('UPDATE operator SET failed_attempts = ?, locked_until = ? WHERE id = ?'),
      ok: db.prepare('UPDATE operator SET failed_attempts = 0, locked_until = NULL WHERE id = ?'),
      upsert: db.prepare(
        `INSERT INTO operator (id, name, role, pin_hash) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash, active = 1, failed_attempts = 0, locked_until = NULL`,
      ),
      count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM operator'),
      active: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM operator WHERE active = 1'),
      addBadge: db.prepare('INSERT INTO operator_badge (badge_hash, operator_id) VALUES (?, ?)'),
    };
  }

  byId(id: string): OperatorRow | null {
    return this.s.byId.get(id) ?? null;
  }

  /** The active operator a badge (by its hash) belongs to, unless the badge was revoked. */
  byBadge(badgeHash: string): OperatorRow | null {
    return this.s.byBadge.get(badgeHash) ?? null;
  }

  /** Records wrong PINs: the count so far, and the time a lockout ends (null: none). */
  recordFailures(id: string, attempts: number, lockedUntil: string | null): void {
    this.s.fail.run(attempts, lockedUntil, id);
  }

  clearFailures(id: string): void {
    this.s.ok.run(id);
  }

  /** Adds an operator, or replaces one with the same number (active again, no lockout). */
  upsert(id: string, name: string, role: Role, pinHash: string): void {
    this.s.upsert.run(id, name, role, pinHash);
  }

  count(): number {
    return this.s.count.get()!.n;
  }

  activeCount(): number {
    return this.s.active.get()!.n;
  }

  addBadge(badgeHash: string, operatorId: string): void {
    this.s.addBadge.run(badgeHash, operatorId);
  }
}
