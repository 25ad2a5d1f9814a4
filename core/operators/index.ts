/**
 * Operators: operator number + PIN, roles, and supervisor approval. PINs are stored as scrypt
 * hashes (salted, constant-time compared) and never logged; repeated wrong PINs lock the
 * operator out for a while.
 */
import { createHash, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import { CoreError } from '../errors';
import { systemClock, type Clock } from '../clock';

export type Role = 'cashier' | 'supervisor' | 'it';

export interface Operator {
  id: string;
  name: string;
  role: Role;
}

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;
export const MAX_FAILED_ATTEMPTS = 5;
export const LOCKOUT_MS = 5 * 60_000;

export function hashPin(pin: string, salt: Buffer = randomBytes(16)): string {
  if (!/^\d{4,8}$/.test(pin)) throw new Error('a PIN is 4 to 8 digits');
  const hash = scryptSync(pin, salt, KEYLEN, { N, r: R, p: P });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export function verifyPin(pin: string, stored: string): boolean {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(pin, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

interface Row {
  id: string;
  name: string;
  role: Role;
  pin_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
}

export class Operators {
  private readonly get;
  private readonly fail;
  private readonly ok;
  private readonly upsert;
  private readonly count;

  constructor(
    private readonly db: Db,
    private readonly now: Clock = systemClock,
  ) {
    this.get = db.prepare<[string], Row>('SELECT * FROM operator WHERE id = ?');
    this.fail = db.prepare('UPDATE operator SET failed_attempts = ?, locked_until = ? WHERE id = ?');
    this.ok = db.prepare('UPDATE operator SET failed_attempts = 0, locked_until = NULL WHERE id = ?');
    this.upsert = db.prepare(
      `INSERT INTO operator (id, name, role, pin_hash) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role, pin_hash = excluded.pin_hash, active = 1, failed_attempts = 0, locked_until = NULL`,
    );
    this.count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM operator');
  }

  /** Issues a badge for an operator: returns the badge's barcode (shown once, printed on the badge). */
  issueBadge(id: string): string {
    const code = `B${randomBytes(24).toString('base64url')}`;
    this.db.prepare('INSERT INTO operator_badge (badge_hash, operator_id) VALUES (?, ?)').run(badgeHash(code), id);
    return code;
  }

  /** The operator a scanned badge belongs to (revoked or unknown badges are refused). */
  authenticateBadge(code: string): Operator {
    const row = this.db
      .prepare<[string], Row>('SELECT o.* FROM operator_badge b JOIN operator o ON o.id = b.operator_id WHERE b.badge_hash = ? AND b.revoked = 0 AND o.active = 1')
      .get(badgeHash(code));
    if (!row) throw new CoreError('BAD_CREDENTIALS', 'That badge is not valid.');
    return { id: row.id, name: row.name, role: row.role };
  }

  size(): number {
    return this.count.get()!.n;
  }

  add(id: string, name: string, role: Role, pin: string): void {
    this.upsert.run(id, name, role, hashPin(pin));
  }

  /**
   * Checks an operator number + PIN. Wrong PINs count towards a lockout; the error never says
   * whether the operator or the PIN was wrong.
   */
  authenticate(id: string, pin: string): Operator {
    const row = this.get.get(id);
    const now = this.now();
    if (row?.locked_until && new Date(row.locked_until) > now) {
      // How long, in whole minutes (at least one): the screen says when to try again.
      const minutes = Math.max(1, Math.ceil((new Date(row.locked_until).getTime() - now.getTime()) / 60_000));
      throw new CoreError('OPERATOR_LOCKED_OUT', `Too many wrong PINs; try again in ${minutes} min or ask a supervisor.`, { until: row.locked_until, minutes });
    }
    // An unknown number costs the same scrypt as a wrong PIN: the time taken tells nothing.
    if (!row || !row.active || !verifyPin(pin, row?.pin_hash ?? dummyHash())) {
      if (row) {
        const attempts = row.failed_attempts + 1;
        const lock = attempts >= MAX_FAILED_ATTEMPTS ? new Date(now.getTime() + LOCKOUT_MS).toISOString() : null;
        this.fail.run(lock ? 0 : attempts, lock, row.id);
      }
      throw new CoreError('BAD_CREDENTIALS', 'Operator number or PIN is wrong.');
    }
    if (row.failed_attempts > 0 || row.locked_until) this.ok.run(row.id);
    return { id: row.id, name: row.name, role: row.role };
  }
}

let dummy: string | null = null;
function dummyHash(): string {
  dummy ??= hashPin(randomBytes(8).toString('hex'));
  return dummy;
}

function badgeHash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
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
