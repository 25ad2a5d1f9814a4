/**
 * Release signatures. Linux has no code-signature check of its own, so every published artifact
 * (deb, AppImage) carries `<artifact>.sig`: an Ed25519 signature by the release key over
 * "KASSA-RELEASE-1\n<file name>\n<SHA-512 of the file, hex>". The kiosk installs a downloaded update
 * only when the signature verifies against a release key pinned in the app. Pure Node: unit-tested
 * outside Electron; `npm run release:sign` makes the signatures on the release machine.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';

/** Release public keys (raw Ed25519, base64url) the app trusts; replaced by the release build. */
export const RELEASE_KEYS: readonly string[] = (process.env.KASSA_RELEASE_KEYS ?? '').split(',').filter(Boolean);

export async function sha512File(path: string): Promise<string> {
  const h = createHash('sha512');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const message = (name: string, sha512Hex: string) => Buffer.from(`KASSA-RELEASE-1\n${name}\n${sha512Hex}`);

const publicKey = (raw: string): KeyObject => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(raw, 'base64url')]), format: 'der', type: 'spki' });

/** The signature file's text for `path`, made with the release private key. */
export async function signRelease(path: string, privateKey: KeyObject): Promise<string> {
  return `${sign(null, message(basename(path), await sha512File(path)), privateKey).toString('base64url')}\n`;
}

export type ReleaseCheck = { ok: true } | { ok: false; reason: string };

/** Checks a downloaded artifact against its signature text and the pinned release keys. */
export async function verifyRelease(path: string, signatureText: string, keys: readonly string[] = RELEASE_KEYS): Promise<ReleaseCheck> {
  if (keys.length === 0) return { ok: false, reason: 'no release key is pinned in this build: updates are refused' };
  const sig = signatureText.trim();
  if (!/^[A-Za-z0-9_-]{86}$/.test(sig)) return { ok: false, reason: 'the update has no valid signature file' };
  const msg = message(basename(path), await sha512File(path));
  for (const k of keys) {
    try {
      if (verify(null, msg, publicKey(k), Buffer.from(sig, 'base64url'))) return { ok: true };
    } catch {
      // a malformed pinned key: try the next
    }
  }
  return { ok: false, reason: 'the update is not signed by the release key: it was altered or is not ours' };
}
