/**
 * OS bundles at HQ (protocol/os-update.ts): store IT publishes a RAUC bundle; HQ keeps it by its
 * SHA-256 in `<catalog dir>/os/`, with a manifest signed by the catalog key (the key terminals pin)
 * as `latest-<compatible>.json`, and offers it at check-in to terminals running an older version.
 * Publishing a version that is not newer than the newest one is refused (no downgrades), as is a
 * bundle that is not RAUC's verity format (the only one terminals install).
 *
 * The bundle's own manifest is read from its CMS signature (the last 8 bytes of a bundle give the
 * signature's size; the signed content is the manifest) with openssl; with `keyring` its signature
 * is checked against the OS release CA first. The terminal checks it again with RAUC either way.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignedManifestSchema, type SignedManifest } from '../protocol/catalog';
import { compareOsVersions, OS_FORMAT, OsCompatibleSchema, OsManifestSchema, OsVersionSchema, type OsCheckin, type OsManifest } from '../protocol/os-update';
import type { CatalogSigner } from './catalog';

export class OsPublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OsPublishError';
  }
}

export const osDir = (catalogDir: string) => join(catalogDir, 'os');
export const osBundleFile = (catalogDir: string, sha256: string) => join(osDir(catalogDir), `${sha256}.raucb`);
const latestFile = (catalogDir: string, compatible: string) => join(osDir(catalogDir), `latest-${compatible}.json`);

/** The CMS signature at the end of a RAUC bundle (DER). */
function bundleSignature(file: string): Buffer {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const tail = Buffer.alloc(8);
    if (size < 16 || readSync(fd, tail, 0, 8, size - 8) !== 8) throw new OsPublishError(`${file} is no RAUC bundle (too short)`);
    const sigSize = Number(tail.readBigUInt64BE(0));
    if (sigSize <= 0 || sigSize > 1024 * 1024 || sigSize > size - 8) throw new OsPublishError(`${file} is no RAUC bundle (no signature at its end)`);
    const sig = Buffer.alloc(sigSize);
    readSync(fd, sig, 0, sigSize, size - 8 - sigSize);
    return sig;
  } finally {
    closeSync(fd);
  }
}

/** The [update] and [bundle] keys of a bundle's manifest (its signed content); checked against `keyring` (PEM CA) when given. */
export function readBundleManifest(file: string, keyring?: string): { version: string; compatible: string; format: string } {
  const work = mkdtempSync(join(tmpdir(), 'kassa-os-sig-'));
  try {
    writeFileSync(join(work, 'sig.der'), bundleSignature(file));
    const verify = keyring ? ['-CAfile', keyring, '-purpose', 'any'] : ['-noverify'];
    let text: string;
    try {
      text = execFileSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, 'sig.der'), ...verify], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      const detail = String((err as { stderr?: string }).stderr ?? err).split('\n').find((l) => /error|verif/i.test(l)) ?? 'no signed manifest';
      throw new OsPublishError(keyring ? `${file}: its signature does not verify with ${keyring}: ${detail.trim()}` : `${file}: no signed RAUC manifest in it: ${detail.trim()}`);
    }
    const section = (name: string) => {
      const out: Record<string, string> = {};
      const m = new RegExp(`^\\[${name}\\]\\n([\\s\\S]*?)(?=^\\[|(?![\\s\\S]))`, 'm').exec(text.replace(/\r/g, ''));
      for (const line of (m?.[1] ?? '').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
      }
      return out;
    };
    const update = section('update');
    return { version: update.version ?? '', compatible: update.compatible ?? '', format: section('bundle').format ?? 'plain' };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The newest published bundle for `compatible` (its signed manifest and what it says), or null. */
export function latestOs(catalogDir: string, compatible: string): { signed: SignedManifest; manifest: OsManifest } | null {
  const file = latestFile(catalogDir, compatible);
  if (!existsSync(file)) return null;
  const signed = SignedManifestSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  return { signed, manifest: OsManifestSchema.parse(JSON.parse(signed.manifest)) };
}

function hashFile(file: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const buf = Buffer.alloc(4 * 1024 * 1024);
  const fd = openSync(file, 'r');
  let size = 0;
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; size += n) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return { sha256: hash.digest('hex'), size };
}

/** Publishes a bundle: refuses anything but a newer verity bundle with a valid version. */
export function publishOs(catalogDir: string, signer: CatalogSigner, bundle: string, o: { now: Date; keyring?: string }): OsManifest {
  const m = readBundleManifest(bundle, o.keyring);
  if (!OsVersionSchema.safeParse(m.version).success) throw new OsPublishError(`the bundle's version "${m.version}" is not a dotted version like 0.1.0.412`);
  if (!OsCompatibleSchema.safeParse(m.compatible).success) throw new OsPublishError(`the bundle's compatible "${m.compatible}" is not one`);
  if (m.format !== 'verity') throw new OsPublishError(`the bundle is in RAUC's ${m.format} format; terminals install verity bundles only`);
  const latest = latestOs(catalogDir, m.compatible);
  if (latest && compareOsVersions(m.version, latest.manifest.version) <= 0) throw new OsPublishError(`version ${m.version} is not newer than ${latest.manifest.version}, the newest published for ${m.compatible}: refused (no downgrades)`);
  const { sha256, size } = hashFile(bundle);
  mkdirSync(osDir(catalogDir), { recursive: true });
  const target = osBundleFile(catalogDir, sha256);
  if (!existsSync(target)) {
    copyFileSync(bundle, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
  }
  const manifest: OsManifest = { format: OS_FORMAT, version: m.version, compatible: m.compatible, sha256, size, publishedAt: o.now.toISOString() };
  const file = latestFile(catalogDir, m.compatible);
  writeFileSync(`${file}.tmp`, JSON.stringify(signer.sign(manifest)) + '\n');
  renameSync(`${file}.tmp`, file);
  return manifest;
}

/** The check-in answer's `os`: the newest bundle for the terminal's compatible when it is newer than what it runs. */
export function osOffer(catalogDir: string | undefined, have: OsCheckin): SignedManifest | null {
  if (!catalogDir) return null;
  const latest = latestOs(catalogDir, have.compatible);
  return latest && compareOsVersions(latest.manifest.version, have.version) > 0 ? latest.signed : null;
}

/** True if `sha256` names a bundle that was published (only those are served). */
export function isPublishedBundle(catalogDir: string, sha256: string): boolean {
  return /^[0-9a-f]{64}$/.test(sha256) && existsSync(osBundleFile(catalogDir, sha256));
}
