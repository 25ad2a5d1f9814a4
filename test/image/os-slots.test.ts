// The OS update pieces that run as root on the terminal, run here against real files: RAUC's
// bootloader backend over a real ESP directory (boot counting as systemd-boot does it), the
// downgrade check, and a real signed RAUC bundle checked against the right and a foreign keyring.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { repoRoot } from '../../image/bundle';
import { entryName, kernelCmdline, type Slot } from '../../image/disk';
import { makeSigningPair, validOsVersion, writeBundle } from '../../image/rauc';
import { compareOsVersions, OsVersionSchema } from '../../protocol/os-update';

const BACKEND = join(repoRoot, 'image/rootfs/usr/lib/kassa/rauc-bootloader');
const PRE_INSTALL = join(repoRoot, 'image/rootfs/usr/lib/kassa/rauc-pre-install');

/**
 * systemd-boot 252's order (src/boot/efi/boot.c boot_entry_compare; systemd.io/AUTOMATIC_BOOT_ASSESSMENT,
 * and the Boot Loader Specification's sorting): entries with no tries left last; entries without
 * sort-key by file name (id) in descending version order; the first one boots when loader.conf
 * names no default. Written here independently of the backend's shell.
 */
function triesLeft(name: string): number | null {
  const m = /\+(\d+)(?:-(\d+))?\.conf$/.exec(name);
  return m ? Number(m[1]) : null;
}
function versionCompare(a: string, b: string): number {
  const split = (s: string) => s.match(/\d+|\D+/g) ?? [];
  const pa = split(a);
  const pb = split(b);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const [x, y] = [pa[i]!, pb[i]!];
    const d = /^\d/.test(x) && /^\d/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (d !== 0) return d;
  }
  return pa.length - pb.length;
}
function bootOrder(esp: string): string[] {
  return readdirSync(join(esp, 'loader/entries'))
    .filter((f) => f.endsWith('.conf'))
    .sort((a, b) => Number(triesLeft(a) === 0) - Number(triesLeft(b) === 0) || -versionCompare(a.replace(/\.conf$/, ''), b.replace(/\.conf$/, '')));
}
/** One power-on: systemd-boot picks the first entry and, if it is counted, counts the try (renames +L-D to +(L-1)-(D+1)) before booting it. */
function boot(esp: string): Slot {
  const name = bootOrder(esp)[0]!;
  const m = /^(.*)\+(\d+)(?:-(\d+))?\.conf$/.exec(name);
  if (m && Number(m[2]) > 0) execFileSync('mv', [join(esp, 'loader/entries', name), join(esp, 'loader/entries', `${m[1]}+${Number(m[2]) - 1}-${Number(m[3] ?? 0) + 1}.conf`)]);
  return /-([ab])(?:\+|\.conf)/.exec(name)![1] as Slot;
}

