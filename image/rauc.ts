/**
 * The OS release side of the image build: the release version, the RAUC keyring and signing
 * certificate, and the update bundle (dist/image/kassa-<version>.raucb).
 *
 * Version: dotted whole numbers, compared part by part (image/rootfs/usr/lib/kassa/rauc-pre-install
 * refuses a bundle not newer than /etc/kassa-release). By default package.json's version and the
 * commit count (`0.1.0` at the 412th commit → `0.1.0.412`): it grows with every commit on one
 * branch; `--os-version` sets it explicitly (a release branch, a rebuild with a fix).
 *
 * Keys: `--release-cert`/`--release-key` (PEM) sign the bundle; `--release-ca` (PEM) is the keyring
 * baked into the root (/etc/rauc/keyring.pem; the certificate itself when not given). Without them
 * a development CA and signing certificate are made once under the cache directory and the build
 * says DEV KEY loudly: terminals flashed with it accept bundles from anyone holding that cache.
 */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run } from './tools';

export const COMPATIBLE = 'kassa-x86_64';

/** True for a release version: 1 to 6 dotted whole numbers of up to 9 digits (protocol/os-update.ts OsVersionSchema; image/ imports none of the app). */
export function validOsVersion(v: string): boolean {
  return /^\d{1,9}(\.\d{1,9}){0,5}$/.test(v);
}

/** The release version: --os-version, else package.json's version and the commit count. */
export function osVersion(repo: string, explicit: string | undefined): string {
  const v = explicit ?? `${(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version.replace(/[-+].*$/, '')}.${execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: repo, encoding: 'utf8' }).trim()}`;
  if (!validOsVersion(v)) throw new Error(`the OS version ${v} is not 1–6 dotted whole numbers (like 0.1.0.412)`);
  return v;
}

export interface ReleaseKeys {
  cert: string;
  key: string;
  /** The keyring baked into the root: the CA (or the certificate itself). */
  keyring: string;
  dev: boolean;
}

const SIGNER_EXT = 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=critical,codeSigning\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n';

/** A CA and a signing certificate it issued (codeSigning: /etc/rauc/system.conf checks that purpose). */
export function makeSigningPair(dir: string, name: string, days = 3650): ReleaseKeys {
  mkdirSync(dir, { recursive: true });
  const p = (f: string) => join(dir, f);
  const quiet: ExecFileSyncOptions = { stdio: ['ignore', 'ignore', 'pipe'] };
  run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('ca.key.pem'), '-out', p('ca.pem'), '-days', String(days), '-subj', `/O=Kassa/CN=${name} CA`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], quiet);
  run('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('signing.key.pem'), '-out', p('signing.csr'), '-subj', `/O=Kassa/CN=${name} signing`], quiet);
  writeFileSync(p('signing.ext'), SIGNER_EXT);
  run('openssl', ['x509', '-req', '-in', p('signing.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key.pem'), '-CAcreateserial', '-days', String(days), '-out', p('signing.pem'), '-extfile', p('signing.ext')], quiet);
  return { cert: p('signing.pem'), key: p('signing.key.pem'), keyring: p('ca.pem'), dev: true };
}

/** The release keys given, or the cache's development pair (made on first use). */
export function releaseKeys(o: { cert?: string; key?: string; ca?: string; cache: string }): ReleaseKeys {
  if (o.cert || o.key) {
    if (!o.cert || !o.key) throw new Error('--release-cert and --release-key go together');
    for (const f of [o.cert, o.key, o.ca].filter((x): x is string => !!x)) if (!existsSync(f)) throw new Error(`${f} does not exist`);
    return { cert: o.cert, key: o.key, keyring: o.ca ?? o.cert, dev: false };
  }
  const dir = join(o.cache, 'dev-release-key');
  if (existsSync(join(dir, 'signing.pem'))) return { cert: join(dir, 'signing.pem'), key: join(dir, 'signing.key.pem'), keyring: join(dir, 'ca.pem'), dev: true };
  return makeSigningPair(dir, 'Kassa DEV KEY (not for stores)');
}

/** /etc/kassa-release: the running OS's version (the downgrade check compares bundles with it). */
export function releaseFile(version: string, commit: string, keys: ReleaseKeys): string {
  return `# Written by image/build.ts. The downgrade check (rauc-pre-install) and the core read it.\nKASSA_OS_VERSION=${version}\nKASSA_OS_COMPATIBLE=${COMPATIBLE}\nKASSA_COMMIT=${commit}\nKASSA_RELEASE_KEY=${keys.dev ? 'DEV' : 'release'}\n`;
}

/** The bundle's manifest: one raw root image, verity format (RAUC 1.8 has it; bookworm's kernel has dm-verity). */
export function bundleManifest(version: string, commit: string, image: string): string {
  return `[update]\ncompatible=${COMPATIBLE}\nversion=${version}\nbuild=${commit}\n\n[bundle]\nformat=verity\n\n[image.rootfs]\nfilename=${image}\n`;
}

/** Writes a signed RAUC bundle of `rootImage` to `out`. */
export function writeBundle(rootImage: string, out: string, o: { version: string; commit: string; keys: Pick<ReleaseKeys, 'cert' | 'key'>; work: string }): void {
  const dir = join(o.work, 'bundle-in');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(rootImage, join(dir, 'root.img'));
  writeFileSync(join(dir, 'manifest.raucm'), bundleManifest(o.version, o.commit, 'root.img'));
  rmSync(out, { force: true });
  // No --keyring here: RAUC would check the signer against its default purpose, not codeSigning.
  run('rauc', ['bundle', `--cert=${o.keys.cert}`, `--key=${o.keys.key}`, dir, out], { stdio: ['ignore', 'ignore', 'pipe'] });
  rmSync(dir, { recursive: true, force: true });
}
