/**
 * `npm run image:repro`: is the image reproducible? Builds it twice from the same commit, each in
 * a work directory of its own (nothing carried over: mmdebstrap, the app's build, squashfs, ESP,
 * disk), and compares them bit for bit. Runs as root, as `npm run image`; takes two builds' time.
 *
 *   npm run image:repro -- [--keep] [any npm run image option, e.g. --test-port 8401]
 *   npm run image:repro -- --compare-only     compares the two builds a --keep run left in .cache/repro
 *
 * Both builds sign with the same release key (the first build's development pair is copied into
 * the second's work directory, or the --release-* files given), so the keyring in the root is the
 * same. Prints a table — the raw disk, each partition, the root's squashfs, the ESP, the update
 * bundle's contents (a RAUC bundle's CMS signature carries its signing time and its verity tree a
 * random salt, so what it carries is compared) — and where two parts differ, which files do (unsquashfs / mtools listings and
 * contents), so a new source of difference can be found and fixed. Exit 1 when the disks differ.
 *
 * What it proves and what it cannot: two builds of one commit made from the same Debian mirror
 * state give the same bytes (the manifest lists every package version; a package updated between
 * the builds is named as such). A build years later needs those same package versions: a pinned
 * mirror (`npm run image -- --snapshot <time>`: snapshot.debian.org, which these build machines cannot reach).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './bundle';
import { ESP_MIB, partitions } from './disk';
import { sha256File } from './tools';

const MiB = 1024 * 1024;

/** One SHA-256 over the files a RAUC bundle carries (its squashfs: each file's name and contents). */
function bundleContents(path: string): string {
  const names = execFileSync('unsquashfs', ['-lc', path], { encoding: 'utf8' }).split('\n').map((l) => l.replace(/^squashfs-root\/?/, '')).filter((l) => l).sort();
  const h = createHash('sha256');
  for (const n of names) h.update(`${n}\0`).update(execFileSync('unsquashfs', ['-cat', path, n], { maxBuffer: 1024 * MiB }));
  return h.digest('hex');
}

interface Part {
  name: string;
  a: string;
  b: string;
}

/** Up to `max` lines that differ between two texts (a listing each), as - / + lines. */
function listingDiff(a: string, b: string, max = 40): string[] {
  const la = new Set(a.split('\n'));
  const lb = new Set(b.split('\n'));
  const out = [...[...la].filter((l) => !lb.has(l)).map((l) => `- ${l}`), ...[...lb].filter((l) => !la.has(l)).map((l) => `+ ${l}`)];
  return out.length > max ? [...out.slice(0, max), `… ${out.length - max} more`] : out;
}

/** Which files of two squashfs images differ: their listings (modes, owners, sizes, times), then their contents. */
function squashfsDiff(a: string, b: string, work: string): string[] {
  const list = (img: string) => execFileSync('unsquashfs', ['-lln', img], { encoding: 'utf8', maxBuffer: 256 * MiB }).replace(/^.*squashfs-root/gm, '');
  const lines = listingDiff(list(a), list(b));
  const da = join(work, 'sq-a');
  const db = join(work, 'sq-b');
  for (const [img, d] of [[a, da], [b, db]] as const) {
    rmSync(d, { recursive: true, force: true });
    execFileSync('unsquashfs', ['-q', '-n', '-d', d, img], { stdio: 'ignore' });
  }
  const diff = spawnSync('diff', ['-rq', '--no-dereference', da, db], { encoding: 'utf8', maxBuffer: 64 * MiB });
  const contents = diff.stdout.split('\n').filter((l) => l).map((l) => l.replaceAll(da, 'A').replaceAll(db, 'B'));
  rmSync(da, { recursive: true, force: true });
  rmSync(db, { recursive: true, force: true });
  return [...lines, ...contents.slice(0, 40), ...(contents.length > 40 ? [`… ${contents.length - 40} more files`] : [])];
}

/** Which files of two FAT images differ (mtools: a listing with times, then each file's SHA-256). */
function fatDiff(a: string, b: string): string[] {
  const list = (img: string) => {
    const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
    const files = execFileSync('mdir', ['-/', '-b', '-i', img, '::'], { encoding: 'utf8', env }).split('\n').filter((l) => l && !l.endsWith('/'));
    const long = execFileSync('mdir', ['-/', '-i', img, '::'], { encoding: 'utf8', env });
    const sums = files.map((f) => `${f} ${createHash('sha256').update(execFileSync('mtype', ['-i', img, f], { env, maxBuffer: 256 * MiB })).digest('hex')}`);
    return `${long}\n${sums.join('\n')}`;
  };
  return listingDiff(list(a), list(b));
}

