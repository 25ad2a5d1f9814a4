/**
 * The one clock (core/clock.ts): no module in core/, drivers/, hq/ or common/ reads the wall clock
 * itself (`Date.now()`, `Date.now` handed on as a function, `new Date()` without an argument); it takes
 * a Clock where it is composed. Elapsed time is performance.now(). (The one check of this: it was
 * test/core/clock.test.ts's first test, folded in here.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = ['core', 'drivers', 'hq', 'common', 'electron', 'renderer/src', 'kiosk'];
const ALLOWED = new Set(['core/clock.ts']);
const WALL_CLOCK = /\bDate\s*\.\s*now\b|\bnew\s+Date\s*\(\s*\)|\bnew\s+Date\b(?!\s*\()/;

function sources(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return []; // a directory this checkout does not have
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return /\.(ts|tsx|mts|cts|js|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** Comments blanked out (line numbers kept), so a comment naming Date.now() is no offence. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
}

/** Every read of the wall clock outside core/clock.ts, as "path:line: text". */
function wallClockReads(root: string): string[] {
  const out: string[] = [];
  for (const file of DIRS.flatMap((d) => sources(join(root, d)))) {
    const rel = relative(root, file).split('\\').join('/');
    if (ALLOWED.has(rel)) continue;
    const lines = withoutComments(readFileSync(file, 'utf8')).split('\n');
    lines.forEach((line, i) => {
      if (WALL_CLOCK.test(line)) out.push(`${rel}:${i + 1}: ${line.trim()}`);
    });
  }
  return out;
}

describe('the one clock', () => {
  it('nothing in core/, drivers/, hq/ or common/ reads the wall clock except core/clock.ts', () => {
    expect(sources(join(ROOT, 'core')).map((f) => relative(ROOT, f).split('\\').join('/'))).toContain('core/lane/host.ts');
    expect(wallClockReads(ROOT), 'read the time from the Clock handed in (core/clock.ts), never Date.now() or new Date()').toEqual([]);
  });
  it('finds Date.now() and new Date() but not new Date(x) or a comment', () => {
    const hits = (src: string) => src.split('\n').filter((l) => WALL_CLOCK.test(withoutComments(l)));
    expect(hits('const t = Date.now();')).toHaveLength(1);
    expect(hits('const now = opts.now ?? Date.now;')).toHaveLength(1);
    expect(hits('const d = new Date();')).toHaveLength(1);
    expect(hits('const d = new Date ( );')).toHaveLength(1);
    expect(hits('const d = new Date;')).toHaveLength(1);
    expect(hits('const d = new Date(iso);')).toHaveLength(0);
    expect(hits('const d = new Date(clock().getTime() + 5);')).toHaveLength(0);
    expect(hits('// never Date.now() here')).toHaveLength(0);
    expect(hits('/* new Date() */ const x = 1;')).toHaveLength(0);
    expect(hits("const u = 'http://example.org'; const t = Date.now();")).toHaveLength(1);
  });
});
