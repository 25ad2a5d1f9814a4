/**
 * Shape (docs/architecture.md): no source file over 400 lines and no function over 80 lines of its
 * own (lines of functions nested in it count for those) — unless a `Size:` line in the file's
 * leading comment, or in the function's own leading comment, says why.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const DIRS = ['core', 'drivers', 'protocol', 'common', 'hq', 'electron', 'renderer/src', 'kiosk'];
const MAX_FILE = 400;
const MAX_FUNCTION = 80;
const REASON = /\bSize:\s*\S/;

function sources(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sources(p);
    return /\.(ts|tsx)$/.test(e.name) && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

type FunctionLike = ts.FunctionDeclaration | ts.MethodDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.ConstructorDeclaration | ts.AccessorDeclaration;
const isFunctionLike = (n: ts.Node): n is FunctionLike =>
  ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n) || ts.isConstructorDeclaration(n) || ts.isGetAccessor(n) || ts.isSetAccessor(n);

/** Whether the comments just before a node (or before the statement that holds it) give a reason. */
function hasReason(sf: ts.SourceFile, node: ts.Node): boolean {
  const text = sf.getFullText();
  for (let n: ts.Node | undefined = node; n && n !== sf; n = n.parent) {
    const ranges = ts.getLeadingCommentRanges(text, n.getFullStart()) ?? [];
    if (ranges.some((r) => REASON.test(text.slice(r.pos, r.end)))) return true;
    if (ts.isStatement(n) || ts.isClassElement(n) || ts.isPropertyAssignment(n)) break;
  }
  return false;
}

/** Files and functions over the limits without a reason, as "path[:line] (n lines)". */
export function oversized(root: string, dirs: readonly string[]): string[] {
  const out: string[] = [];
  for (const file of dirs.flatMap((d) => sources(join(root, d)))) {
    const rel = relative(root, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    const sf = ts.createSourceFile(rel, text, ts.ScriptTarget.Latest, true, rel.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
    const lineCount = text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
    const head = (ts.getLeadingCommentRanges(text, 0) ?? []).map((r) => text.slice(r.pos, r.end)).join('\n');
    if (lineCount > MAX_FILE && !REASON.test(head)) out.push(`${rel} (${lineCount} lines)`);
    const line = (pos: number) => sf.getLineAndCharacterOfPosition(pos).line;
    const span = (n: ts.Node) => line(n.getEnd()) - line(n.getStart(sf)) + 1;
    const own = (fn: ts.Node) => {
      let total = span(fn);
      const nested = (c: ts.Node): void => {
        if (isFunctionLike(c)) total -= span(c);
        else ts.forEachChild(c, nested);
      };
      ts.forEachChild(fn, nested);
      return total;
    };
    const visit = (n: ts.Node): void => {
      if (isFunctionLike(n)) {
        const size = own(n);
        if (size > MAX_FUNCTION && !hasReason(sf, n)) out.push(`${rel}:${line(n.getStart(sf)) + 1} (${size} lines)`);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

describe('the shape of the source', () => {
  it(`no file over ${MAX_FILE} lines and no function over ${MAX_FUNCTION} without a reason written at its top`, () => {
    expect(oversized(ROOT, DIRS), 'split it by concern, or write "Size: <why>" in its leading comment').toEqual([]);
  });

  it('counts a function without the functions nested in it, and takes a reason', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const a${i} = ${i};`).join('\n');
    const root = join(tmpdir(), `kassa-size-${process.pid}`);
    const dir = join(root, 'src');
    rmSync(root, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'long.ts'), `export function long() {\n${body(85)}\n}\n`);
    writeFileSync(join(dir, 'nested.ts'), `export function outer() {\n  return [\n${[1, 2].map(() => `    () => {\n${body(50)}\n    },`).join('\n')}\n  ];\n}\n`);
    writeFileSync(join(dir, 'reason.ts'), `/** Size: one table. */\nexport function long() {\n${body(85)}\n}\n`);
    writeFileSync(join(dir, 'big.ts'), `${body(401)}\n`);
    const found = oversized(root, ['src']).sort();
    rmSync(root, { recursive: true, force: true });
    expect(found).toEqual(['src/big.ts (401 lines)', 'src/long.ts:1 (87 lines)']);
  });
});
