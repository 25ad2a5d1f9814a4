/**
 * core/journal/kinds.ts names every kind of journal entry the code writes. This reads the writers
 * in core/ (calls of `append(`, `record(`, `journal(`, `journalStep(lane, …` and the journal's own `write(` whose first
 * argument holds kind literals, ternaries and `cash.${…}` templates included) and fails when one
 * writes a kind the union does not know, or when the union keeps a kind nothing writes.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { bodyOf, isJournalKind, JOURNAL_KINDS, knownEntry, parseBody, readEntry } from '../../../core/journal/kinds';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const SELF = 'core/journal/kinds.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

/** The first argument of a call starting at `open` (the index after its '('), up to its first top-level comma. */
function firstArgument(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) return text.slice(open, i);
      depth--;
    } else if (c === ',' && depth === 0) return text.slice(open, i);
  }
  return '';
}

/** `journalStep(lane, kind, …)` (core/lane/guards.ts) takes the kind second. */
const CALL = /\b(append|record|journal|write|journalStep)\(\s*(?:lane,\s*)?/g;
/** The journal writes its own outage entries with `write(`; elsewhere `write(` is a stream's. */
const WRITES_OWN = 'core/journal/index.ts';
const KIND_LITERAL = /'([a-z][A-Za-z]*(?:\.[A-Za-z]+)*)'/g;
const KIND_TEMPLATE = /`([a-z][A-Za-z]*(?:\.[A-Za-z]+)*\.)\$\{/g;

/** Kinds written as literals, and prefixes of kinds written from templates, with where. */
function writtenKinds(): { literals: Map<string, string>; prefixes: Map<string, string> } {
  const literals = new Map<string, string>();
  const prefixes = new Map<string, string>();
  for (const file of sources(join(ROOT, 'core'))) {
    const rel = relative(ROOT, file).split('\\').join('/');
    if (rel === SELF) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(CALL)) {
      if (m[1] === 'write' && rel !== WRITES_OWN) continue;
      const arg = firstArgument(text, m.index + m[0].length);
      // A call whose first argument is a plain identifier or expression without literals writes no kind of its own.
      const where = `${rel}:${text.slice(0, m.index).split('\n').length}`;
      for (const k of arg.matchAll(KIND_LITERAL)) if (!literals.has(k[1]!)) literals.set(k[1]!, where);
      for (const t of arg.matchAll(KIND_TEMPLATE)) if (!prefixes.has(t[1]!)) prefixes.set(t[1]!, where);
    }
  }
  return { literals, prefixes };
}

describe('journal entry kinds', () => {
  const { literals, prefixes } = writtenKinds();

  it('finds the writers (the scan works)', () => {
    expect(literals.get('sale.completed')).toMatch(/^core\//);
    expect(literals.get('voucher.issued')).toMatch(/^core\/giftcards\//);
    expect(literals.get('signer.outage.start')).toMatch(/^core\/journal\/index.ts:/);
    expect([...prefixes.keys()]).toContain('cash.');
    expect(literals.size).toBeGreaterThan(50);
  });

  it('has every kind the code writes', () => {
    const missing = [...literals].filter(([k]) => !isJournalKind(k)).map(([k, where]) => `${k} (${where})`);
    expect(missing).toEqual([]);
    for (const [prefix, where] of prefixes) expect(JOURNAL_KINDS.some((k) => k.startsWith(prefix)), `${prefix}… (${where})`).toBe(true);
  });

  it('has no kind nothing writes', () => {
    const unwritten = JOURNAL_KINDS.filter((k) => !literals.has(k) && ![...prefixes.keys()].some((p) => k.startsWith(p)));
    expect(unwritten).toEqual([]);
  });

  it('lists each kind once', () => {
    expect(new Set(JOURNAL_KINDS).size).toBe(JOURNAL_KINDS.length);
  });
});

describe('reading entries', () => {
  it('reads a known kind with its body typed, and an unknown kind as null', () => {
    const e = readEntry({ seq: 3, kind: 'cash.pickup', body: '{"amount":500,"approvedBy":"7","operator":"1","reason":"bank","sessionId":"s"}' });
    expect(e).toEqual({ seq: 3, kind: 'cash.pickup', body: { amount: 500, approvedBy: '7', operator: '1', reason: 'bank', sessionId: 's' } });
    if (e?.kind === 'cash.pickup') expect(e.body.amount + 1).toBe(501);
    expect(readEntry({ kind: 'someone.else', body: '{}' })).toBeNull();
    expect(knownEntry({ kind: 'someone.else', body: {} })).toBeNull();
    expect(knownEntry({ kind: 'lane.opened', body: { lane: '1' } })?.kind).toBe('lane.opened');
  });

  it('reads any body as JSON, and refuses text that is not', () => {
    expect(parseBody('payment.step', '{"attemptId":"a","step":"sent"}').step).toBe('sent');
    expect(bodyOf({ kind: 'someone.else', body: '[1,2]' })).toEqual([1, 2]);
    expect(() => bodyOf({ kind: 'lane.opened', body: '{not json' })).toThrow();
  });

  it('reads rows straight from SQLite', () => {
    const db = new Database(':memory:');
    db.exec("CREATE TABLE journal (seq INTEGER, kind TEXT, body TEXT); INSERT INTO journal VALUES (1, 'voucher.redeemed', '{\"amount\":100,\"balanceAfter\":0,\"code\":\"97520000000\",\"saleId\":\"s1\"}')");
    const row = db.prepare<[], { seq: number; kind: string; body: string }>('SELECT seq, kind, body FROM journal').get()!;
    const e = readEntry(row);
    expect(e?.kind === 'voucher.redeemed' && e.body.balanceAfter).toBe(0);
    db.close();
  });
});
