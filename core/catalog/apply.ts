/**
 * Applies a verified catalog payload from HQ to the terminal's database without stopping the lane.
 *
 * A full snapshot is loaded into staging tables in small transactions, yielding to the event loop
 * between them, so scans keep being answered from the current tables; one short transaction then
 * renames the staging tables into place (the switch), and the old tables are emptied afterwards in
 * small steps. A delta is read and checked first, then applied in one transaction on top of its
 * base version. Either way the catalog is the old one or the new one, never a mixture, and a
 * payload that fails any check changes nothing.
 *
 * The caller has already checked the manifest's signature and the payload's hash.
 */
import type { CatalogManifest, DeptRecord, GiftRangeRecord, ItemRecord, PromoRecord, VatRecord } from '../../protocol/catalog';
import { replaceGiftRanges } from '../giftcards/repo';
import type { Db } from '../db';
import { systemClock } from '../clock';
import { applyDelta } from './apply-delta';
import { appliedCatalogVersion, CatalogRefusal, nextTick, sqliteMessage, upsertVatDept, writeMeta, type ApplyOptions, type ItemCount } from './apply-steps';
import { recordBatches } from './payload';
import { createStaging, stagingWriter } from './staging';

export { appliedCatalogVersion, CatalogRefusal, type ApplyOptions, type CatalogRefusalCode, type ItemCount } from './apply-steps';

