/**
 * image:test's media: the USB stick store IT brings (a FAT image holding provisioning.json, made
 * with dosfstools and mtools — no mounting) and the drills' damage to the terminal's disk, done
 * with the machine off through qemu-io on its copy-on-write overlay (the built image stays as it is).
 */
import { closeSync, openSync, readSync, rmSync } from 'node:fs';
import { run } from '../tools';

/** A 16 MiB FAT stick holding the given files at its root. */
export function makeStick(img: string, files: string[]): void {
  rmSync(img, { force: true });
  run('mkfs.vfat', ['-C', '-n', 'KASSA', img, String(16 * 1024)]);
  for (const f of files) run('mcopy', ['-i', img, f, '::/']);
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

/** Zeroes the first `mib` MiB of a partition in the overlay (the file system's superblock with it). */
export function zeroPartitionStart(overlay: string, part: Partition, mib: number): void {
  const len = Math.min(part.sizeBytes, mib * 1024 * 1024);
  run('qemu-io', ['-f', 'qcow2', '-c', `write -z ${part.startBytes} ${len}`, overlay]);
}
