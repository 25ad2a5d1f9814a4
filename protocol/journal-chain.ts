/**
 * The journal chain as both ends compute it: the terminal writes it (core/journal), HQ follows it
 * in what terminals upload (hq/chain.ts). Part of the wire format, so it lives here, once.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** The DER prefix that makes a raw 32-byte Ed25519 public key an SPKI structure. */
export const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A public key (a private key: its public half; a PEM string) as raw Ed25519 (base64url), the way keys travel in Kassa's messages; the inverse of `ed25519PublicKey`. */
export function rawEd25519(key: KeyObject | string): string {
  return (typeof key === 'string' || key.type === 'private' ? createPublicKey(key) : key).export({ format: 'der', type: 'spki' }).subarray(ED25519_SPKI_PREFIX.length).toString('base64url');
}

/** A raw Ed25519 public key (base64url, as keys travel in Kassa's messages) as a key to verify with. */
export function ed25519PublicKey(rawBase64url: string): KeyObject {
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(rawBase64url, 'base64url')]), format: 'der', type: 'spki' });
}

/**
 * Canonical JSON: object keys sorted, no whitespace, integers only as numbers; undefined dropped.
 * Journal entry bodies are written in it, and HQ signs the store roster (protocol/roster.ts) in it.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number in journal entry');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot put a ${typeof value} into a journal entry`);
  }
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
