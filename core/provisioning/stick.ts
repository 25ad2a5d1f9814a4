/**
 * Where first-boot provisioning finds `provisioning.json`: in each folder it was given (the USB
 * stick's mount point, e.g. /media/kassa-usb) or one level below it (an automounter's
 * /media/<label>/). Read as text only, at most 64 KiB; nothing in it is executed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const PROVISIONING_FILE = 'provisioning.json';
const MAX_BYTES = 64 * 1024;
const MAX_SUBDIRS = 32;

export type StickFile = { path: string; text: string } | { path: string; error: string };

function candidates(dir: string): string[] {
  const out = [join(dir, PROVISIONING_FILE)];
  try {
    for (const e of readdirSync(dir, { withFileTypes: true }).slice(0, MAX_SUBDIRS)) if (e.isDirectory()) out.push(join(dir, e.name, PROVISIONING_FILE));
  } catch {
    // no such folder (no stick mounted there yet)
  }
  return out;
}

/** The first provisioning.json found, its text or why it cannot be read; null when there is none. */
export function findStickFile(dirs: readonly string[]): StickFile | null {
  for (const dir of dirs) {
    for (const path of candidates(dir)) {
      let size: number;
      try {
        const st = statSync(path);
        if (!st.isFile()) continue;
        size = st.size;
      } catch {
        continue;
      }
      if (size > MAX_BYTES) return { path, error: `it is ${size} bytes, far more than a provisioning file has` };
      try {
        return { path, text: readFileSync(path, 'utf8') };
      } catch (err) {
        return { path, error: `it cannot be read (${err instanceof Error ? err.message : String(err)})` };
      }
    }
  }
  return null;
}
