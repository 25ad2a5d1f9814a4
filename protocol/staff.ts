/**
 * The store's staff list HQ hands its terminals (docs/design.md "Staff"): every operator who may sign
 * in at the store's tills — number, name, role and PIN hash (never a PIN) — signed with HQ's store
 * document key, the one each terminal pinned at enrollment (protocol/signed-document.ts). Store IT
 * keeps the staff at HQ (`npm run hq:staff`); the list carries HQ's staff revision for the store, and
 * a terminal never goes back to a lower one. On a terminal with an HQ link, HQ's list is the staff:
 * an operator not on it cannot sign in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { SignedRosterSchema } from './hq';
import { PinHashSchema } from './pin';
import { SignedDocumentError, verifySignedDocument } from './signed-document';

/** Badges an operator holds at once (a lost one is revoked and a new one issued). */
export const MAX_BADGES = 4;
export const BadgeHashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a badge hash: 64 hex digits');

/** A new badge's barcode, printed once on the badge (a terminal's or HQ's: the same form, which protocol/terminal/commands.ts takes). */
export function newBadgeCode(): string {
  return `B${randomBytes(24).toString('base64url')}`;
}

/** What is kept of a badge: the SHA-256 of its barcode, hex. */
export function badgeHash(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export const StaffRoleSchema = z.enum(['cashier', 'supervisor', 'it']);

/** An operator number: 1 to 8 digits (what a cashier types at sign-in). */
export const OperatorIdSchema = z.string().regex(/^[0-9]{1,8}$/, 'an operator number: 1 to 8 digits');

export const StaffMemberSchema = z
  .object({
    id: OperatorIdSchema,
    name: z.string().trim().min(1).max(60),
    role: StaffRoleSchema,
    pinHash: PinHashSchema,
    /** The SHA-256 (hex) of each badge HQ issued them (hq/staff-badges.ts): a badge works at every till of the store. Never a badge's code. */
    badges: z.array(BadgeHashSchema).max(MAX_BADGES).optional(),
  })
  .strict();
export type StaffMember = z.infer<typeof StaffMemberSchema>;

export const StaffListSchema = z
  .object({
    storeId: z.string().min(1).max(64),
    /** HQ's staff revision for this store: it grows with every change; a terminal never takes a lower one. */
    version: z.number().int().positive(),
    issuedAt: z.string().min(10).max(40),
    staff: z
      .array(StaffMemberSchema)
      .max(5_000)
      .refine((s) => new Set(s.map((m) => m.id)).size === s.length, 'an operator number appears twice'),
  })
  .strict();
export type StaffList = z.infer<typeof StaffListSchema>;

/** The signed form (as every store document). */
export const SignedStaffSchema = SignedRosterSchema;
export type SignedStaff = z.infer<typeof SignedStaffSchema>;

export { SignedDocumentError as StaffError };

/** Checks a signed staff list against HQ's key (raw Ed25519, base64url); throws StaffError (NO_KEY, UNSIGNED, BAD_SIGNATURE, BAD_BODY). */
export function verifyStaffList(signed: unknown, keyRawBase64url: string): StaffList {
  return verifySignedDocument(signed, keyRawBase64url, StaffListSchema, 'the staff list');
}
