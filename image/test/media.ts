/**
 * image:test's media: the USB stick store IT brings (a FAT image holding provisioning.json, made
 * with dosfstools and mtools — no mounting) and the drills' damage to the terminal's disk, done
 * with the machine off through qemu-io on its copy-on-write overlay (the built image stays as it is).
 */
import { rmSync } from 'node:fs';
import type { Partition } from '../disk';
import { run } from '../tools';

/** A 16 MiB FAT stick holding the given files at its root. */
export function makeStick(img: string, files: string[]): void {
  rmSync(img, { force: true });
  run('mkfs.vfat', ['-C', '-n', 'KASSA', img, String(16 * 1024)]);
  for (const f of files) run('mcopy', ['-i', img, f, '::/']);
}

/** Zeroes the first `mib` MiB of a partition in the overlay (the file system's superblock with it). */
export function zeroPartitionStart(overlay: string, part: Partition, mib: number): void {
  const len = Math.min(part.sizeBytes, mib * 1024 * 1024);
  run('qemu-io', ['-f', 'qcow2', '-c', `write -z ${part.startBytes} ${len}`, overlay]);
}