let dir: string;
let esp: string;
const backend = (...args: string[]) => spawnSync('sh', [BACKEND, ...args], { env: { PATH: process.env.PATH, KASSA_ESP: esp, KASSA_SLOT_ROOTS: join(dir, 'slots') }, encoding: 'utf8' });
const ok = (...args: string[]) => {
  const r = backend(...args);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
};
const entries = () => readdirSync(join(esp, 'loader/entries')).sort();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kassa-esp-'));
  esp = join(dir, 'esp');
  mkdirSync(join(esp, 'loader/entries'), { recursive: true });
  for (const slot of ['a', 'b'] as const) {
    writeFileSync(join(esp, 'loader/entries', entryName(slot, 'a')), `title Kassa (slot ${slot})\nversion 6.1.0-1-amd64\nlinux /kassa/${slot}/vmlinuz\ninitrd /kassa/${slot}/initrd.img\noptions ${kernelCmdline(slot)}\n`);
    mkdirSync(join(dir, 'slots', slot, 'boot'), { recursive: true });
  }
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('RAUC bootloader backend over systemd-boot entries', () => {
  it('a new disk boots A first, both slots armed; "ready to sell" re-arms the booted entry to +3', () => {
    expect(entries()).toEqual(['kassa-other-b+3.conf', 'kassa-primary-a+3.conf']);
    expect(ok('get-primary')).toBe('a');
    expect(boot(esp)).toBe('a');
    expect(entries()).toContain('kassa-primary-a+2-1.conf');
    expect(ok('get-state', 'a')).toBe('good');
    ok('set-state', 'a', 'good');
    expect(entries()).toEqual(['kassa-other-b+3.conf', 'kassa-primary-a+3.conf']);
  });

  it('a slot that never gets ready (corrupted later) falls back to the other after 3 tries, and stays there', () => {
    ok('set-state', 'a', 'good');
    expect([boot(esp), boot(esp), boot(esp)]).toEqual(['a', 'a', 'a']);
    expect(entries()).toContain('kassa-primary-a+0-3.conf');
    expect(ok('get-state', 'a')).toBe('bad');
    expect(ok('get-primary')).toBe('b');
    expect(boot(esp)).toBe('b');
    ok('set-state', 'b', 'good'); // B reached ready to sell
    expect(boot(esp)).toBe('b');
    expect(entries()).toEqual(['kassa-other-b+2-1.conf', 'kassa-primary-a+0-3.conf']);
  });

  it('set-primary copies the slot\'s kernel and initrd to the ESP, then sorts its entry first with +3; a new slot that fails falls back', () => {
    writeFileSync(join(dir, 'slots/b/boot/vmlinuz-6.1.0-9-amd64'), 'kernel 9');
    writeFileSync(join(dir, 'slots/b/boot/vmlinuz-6.1.0-10-amd64'), 'kernel 10');
    writeFileSync(join(dir, 'slots/b/boot/initrd.img-6.1.0-10-amd64'), 'initrd 10');
    ok('set-state', 'b', 'bad'); // RAUC marks the target bad before it writes it
    expect(ok('get-primary')).toBe('a');
    ok('set-primary', 'b');
    expect(readFileSync(join(esp, 'kassa/b/vmlinuz'), 'utf8')).toBe('kernel 10');
    expect(readFileSync(join(esp, 'kassa/b/initrd.img'), 'utf8')).toBe('initrd 10');
    expect(readFileSync(join(esp, 'loader/entries/kassa-primary-b+3.conf'), 'utf8')).toContain('version 6.1.0-10-amd64\n');
    expect(entries()).toEqual(['kassa-other-a+3.conf', 'kassa-primary-b+3.conf']);
    expect(ok('get-primary')).toBe('b');
    expect([boot(esp), boot(esp), boot(esp), boot(esp)]).toEqual(['b', 'b', 'b', 'a']);
  });

  it('refuses a slot with no kernel, unknown slots and two entries for one slot, changing nothing', () => {
    const before = entries();
    expect(backend('set-primary', 'b').stderr).toMatch(/slot b has no kernel/);
    expect(backend('set-state', 'c', 'good').stderr).toMatch(/unknown slot 'c'/);
    expect(entries()).toEqual(before);
    writeFileSync(join(esp, 'loader/entries/kassa-other-a.conf'), '');
    const r = backend('get-state', 'a');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/more than one loader entry for slot a/);
  });
});

