/**
 * What applying a catalog payload takes, for a full snapshot (apply.ts) and a delta
 * (apply-delta.ts) alike: the refusal, writing the catalog's meta data, VAT classes and
 * departments, and small transactions that yield to the lane between them. Reading the payload's
 * records is payload.ts.
 */
import { type CatalogManifest, type DeptRecord, type ItemRecord, type VatRecord } from '../../protocol/catalog';
import type { Db } from '../db';

export type CatalogRefusalCode = 'NO_KEYS' | 'UNSIGNED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE' | 'ROLLBACK' | 'WRONG_BASE' | 'TAMPERED' | 'INVALID_PAYLOAD';

/** A catalog update the terminal refused; the catalog in use is unchanged. */
export class CatalogRefusal extends Error {
  constructor(
    readonly code: CatalogRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogRefusal';
  }
}

export interface ApplyOptions {
  /** Rows per staging transaction (full snapshots); by default adapted so each takes about `sliceMs`. */
  chunk?: number;
  /** How long one staging transaction may hold the lane's connection (ms, default 3). */
  sliceMs?: number;
  onProgress?: (done: number, total: number) => void;
  now?: () => Date;
  /** The signed manifest as received, kept with the catalog. */
  signed?: string;
}

export const nextTick = () => new Promise<void>((r) => setImmediate(r));

/** Current HQ catalog version on this terminal (0: none from HQ yet, e.g. the demo catalog). */
export function appliedCatalogVersion(db: Db): number {
  const r = db.prepare<[], { value: string }>("SELECT value FROM catalog_meta WHERE key = 'hq_version'").get();
  return r ? Number(r.value) : 0;
}

export function writeMeta(db: Db, m: CatalogManifest, now: Date, signed: string | undefined): void {
  const put = db.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  put.run('version', String(m.version));
  put.run('hq_version', String(m.version));
  put.run('published_at', m.publishedAt);
  put.run('expires_at', m.expiresAt);
  put.run('applied_at', now.toISOString());
  if (signed) put.run('manifest', signed);
}

export function upsertVatDept(db: Db, vat: VatRecord[], dept: DeptRecord[]): void {
  const v = db.prepare('INSERT INTO vat_class (id, name, rate_bp) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, rate_bp = excluded.rate_bp');
  const d = db.prepare('INSERT INTO department (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name');
  for (const r of vat) v.run(r.id, r.name, r.rateBp);
  for (const r of dept) d.run(r.id, r.name);
}

export const itemArgs = (r: ItemRecord) => [r.id, r.name, r.dept, r.vat, r.unit, r.price, r.ageLimit ?? null, r.deposit ?? null, r.isDeposit ? 1 : 0, r.plu ?? null, r.blocked ? 1 : 0] as const;

export function sqliteMessage(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return /FOREIGN KEY/.test(m) ? 'it refers to an item, department or VAT class that does not exist' : /UNIQUE/.test(m) ? `a barcode or PLU is used twice (${m})` : m;
}

/**
 * Runs `steps` as small transactions, each taking about `sliceMs`, yielding to the event loop
 * between them (foreign keys are checked at each commit).
 */
export async function inSlices<T>(db: Db, rows: T[], step: (r: T) => void, sliceMs: number): Promise<void> {
  let i = 0;
  let n = 50;
  while (i < rows.length) {
    const part = rows.slice(i, i + n);
    const t0 = performance.now();
    db.transaction(() => {
      db.pragma('defer_foreign_keys = ON');
      for (const r of part) step(r);
    })();
    i += part.length;
    n = Math.max(10, Math.min(5_000, Math.round((n * sliceMs) / Math.max(0.1, performance.now() - t0))));
    await nextTick();
  }
}


/** How many items the catalog has after an apply: the total (full snapshot), or the change (delta). */
export type ItemCount = { total: number } | { change: number };
