/** Verifying a journal from a database file alone, read-only. */
import Database from 'better-sqlite3';
import { Journal, type VerifyResult } from './index';

export function verifyJournalFile(path: string, trustedKeyIds?: ReadonlySet<string>): VerifyResult {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    return new Journal(db).verify(trustedKeyIds ? { trustedKeyIds } : {});
  } finally {
    db.close();
  }
}
