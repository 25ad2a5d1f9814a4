/**
 * The signed store roster (issue 19): who a till's peers are. HQ lists every terminal enrolled in a
 * store — its id, lane, the request-signing key and journal key HQ enrolled, the address of its peer
 * listener as it last reported it, how far HQ holds its sales — and signs the roster with its
 * roster key (Ed25519, kept in HQ's database; its public key is pinned on each terminal at
 * enrollment). A till trusts a peer only as far as a roster that verifies with that key names it:
 * an address store IT types in by hand says where a peer is, never who it is.
 */
import { z } from 'zod';
import { SignedDocumentError, verifySignedDocument } from './signed-document';
import { CatalogOfferSchema, SignedManifestSchema } from './catalog';
import { PeerAddressSchema, PublicKeySchema, SignedRosterSchema, type SignedRoster } from './hq';
import { SignedStaffSchema } from './staff';

export { PeerAddressSchema, SignedRosterSchema, type SignedRoster };

const Instant = z.string().min(10).max(40);

export const RosterTerminalSchema = z
  .object({
    terminalId: z.string().min(1).max(64),
    laneId: z.string().min(1).max(64),
    /** The terminal's request-signing key HQ enrolled (raw Ed25519, base64url). */
    publicKey: PublicKeySchema,
    /** The terminal's journal signing key as HQ holds it (null: it enrolled none). */
    journalKey: PublicKeySchema.nullable(),
    /** The journal keys it signed with before it was reflashed, oldest first (its chain moved to the next at a `terminal.recovered` entry). */
    retiredJournalKeys: z.array(PublicKeySchema).max(16).optional(),
    /** Its peer listener as it last reported it at check-in (null: none reported). */
    address: PeerAddressSchema.nullable(),
    /** HQ's acknowledgement for it: every outbox sequence up to this one is at HQ. */
    hqAckedThrough: z.number().int().min(0),
    lastContact: Instant.nullable(),
  })
  .strict();
export type RosterTerminal = z.infer<typeof RosterTerminalSchema>;

export const RosterSchema = z
  .object({
    storeId: z.string().min(1).max(64),
    /** When HQ signed it: a till never goes back to an older roster than the one it holds. */
    issuedAt: Instant.refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO instant'),
    terminals: z.array(RosterTerminalSchema).max(1_000),
  })
  .strict();
export type Roster = z.infer<typeof RosterSchema>;

/** HQ's answer to a check-in: the catalog offer, and the store roster signed now (every terminal enrolled in the caller's store). */
export const CheckinAnswerSchema = CatalogOfferSchema.extend({
  roster: SignedRosterSchema,
  /** Only to a check-in that said which OS it runs: the newest OS bundle when it is newer, signed like a catalog manifest (protocol/os-update.ts); null: none. */
  os: SignedManifestSchema.nullable().optional(),
  /** Only to a check-in that said which staff list it holds: the store's staff list when HQ's is newer (protocol/staff.ts); null: none newer. */
  staff: SignedStaffSchema.nullable().optional(),
  /** Only to a check-in that said which store record it holds: the store's signed record (protocol/store-record.ts) when HQ's is newer; null: none newer. */
  legal: SignedStaffSchema.nullable().optional(),
}).strict();
export type CheckinAnswer = z.infer<typeof CheckinAnswerSchema>;

/** A refused roster: the codes and messages of every signed store document (protocol/signed-document.ts). */
export { SignedDocumentError as RosterError };

/**
 * Checks a signed roster against HQ's roster key (raw Ed25519, base64url) and returns the roster.
 * Throws RosterError: no usable key, not in the signed form, a signature that does not verify
 * (altered or signed by another key), or a signed body that is no roster.
 */
export function verifyRoster(signed: unknown, rosterKeyRawBase64url: string): Roster {
  return verifySignedDocument(signed, rosterKeyRawBase64url, RosterSchema, 'the store roster');
}
