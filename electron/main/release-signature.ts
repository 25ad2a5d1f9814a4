/**
 * Release statements and the update decision. Linux has no code-signature check of its own, so
 * every published artifact (deb, AppImage) carries `<artifact>.sig`: a statement (JSON) naming the
 * file, its SHA-512, its version, its channel and until when the statement holds, signed (Ed25519)
 * by a release key. The kiosk installs a download only when `decideUpdate` says so: signed by a
 * key of the build's baked chain (release-keys.ts), for this very file, this channel, newer than
 * what runs, not expired — and, at the moment of installing, the file is still the one that was
 * verified (`stillVerified`). Pure Node (no Electron): unit-tested; `npm run release:sign` signs.
 */
import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { RELEASE_KEY_CHAIN, type ReleaseKeyChain } from './release-keys';

export async function sha512File(path: string): Promise<string> {
  const h = createHash('sha512');
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const StatementSchema = z
  .object({
    format: z.literal('kassa-release-2'),
    name: z.string().min(1).max(200),
    sha512: z.string().regex(/^[0-9a-f]{128}$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    channel: z.string().regex(/^[a-z]{1,20}$/),
    expiresAt: z.string().datetime(),
    signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/),
  })
  .strict();
export type ReleaseStatement = z.infer<typeof StatementSchema>;

const message = (s: Omit<ReleaseStatement, 'format' | 'signature'>) => Buffer.from(['KASSA-RELEASE-2', s.name, s.sha512, s.version, s.channel, s.expiresAt].join('\n'));
const publicKey = (raw: string): KeyObject => createPublicKey({ key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(raw, 'base64url')]), format: 'der', type: 'spki' });
const verifies = (msg: Buffer, raw: string, signature: string) => {
  try {
    return verify(null, msg, publicKey(raw), Buffer.from(signature, 'base64url'));
  } catch {
    return false; // a malformed key
  }
};

/** The statement text for `path` (its `.sig`), made with a release private key. */
export async function signRelease(path: string, privateKey: KeyObject, o: { version: string; channel: string; expiresAt: string }): Promise<string> {
  const s = { name: basename(path), sha512: await sha512File(path), version: o.version, channel: o.channel, expiresAt: o.expiresAt };
  return `${JSON.stringify({ format: 'kassa-release-2', ...s, signature: sign(null, message(s), privateKey).toString('base64url') })}\n`;
}

const rotationMessage = (key: string) => Buffer.from(`KASSA-RELEASE-KEY-1\n${key}`);

/** A rotation entry: the next release key, signed by the current one. */
export function signRotation(nextKey: string, currentPrivateKey: KeyObject): { key: string; signature: string } {
  return { key: nextKey, signature: sign(null, rotationMessage(nextKey), currentPrivateKey).toString('base64url') };
}

/** The keys a baked chain vouches for: the root, then each rotation signed by the key before it (a broken link ends the chain). */
export function trustedKeys(chain: ReleaseKeyChain = RELEASE_KEY_CHAIN): string[] {
  if (!chain.root) return [];
  const keys = [chain.root];
  for (const r of chain.rotations) {
    if (!verifies(rotationMessage(r.key), keys[keys.length - 1]!, r.signature)) break;
    keys.push(r.key);
  }
  return keys;
}

const newer = (a: string, b: string) => {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
  return false;
};

export type UpdateDecision = { install: true; statement: ReleaseStatement } | { install: false; reason: string };

/** Whether a downloaded file may be installed: its statement, checked against the baked keys, the file, what runs, and the time. */
export function decideUpdate(d: { fileName: string; fileSha512: string; statementText: string; running: { version: string; channel: string }; keys: readonly string[]; now: Date }): UpdateDecision {
  if (d.keys.length === 0) return { install: false, reason: 'no release key is baked into this build: updates are refused' };
  let json: unknown;
  try {
    json = JSON.parse(d.statementText);
  } catch {
    return { install: false, reason: 'the update has no valid signature file' };
  }
  const p = StatementSchema.safeParse(json);
  if (!p.success) return { install: false, reason: 'the update has no valid signature file' };
  const s = p.data;
  if (!d.keys.some((k) => verifies(message(s), k, s.signature))) return { install: false, reason: 'the update is not signed by a release key of this build: it was altered or is not ours' };
  if (s.name !== d.fileName || s.sha512 !== d.fileSha512) return { install: false, reason: 'the downloaded file is not the one the release statement names: it was altered or swapped' };
  if (s.channel !== d.running.channel) return { install: false, reason: `the update is for the ${s.channel} channel; this kiosk follows ${d.running.channel}` };
  if (!newer(s.version, d.running.version)) return { install: false, reason: `version ${s.version} is not newer than version ${d.running.version} that runs: a downgrade or an old statement replayed` };
  if (Date.parse(s.expiresAt) <= d.now.getTime()) return { install: false, reason: `the release statement expired at ${s.expiresAt}` };
  return { install: true, statement: s };
}

/** At the moment of installing: the file is still, byte for byte, the one the decision verified. */
export async function stillVerified(path: string, statement: ReleaseStatement): Promise<boolean> {
  try {
    return basename(path) === statement.name && (await sha512File(path)) === statement.sha512;
  } catch {
    return false;
  }
}
