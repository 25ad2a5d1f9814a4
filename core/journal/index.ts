/**
 * The journal: append-only (enforced by triggers), gap-free sequence, SHA-256 chain over the
 * previous hash and the canonical form of each entry.
 */
import { canonicalJson, entryHash, GENESIS_HASH } from '../../protocol/journal-chain';
import type { Db } from '../db';
import { verifySignature, type FiscalSigner } from './signer';
import { bodyOf, type JournalBody, type JournalKind } from './kinds';
import { JournalRepo } from './repo';

export { canonicalJson, GENESIS_HASH };

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

export interface JournalEntry {
  seq: number;
  at: string;
  kind: string;
  ref: string | null;
  body: string;
  prevHash: string;
  hash: string;
  /** Base64 Ed25519 signature over the 32 hash bytes; null while the signer is out. */
  signature: string | null;
  keyId: string | null;
}

export interface JournalOptions {
  signer?: FiscalSigner;
}

export type VerifyResult =
  | { ok: true; entries: number; head: string; signed: number; unsigned: number; archivedThrough: number }
  | { ok: false; seq: number; reason: string };

/**
 * The last entry archived off the database (journal/archive.ts): the chain continues from its
 * sequence and hash. None when nothing was archived, or on a database from before archiving.
 */
export function archivedHead(db: Db): { seq: number; hash: string } | undefined {
  try {
    return db.prepare<[], { seq: number; hash: string }>('SELECT through_seq AS seq, through_hash AS hash FROM journal_archive ORDER BY through_seq DESC LIMIT 1').get();
  } catch {
    return undefined; // no journal_archive table yet
  }
}

export { entryHash } from '../../protocol/journal-chain';

export class Journal {
  private readonly lastStmt;
  private readonly insertStmt;
  private readonly keyStmt;
  private readonly signer: FiscalSigner | null;
  private outage: boolean;
  private readonly appended: Array<(entry: JournalEntry) => void> = [];

  constructor(
    private readonly db: Db,
    opts: JournalOptions = {},
  ) {
    this.signer = opts.signer ?? null;
    this.lastStmt = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM journal WHERE seq = (SELECT max(seq) FROM journal)');
    this.insertStmt = db.prepare(
      `INSERT INTO journal (seq, at, kind, ref, body, prev_hash, hash, signature, key_id)
       VALUES (@seq, @at, @kind, @ref, @body, @prevHash, @hash, @signature, @keyId)`,
    );
    this.keyStmt = db.prepare('INSERT OR IGNORE INTO journal_key (key_id, public_key_pem, first_seq) VALUES (?, ?, ?)');
    const lastOutage = db
      .prepare<[], { kind: string }>("SELECT kind FROM journal WHERE kind IN ('signer.outage.start', 'signer.outage.end') ORDER BY seq DESC LIMIT 1")
      .get();
    this.outage = lastOutage?.kind === 'signer.outage.start';
  }

  /** 'outage' while the signer cannot sign: receipts say so; the outage is journalled. */
  signerState(): 'ok' | 'outage' | 'none' {
    if (!this.signer) return 'none';
    return this.outage ? 'outage' : 'ok';
  }

  private trySign(hash: string): Buffer | null {
    if (!this.signer) return null;
    try {
      return this.signer.available() ? this.signer.sign(Buffer.from(hash, 'hex')) : null;
    } catch {
      return null;
    }
  }

  private write(kind: string, ref: string | null, bodyText: string, at: string, sign: boolean): JournalEntry {
    // A journal whose every entry was archived continues from the archive's head, never from genesis.
    const last = this.lastStmt.get() ?? archivedHead(this.db);
    const seq = (last?.seq ?? 0) + 1;
    const prevHash = last?.hash ?? GENESIS_HASH;
    const entry: JournalEntry = { seq, at, kind, ref, body: bodyText, prevHash, hash: '', signature: null, keyId: null };
    entry.hash = entryHash(prevHash, entry);
    const sig = sign ? this.trySign(entry.hash) : null;
    if (sig && this.signer) {
      entry.signature = sig.toString('base64');
      entry.keyId = this.signer.keyId;
      this.keyStmt.run(this.signer.keyId, this.signer.publicKeyPem, seq);
    }
    this.insertStmt.run(entry);
    for (const l of this.appended) l(entry);
    return entry;
  }

  /**
   * Appends entries written elsewhere, as they were (a reflashed till's journal back from its peers:
   * core/peers/recover-store.ts), and the keys that signed them, each from the first entry it signed;
   * `verify()` checks them. Inside a transaction; listeners are not told (nothing new happened here).
   */
  adopt(entries: readonly JournalEntry[], keys: ReadonlyArray<{ keyId: string; publicKeyPem: string; firstSeq: number }>): void {
    if (!this.db.inTransaction) throw new Error('journal entries must be written inside a transaction');
    for (const k of keys) this.keyStmt.run(k.keyId, k.publicKeyPem, k.firstSeq);
    for (const e of entries) this.insertStmt.run(e);
    const lastOutage = [...entries].reverse().find((e) => e.kind === 'signer.outage.start' || e.kind === 'signer.outage.end');
    if (lastOutage) this.outage = lastOutage.kind === 'signer.outage.start';
  }

