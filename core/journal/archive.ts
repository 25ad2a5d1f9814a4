/**
 * Archiving the older part of the journal (docs/retention.md): entries older than the market's
 * keeping period on the terminal, that HQ already holds and that no open till, unsettled card
 * payment or signer outage still reads, are written to a signed export file (the day export's
 * format over a range of sequence numbers, EXPORT_FORMAT.md), read back and verified, recorded in
 * `journal_archive` (the chain's anchor), and only then deleted — in one transaction with writing
 * each archived sale's body back into `sale` (returns and receipt lookups keep working).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../db';
import type { Clock } from '../clock';
import { archivedHead, canonicalJson as canonical, entryHash, GENESIS_HASH, type Journal } from './index';
import { verifySignature } from './signer';
import { bodyOf } from './kinds';
import { JournalRepo } from './repo';

export const ARCHIVE_FORMAT = 'kassa-journal-archive';
/**
 * A `journal_archive` record whose file starts so is no file: the till was recovered from HQ
 * (core/peers/recover-hq.ts) and its entries through that record are HQ's record, not on this till.
 */
export const HQ_HELD_PREFIX = 'hq:';
/** At most this many entries per archive file (one archiving run writes files until done). */
export const ARCHIVE_CHUNK = 5_000;

export interface ArchiveEntry {
  seq: number;
  at: string;
  kind: string;
  ref: string | null;
  body: unknown;
  prevHash: string;
  hash: string;
  signature: string | null;
  keyId: string | null;
}

export interface JournalArchiveFile {
  format: typeof ARCHIVE_FORMAT;
  version: 1;
  firstSeq: number;
  throughSeq: number;
  archivedAt: string;
  hashAlgorithm: 'sha256(prev_hash + "\\n" + canonical_json({at, body, kind, ref, seq}))';
  signatureAlgorithm: 'ed25519 over the 32 hash bytes';
  keys: Array<{ keyId: string; publicKeyPem: string; firstSeq: number }>;
  /** Hash of the entry just before the first archived one. */
  anchor: { seq: number; hash: string };
  entries: ArchiveEntry[];
}

/** The detached signature beside each archive file (`<file>.sig`): the terminal's key over the file's SHA-256. */
export interface ArchiveSignature {
  sha256: string;
  throughSeq: number;
  throughHash: string;
  keyId: string;
  signature: string;
}

export interface ArchiveOptions {
  /** Where archive files are written (beside the database: `journal-archive/`). */
  dir: string;
  now: Clock;
  /** Days the market's law wants the journal on the terminal itself. */
  keepDays: number;
  /** Signs each file's SHA-256 (the terminal's journal signer); without one the file is not signed. */
  journal?: Journal;
}

export interface ArchiveRecord {
  firstSeq: number;
  throughSeq: number;
  throughHash: string;
  firstAt: string;
  lastAt: string;
  entries: number;
  file: string;
  sha256: string;
}

type Row = { seq: number; at: string; kind: string; ref: string | null; body: string; prev_hash: string; hash: string; signature: string | null; key_id: string | null };

const one = (db: Db, sql: string, ...params: unknown[]): number | null => (db.prepare(sql).pluck().get(...params) as number | null | undefined) ?? null;

/** False on a database from before migration 0017 (no archive table). */
export function hasArchiveTable(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'journal_archive'").get() !== undefined;
}

/**
 * The highest sequence that may be archived now (0: none). Everything after it stays because it is
 * recent, HQ does not hold it yet, or the lane still reads it: the open till's entries, the last Z,
 * the last card end of day and the card payments since, an open signer outage.
 */
