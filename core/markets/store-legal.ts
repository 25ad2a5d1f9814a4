/**
 * The store's legal particulars (address, organisation number, VAT id; in Sweden the company's name
 * and the till's kassabeteckning too), kept in the terminal's database, never chosen by the
 * environment at run time. HQ is their source: its signed store record (protocol/store-record.ts)
 * comes at check-in, is taken only if it verifies with HQ's pinned key, is for this store and is
 * not older than the one held, and wins over what store IT provisioned on the till (`npm run
 * provision -- --legal store.json`, for a store without HQ) — except the till's own kassabeteckning,
 * which stays as provisioned. Read and written through the schemas; a stored value that no longer
 * fits is refused by name.
 */
import { readFileSync } from 'node:fs';
import { StoreLegalSchema, type StoreLegal } from '../../protocol/terminal';
import { StoreRecordSchema, verifyStoreRecord, type StoreRecord } from '../../protocol/store-record';
import type { Db } from '../db';
import { takeStoreDocument } from '../sync/store-document';
import { HqLinkRepo } from '../sync/repo';

const KEY = 'store.legal';
const HQ_KEY = 'store.legal.hq';

function checked(data: unknown, source: string): StoreLegal {
  const r = StoreLegalSchema.safeParse(data);
  if (!r.success) throw new Error(`store particulars refused (${source}): ${r.error.issues.map((i) => `${i.path.join('.') || '(the file)'} ${i.message}`).join('; ')}`);
  return r.data;
}

/** One prepared read per database: the particulars are read for every receipt and snapshot. */
const reads = new WeakMap<Db, ReturnType<typeof prepareRead>>();
const prepareRead = (db: Db) => db.prepare<[string], { value: string }>('SELECT value FROM terminal_meta WHERE key = ?');

function meta(db: Db, key: string): unknown {
  let read = reads.get(db);
  if (!read) reads.set(db, (read = prepareRead(db)));
  const row = read.get(key);
  return row ? JSON.parse(row.value) : null;
}

function putMeta(db: Db, key: string, value: unknown): void {
  db.prepare('INSERT INTO terminal_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
}

/** The particulars in force: HQ's record (with the till's own kassabeteckning), else those provisioned; null when there are neither. */
export function loadStoreLegal(db: Db): StoreLegal | null {
  const local = meta(db, KEY);
  const own = local === null ? null : checked(local, 'in the database');
  const hq = heldStoreRecord(db);
  if (!hq) return own;
  return { ...hq.legal, ...(own?.tillId ? { tillId: own.tillId } : {}) };
}

/** HQ's store record held here (null: none came yet). */
export function heldStoreRecord(db: Db): StoreRecord | null {
  const v = meta(db, HQ_KEY);
  if (v === null) return null;
  const r = StoreRecordSchema.safeParse(v);
  if (!r.success) throw new Error(`HQ's store record in the database is not understood: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
  return r.data;
}

export type StoreRecordResult = { ok: true; record: StoreRecord; changed: boolean } | { ok: false; reason: string };

/** Takes HQ's signed store record if it verifies with `key` (HQ's, pinned at enrollment), is for this store and is not older than the one held. */
export function applyStoreRecord(db: Db, signed: unknown, key: string | null): StoreRecordResult {
  const taken = takeStoreDocument(signed, key, verifyStoreRecord, new HqLinkRepo(db).get(), { key: 'HQ key', doc: "the store's record", takes: 'a store record' });
  if (!taken.ok) return taken;
  const record = taken.doc;
  const held = heldStoreRecord(db);
  if (held && record.version < held.version) return { ok: false, reason: `ROLLBACK: the store's record is version ${record.version}, older than the one held (${held.version}); kept that one` };
  if (held && record.version === held.version) return { ok: true, record, changed: false };
  putMeta(db, HQ_KEY, record);
  return { ok: true, record, changed: true };
}

/** A new enrollment (perhaps another store or another HQ): the record held goes; the new HQ's comes at the first check-in, whatever its version. */
export function forgetStoreRecord(db: Db): void {
  db.prepare('DELETE FROM terminal_meta WHERE key = ?').run(HQ_KEY);
}

/** Keeps the particulars store IT provisioned (checked) in the terminal's database; HQ's record, once it comes, wins over them. */
export function saveStoreLegal(db: Db, data: unknown): StoreLegal {
  const legal = checked(data, 'to save');
  putMeta(db, KEY, legal);
  return legal;
}

/** A particulars file as store IT writes it (JSON), checked. */
export function readStoreLegalFile(path: string): StoreLegal {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`store particulars refused (${path}): ${err instanceof Error ? err.message : String(err)}`);
  }
  return checked(data, path);
}

/**
 * The lane's identity with the store's particulars read from the database whenever they are needed
 * (each receipt, each registration with the control unit): a record HQ sent at a check-in prints on
 * the next receipt, without a restart. `fallback`: when there are none (the demo store's own).
 */
export function withLiveLegal<T extends object>(base: T, db: Db, fallback: StoreLegal | null): T & { readonly legal: StoreLegal | null } {
  return Object.defineProperty({ ...base }, 'legal', { get: () => loadStoreLegal(db) ?? fallback, enumerable: true }) as T & { readonly legal: StoreLegal | null };
}