  /** Tells `listener` of every entry written (inside its transaction: it may still roll back). */
  onAppend(listener: (entry: JournalEntry) => void): void {
    this.appended.push(listener);
  }

  /**
   * Appends one entry of a known kind, its body's type checked (core/journal/kinds.ts). Call inside
   * the transaction that makes the change it records.
   */
  append<K extends JournalKind>(kind: K, ref: string | null, body: JournalBody<K>, at: string): JournalEntry {
    if (!this.db.inTransaction) throw new Error('journal entries must be written inside a transaction');
    const bodyText = canonicalJson(body);
    if (!this.signer) return this.write(kind, ref, bodyText, at, false);
    // Probe the signer first so an outage is journalled before the entry it affects.
    const probe = this.trySign(GENESIS_HASH);
    const outage: JournalBody<'signer.outage.start' | 'signer.outage.end'> = { keyId: this.signer.keyId };
    if (!probe && !this.outage) {
      this.write('signer.outage.start', null, canonicalJson(outage), at, false);
      this.outage = true;
    } else if (probe && this.outage) {
      this.write('signer.outage.end', null, canonicalJson(outage), at, true);
      this.outage = false;
    }
    return this.write(kind, ref, bodyText, at, !this.outage);
  }

  /** Signs a digest with the terminal's journal key (an archive file's SHA-256); null without a signer or while it is out. */
  signDigest(digest: Buffer): { keyId: string; signature: string } | null {
    const sig = this.trySign(digest.toString('hex'));
    return sig && this.signer ? { keyId: this.signer.keyId, signature: sig.toString('base64') } : null;
  }

  /**
   * Walks the whole chain (from the archived head where older entries were archived): sequence without gaps, previous hashes, recomputed hashes, canonical
   * bodies, signatures against the recorded public keys, and unsigned entries only where allowed
   * (before the first signed entry, or inside a journalled signer outage). Reports the first bad
   * entry.
   */
  verify(opts: { trustedKeyIds?: ReadonlySet<string> } = {}): VerifyResult {
    const keys = new Map<string, { pem: string; firstSeq: number }>();
    let firstSigned = Number.POSITIVE_INFINITY;
    try {
      for (const k of new JournalRepo(this.db).keys()) {
        keys.set(k.keyId, { pem: k.publicKeyPem, firstSeq: k.firstSeq });
        firstSigned = Math.min(firstSigned, k.firstSeq);
      }
    } catch {
      // a journal from before signing: no keys
    }
    // Entries archived to signed files (archive.ts) start the chain at their last hash.
    const archived = archivedHead(this.db) ?? { seq: 0, hash: GENESIS_HASH };
    let prev = archived.hash;
    let expected = archived.seq + 1;
    let signed = 0;
    let unsigned = 0;
    let inOutage = false;
    const rows = this.db
      .prepare<[], { seq: number; at: string; kind: string; ref: string | null; body: string; prev_hash: string; hash: string; signature: string | null; key_id: string | null }>(
        'SELECT * FROM journal ORDER BY seq',
      )
      .iterate();
    for (const r of rows) {
      if (r.seq !== expected) return { ok: false, seq: r.seq, reason: `gap: expected sequence ${expected}` };
      if (r.prev_hash !== prev) return { ok: false, seq: r.seq, reason: 'previous hash does not match the chain (entry changed, removed or out of order)' };
      let canonicalBody: string;
      try {
        canonicalBody = canonicalJson(bodyOf(r));
      } catch {
        return { ok: false, seq: r.seq, reason: 'entry body is not valid JSON' };
      }
      if (canonicalBody !== r.body) return { ok: false, seq: r.seq, reason: 'entry body is not in canonical form' };
      if (entryHash(prev, r) !== r.hash) return { ok: false, seq: r.seq, reason: 'hash does not match the entry' };
      if (r.kind === ('signer.outage.start' satisfies JournalKind)) inOutage = true;
      if (r.signature !== null || r.key_id !== null) {
        const key = r.key_id ? keys.get(r.key_id) : undefined;
        if (!key || r.signature === null || !r.key_id) return { ok: false, seq: r.seq, reason: 'signed by an unknown key' };
        if (opts.trustedKeyIds && !opts.trustedKeyIds.has(r.key_id)) return { ok: false, seq: r.seq, reason: `signed by key ${r.key_id}, which is not trusted` };
        if (!/^[A-Za-z0-9+/]+=*$/.test(r.signature) || !verifySignature(key.pem, Buffer.from(r.hash, 'hex'), Buffer.from(r.signature, 'base64'))) {
          return { ok: false, seq: r.seq, reason: 'signature invalid' };
        }
        signed++;
      } else {
        if (r.seq >= firstSigned && !inOutage) return { ok: false, seq: r.seq, reason: 'unsigned entry outside a signer outage' };
        unsigned++;
      }
      if (r.kind === ('signer.outage.end' satisfies JournalKind)) inOutage = false;
      prev = r.hash;
      expected++;
    }
    return { ok: true, entries: expected - 1 - archived.seq, head: prev, signed, unsigned, archivedThrough: archived.seq };
  }
}