export function archivableThrough(db: Db, o: { now: Clock; keepDays: number }): number {
  const cutoff = new Date(o.now().getTime() - o.keepDays * 86_400_000).toISOString();
  const limits: Array<number | null> = [
    // Nothing older than the keeping period: nothing may go.
    one(db, 'SELECT max(seq) FROM journal WHERE at < ?', cutoff) ?? 0,
    // HQ holds the sales up to its acknowledgement; the first sale after it keeps its entry and all after.
    minus1(
      one(
        db,
        `SELECT min(coalesce(s.journal_seq, (SELECT min(j.seq) FROM journal j WHERE j.ref = s.sale_id AND j.kind IN ('sale.completed', 'sale.return'))))
         FROM sale s WHERE s.sequence > (SELECT coalesce(max(acked_through), 0) FROM sync_state)`,
      ),
    ),
    minus1(one(db, 'SELECT min(open_seq) FROM till_session WHERE closed_at IS NULL')),
    minus1(one(db, "SELECT max(seq) FROM journal WHERE kind = 'report.z'")),
    minus1(one(db, "SELECT max(seq) FROM journal WHERE kind = 'payment.endOfDay'")),
    minus1(one(db, "SELECT min(seq) FROM journal WHERE kind LIKE 'payment.%' AND seq > (SELECT coalesce(max(seq), 0) FROM journal WHERE kind = 'payment.endOfDay')")),
  ];
  let through = Math.min(...limits.map((l) => (l === null ? Number.POSITIVE_INFINITY : l)));
  if (!Number.isFinite(through)) return 0;
  // Never cut inside a signer outage: its unsigned entries are only valid after its start.
  const outage = db
    .prepare<[number], { seq: number; kind: string }>("SELECT seq, kind FROM journal WHERE kind IN ('signer.outage.start', 'signer.outage.end') AND seq <= ? ORDER BY seq DESC LIMIT 1")
    .get(through);
  if (outage?.kind === 'signer.outage.start') through = outage.seq - 1;
  return Math.max(0, through);
}

function minus1(n: number | null): number | null {
  return n === null ? null : n - 1;
}

function writeDurably(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/**
 * Archives what may be archived, a file per `ARCHIVE_CHUNK` entries. Returns the archives written
 * (none when nothing is due). A file that does not read back verified is never followed by a delete.
 */
export function archiveJournal(db: Db, o: ArchiveOptions): ArchiveRecord[] {
  const done: ArchiveRecord[] = [];
  const through = archivableThrough(db, o);
  mkdirSync(o.dir, { recursive: true });
  for (;;) {
    const head = archivedHead(db) ?? { seq: 0, hash: GENESIS_HASH };
    if (head.seq >= through) return done;
    const rows = db.prepare<[number, number, number], Row>('SELECT * FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?').all(head.seq, through, ARCHIVE_CHUNK);
    if (rows.length === 0) return done;
    done.push(archiveRows(db, o, rows, head));
  }
}

function archiveRows(db: Db, o: ArchiveOptions, rows: Row[], head: { seq: number; hash: string }): ArchiveRecord {
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  if (first.seq !== head.seq + 1 || first.prev_hash !== head.hash) throw new Error(`journal archive: entry ${first.seq} does not continue the archived chain at ${head.seq}`);
  const keys = new JournalRepo(db).keys();
  const doc: JournalArchiveFile = {
    format: ARCHIVE_FORMAT,
    version: 1,
    firstSeq: first.seq,
    throughSeq: last.seq,
    archivedAt: o.now().toISOString(),
    hashAlgorithm: 'sha256(prev_hash + "\\n" + canonical_json({at, body, kind, ref, seq}))',
    signatureAlgorithm: 'ed25519 over the 32 hash bytes',
    keys,
    anchor: head,
    entries: rows.map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, ref: r.ref, body: bodyOf(r), prevHash: r.prev_hash, hash: r.hash, signature: r.signature, keyId: r.key_id })),
  };
  const name = `journal-${String(first.seq).padStart(12, '0')}-${String(last.seq).padStart(12, '0')}.json`;
  const path = join(o.dir, name);
  const text = JSON.stringify(doc) + '\n';
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeDurably(path, text);
  const signed = o.journal?.signDigest(Buffer.from(sha256, 'hex'));
  if (signed) writeDurably(`${path}.sig`, JSON.stringify({ sha256, throughSeq: last.seq, throughHash: last.hash, ...signed } satisfies ArchiveSignature) + '\n');
  // Read back what is on disk and check it before anything is deleted.
  const check = verifyArchiveFile(path);
  if (!check.ok || check.throughHash !== last.hash || check.sha256 !== sha256) throw new Error(`journal archive ${name} did not verify after writing: ${check.ok ? 'contents differ' : check.reason}`);
  const record: ArchiveRecord = { firstSeq: first.seq, throughSeq: last.seq, throughHash: last.hash, firstAt: first.at, lastAt: last.at, entries: rows.length, file: name, sha256 };
  db.transaction(() => {
    db.prepare(
      `INSERT INTO journal_archive (through_seq, first_seq, through_hash, first_at, last_at, entries, file, sha256, archived_at)
       VALUES (@throughSeq, @firstSeq, @throughHash, @firstAt, @lastAt, @entries, @file, @sha256, @archivedAt)`,
    ).run({ ...record, archivedAt: doc.archivedAt });
    // The archived sales keep their body in `sale` (returns, receipt lookups, uploads of quarantined rows).
    db.prepare("UPDATE sale SET body = (SELECT j.body FROM journal j WHERE j.seq = sale.journal_seq) WHERE journal_seq BETWEEN ? AND ? AND body = ''").run(first.seq, last.seq);
    db.prepare('DELETE FROM journal WHERE seq BETWEEN ? AND ?').run(first.seq, last.seq);
  })();
  return record;
}

