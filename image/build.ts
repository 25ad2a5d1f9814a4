/**
 * `npm run image`: builds dist/image/kassa.img, a raw GPT disk for x86-64 UEFI terminals, from
 * Debian bookworm's packages (mmdebstrap) and this repository's build. Runs as root.
 *
 *   npm run image -- [--demo] [--test-port PORT] [--slot-mib 560] [--out dist/image] [--snapshot 20261201T000000Z]
 *                    [--release-cert cert.pem --release-key key.pem [--release-ca ca.pem]] [--os-version 0.1.0.412]
 *
 *   --demo            the core runs the demo store (--demo): for trying the image, and image:test
 *   --reuse-rootfs    skips npm build and mmdebstrap when .cache/image/rootfs exists (working on the recipe's later steps)
 *   --cache DIR       the build's work directory (default .cache/image: rootfs, squashfs, ESP)
 *   --no-compress     no kassa.img.zst (working on the recipe)
 *   --release-cert/--release-key  the OS release signing certificate and key (PEM) the bundle is
 *                     signed with; --release-ca the CA baked in as /etc/rauc/keyring.pem (default: the
 *                     certificate). Without them: a development CA under the cache, and DEV KEY everywhere.
 *   --snapshot T      packages from snapshot.debian.org at time T (20261201T000000Z) instead of the live
 *                     mirror: the same commit and snapshot build the same image (npm run image:repro)
 *   --os-version V    the release version (default: package.json's version . commit count; image/rauc.ts)
 *   --test-port PORT  TEST IMAGES ONLY: also opens the Terminal API on the guest's network at PORT
 *                     (systemd-socket-proxyd → 127.0.0.1:8400), so QEMU's hostfwd can reach it.
 *                     Never on by default: a terminal's core is reachable on loopback only.
 *
 * Layout (GPT partition labels): kassa-esp (FAT32, systemd-boot and one kernel+initrd per slot),
 * kassa-root-a and kassa-root-b (squashfs root slots, B a copy of A), kassa-data (blank here:
 * the first boot formats it and grows it to the end of the disk; mounted at /var/lib/kassa).
 * Prints the raw size, the zstd-compressed size and the SHA-256s; writes the exact Debian package
 * versions to kassa.manifest beside the image, and the root slot as a signed RAUC update bundle,
 * kassa-<version>.raucb (image/rauc.ts; docs/design.md "OS updates").
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot, stageBundle } from './bundle';
import { assembleDisk, buildEsp, rootSquashfs, type Slot } from './disk';
import { osVersion, releaseFile, releaseKeys, writeBundle, type ReleaseKeys } from './rauc';
import { aptSources, SUITE } from './sources';
import { requireTools, run, sha256File, step } from './tools';

/** What the terminal runs; everything else comes in as their dependencies (no Recommends). */
const PACKAGES = [
  'systemd', 'systemd-sysv', 'udev', 'dbus', 'libpam-systemd', 'systemd-resolved', 'systemd-timesyncd', 'systemd-boot-efi',
  'linux-image-amd64', 'initramfs-tools', 'zstd', 'kmod', 'e2fsprogs', 'fdisk', 'cloud-guest-utils',
  // sway: the lane UI on one output and the customer display on a second one (cage shows one
  // window on one output); its config turns Xwayland off. seatd hands it the display and input
  // devices (logind would want polkit for it; sway's package pulls polkitd in, customize.sh masks it).
  // grim: the kiosk session looks at a new window's output for Chromium frozen on its first frame.
  'sway', 'grim', 'seatd', 'chromium', 'fonts-dejavu-core',
  // The demo store's simulated serial devices are PTY pairs made by socat.
  'socat', 'ca-certificates', 'tzdata',
  // A/B OS updates (docs/design.md "OS updates"); the kernel mounts its verity bundles itself.
  'rauc',
];

interface Options {
  demo: boolean;
  testPort: number | null;
  slotMiB: number;
  out: string;
  reuseRootfs: boolean;
  compress: boolean;
  cache: string;
  releaseCert?: string;
  releaseKey?: string;
  releaseCa?: string;
  osVersion?: string;
  snapshot: string | null;
}

