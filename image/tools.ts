/** The host tools the image build and its QEMU test use, each with the Debian package it comes in. */
import { execFileSync, type ExecFileSyncOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export const BUILD_TOOLS: Record<string, string> = {
  mmdebstrap: 'mmdebstrap',
  mksquashfs: 'squashfs-tools',
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  mmd: 'mtools',
  sgdisk: 'gdisk',
  zstd: 'zstd',
  chroot: 'coreutils',
  rauc: 'rauc',
  openssl: 'openssl',
};

export const TEST_TOOLS: Record<string, string> = {
  'qemu-system-x86_64': 'qemu-system-x86',
  'qemu-img': 'qemu-utils',
  'qemu-io': 'qemu-utils',
  'mkfs.vfat': 'dosfstools',
  mcopy: 'mtools',
  rauc: 'rauc',
};

function has(tool: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Throws one message naming every missing tool and the apt package that brings it. */
export function requireTools(tools: Record<string, string> = BUILD_TOOLS): void {
  const missing = Object.entries(tools).filter(([tool]) => !has(tool));
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map(([, pkg]) => pkg))];
  throw new Error(`missing ${missing.map(([t, p]) => `${t} (Debian package ${p})`).join(', ')}: apt-get install ${pkgs.join(' ')}`);
}

export function run(cmd: string, args: string[], opts: ExecFileSyncOptions = {}): void {
  execFileSync(cmd, args, { stdio: 'inherit', ...opts });
}

export function step(what: string): void {
  console.log(`==> ${what}`);
}

/** The SHA-256 of a file, or of `length` bytes of it from `start` (a partition inside a disk image). */
export function sha256File(path: string, start = 0, length = statSync(path).size - start): string {
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8 * 1024 * 1024);
    let pos = start;
    const end = start + length;
    while (pos < end) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}