export type ArchiveVerifyResult = { ok: true; entries: number; throughHash: string; sha256: string; signed: boolean } | { ok: false; reason: string };

/**
 * Checks one archive file on its own: format, the chain from its anchor, every entry's hash and
 * signature against the keys it carries, and the detached file signature where there is one.
 */
export function verifyArchiveFile(path: string, trustedKeyIds?: ReadonlySet<string>): ArchiveVerifyResult {
  let text: string;
  let doc: JournalArchiveFile;
  try {
    text = readFileSync(path, 'utf8');
    doc = JSON.parse(text) as JournalArchiveFile;
  } catch (err) {
    return { ok: false, reason: `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (doc?.format !== ARCHIVE_FORMAT || doc.version !== 1 || !Array.isArray(doc.entries) || !Array.isArray(doc.keys)) return { ok: false, reason: 'not a Kassa journal archive' };
  const keys = new Map(doc.keys.map((k) => [k.keyId, k.publicKeyPem]));
  let prev = doc.anchor.hash;
  let expected = doc.anchor.seq + 1;
  for (const e of doc.entries) {
    if (e.seq !== expected) return { ok: false, reason: `entry ${e.seq}: expected sequence ${expected}` };
    if (e.prevHash !== prev) return { ok: false, reason: `entry ${e.seq}: previous hash does not match the chain` };
    if (entryHash(prev, { seq: e.seq, at: e.at, kind: e.kind, ref: e.ref, body: canonical(e.body) }) !== e.hash) return { ok: false, reason: `entry ${e.seq}: hash does not match the entry` };
    if (e.signature !== null) {
      const pem = e.keyId ? keys.get(e.keyId) : undefined;
      if (trustedKeyIds && !trustedKeyIds.has(e.keyId ?? '')) return { ok: false, reason: `entry ${e.seq}: signed by key ${e.keyId ?? '?'}, which is not trusted` };
      if (!pem || !verifySignature(pem, Buffer.from(e.hash, 'hex'), Buffer.from(e.signature, 'base64'))) return { ok: false, reason: `entry ${e.seq}: signature invalid` };
    }
    prev = e.hash;
    expected++;
  }
  if (expected - 1 !== doc.throughSeq) return { ok: false, reason: `the file says it ends at ${doc.throughSeq}, its entries end at ${expected - 1}` };
  const sha256 = createHash('sha256').update(text).digest('hex');
  let signed = false;
  if (existsSync(`${path}.sig`)) {
    const sig = JSON.parse(readFileSync(`${path}.sig`, 'utf8')) as ArchiveSignature;
    const pem = keys.get(sig.keyId);
    if (sig.sha256 !== sha256 || sig.throughHash !== prev || !pem || !verifySignature(pem, Buffer.from(sha256, 'hex'), Buffer.from(sig.signature, 'base64'))) {
      return { ok: false, reason: 'the file signature does not match the file' };
    }
    signed = true;
  }
  return { ok: true, entries: doc.entries.length, throughHash: prev, sha256, signed };
}

/** The archived entries (as in the file) whose sequence lies in the records' ranges, read from `dir`. */
export function readArchivedEntries(db: Db, dir: string, fromAt: string, toAt: string): ArchiveEntry[] {
  const files = db
    .prepare<[string, string], { file: string; sha256: string }>('SELECT file, sha256 FROM journal_archive WHERE last_at >= ? AND first_at < ? ORDER BY through_seq')
    .all(fromAt, toAt);
  const out: ArchiveEntry[] = [];
  for (const f of files) {
    if (f.file.startsWith(HQ_HELD_PREFIX)) continue; // HQ's record: not on this till
    const text = readFileSync(join(dir, f.file), 'utf8');
    if (createHash('sha256').update(text).digest('hex') !== f.sha256) throw new Error(`journal archive ${f.file} has changed since it was written`);
    out.push(...(JSON.parse(text) as JournalArchiveFile).entries.filter((e) => e.at >= fromAt && e.at < toAt));
  }
  return out;
}

/** `heldAtHq`: entries 1 through it are HQ's record (the till was recovered from HQ), not on this till. */
export type ArchivesVerifyResult = { ok: true; files: number; entries: number; heldAtHq?: number } | { ok: false; file: string; reason: string };

/**
 * Checks every archive a terminal database records (its `journal_archive` rows) against the files
 * in `dir`: each file is there, unchanged since it was written, verifies on its own, and continues
 * the chain where the previous one ended.
 */
export function verifyArchives(db: Db, dir: string, trustedKeyIds?: ReadonlySet<string>): ArchivesVerifyResult {
  const records = db
    .prepare<[], { file: string; sha256: string; first_seq: number; through_seq: number; through_hash: string }>('SELECT file, sha256, first_seq, through_seq, through_hash FROM journal_archive ORDER BY through_seq')
    .all();
  let head = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  let heldAtHq: number | undefined;
  for (const r of records) {
    if (r.file.startsWith(HQ_HELD_PREFIX)) {
      // Only the start of a recovered till's chain can be HQ's record.
      if (head.seq !== 0 || r.first_seq !== 1) return { ok: false, file: r.file, reason: `a chain recovered from HQ must start there, not after entry ${head.seq}` };
      head = { seq: r.through_seq, hash: r.through_hash };
      heldAtHq = r.through_seq;
      continue;
    }
    const path = join(dir, r.file);
    if (!existsSync(path)) return { ok: false, file: r.file, reason: `archive file missing (expected in ${dir})` };
    const check = verifyArchiveFile(path, trustedKeyIds);
    if (!check.ok) return { ok: false, file: r.file, reason: check.reason };
    if (check.sha256 !== r.sha256) return { ok: false, file: r.file, reason: 'the file has changed since it was archived' };
    const doc = JSON.parse(readFileSync(path, 'utf8')) as JournalArchiveFile;
    if (doc.anchor.seq !== head.seq || doc.anchor.hash !== head.hash || doc.firstSeq !== r.first_seq) return { ok: false, file: r.file, reason: `does not continue the chain after entry ${head.seq}` };
    if (check.throughHash !== r.through_hash || doc.throughSeq !== r.through_seq) return { ok: false, file: r.file, reason: 'its last entry is not the one the terminal recorded' };
    head = { seq: r.through_seq, hash: r.through_hash };
    entries += check.entries;
  }
  return { ok: true, files: records.length - (heldAtHq === undefined ? 0 : 1), entries, ...(heldAtHq === undefined ? {} : { heldAtHq }) };
}
