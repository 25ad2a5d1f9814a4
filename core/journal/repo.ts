/**
 * Reads of the journal for the features around it (store IT's overview and log, the cash device's
 * counters, digital receipt pages) and its signing keys (the verifier, exports, archives), typed, with bodies read through kinds.ts. Writing, verifying,
 * exporting and archiving stay with the journal itself (index.ts, export.ts, archive.ts). Each
 * statement is prepared the first time it is used, then kept.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from '../db';
import { parseBody, type JournalBody, type JournalKind } from './kinds';

export interface KindSummary {
  kind: string;
  count: number;
  first: string;
  last: string;
}

export interface JournalKey {
  keyId: string;
  publicKeyPem: string;
  firstSeq: number;
}

export class JournalRepo {
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly db: Db) {}

  private stmt<P extends unknown[], R>(sql: string): BetterSqlite3.Statement<P, R> {
    let s = this.cache.get(sql);
    if (!s) this.cache.set(sql, (s = this.db.prepare<P, R>(sql)));
    return s as BetterSqlite3.Statement<P, R>;
  }

  /** The keys the journal was ever signed with (public, PEM), each from the first entry it signed; oldest first. */
  keys(): JournalKey[] {
    return this.stmt<[], { key_id: string; public_key_pem: string; first_seq: number }>('SELECT key_id, public_key_pem, first_seq FROM journal_key ORDER BY first_seq')
      .all()
      .map((k) => ({ keyId: k.key_id, publicKeyPem: k.public_key_pem, firstSeq: k.first_seq }));
  }

  /** True once the entry with this sequence and hash is in the table (its transaction committed). */
  isCommitted(seq: number, hash: string): boolean {
    return this.stmt<[number, string], { one: number }>('SELECT 1 AS one FROM journal WHERE seq = ? AND hash = ?').get(seq, hash) !== undefined;
  }

  /** How many entries of each kind, and when the first and the last were written. */
  kindSummary(): KindSummary[] {
    return this.stmt<[], KindSummary>('SELECT kind, count(*) AS count, min(at) AS first, max(at) AS last FROM journal GROUP BY kind ORDER BY kind').all();
  }

  /** The newest entries, newest first (without bodies). */
  recent(limit: number): Array<{ seq: number; at: string; kind: string }> {
    return this.stmt<[number], { seq: number; at: string; kind: string }>('SELECT seq, at, kind FROM journal ORDER BY seq DESC LIMIT ?').all(limit);
  }

  /** The bodies of the newest entries of one kind, newest first. */
  latestBodies<K extends JournalKind>(kind: K, limit: number): Array<JournalBody<K>> {
    return this.stmt<[string, number], { body: string }>('SELECT body FROM journal WHERE kind = ? ORDER BY seq DESC LIMIT ?')
      .all(kind, limit)
      .map((r) => parseBody(kind, r.body));
  }

  /** The entries about one reference (a sale's id) whose kind starts with `prefix` (e.g. 'cash.'), oldest first, bodies read. */
  ofRef(ref: string, prefix: string): Array<{ kind: string; body: Record<string, unknown> }> {
    return this.stmt<[string, string], { kind: string; body: string }>("SELECT kind, body FROM journal WHERE ref = ? AND kind LIKE ? || '%' ORDER BY seq")
      .all(ref, prefix)
      .map((r) => ({ kind: r.kind, body: JSON.parse(r.body) as Record<string, unknown> }));
  }
}