describe('the downgrade check (RAUC pre-install handler)', () => {
  const check = (bundle: string | undefined, running = 'KASSA_OS_VERSION=0.1.0.412\n') => {
    writeFileSync(join(dir, 'kassa-release'), running);
    const env: Record<string, string> = { PATH: process.env.PATH!, KASSA_RELEASE_FILE: join(dir, 'kassa-release') };
    if (bundle !== undefined) env.RAUC_MF_VERSION = bundle;
    return spawnSync('sh', [PRE_INSTALL], { env, encoding: 'utf8' });
  };
  it('lets only a newer version through', () => {
    for (const v of ['0.1.0.413', '0.1.1', '0.2', '1', '0.1.0.412.1']) expect(check(v).status, v).toBe(0);
    for (const v of ['0.1.0.412', '0.1.0.411', '0.1', '0.0.9.999', '0.1.0.0412']) {
      const r = check(v);
      expect(r.status, v).toBe(1);
      expect(r.stderr).toMatch(/not newer than the running version 0\.1\.0\.412/);
    }
  });
  it('reads the version from the mounted bundle\'s manifest when RAUC passes no RAUC_MF_VERSION (rauc 1.8 system handlers)', () => {
    const mount = join(dir, 'bundle-mount');
    mkdirSync(mount);
    const run = (manifest: string) => {
      writeFileSync(join(mount, 'manifest.raucm'), manifest);
      writeFileSync(join(dir, 'kassa-release'), 'KASSA_OS_VERSION=0.1.0.412\n');
      return spawnSync('sh', [PRE_INSTALL], { env: { PATH: process.env.PATH!, KASSA_RELEASE_FILE: join(dir, 'kassa-release'), RAUC_BUNDLE_MOUNT_POINT: mount }, encoding: 'utf8' }).status;
    };
    expect(run('[update]\ncompatible=kassa-x86_64\nversion=0.1.0.413\n\n[image.rootfs]\nfilename=root.img\n')).toBe(0);
    expect(run('[update]\ncompatible=kassa-x86_64\nversion=0.1.0.411\n')).toBe(1);
    expect(run('[image.rootfs]\nversion=9.9\n[update]\ncompatible=kassa-x86_64\n')).toBe(1); // only [update]'s version counts
  });

  it('refuses garbage, a missing version, and a running OS without one', () => {
    for (const v of ['', 'abc', '0.1..2', '1.2.3-rc1', '.1', '1.', '1234567890', '1.2.3.4.5.6.7', '9;reboot']) expect(check(v).status, v).toBe(1);
    expect(check(undefined).stderr).toMatch(/not a dotted version/);
    expect(check('9.9', 'nothing\n').stderr).toMatch(/no valid version/);
  });
  it('orders versions as the build does', () => {
    expect(compareOsVersions('0.1.0.10', '0.1.0.9')).toBe(1);
    expect(compareOsVersions('0.1', '0.1.0.0')).toBe(0);
    expect(compareOsVersions('0.1.0.412', '0.2')).toBe(-1);
    for (const v of ['0.1.0.412', '1', '1.2.3.4.5.6', '1.2.3.4.5.6.7', '1.', 'x', '1234567890']) expect(validOsVersion(v), v).toBe(OsVersionSchema.safeParse(v).success);
  });
});

const hasRauc = spawnSync('sh', ['-c', 'command -v rauc && command -v openssl']).status === 0;

describe.runIf(hasRauc)('a real RAUC bundle (rauc 1.8, verity) and the terminal\'s system.conf', () => {
  it('is accepted with the baked CA as keyring and refused with a foreign one', () => {
    const keys = makeSigningPair(join(dir, 'release'), 'Kassa test');
    const foreign = makeSigningPair(join(dir, 'foreign'), 'Someone else');
    writeFileSync(join(dir, 'root.img'), randomBytes(256 * 1024)); // incompressible: RAUC wants a bundle larger than one block
    const signed = (k: typeof keys, name: string) => {
      const out = join(dir, name);
      writeBundle(join(dir, 'root.img'), out, { version: '0.1.0.413', commit: 'c0ffee', keys: k, work: join(dir, 'work') });
      return out;
    };
    const ours = signed(keys, 'ours.raucb');
    const theirs = signed(foreign, 'theirs.raucb');
    // The terminal's own system.conf (compatible, check-purpose=codesign, verity only), keyring path pointed at the test's CA.
    const conf = (keyring: string) => {
      const path = join(dir, `system-${keyring.split('/').at(-2)}.conf`);
      writeFileSync(path, readFileSync(join(repoRoot, 'image/rootfs/etc/rauc/system.conf'), 'utf8').replace('/etc/rauc/keyring.pem', keyring).replace('/efi/rauc', join(dir, 'rauc-data')));
      return path;
    };
    const info = (bundle: string, keyring: string, format = 'shell') => spawnSync('rauc', ['info', '-c', conf(keyring), `--output-format=${format}`, bundle], { encoding: 'utf8' });
    const good = info(ours, keys.keyring);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout).toContain("RAUC_MF_VERSION='0.1.0.413'");
    expect(good.stdout).toContain("RAUC_MF_COMPATIBLE='kassa-x86_64'");
    expect(info(ours, keys.keyring, 'readable').stdout).toMatch(/Bundle Format:\s+verity/);
    const bad = info(theirs, keys.keyring);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/signature verification failed/);
    expect(info(ours, foreign.keyring).status).not.toBe(0);
  });
});
