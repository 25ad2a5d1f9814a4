/**
 * A document HQ signs for the terminals of a store (the store roster, the staff list): canonical JSON
 * text and an Ed25519 signature over its UTF-8 bytes, made with HQ's store-document key (kept in
 * HQ's database, hq/roster.ts; its public key is pinned on each terminal at enrollment). One check
 * for every such document: the key, the signed form, the signature, then the body's own schema.
 */
import { verify } from 'node:crypto';
import { z } from 'zod';
import { ed25519PublicKey } from './journal-chain';
import { PublicKeySchema, SignedRosterSchema } from './hq';

/** The signed form (the same for every store document). */
export const SignedDocumentSchema = SignedRosterSchema;
export type SignedDocument = z.infer<typeof SignedDocumentSchema>;

export type SignedDocumentErrorCode = 'NO_KEY' | 'UNSIGNED' | 'BAD_SIGNATURE' | 'BAD_BODY';

export class SignedDocumentError extends Error {
  constructor(
    readonly code: SignedDocumentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SignedDocumentError';
  }
}

/**
 * Checks `signed` against HQ's key (raw Ed25519, base64url) and returns its body parsed by `schema`.
 * `what` names the document in the messages ("the store roster", "the staff list"). Throws
 * SignedDocumentError: no usable key, not in the signed form, a signature that does not verify
 * (altered or signed by another key), or a signed body that is not what `schema` describes.
 */
export function verifySignedDocument<T>(signed: unknown, keyRawBase64url: string, schema: z.ZodType<T>, what: string): T {
  let key;
  try {
    key = ed25519PublicKey(PublicKeySchema.parse(keyRawBase64url));
  } catch {
    throw new SignedDocumentError('NO_KEY', `HQ's key for ${what} is not a raw Ed25519 public key (43 characters of base64url)`);
  }
  const s = SignedDocumentSchema.safeParse(signed);
  if (!s.success) throw new SignedDocumentError('UNSIGNED', `${what} is not in the signed form: ${s.error.issues[0]?.path.join('.')}: ${s.error.issues[0]?.message}`);
  if (!verify(null, Buffer.from(s.data.body, 'utf8'), key, Buffer.from(s.data.signature, 'base64url')))
    throw new SignedDocumentError('BAD_SIGNATURE', `the signature of ${what} does not verify with HQ's key: it was altered or signed by another key`);
  let json: unknown;
  try {
    json = JSON.parse(s.data.body);
  } catch {
    throw new SignedDocumentError('BAD_BODY', `the signed ${what.replace(/^the /, '')} is not JSON`);
  }
  const r = schema.safeParse(json);
  if (!r.success) throw new SignedDocumentError('BAD_BODY', `the signed ${what.replace(/^the /, '')} is not understood: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
  return r.data;
}
