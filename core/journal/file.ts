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
