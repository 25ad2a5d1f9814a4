/**
 * Operators: operator number + PIN, roles, and supervisor approval. PINs are stored as scrypt
 * hashes (salted, constant-time compared) and never logged; repeated wrong PINs lock the
 * operator out for a while.
 */
import { randomInt } from 'node:crypto';
import { hashPin, verifyPin } from '../../protocol/pin';
import { badgeHash, newBadgeCode } from '../../protocol/staff';
import type { Db } from '../db';
import { CoreError } from '../errors';
import { systemClock, type Clock } from '../clock';
import { OperatorRepo, type Role } from './repo';

export type { Role } from './repo';

export interface Operator {
  id: string;
  name: string;
  role: Role;
}

export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 5 * 60_000;

export { hashPin, verifyPin };

export class Operators {
  private readonly repo: OperatorRepo;

  constructor(
    db: Db,
    private readonly now: Clock = systemClock,
  ) {
    this.repo = new OperatorRepo(db);
  }

  /** Issues a badge for an operator: returns the badge's barcode (shown once, printed on the badge). */
  issueBadge(id: string): string {
    const code = newBadgeCode();
    this.repo.addBadge(badgeHash(code), id);
    return code;
  }

  /** The operator a scanned badge belongs to (revoked or unknown badges are refused). */
  authenticateBadge(code: string): Operator {
    const row = this.repo.byBadge(badgeHash(code));
    if (!row) throw new CoreError('BAD_CREDENTIALS', 'That badge is not valid.');
    return { id: row.id, name: row.name, role: row.role };
  }

  size(): number {
    return this.repo.count();
  }

  /** Whether operator `id` is still on the staff (a list from HQ may have removed them). */
  onStaff(id: string): boolean {
    return this.repo.byId(id)?.active === 1;
  }

  /** Operators who can sign in (active). */
  activeCount(): number {
    return this.repo.activeCount();
  }

  add(id: string, name: string, role: Role, pin: string): void {
    this.repo.upsert(id, name, role, hashPin(pin));
  }

  /**
   * Checks an operator number + PIN. Wrong PINs count towards a lockout; the error never says
   * whether the operator or the PIN was wrong.
   */
  authenticate(id: string, pin: string): Operator {
    const row = this.repo.byId(id);
    const now = this.now();
    if (row?.locked_until && new Date(row.locked_until) > now) {
      // How long, in whole minutes (at least one): the screen says when to try again.
      const minutes = Math.max(1, Math.ceil((new Date(row.locked_until).getTime() - now.getTime()) / 60_000));
      throw new CoreError('OPERATOR_LOCKED_OUT', `Too many wrong PINs; try again in ${minutes} min or ask a supervisor.`, { until: row.locked_until, minutes });
    }
    // An unknown number costs the same scrypt as a wrong PIN: the time taken tells nothing.
    const pinOk = verifyPin(pin, row?.pin_hash ?? dummyHash());
    if (!row || !row.active || !pinOk) {
      if (row) {
        const attempts = row.failed_attempts + 1;
        const lock = attempts >= MAX_FAILED_ATTEMPTS ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : null;
        this.repo.recordFailures(row.id, lock ? 0 : attempts, lock);
      }
      throw new CoreError('BAD_CREDENTIALS', 'Operator number or PIN is wrong.');
    }
    if (row.failed_attempts > 0 || row.locked_until) this.repo.clearFailures(row.id);
    return { id: row.id, name: row.name, role: row.role };
  }
}

let dummy: string | null = null;
function dummyHash(): string {
  dummy ??= hashPin(String(randomInt(10_000_000, 100_000_000)));
  return dummy;
}

/** Demo staff for the demo store (PINs printed in the README). */
export const DEMO_OPERATORS: Array<{ id: string; name: string; role: Role; pin: string }> = [
  { id: '1', name: 'Anna', role: 'cashier', pin: '1111' },
  { id: '2', name: 'Björn', role: 'cashier', pin: '2222' },
  { id: '7', name: 'Sara (supervisor)', role: 'supervisor', pin: '7777' },
  { id: '9', name: 'IT', role: 'it', pin: '9999' },
];

export function seedDemoOperators(ops: Operators): void {
  if (ops.size() > 0) return;
  for (const o of DEMO_OPERATORS) ops.add(o.id, o.name, o.role, o.pin);
}
