/**
 * Where store IT may write a diagnostics bundle: only folders on removable drives, i.e. below the
 * configured removable-media roots (default /media and /run/media, where desktop Linux mounts
 * USB sticks as <root>/<user>/<label>). Anything else is refused: relative paths, `..`, and
 * symlinks that lead out of the roots.
 */
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, join, relative } from 'node:path';

export const DEFAULT_USB_ROOTS = ['/media', '/run/media'];

/**
 * Roots where a folder counts only when a drive is mounted there: a folder left behind under
 * /media after the stick was pulled lies on the terminal's own disk, and a bundle written there
 * would fill it and never reach store IT. Other roots configured by store IT are taken as given.
 * Both the list of drives and the check of a chosen folder hold a folder on a drive when it lies
 * on another filesystem than its root.
 */
export const MOUNTED_ONLY_ROOTS: readonly string[] = DEFAULT_USB_ROOTS;

const devOf = (p: string): number | null => {
  try {
    return statSync(p).dev;
  } catch {
    return null;
  }
};

/** Roots from a list of options/env values, each possibly a comma (or colon) separated list. */
export function parseUsbRoots(values: ReadonlyArray<string | undefined>): string[] {
  const roots = values
    .flatMap((v) => (v ?? '').split(/[,:]/))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
  for (const r of roots) if (!isAbsolute(r)) throw new Error(`a removable-media root must be an absolute path, got "${r}"`);
  return [...new Set(roots)];
}

const realDir = (p: string): string | null => {
  try {
    const real = realpathSync(p);
    return statSync(real).isDirectory() ? real : null;
  } catch {
    return null;
  }
};

const inside = (child: string, parent: string): boolean => {
  const rel = relative(parent, child);
  return rel.length > 0 && !rel.startsWith('..') && !isAbsolute(rel);
};

const subdirs = (dir: string): string[] => {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() || e.isSymbolicLink())
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
};

/**
 * Mounted drives a bundle can go to: the folders directly under each root's user folders
 * (<root>/<user>/<drive>), and folders directly under a root that are mount points themselves
 * (<root>/usb0). Only those that resolve inside their root.
 */
export function usbTargets(roots: readonly string[], mountedOnly: readonly string[] = MOUNTED_ONLY_ROOTS): Array<{ path: string; label: string }> {
  const found: Array<{ path: string; label: string }> = [];
  for (const root of roots) {
    const realRoot = realDir(root);
    if (!realRoot) continue;
    const rootDev = statSync(realRoot).dev;
    const mustMount = mountedOnly.includes(root);
    for (const first of subdirs(root)) {
      const realFirst = realDir(first);
      if (!realFirst || !inside(realFirst, realRoot)) continue;
      if (devOf(realFirst) !== rootDev) found.push({ path: first, label: basename(first) });
      for (const second of subdirs(first)) {
        const real = realDir(second);
        if (!real || !inside(real, realRoot)) continue;
        if (mustMount && devOf(real) === rootDev) continue; // on the root's own disk: no drive there (as checkUsbTarget)
        found.push({ path: second, label: basename(second) });
      }
    }
  }
  return found;
}

export type TargetCheck = { ok: true; dir: string } | { ok: false; why: string };

/**
 * Accepts an existing folder strictly below one of the roots, following symlinks only within them;
 * below a mounted-only root, the folder must be on another filesystem than the root (a drive).
 */
export function checkUsbTarget(target: string, roots: readonly string[], mountedOnly: readonly string[] = MOUNTED_ONLY_ROOTS): TargetCheck {
  if (!isAbsolute(target)) return { ok: false, why: 'the folder must be an absolute path' };
  if (target.split(/[\\/]/).includes('..')) return { ok: false, why: 'the folder must not contain ".."' };
  if (target.includes('\0')) return { ok: false, why: 'the folder name is invalid' };
  const real = realDir(target);
  if (!real) return { ok: false, why: 'the folder does not exist (is the USB drive plugged in?)' };
  for (const root of roots) {
    const realRoot = realDir(root);
    if (!realRoot || !inside(real, realRoot)) continue;
    if (mountedOnly.includes(root) && devOf(real) === devOf(realRoot)) {
      return { ok: false, why: 'no USB drive is mounted at that folder (plug the drive in and pick it from the list)' };
    }
    return { ok: true, dir: real };
  }
  return { ok: false, why: `the folder is not on a removable drive (allowed below ${roots.join(', ') || 'no configured folder'})` };
}

/** A file or folder name part made safe (store and lane ids go into the bundle's folder name). */
export function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'x';
}