const tableExists = (db: Db, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** Empties and drops a catalog table in small steps of about 3 ms each (foreign keys stay on: children first). */
async function dropInSteps(db: Db, table: 'barcode_old' | 'item_old' | 'barcode_next' | 'item_next'): Promise<void> {
  if (!tableExists(db, table)) return;
  const steps = table.startsWith('item')
    ? [
        db.prepare(`UPDATE ${table} SET deposit_item_id = NULL WHERE rowid IN (SELECT rowid FROM ${table} WHERE deposit_item_id IS NOT NULL LIMIT ?)`),
        db.prepare(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} LIMIT ?)`),
      ]
    : [db.prepare(`DELETE FROM ${table} WHERE code IN (SELECT code FROM ${table} LIMIT ?)`)];
  for (const st of steps) {
    let n = 200;
    for (;;) {
      const t0 = performance.now();
      if (st.run(n).changes === 0) break;
      n = Math.max(20, Math.min(20_000, Math.round((n * 3) / Math.max(0.1, performance.now() - t0))));
      await nextTick();
    }
  }
  db.exec(`DROP TABLE ${table}`);
}

/** Leftovers of an apply interrupted by a crash or power cut: staging or old tables. */
export async function cleanUpCatalogStaging(db: Db): Promise<void> {
  for (const t of ['barcode_next', 'item_next', 'barcode_old', 'item_old'] as const) await dropInSteps(db, t);
}

/** Loads a full snapshot beside the current catalog, then switches to it in one short transaction. */
async function applyFull(db: Db, file: string, m: CatalogManifest, opts: ApplyOptions): Promise<ItemCount> {
  let chunk = opts.chunk ?? 200;
  const sliceMs = opts.sliceMs ?? 3;
  await cleanUpCatalogStaging(db);
  createStaging(db, m.version);
  const vat: VatRecord[] = [];
  const dept: DeptRecord[] = [];
  const promos: PromoRecord[] = [];
  const giftRanges: GiftRangeRecord[] = [];
  const newVat = db.prepare('INSERT OR IGNORE INTO vat_class (id, name, rate_bp) VALUES (?, ?, ?)');
  const newDept = db.prepare('INSERT OR IGNORE INTO department (id, name) VALUES (?, ?)');
  const newIds = db.transaction(() => {
    for (const r of vat) newVat.run(r.id, r.name, r.rateBp);
    for (const r of dept) newDept.run(r.id, r.name);
  });
  const flush = stagingWriter(db);
  let batch: ItemRecord[] = [];
  let line = 0;
  let items = 0;
  let count = 0;
  let newIdsWritten = false;
  try {
    // Longer slices read more of the payload at a time too: fewer rounds through the event loop.
    for await (const part of recordBatches(file, sliceMs >= 20 ? 64 * 1024 : 16 * 1024)) {
      for (const r of part) {
        count++;
        line++;
        if (r.t === 'vat') vat.push(r);
        else if (r.t === 'dept') dept.push(r);
        else if (r.t === 'promo') promos.push(r);
        else if (r.t === 'giftRange') giftRanges.push(r);
        else if (r.t === 'item') {
          if (!newIdsWritten) {
            newIds(); // new VAT classes and departments exist before items refer to them
            newIdsWritten = true;
          }
          batch.push(r);
          items++;
          if (batch.length < chunk) continue;
          const t0 = performance.now();
          flush(batch);
          // Keep each transaction to about sliceMs, so a scan waits at most that long.
          if (!opts.chunk) chunk = Math.max(20, Math.min(Math.max(5_000, 500 * sliceMs), Math.round((chunk * sliceMs) / Math.max(0.1, performance.now() - t0))));
          batch = [];
          opts.onProgress?.(items, m.items);
          await nextTick();
        } else throw new CatalogRefusal('INVALID_PAYLOAD', `catalog line ${line}: a full snapshot cannot remove anything`);
      }
    }
    if (!newIdsWritten) newIds();
    if (batch.length) flush(batch);
    if (count !== m.records || items !== m.items) throw new CatalogRefusal('INVALID_PAYLOAD', `the payload has ${count} records and ${items} items, the manifest says ${m.records} and ${m.items}`);
    const insPromo = db.prepare('INSERT INTO promotion (id, spec) VALUES (?, ?)');
    const now = (opts.now ?? systemClock)();
    // The switch: short, atomic; lookups see the old catalog before it and the new one after it.
    db.transaction(() => {
      const have = appliedCatalogVersion(db);
      if (m.version <= have) throw new CatalogRefusal('ROLLBACK', `version ${m.version} is not newer than version ${have} in use`);
      db.pragma('defer_foreign_keys = ON');
      upsertVatDept(db, vat, dept);
      db.exec(`ALTER TABLE barcode RENAME TO barcode_old;
        ALTER TABLE item RENAME TO item_old;
        ALTER TABLE item_next RENAME TO item;
        ALTER TABLE barcode_next RENAME TO barcode;
        DELETE FROM promotion;`);
      for (const p of promos) insPromo.run(p.id, JSON.stringify(p.spec));
      replaceGiftRanges(db, giftRanges);
      writeMeta(db, m, now, opts.signed);
    }).immediate();
  } catch (err) {
    await dropInSteps(db, 'barcode_next');
    await dropInSteps(db, 'item_next');
    throw err instanceof CatalogRefusal ? err : new CatalogRefusal('INVALID_PAYLOAD', sqliteMessage(err));
  }
  await dropInSteps(db, 'barcode_old');
  await dropInSteps(db, 'item_old');
  // VAT classes and departments the new catalog no longer has: no item refers to them any more
  // (the new items were checked against the new ones).
  const keepVat = new Set(vat.map((v) => v.id));
  const keepDept = new Set(dept.map((d) => d.id));
  const drop = (table: 'department' | 'vat_class', keep: Set<string>) => {
    for (const r of db.prepare<[], { id: string }>(`SELECT id FROM ${table}`).all()) {
      if (keep.has(r.id)) continue;
      try {
        db.prepare(`DELETE FROM ${table} WHERE id = ?`).run(r.id);
      } catch {
        // still referred to (a snapshot that uses one without listing it): kept
      }
    }
  };
  drop('department', keepDept);
  drop('vat_class', keepVat);
  return { total: m.items };
}

/** True when a delta was cut short (the terminal stopped mid-way): the same delta must be applied again. */
export function catalogDeltaInterrupted(db: Db): number | null {
  const r = db.prepare<[], { value: string }>("SELECT value FROM catalog_meta WHERE key = 'applying'").get();
  return r ? Number(r.value) : null;
}


/** Applies a payload whose manifest was verified; throws CatalogRefusal and changes nothing on any problem. */
export async function applyCatalogPayload(db: Db, file: string, m: CatalogManifest, opts: ApplyOptions = {}): Promise<ItemCount> {
  const have = appliedCatalogVersion(db);
  if (m.version <= have) throw new CatalogRefusal('ROLLBACK', `version ${m.version} is not newer than version ${have} in use`);
  if (m.kind === 'delta') {
    if (m.baseVersion !== have) throw new CatalogRefusal('WRONG_BASE', `this delta applies on top of version ${m.baseVersion}, but version ${have} is in use`);
    return applyDelta(db, file, m, opts);
  }
  return applyFull(db, file, m, opts);
}