function build(n: number, args: string[], cache: string, out: string): number {
  console.log(`\n==> build ${n} of 2 (work directory ${cache})`);
  const started = Date.now();
  const r = spawnSync('npx', ['tsx', join(repoRoot, 'image/build.ts'), ...args, '--cache', cache, '--out', out], { cwd: repoRoot, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`build ${n} failed (exit ${r.status ?? r.signal})`);
  return (Date.now() - started) / 1000;
}

function main(): void {
  if (process.getuid?.() !== 0) throw new Error('npm run image:repro must run as root (as npm run image)');
  const argv = process.argv.slice(2);
  const keep = argv.includes('--keep');
  const compareOnly = argv.includes('--compare-only');
  const args = argv.filter((a) => a !== '--keep' && a !== '--compare-only');
  for (const own of ['--cache', '--out', '--reuse-rootfs']) if (args.includes(own)) throw new Error(`image:repro sets ${own} itself`);
  const root = join(repoRoot, '.cache/repro');
  const c: [string, string] = [join(root, 'work-1'), join(root, 'work-2')];
  const o: [string, string] = [join(root, 'out-1'), join(root, 'out-2')];
  const times: [number, number] = compareOnly ? [0, 0] : buildTwice(args, c, o);
  const same = compareBuilds(c, o, root, times);
  if (!keep && !compareOnly) for (const d of c) rmSync(d, { recursive: true, force: true });
  if (!same) process.exit(1);
}

function buildTwice(args: string[], [c1, c2]: [string, string], [o1, o2]: [string, string]): [number, number] {
  for (const d of [c1, c2, o1, o2]) rmSync(d, { recursive: true, force: true });
  const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  if (status) console.log(`note: the work tree has uncommitted changes (both builds take them, but the manifest names the commit only):\n${status}`);
  const t1 = build(1, args, c1, o1);
  const dev = join(c1, 'dev-release-key');
  if (existsSync(dev)) {
    mkdirSync(c2, { recursive: true });
    cpSync(dev, join(c2, 'dev-release-key'), { recursive: true });
  }
  const t2 = build(2, args, c2, o2);
  return [t1, t2];
}

/** Prints the table of parts (and where they differ); whether the two disks are the same. */
function compareBuilds([c1, c2]: [string, string], [o1, o2]: [string, string], root: string, [t1, t2]: [number, number]): boolean {
  const rows: Array<[string, string, string]> = [];
  const details: string[] = [];
  const compare = (p: Part, detail?: () => string[]) => {
    const same = p.a === p.b;
    rows.push([p.name, same ? 'same' : 'DIFFERENT', same ? p.a.slice(0, 16) : `${p.a.slice(0, 16)} / ${p.b.slice(0, 16)}`]);
    if (!same && detail) details.push(`### ${p.name}`, ...detail(), '');
    return same;
  };
  const img1 = join(o1, 'kassa.img');
  const img2 = join(o2, 'kassa.img');
  const sameDisk = compare({ name: 'kassa.img (raw disk)', a: sha256File(img1), b: sha256File(img2) });
  const man = (o: string) => readFileSync(join(o, 'kassa.manifest'), 'utf8');
  compare({ name: 'kassa.manifest (commit, options, package versions)', a: createHash('sha256').update(man(o1)).digest('hex'), b: createHash('sha256').update(man(o2)).digest('hex') }, () => ['packages or options that differ (a Debian update between the builds is not the recipe\'s fault):', ...listingDiff(man(o1), man(o2))]);
  const p1 = partitions(img1);
  const p2 = partitions(img2);
  const gpt = (img: string) => sha256File(img, 0, MiB);
  compare({ name: 'GPT and protective MBR (first MiB)', a: gpt(img1), b: gpt(img2) });
  for (const [name, part] of p1) {
    const other = p2.get(name);
    if (!other) {
      rows.push([name, 'DIFFERENT', 'missing from build 2']);
      continue;
    }
    compare({ name: `partition ${name} (${(part.sizeBytes / MiB).toFixed(0)} MiB)`, a: sha256File(img1, part.startBytes, part.sizeBytes), b: sha256File(img2, other.startBytes, other.sizeBytes) });
  }
  compare({ name: 'root.squashfs (a root slot)', a: sha256File(join(c1, 'root.squashfs')), b: sha256File(join(c2, 'root.squashfs')) }, () => squashfsDiff(join(c1, 'root.squashfs'), join(c2, 'root.squashfs'), root));
  compare({ name: `esp.img (${ESP_MIB} MiB FAT32)`, a: sha256File(join(c1, 'esp.img')), b: sha256File(join(c2, 'esp.img')) }, () => fatDiff(join(c1, 'esp.img'), join(c2, 'esp.img')));
  // A RAUC bundle cannot be the same twice: its CMS signature carries the signing time and its
  // verity hash tree a random salt (RAUC 1.8 has no option to fix it). What it carries can.
  const bundle = (o: string) => {
    const f = readdirSync(o).find((n) => n.endsWith('.raucb'));
    if (!f) throw new Error(`no .raucb in ${o}`);
    return bundleContents(join(o, f));
  };
  compare({ name: 'update bundle\'s contents (manifest.raucm, root.img)', a: bundle(o1), b: bundle(o2) });

  console.log(`\nTwo builds of ${execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim()}${t1 ? ` (${t1.toFixed(0)} s and ${t2.toFixed(0)} s)` : ''}`);
  console.log('| part | builds 1 and 2 | sha256 |\n|---|---|---|');
  for (const [name, same, sha] of rows) console.log(`| ${name} | ${same} | ${sha} |`);
  if (details.length) console.log(`\nWhere they differ:\n${details.join('\n')}`);
  console.log(sameDisk ? '\nREPRODUCIBLE: the two disks are the same bit for bit.' : '\nNOT REPRODUCIBLE: the two disks differ (above: where).');
  return sameDisk;
}

try {
  main();
} catch (err) {
  console.error(`npm run image:repro: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
