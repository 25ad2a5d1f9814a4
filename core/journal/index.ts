/**
 * The journal: append-only (enforced by triggers), gap-free sequence, SHA-256 chain over the
 * previous hash and the canonical form of each entry.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db';

export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** Canonical JSON: object keys sorted, no whitespace, integers only as numbers; undefined dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('non-finite number in journal entry');
      return JSON.stringify(value);
    case 'string':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new TypeError(`cannot put a ${typeof value} into a journal entry`);
  }
}

export interface JournalEntry {
  seq: number;
  at: string;
  kind: string;
  ref: string | null;
  body: string;
  prevHash: string;
  hash: string;
}

/**
 * Hash of one entry: SHA-256 over the previous hash, a newline and the canonical JSON of
 * {at, body, kind, ref, seq} (keys sorted; `body` is already canonical JSON text).
 */
export function entryHash(prevHash: string, e: { seq: number; at: string; kind: string; ref: string | null; body: string }): string {
  const canonical = `{"at":${JSON.stringify(e.at)},"body":${e.body},"kind":${JSON.stringify(e.kind)},"ref":${e.ref === null ? 'null' : JSON.stringify(e.ref)},"seq":${e.seq}}`;
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

export class Journal {
  private readonly lastStmt;
  private readonly insertStmt;

  constructor(private readonly db: Db) {
    this.lastStmt = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1');
    this.insertStmt = db.prepare(
      'INSERT INTO journal (seq, at, kind, ref, body, prev_hash, hash) VALUES (@seq, @at, @kind, @ref, @body, @prevHash, @hash)',
    );
  }

  /** Appends one entry. Call inside the transaction that makes the change it records. */
  append(kind: string, ref: string | null, body: unknown, at: string): JournalEntry {
    if (!this.db.inTransaction) throw new Error('journal entries must be written inside a transaction');
    const last = this.lastStmt.get();
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const bodyText = canonicalJson(body);
    const entry = { seq, at, kind, ref, body: bodyText, prevHash, hash: '' };
    entry.hash = entryHash(prevHash, entry);
    this.insertStmt.run(entry);
    return entry;
  }

  /** Walks the whole chain; reports the first entry that does not verify. */
  verify(): { ok: true; entries: number; head: string } | { ok: false; seq: number; reason: string } {
    let prev = GENESIS_HASH;
    let expected = 1;
    const rows = this.db
      .prepare<[], { seq: number; at: string; kind: string; ref: string | null; body: string; prev_hash: string; hash: string }>(
        'SELECT seq, at, kind, ref, body, prev_hash, hash FROM journal ORDER BY seq',
      )
      .iterate();
    for (const r of rows) {
      if (r.seq !== expected) return { ok: false, seq: r.seq, reason: `gap: expected sequence ${expected}` };
      if (r.prev_hash !== prev) return { ok: false, seq: r.seq, reason: 'previous hash does not match the chain' };
      let canonicalBody: string;
      try {
        canonicalBody = canonicalJson(JSON.parse(r.body));
      } catch {
        return { ok: false, seq: r.seq, reason: 'entry body is not valid JSON' };
      }
      if (canonicalBody !== r.body) return { ok: false, seq: r.seq, reason: 'entry body is not in canonical form' };
      const h = entryHash(prev, r);
      if (h !== r.hash) return { ok: false, seq: r.seq, reason: 'hash does not match the entry' };
      prev = r.hash;
      expected++;
    }
    return { ok: true, entries: expected - 1, head: prev };
  }
}