function options(): Options {
  const { values } = parseArgs({ options: { demo: { type: 'boolean', default: false }, 'test-port': { type: 'string' }, 'slot-mib': { type: 'string', default: '560' }, out: { type: 'string', default: 'dist/image' }, 'reuse-rootfs': { type: 'boolean', default: false }, 'no-compress': { type: 'boolean', default: false }, cache: { type: 'string', default: '.cache/image' }, 'release-cert': { type: 'string' }, 'release-key': { type: 'string' }, 'release-ca': { type: 'string' }, 'os-version': { type: 'string' }, snapshot: { type: 'string' } } });
  const testPort = values['test-port'] === undefined ? null : Number(values['test-port']);
  if (testPort !== null && (!Number.isInteger(testPort) || testPort < 1 || testPort > 65535 || testPort === 8400)) throw new Error('--test-port takes a port 1–65535 other than 8400 (the core\'s own)');
  const slotMiB = Number(values['slot-mib']);
  if (!Number.isInteger(slotMiB) || slotMiB < 256) throw new Error('--slot-mib takes a whole number ≥ 256');
  aptSources(values.snapshot ?? null); // a malformed --snapshot is refused before anything is built
  return { demo: values.demo, testPort, slotMiB, out: join(repoRoot, values.out), reuseRootfs: values['reuse-rootfs'], compress: !values['no-compress'], cache: values.cache, releaseCert: values['release-cert'], releaseKey: values['release-key'], releaseCa: values['release-ca'], osVersion: values['os-version'], snapshot: values.snapshot ?? null };
}

/** Files the build writes into the root after mmdebstrap: the core's arguments and the test-only port. */
function coreArgsFile(o: Options): string {
  const flags = (JSON.parse(readFileSync(join(repoRoot, 'protocol/core-node-flags.json'), 'utf8')) as { flags: string[] }).flags;
  return [
    '# Written by image/build.ts. The core\'s Node flags (protocol/core-node-flags.json) and extra arguments.',
    `KASSA_NODE_FLAGS=${flags.join(' ')}`,
    // A store image starts unprovisioned: the provisioning screen, provisioning.json from a USB stick
    // (mounted under /media by kassa-usb@.service) or a typed/scanned code (core/provisioning).
    `KASSA_CORE_ARGS=${o.demo ? '--demo' : '--provisioning --provision-dir /media'}`,
    '',
  ].join('\n');
}

function testPortUnits(port: number): Array<[string, string]> {
  return [
    ['etc/systemd/system/kassa-test-port.socket', `# TEST IMAGE ONLY (built with --test-port ${port}): the Terminal API on the guest's network.\n[Unit]\nDescription=Kassa test image: Terminal API on port ${port}\n\n[Socket]\nListenStream=0.0.0.0:${port}\n\n[Install]\nWantedBy=sockets.target\n`],
    // The test reads the services' logs on the serial console too (test images only: it shows the per-boot token).
    ['etc/systemd/journald.conf.d/kassa-test-console.conf', '[Journal]\nForwardToConsole=yes\nTTYPath=/dev/ttyS0\nMaxLevelConsole=info\n'],
    // The test drives the Terminal API through the test port with the per-boot token: printed on the serial console.
    ['etc/systemd/system/kassa-test-token.service', '# TEST IMAGE ONLY: the per-boot Terminal API token on the serial console, for npm run image:test.\n[Unit]\nDescription=Kassa test image: token on the serial console\nRequires=kassa-token.service\nAfter=kassa-token.service\n\n[Service]\nType=oneshot\nExecStart=/bin/sh -c \'echo "kassa-test: token $(cat /run/kassa-ui/token)" > /dev/ttyS0\'\n\n[Install]\nWantedBy=multi-user.target\n'],
    // The drills offer OS updates and catalogs through HQ: check in every 15 s, not every 5 min.
    ['etc/systemd/system/kassa-core.service.d/kassa-test.conf', '[Service]\nEnvironment=KASSA_CATALOG_POLL_MS=15000\n'],
    ['etc/systemd/system/kassa-test-port.service', `[Unit]\nDescription=Kassa test image: forward port ${port} to the core\nRequires=kassa-test-port.socket\nAfter=kassa-test-port.socket\n\n[Service]\nExecStart=/lib/systemd/systemd-socket-proxyd 127.0.0.1:8400\nDynamicUser=yes\nPrivateTmp=yes\n`],
  ];
}

