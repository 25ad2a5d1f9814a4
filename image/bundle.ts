/**
 * The Kassa bundle inside the image (/opt/kassa): the built core and lane UI (dist/core,
 * dist/renderer), the migrations, package.json (ESM), this machine's Node 20 binary, and only the
 * node_modules the core's bundle loads at run time (its bare imports and their dependency
 * closure, resolved the way Node resolves them) — not the dev tools, not Electron's updater.
 * Native modules (better-sqlite3, serialport, node-hid) are copied as built here, for Node 20 on
 * glibc ≥ bookworm's.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const BARE = /(?:from\s*|import\(\s*|require\w*\(\s*)"((?:@[\w.-]+\/)?[\w.-]+)(?:\/[^"]*)?"/g;

/** The bare package names a built file imports or requires (node: builtins excluded). */
export function bareImports(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(BARE)) if (!m[1]!.startsWith('node:') && !m[1]!.startsWith('.')) names.add(m[1]!);
  return [...names].sort();
}

/** Node's lookup: node_modules/NAME in `fromDir` and each directory above it, up to `root`. */
function resolvePackage(name: string, fromDir: string, root: string): string | null {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === dirname(dir)) return null;
  }
}

/** Every package directory the given bare imports need at run time (dependencies, optional ones when installed). */
export function runtimeClosure(root: string, entries: string[]): string[] {
  const seen = new Set<string>();
  const queue: Array<{ name: string; from: string; optional: boolean }> = entries.map((name) => ({ name, from: root, optional: false }));
  while (queue.length) {
    const { name, from, optional } = queue.shift()!;
    if (builtin(name)) continue;
    const dir = resolvePackage(name, from, root);
    if (!dir) {
      if (optional) continue;
      throw new Error(`${name} (needed from ${relative(root, from) || '.'}) is not in node_modules: run npm ci`);
    }
    if (seen.has(dir)) continue;
    seen.add(dir);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    for (const dep of Object.keys(pkg.dependencies ?? {})) queue.push({ name: dep, from: dir, optional: false });
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) queue.push({ name: dep, from: dir, optional: true });
  }
  return [...seen].sort();
}

function builtin(name: string): boolean {
  return name === 'electron' || name.startsWith('node:');
}

export interface BundleResult {
  packages: number;
  nodeVersion: string;
}

/** Writes /opt/kassa's tree into `out` (a staging directory copied into the image). */
export function stageBundle(repo: string, out: string, nodeBinary: string, nodeVersion: string): BundleResult {
  const coreMain = join(repo, 'dist/core/main.js');
  if (!existsSync(coreMain) || !existsSync(join(repo, 'dist/renderer/index.html'))) throw new Error('dist/core/main.js or dist/renderer is missing: npm run build failed?');
  mkdirSync(out, { recursive: true });
  cpSync(join(repo, 'dist/core'), join(out, 'dist/core'), { recursive: true, filter: (p) => !p.endsWith('.map') });
  // The kiosk session inside sway (kiosk/session.ts): the lane UI and the customer display on their outputs.
  if (!existsSync(join(repo, 'dist/kiosk/session.js'))) throw new Error('dist/kiosk/session.js is missing: npm run build failed?');
  cpSync(join(repo, 'dist/kiosk'), join(out, 'dist/kiosk'), { recursive: true, filter: (p) => !p.endsWith('.map') });
  cpSync(join(repo, 'dist/renderer'), join(out, 'dist/renderer'), { recursive: true });
  cpSync(join(repo, 'migrations'), join(out, 'migrations'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { name: string; version: string };
  writeFileSync(join(out, 'package.json'), JSON.stringify({ name: pkg.name, version: pkg.version, private: true, type: 'module' }, null, 2) + '\n');
  const entries = new Set<string>();
  for (const file of ['core/main.js', 'core/provision.js', 'kiosk/session.js']) {
    const path = join(repo, 'dist', file);
    if (existsSync(path)) for (const name of bareImports(readFileSync(path, 'utf8'))) entries.add(name);
  }
  const dirs = runtimeClosure(repo, [...entries]);
  for (const dir of dirs) {
    cpSync(dir, join(out, relative(repo, dir)), {
      recursive: true,
      // Nested node_modules are copied as packages of their own (only the ones needed); native
      // modules' vendored sources and build intermediates are not needed at run time.
      filter: (p) => {
        const rel = relative(dir, p);
        return !/(^|\/)(node_modules|deps|obj\.target|\.deps)(\/|$)/.test(rel) && !rel.endsWith('.map');
      },
    });
  }
  mkdirSync(join(out, 'node/bin'), { recursive: true });
  cpSync(nodeBinary, join(out, 'node/bin/node'));
  writeFileSync(join(out, 'node/VERSION'), nodeVersion + '\n');
  return { packages: dirs.length, nodeVersion };
}

/** The repository root (image/ is one of its folders). */
export const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '..');
