/**
 * The ESP and the GPT disk of the kiosk image, assembled from files (no loop devices).
 *
 *   1 kassa-esp     FAT32, ESP_MIB: systemd-boot (the removable-media path, no NVRAM entry
 *                   needed), one loader entry per slot with boot counting (kassa-primary-a+3,
 *                   kassa-other-b+3: see image/rootfs/usr/lib/kassa/rauc-bootloader), each slot's
 *                   kernel and initrd, RAUC's status directory
 *   2 kassa-root-a  squashfs root, slotMiB
 *   3 kassa-root-b  squashfs root, slotMiB (a copy of A in a new image)
 *   4 kassa-data    blank (DATA_MIB): the first boot formats it ext4 and grows it to the disk's end
 */
import { createHash } from 'node:crypto';
import { closeSync, cpSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './tools';

export type Slot = 'a' | 'b';

/** The read-only root slot image: squashfs, zstd (`level`: 15 for a release; lower is faster). */
export function rootSquashfs(rootfs: string, out: string, epoch: string, level = 15): void {
  rmSync(out, { force: true });
  // SOURCE_DATE_EPOCH sets the file system's time and every file's (mksquashfs refuses both it and -all-time).
  run('mksquashfs', [rootfs, out, '-comp', 'zstd', '-Xcompression-level', String(level), '-b', '1M', '-noappend', '-no-progress', '-quiet', '-wildcards', '-e', 'boot/System.map-*', 'boot/config-*'], { env: { ...process.env, SOURCE_DATE_EPOCH: epoch } });
}

export const ESP_MIB = 160;
export const DATA_MIB = 64;

/** The kernel command line of a slot. */
export function kernelCmdline(slot: Slot): string {
  return [
    `root=/dev/disk/by-partlabel/kassa-root-${slot}`,
    'rootfstype=squashfs',
    'ro',
    'kassa.overlay',
    `kassa.slot=${slot}`,
    // RAUC's name for the booted slot (bootname in /etc/rauc/system.conf).
    `rauc.slot=${slot}`,
    // The ESP and data partitions are mounted as the image says, never guessed from GPT types.
    'systemd.gpt_auto=0',
    // The serial console (output only: no getty) is the last console=, so systemd's status goes there.
    'console=tty1',
    'console=ttyS0,115200',
    'systemd.show_status=1',
    // A root that cannot be mounted (a corrupt slot) reboots after 10 s instead of waiting in the
    // initramfs shell (initramfs-tools' panic() honours panic=), so boot counting goes on.
    'panic=10',
  ].join(' ');
}

/** A new disk's loader entry for a slot: the first slot primary, every slot armed with 3 tries. */
export function entryName(slot: Slot, primary: Slot): string {
  return `kassa-${slot === primary ? 'primary' : 'other'}-${slot}+3.conf`;
}

/** The newest kernel version in the root's /boot. */
function kernelVersion(rootfs: string): string {
  const versions = readdirSync(join(rootfs, 'boot')).filter((f) => f.startsWith('vmlinuz-')).map((f) => f.slice('vmlinuz-'.length)).sort();
  if (versions.length === 0) throw new Error('no kernel in the root (linux-image-amd64 not installed?)');
  return versions[versions.length - 1]!;
}

/** A FAT32 ESP image with systemd-boot and one kernel+initrd per slot. */
export function buildEsp(rootfs: string, out: string, slots: Slot[], epoch: string): void {
  const kver = kernelVersion(rootfs);
  const tree = `${out}.d`;
  rmSync(tree, { recursive: true, force: true });
  const put = (path: string, from: string | { text: string }) => {
    mkdirSync(dirname(join(tree, path)), { recursive: true });
    if (typeof from === 'string') cpSync(from, join(tree, path));
    else writeFileSync(join(tree, path), from.text);
  };
  const sdboot = join(rootfs, 'usr/lib/systemd/boot/efi/systemd-bootx64.efi');
  put('EFI/BOOT/BOOTX64.EFI', sdboot);
  put('EFI/systemd/systemd-bootx64.efi', sdboot);
  // No menu, no editing the kernel command line at the terminal. No default: the first entry in
  // systemd-boot's order boots, which is how a slot with no tries left falls back to the other.
  put('loader/loader.conf', { text: 'timeout 0\neditor no\nauto-entries no\nauto-firmware no\nconsole-mode keep\n' });
  put('rauc/README', { text: 'RAUC slot status (data-directory in /etc/rauc/system.conf).\n' });
  for (const slot of slots) {
    put(`kassa/${slot}/vmlinuz`, join(rootfs, `boot/vmlinuz-${kver}`));
    put(`kassa/${slot}/initrd.img`, join(rootfs, `boot/initrd.img-${kver}`));
    put(`loader/entries/${entryName(slot, slots[0]!)}`, { text: `title Kassa (slot ${slot.toUpperCase()})\nversion ${kver}\nlinux /kassa/${slot}/vmlinuz\ninitrd /kassa/${slot}/initrd.img\noptions ${kernelCmdline(slot)}\n` });
  }
  run('find', [tree, '-exec', 'touch', '-h', '-d', `@${epoch}`, '{}', '+']);
  rmSync(out, { force: true });
  const volid = createHash('sha256').update(`esp:${epoch}`).digest('hex').slice(0, 8);
  run('mkfs.vfat', ['-C', '-F', '32', '-n', 'KASSA-ESP', '-i', volid, '--invariant', out, String(ESP_MIB * 1024)], { stdio: ['ignore', 'ignore', 'inherit'] });
  run('mcopy', ['-s', '-m', '-i', out, ...readdirSync(tree).map((f) => join(tree, f)), '::'], { env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
}

/** A stable GUID from a seed (the commit and the partition's name): the same commit, the same disk. */
function guid(seed: string): string {
  const h = createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
}

export interface DiskParts {
  esp: string;
  root: string;
  slotMiB: number;
  commit: string;
}

/** The raw GPT disk: partitions by label, the ESP and both root slots written in, data left blank. */
export function assembleDisk(img: string, p: DiskParts): void {
  const rootBytes = statSync(p.root).size;
  if (rootBytes > p.slotMiB * 1024 * 1024) throw new Error(`the root (${(rootBytes / 1048576).toFixed(0)} MiB) does not fit a ${p.slotMiB} MiB slot: raise --slot-mib`);
  const totalMiB = 1 + ESP_MIB + 2 * p.slotMiB + DATA_MIB + 1;
  rmSync(img, { force: true });
  run('truncate', ['-s', `${totalMiB}M`, img]);
  const s = 2048; // sectors per MiB
  const espStart = s;
  const aStart = espStart + ESP_MIB * s;
  const bStart = aStart + p.slotMiB * s;
  const dataStart = bStart + p.slotMiB * s;
  run('sgdisk', [
    '--zap-all', '--clear', `--disk-guid=${guid(`${p.commit}:disk`)}`,
    `--new=1:${espStart}:+${ESP_MIB}M`, '--typecode=1:ef00', '--change-name=1:kassa-esp', `--partition-guid=1:${guid(`${p.commit}:esp`)}`,
    `--new=2:${aStart}:+${p.slotMiB}M`, '--typecode=2:8300', '--change-name=2:kassa-root-a', `--partition-guid=2:${guid(`${p.commit}:root-a`)}`,
    `--new=3:${bStart}:+${p.slotMiB}M`, '--typecode=3:8300', '--change-name=3:kassa-root-b', `--partition-guid=3:${guid(`${p.commit}:root-b`)}`,
    `--new=4:${dataStart}:+${DATA_MIB}M`, '--typecode=4:8300', '--change-name=4:kassa-data', `--partition-guid=4:${guid(`${p.commit}:data`)}`,
    img,
  ], { stdio: ['ignore', 'ignore', 'inherit'] });
  const write = (file: string, startSector: number) => run('dd', [`if=${file}`, `of=${img}`, 'bs=1M', `seek=${startSector / s}`, 'conv=notrunc,sparse', 'status=none']);
  write(p.esp, espStart);
  write(p.root, aStart);
  write(p.root, bStart);
}

export interface Partition {
  name: string;
  startBytes: number;
  sizeBytes: number;
}

/** The image's GPT partitions by name, read from its primary GPT (512-byte sectors, as built). */
export function partitions(image: string): Map<string, Partition> {
  const fd = openSync(image, 'r');
  try {
    const header = Buffer.alloc(92);
    readSync(fd, header, 0, 92, 512);
    if (header.toString('latin1', 0, 8) !== 'EFI PART') throw new Error(`${image} has no GPT`);
    const entriesLba = Number(header.readBigUInt64LE(72));
    const count = header.readUInt32LE(80);
    const size = header.readUInt32LE(84);
    const table = Buffer.alloc(count * size);
    readSync(fd, table, 0, table.length, entriesLba * 512);
    const out = new Map<string, Partition>();
    for (let i = 0; i < count; i++) {
      const e = table.subarray(i * size, (i + 1) * size);
      if (e.subarray(0, 16).every((b) => b === 0)) continue;
      const first = Number(e.readBigUInt64LE(32));
      const last = Number(e.readBigUInt64LE(40));
      const name = e.toString('utf16le', 56, 128).replace(/\0.*$/s, '');
      out.set(name, { name, startBytes: first * 512, sizeBytes: (last - first + 1) * 512 });
    }
    return out;
  } finally {
    closeSync(fd);
  }
}
