/**
 * Export of one business day of the journal in a documented JSON format (EXPORT_FORMAT.md):
 * enough for a third party to recompute every hash and check every signature.
 */
import type { Db } from '../db';
import { GENESIS_HASH } from './index';
import { storeDate, type Clock } from '../clock';
import { hasArchiveTable, readArchivedEntries } from './archive';
import { bodyOf } from './kinds';
import { JournalRepo } from './repo';

export const EXPORT_FORMAT = 'kassa-journal-export';
export const EXPORT_VERSION = 1;

export interface JournalExport {
  format: typeof EXPORT_FORMAT;
  version: number;
  businessDate: string;
  exportedAt: string;
  hashAlgorithm: 'sha256(prev_hash + "\\n" + canonical_json({at, body, kind, ref, seq}))';
  signatureAlgorithm: 'ed25519 over the 32 hash bytes';
  keys: Array<{ keyId: string; publicKeyPem: string; firstSeq: number }>;
  /** Hash of the entry just before the first exported one (the chain anchor). */
  anchor: { seq: number; hash: string };
  entries: Array<{ seq: number; at: string; kind: string; ref: string | null; body: unknown; prevHash: string; hash: string; signature: string | null; keyId: string | null }>;
}

export interface ExportOptions {
  /** The store's time zone: an entry belongs to the business date of its `at` there. */
  timeZone: string;
  /** The core's clock (the export's own timestamp). */
  now: Clock;
  /** Where archived parts of the journal are (archive.ts): a day archived off the terminal is read from there. */
  archiveDir?: string;
}

/** One business day of the journal: the entries whose `at` (UTC ISO 8601) falls on that date in the store's time zone. */
export function exportJournalDay(db: Db, businessDate: string, o: ExportOptions): JournalExport {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(businessDate) || Number.isNaN(Date.parse(`${businessDate}T00:00:00Z`))) throw new Error('the business date is YYYY-MM-DD');
  // Every time zone is within ±14 h of UTC: the day lies inside these UTC bounds, refined by the zone.
  const day = Date.parse(`${businessDate}T00:00:00Z`);
  const from = new Date(day - 15 * 3600_000).toISOString();
  const to = new Date(day + 39 * 3600_000).toISOString();
  const here = db
    .prepare<[string, string], { seq: number; at: string; kind: string; ref: string | null; body: string; prev_hash: string; hash: string; signature: string | null; key_id: string | null }>(
      'SELECT seq, at, kind, ref, body, prev_hash, hash, signature, key_id FROM journal WHERE at >= ? AND at < ? ORDER BY seq',
    )
    .all(from, to)
    .map((r) => ({ ...r, body: bodyOf(r) }));
  // Entries archived off the terminal come from their (checked) archive files.
  const archived = o.archiveDir && hasArchiveTable(db) ? readArchivedEntries(db, o.archiveDir, from, to).map((e) => ({ ...e, prev_hash: e.prevHash, key_id: e.keyId })) : [];
  const inDb = new Set(here.map((r) => r.seq));
  const rows = [...archived.filter((a) => !inDb.has(a.seq)), ...here].sort((a, b) => a.seq - b.seq).filter((r) => storeDate(r.at, o.timeZone) === businessDate);
  const first = rows[0];
  const anchor = first ? { seq: first.seq - 1, hash: first.prev_hash } : { seq: 0, hash: GENESIS_HASH };
  const keys = new JournalRepo(db).keys();
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    businessDate,
    exportedAt: o.now().toISOString(),
    hashAlgorithm: 'sha256(prev_hash + "\\n" + canonical_json({at, body, kind, ref, seq}))',
    signatureAlgorithm: 'ed25519 over the 32 hash bytes',
    keys,
    anchor,
    entries: rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      kind: r.kind,
      ref: r.ref,
      body: r.body,
      prevHash: r.prev_hash,
      hash: r.hash,
      signature: r.signature,
      keyId: r.key_id,
    })),
  };
}