function mmdebstrap(rootfs: string, stage: string, o: Options, epoch: string): void {
  const extra = join(stage, 'extra');
  rmSync(extra, { recursive: true, force: true });
  mkdirSync(join(extra, 'usr/lib/kassa'), { recursive: true });
  writeFileSync(join(extra, 'usr/lib/kassa/core.args'), coreArgsFile(o));
  if (o.testPort !== null) {
    mkdirSync(join(extra, 'etc/systemd/system'), { recursive: true });
    mkdirSync(join(extra, 'etc/systemd/journald.conf.d'), { recursive: true });
    mkdirSync(join(extra, 'etc/systemd/system/kassa-core.service.d'), { recursive: true });
    for (const [path, text] of testPortUnits(o.testPort)) writeFileSync(join(extra, path), text);
  }
  // An interrupted mmdebstrap may leave /proc, /sys or /dev/pts mounted in the old root: never delete through them.
  const mounted = readFileSync('/proc/self/mountinfo', 'utf8').split('\n').map((l) => l.split(' ')[4] ?? '').filter((m) => m === rootfs || m.startsWith(`${rootfs}/`));
  if (mounted.length) throw new Error(`${mounted.join(', ')} still mounted (an interrupted build?): umount them first`);
  const enableTest = o.testPort !== null ? ' && chroot "$1" systemctl enable kassa-test-port.socket kassa-test-token.service' : '';
  rmSync(rootfs, { recursive: true, force: true });
  run('mmdebstrap', [
    '--mode=root', '--variant=apt', '--format=directory', '--components=main', '--aptopt=Acquire::Retries "3"',
    `--include=${PACKAGES.join(',')}`,
    '--dpkgopt=path-exclude=/usr/share/doc/*', '--dpkgopt=path-include=/usr/share/doc/*/copyright',
    '--dpkgopt=path-exclude=/usr/share/man/*', '--dpkgopt=path-exclude=/usr/share/info/*',
    '--dpkgopt=path-exclude=/usr/share/locale/*', '--dpkgopt=path-include=/usr/share/locale/locale.alias',
    `--customize-hook=cp -a ${join(repoRoot, 'image/rootfs')}/. "$1"/`,
    `--customize-hook=cp -a ${extra}/. "$1"/`,
    `--customize-hook=mkdir -p "$1"/opt && cp -a ${join(stage, 'opt-kassa')} "$1"/opt/kassa`,
    `--customize-hook=install -m 0644 ${join(repoRoot, 'build/linux/60-kassa-devices.rules')} "$1"/etc/udev/rules.d/60-kassa-devices.rules`,
    `--customize-hook=cp ${join(repoRoot, 'image/customize.sh')} "$1"/tmp/customize.sh && chroot "$1" /bin/sh /tmp/customize.sh && rm "$1"/tmp/customize.sh${enableTest}`,
    SUITE, rootfs, ...aptSources(o.snapshot),
  ], { env: { ...process.env, SOURCE_DATE_EPOCH: epoch } });
  // After mmdebstrap (which manages these two itself while it runs).
  rmSync(join(rootfs, 'etc/resolv.conf'), { force: true });
  execFileSync('ln', ['-s', '/run/systemd/resolve/stub-resolv.conf', join(rootfs, 'etc/resolv.conf')]);
  writeFileSync(join(rootfs, 'etc/hostname'), 'kassa\n');
}

/** The release version and the keyring go in after mmdebstrap (also into a reused root). */
function writeRelease(rootfs: string, version: string, commit: string, keys: ReleaseKeys): void {
  writeFileSync(join(rootfs, 'etc/kassa-release'), releaseFile(version, commit, keys));
  mkdirSync(join(rootfs, 'etc/rauc'), { recursive: true });
  writeFileSync(join(rootfs, 'etc/rauc/keyring.pem'), readFileSync(keys.keyring));
}

function manifest(rootfs: string, o: Options, epoch: string, commit: string, nodeVersion: string, release: { version: string; keys: ReleaseKeys }): string {
  const pkgs = execFileSync('chroot', [rootfs, 'dpkg-query', '-W', '-f', '${Package}\t${Version}\t${Architecture}\n'], { encoding: 'utf8' });
  const lock = createHash('sha256').update(readFileSync(join(repoRoot, 'package-lock.json'))).digest('hex');
  return [
    `# Kassa kiosk image manifest`,
    `commit\t${commit}`,
    `source_date_epoch\t${epoch}`,
    `suite\t${SUITE}`,
    `snapshot\t${o.snapshot ?? 'none (the live mirror: the versions below)'}`,
    ...aptSources(o.snapshot).map((s) => `source\t${s}`),
    `node\t${nodeVersion}`,
    `package-lock.json\tsha256:${lock}`,
    `options\tdemo=${o.demo} test_port=${o.testPort ?? 'off'} slot_mib=${o.slotMiB}`,
    `os_version\t${release.version}`,
    `release_key\t${release.keys.dev ? 'DEV KEY (development CA from the build cache: not for stores)' : 'release'}`,
    `keyring_sha256\t${createHash('sha256').update(readFileSync(release.keys.keyring)).digest('hex')}`,
    `# Debian packages (Package, Version, Architecture)`,
    pkgs.trim().split('\n').sort().join('\n'),
    '',
  ].join('\n');
}


