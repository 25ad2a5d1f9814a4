/**
 * Checking a signed request (protocol/hq.ts SIGNATURE_HEADERS, signingString): HQ checks every
 * terminal's request with it, and a till checks its store peers' requests with it — one check,
 * two kinds of receiver. Who the key belongs to (HQ's terminal table, the store's signed roster)
 * is the receiver's business; this only reads the headers and verifies the signature.
 */
import { createHash, verify } from 'node:crypto';
import { SIGNATURE_HEADERS, signingString } from './hq';
import { ed25519PublicKey } from './journal-chain';

export interface SignatureHeaders {
  terminalId: string;
  time: string;
  nonce: string;
  signature: string;
}

/** The signature headers of a request, or null when one is missing or malformed (the request is unsigned). */
export function signatureHeaders(header: (name: string) => string | string[] | undefined): SignatureHeaders | null {
  const one = (n: string) => {
    const v = header(n);
    return typeof v === 'string' ? v : '';
  };
  const h = { terminalId: one(SIGNATURE_HEADERS.terminal), time: one(SIGNATURE_HEADERS.time), nonce: one(SIGNATURE_HEADERS.nonce), signature: one(SIGNATURE_HEADERS.signature) };
  if (!/^[\x21-\x7e]{1,128}$/.test(h.terminalId) || !h.time || !/^[A-Za-z0-9_-]{16,64}$/.test(h.nonce) || !/^[A-Za-z0-9_-]{86}$/.test(h.signature)) return null;
  return h;
}

/** Whether the request time is within `maxAgeMs` of the receiver's clock (either side). */
export function requestTimeAcceptable(h: SignatureHeaders, now: Date, maxAgeMs: number): boolean {
  const at = Date.parse(h.time);
  return !Number.isNaN(at) && Math.abs(now.getTime() - at) <= maxAgeMs;
}

/** Whether the signature over method, path, time, nonce and the body's SHA-256 verifies with the sender's raw Ed25519 key. */
export function requestSignatureValid(h: SignatureHeaders, method: string, path: string, body: Uint8Array | string, publicKeyRaw: string): boolean {
  const bodyHash = createHash('sha256').update(body).digest('hex');
  try {
    return verify(null, Buffer.from(signingString(method, path, h.time, h.nonce, bodyHash)), ed25519PublicKey(publicKeyRaw), Buffer.from(h.signature, 'base64url'));
  } catch {
    return false;
  }
}
