/**
 * The store's legal particulars (address, organisation number, VAT id; in Sweden the company's name
 * and the till's kassabeteckning too), kept in the terminal's database, never chosen by the
 * environment at run time. HQ is their source: its signed store record (protocol/store-record.ts)
 * comes at check-in, is taken only if it verifies with HQ's pinned key, is for this store and is
 * not older than the one held, and wins over what store IT provisioned on the till (`npm run
 * provision -- --legal store.json`, for a store without HQ) — except the till's own kassabeteckning,
 * which stays as provisioned. Read and written through the schemas (core/db/meta-doc.ts); a stored
 * value that no longer fits is refused by name.
 */
import { StoreLegalSchema, type StoreLegal } from '../../protocol/terminal';
import { StoreRecordSchema, verifyStoreRecord, type StoreRecord } from '../../protocol/store-record';
import type { Db } from '../db';
import { metaDocument } from '../db/meta-doc';
import { takeStoreDocument } from '../sync/store-document';
import { HqLinkRepo } from '../sync/repo';

const own = metaDocument<StoreLegal>('store.legal', StoreLegalSchema, 'store particulars');
const fromHq = metaDocument<StoreRecord>('store.legal.hq', StoreRecordSchema, "HQ's store record");

/** The particulars in force: HQ's record (with the till's own kassabeteckning), else those provisioned; null when there are neither. */
export function loadStoreLegal(db: Db): StoreLegal | null {
  const provisioned = own.load(db);
  const hq = fromHq.load(db);
  if (!hq) return provisioned;
  return { ...hq.legal, ...(provisioned?.tillId ? { tillId: provisioned.tillId } : {}) };
}

/** HQ's store record held here (null: none came yet). */
export const heldStoreRecord = (db: Db): StoreRecord | null => fromHq.load(db);

export type StoreRecordResult = { ok: true; record: StoreRecord; changed: boolean } | { ok: false; reason: string };

/** Takes HQ's signed store record if it verifies with `key` (HQ's, pinned at enrollment), is for this store and is not older than the one held. */
export function applyStoreRecord(db: Db, signed: unknown, key: string | null): StoreRecordResult {
  const taken = takeStoreDocument(signed, key, verifyStoreRecord, new HqLinkRepo(db).get(), { key: 'HQ key', doc: "the store's record", takes: 'a store record' });
  if (!taken.ok) return taken;
  const record = taken.doc;
  const held = heldStoreRecord(db);
  if (held && record.version < held.version) return { ok: false, reason: `ROLLBACK: the store's record is version ${record.version}, older than the one held (${held.version}); kept that one` };
  if (held && record.version === held.version) return { ok: true, record, changed: false };
  fromHq.save(db, record);
  return { ok: true, record, changed: true };
}

/** A new enrollment (perhaps another store or another HQ): the record held goes; the new HQ's comes at the first check-in, whatever its version. */
export const forgetStoreRecord = (db: Db): void => fromHq.forget(db);

/** Keeps the particulars store IT provisioned (checked) in the terminal's database; HQ's record, once it comes, wins over them. */
export const saveStoreLegal = (db: Db, data: unknown): StoreLegal => own.save(db, data);

/** A particulars file as store IT writes it (JSON), checked. */
export const readStoreLegalFile = (path: string): StoreLegal => own.readFile(path);

/**
 * The lane's identity with the store's particulars read from the database whenever they are needed
 * (each receipt, each registration with the control unit): a record HQ sent at a check-in prints on
 * the next receipt, without a restart. `fallback`: when there are none (the demo store's own).
 */
export function withLiveLegal<T extends object>(base: T, db: Db, fallback: StoreLegal | null): T & { readonly legal: StoreLegal | null } {
  return Object.defineProperty({ ...base }, 'legal', { get: () => loadStoreLegal(db) ?? fallback, enumerable: true }) as T & { readonly legal: StoreLegal | null };
}