const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const o = options();
  if (process.getuid?.() !== 0) throw new Error('npm run image must run as root (mmdebstrap --mode=root, chroot)');
  requireTools();
  const started = Date.now();
  const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const epoch = execFileSync('git', ['log', '-1', '--format=%ct'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  const work = resolve(repoRoot, o.cache);
  const rootfs = join(work, 'rootfs');
  mkdirSync(o.out, { recursive: true });
  const nodeVersion = process.version;
  const version = osVersion(repoRoot, o.osVersion);
  const keys = releaseKeys({ cert: o.releaseCert, key: o.releaseKey, ca: o.releaseCa, cache: work });
  if (keys.dev) console.log(`\n  *** DEV KEY: no --release-cert/--release-key; signing with the development CA in ${work}/dev-release-key ***\n`);
  if (!o.reuseRootfs || !existsSync(join(rootfs, 'opt/kassa'))) {
    step('building the app (npm run build)');
    run('npm', ['run', 'build', '--silent'], { cwd: repoRoot });
    step('staging /opt/kassa');
    rmSync(join(work, 'opt-kassa'), { recursive: true, force: true });
    if (!nodeVersion.startsWith('v20.')) throw new Error(`the image bundles this machine's Node, which must be Node 20 (found ${nodeVersion})`);
    const bundle = stageBundle(repoRoot, join(work, 'opt-kassa'), process.execPath, nodeVersion);
    console.log(`  node ${bundle.nodeVersion}, ${bundle.packages} runtime packages`);
    step(`mmdebstrap ${SUITE} (SOURCE_DATE_EPOCH=${epoch})`);
    mmdebstrap(rootfs, work, o, epoch);
  } else {
    step(`reusing ${rootfs}`);
  }
  writeRelease(rootfs, version, commit, keys);
  writeFileSync(join(o.out, 'kassa.manifest'), manifest(rootfs, o, epoch, commit, nodeVersion, { version, keys }));
  step('root slot (squashfs, zstd)');
  const rootImg = join(work, 'root.squashfs');
  rootSquashfs(rootfs, rootImg, epoch);
  console.log(`  root.squashfs ${mib(statSync(rootImg).size)}`);
  step(`update bundle (RAUC, verity, OS ${version})`);
  const bundle = join(o.out, `kassa-${version}.raucb`);
  writeBundle(rootImg, bundle, { version, commit, keys, work });
  step('ESP (systemd-boot, kernel and initrd per slot)');
  const slots: Slot[] = ['a', 'b'];
  const espImg = join(work, 'esp.img');
  buildEsp(rootfs, espImg, slots, epoch);
  step('disk (GPT)');
  const img = join(o.out, 'kassa.img');
  assembleDisk(img, { esp: espImg, root: rootImg, slotMiB: o.slotMiB, commit });
  const zst = `${img}.zst`;
  rmSync(zst, { force: true });
  if (o.compress) {
    step('compressing (zstd -12 --long=31)');
    run('zstd', ['-q', '-f', '-12', '-T0', '--long=31', img, '-o', zst]);
  }
  const rawSha = sha256File(img);
  const zstSha = o.compress ? sha256File(zst) : null;
  const bundleSha = sha256File(bundle);
  writeFileSync(join(o.out, 'SHA256SUMS'), `${rawSha}  kassa.img\n${zstSha ? `${zstSha}  kassa.img.zst\n` : ''}${bundleSha}  kassa-${version}.raucb\n`);
  console.log('');
  console.log(`Kassa kiosk image (${commit.slice(0, 12)}${o.demo ? ', demo store' : ''}${o.testPort !== null ? `, TEST PORT ${o.testPort}` : ''}) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.log(`  raw        ${img}  ${mib(statSync(img).size)}  sha256 ${rawSha}`);
  if (zstSha) console.log(`  zstd       ${zst}  ${mib(statSync(zst).size)}  sha256 ${zstSha}`);
  console.log(`  bundle     ${bundle}  ${mib(statSync(bundle).size)}  sha256 ${bundleSha}  (OS ${version})`);
  console.log(`  manifest   ${join(o.out, 'kassa.manifest')}`);
  if (keys.dev) console.log('  *** DEV KEY: this image trusts the development CA in the build cache; give --release-cert/--release-key for stores ***');
}

if (existsSync(join(repoRoot, 'image'))) {
  main().catch((err: unknown) => {
    console.error(`npm run image: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
