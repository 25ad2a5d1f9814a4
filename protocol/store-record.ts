/**
 * The store's record HQ hands its terminals (issue 21): the store's legal particulars — company
 * name, organisation number, address of the sale, VAT id — which every receipt prints and a Swedish
 * till registers with its control unit. HQ is their one source: store IT keeps them at HQ (the admin
 * API, `PUT /v1/admin/stores/:store/legal`), HQ signs the record with its store-document key (the one each
 * terminal pinned at enrollment, protocol/signed-document.ts) and numbers it with the store's
 * revision; a terminal takes it at check-in (its first one right after enrollment), never goes back
 * to a lower revision, and prints it from the next receipt on. The till's own kassabeteckning
 * (tillId) is no store particular: it stays as provisioned on the terminal.
 */
import { z } from 'zod';
import { SignedRosterSchema } from './hq';
import { SignedDocumentError, verifySignedDocument } from './signed-document';
import { StoreLegalSchema } from './terminal/profile';

/** The store's particulars as HQ keeps them (the store's, not a till's: no tillId). */
export const StoreParticularsSchema = StoreLegalSchema.omit({ tillId: true });
export type StoreParticulars = z.infer<typeof StoreParticularsSchema>;

export const StoreRecordSchema = z
  .object({
    storeId: z.string().min(1).max(64),
    /** HQ's revision of this store's record: it grows with every change; a terminal never takes a lower one. */
    version: z.number().int().positive(),
    issuedAt: z.string().min(10).max(40),
    legal: StoreParticularsSchema,
  })
  .strict();
export type StoreRecord = z.infer<typeof StoreRecordSchema>;

/** The signed form (as every store document). */
export const SignedStoreRecordSchema = SignedRosterSchema;

export { SignedDocumentError as StoreRecordError };

/** Checks a signed store record against HQ's key (raw Ed25519, base64url); throws StoreRecordError (NO_KEY, UNSIGNED, BAD_SIGNATURE, BAD_BODY). */
export function verifyStoreRecord(signed: unknown, keyRawBase64url: string): StoreRecord {
  return verifySignedDocument(signed, keyRawBase64url, StoreRecordSchema, "the store's record");
}
