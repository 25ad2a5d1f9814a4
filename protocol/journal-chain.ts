/**
 * The journal chain as both ends compute it: the terminal writes it (core/journal), HQ follows it
 * in what terminals upload (hq/chain.ts). Part of the wire format, so it lives here, once.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The DER prefix that makes a raw 32-byte Ed25519 public key an SPKI structure. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A raw Ed25519 public key (base64url, as keys travel in Kassa's messages) as a key to verify with. */
export function ed25519PublicKey(rawBase64url: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(rawBase64url, 'base64url')]), format: 'der', type: 'spki' });
}

/**
 * Hash of one entry: SHA-256 over the previous hash, a newline and the canonical JSON of
 * {at, body, kind, ref, seq} (keys sorted; `body` is already canonical JSON text).
 */
export function entryHash(prevHash: string, e: { seq: number; at: string; kind: string; ref: string | null; body: string }): string {
  const canonical = `{"at":${JSON.stringify(e.at)},"body":${e.body},"kind":${JSON.stringify(e.kind)},"ref":${e.ref === null ? 'null' : JSON.stringify(e.ref)},"seq":${e.seq}}`;
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** A signing key's id: the first 16 hex digits of the SHA-256 of its SPKI DER. */
export function keyIdOfSpki(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** The key id of a raw Ed25519 public key (base64url), as the journal records it. */
export function keyIdOfRaw(rawBase64url: string): string {
  return keyIdOfSpki(Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(rawBase64url, 'base64url')]));
}
