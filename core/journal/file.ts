/** Verifying a journal from a database file alone, read-only (with its archive files beside it). */
import Database from 'better-sqlite3';
import { dirname, join, resolve } from 'node:path';
import { Journal, type VerifyResult } from './index';
import { hasArchiveTable, verifyArchives, type ArchivesVerifyResult } from './archive';

/** Where a terminal keeps its journal's archive files: `journal-archive/` beside the database. */
export function archiveDirFor(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'journal-archive');
}

export function verifyJournalFile(path: string, trustedKeyIds?: ReadonlySet<string>): VerifyResult {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return new Journal(db).verify(trustedKeyIds ? { trustedKeyIds } : {});
  } finally {
    db.close();
  }
}

/** The archived part of a terminal's journal (none recorded: ok with no files). */
export function verifyArchivedJournal(path: string, archiveDir = archiveDirFor(path), trustedKeyIds?: ReadonlySet<string>): ArchivesVerifyResult {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return hasArchiveTable(db) ? verifyArchives(db, archiveDir, trustedKeyIds) : { ok: true, files: 0, entries: 0 };
  } finally {
    db.close();
  }
}

/** A point of the chain someone outside the till holds: HQ's record of the head it checked, or a Z report's printed head. */
export interface Anchor {
  seq: number;
  hash: string;
}

/** Reads `seq:hash` (as the fleet page and the Z report show it). */
export function parseAnchor(text: string): Anchor | null {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

export type AnchorResult = { ok: true; detail: string } | { ok: false; verdict: 'TRUNCATED' | 'FORKED'; reason: string };

/**
 * Whether the journal still holds the anchored entry: a journal that ends before it lost its tail
 * (every verifier passes over a chain cut off cleanly — only the anchor knows); one whose entry
 * there differs was rewritten from that point.
 */
export function checkAnchor(path: string, anchor: Anchor): AnchorResult {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const at = db.prepare<[number], { hash: string }>('SELECT hash FROM journal WHERE seq = ?').get(anchor.seq);
    const head = db.prepare<[], { seq: number | null }>('SELECT max(seq) AS seq FROM journal').get()?.seq ?? 0;
    const archived = hasArchiveTable(db) ? (db.prepare<[], { seq: number | null }>('SELECT max(through_seq) AS seq FROM journal_archive').get()?.seq ?? 0) : 0;
    const short = `${anchor.seq}:${anchor.hash.slice(0, 16)}…`;
    if (at) return at.hash === anchor.hash ? { ok: true, detail: `holds the anchored entry ${short}` } : { ok: false, verdict: 'FORKED', reason: `entry ${anchor.seq} is not the anchored one (${short}): the journal was rewritten from there` };
    if (anchor.seq > Math.max(head, archived))
      return { ok: false, verdict: 'TRUNCATED', reason: `the journal ends at entry ${Math.max(head, archived)}, but entry ${short} was anchored outside the till: entries ${Math.max(head, archived) + 1}–${anchor.seq} are missing` };
    return { ok: true, detail: `the anchored entry ${anchor.seq} is in the archived part (its files are verified by their signatures)` };
  } finally {
    db.close();
  }
}

/** The terminal's id at HQ, from its link (null before enrollment). */
export function terminalIdOf(path: string): string | null {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare<[], { terminal_id: string }>('SELECT terminal_id FROM hq_link WHERE id = 1').get()?.terminal_id ?? null;
  } catch {
    return null;
  } finally {
    db.close();
  }
}
