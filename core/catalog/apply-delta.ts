/**
 * Applies a catalog delta: read whole (deltas are small) and checked against the catalog in use,
 * then written in small steps while an in-memory overlay keeps every lookup it touches on the
 * previous version, and switched (VAT rates, promotions, version) in one last short transaction.
 */
import type { CatalogManifest, DeptRecord, GiftRangeRecord, ItemRecord, PromoRecord, VatRecord } from '../../protocol/catalog';
import { systemClock } from '../clock';
import type { Db } from '../db';
import { replaceGiftRanges } from '../giftcards/repo';
import { appliedCatalogVersion, CatalogRefusal, inSlices, itemArgs, nextTick, sqliteMessage, upsertVatDept, writeMeta, type ApplyOptions, type ItemCount } from './apply-steps';
import { records } from './payload';
import { Catalog, setCatalogOverlay, type CatalogOverlay } from './repo';

/**
 * Reads a delta whole (deltas are small) and checks it against the catalog in use; then writes it
 * in small steps while an in-memory overlay keeps every lookup it touches on the previous version,
 * and switches (VAT rates, promotions, version) in one last short transaction.
 */
interface Delta {
  vat: VatRecord[];
  dept: DeptRecord[];
  items: ItemRecord[];
  promos: PromoRecord[];
  delItems: string[];
  delPromos: string[];
  giftRanges: GiftRangeRecord[];
}

/** Reads a delta's records whole, checked against its manifest's counts. */
async function readDelta(file: string, m: CatalogManifest): Promise<Delta> {
  const d: Delta = { vat: [], dept: [], items: [], promos: [], delItems: [], delPromos: [], giftRanges: [] };
  let count = 0;
  for await (const r of records(file)) {
    if (++count % 200 === 0) await nextTick();
    if (r.t === 'vat') d.vat.push(r);
    else if (r.t === 'dept') d.dept.push(r);
    else if (r.t === 'item') d.items.push(r);
    else if (r.t === 'promo') d.promos.push(r);
    else if (r.t === 'del') d.delItems.push(r.id);
    else if (r.t === 'giftRange') d.giftRanges.push(r);
    else d.delPromos.push(r.id);
  }
  if (count !== m.records || d.items.length !== m.items) throw new CatalogRefusal('INVALID_PAYLOAD', `the payload has ${count} records and ${d.items.length} items, the manifest says ${m.records} and ${m.items}`);
  return d;
}

/** The previous version of everything the delta touches (read in slices, yielding to the lane). */
async function overlayOf(db: Db, catalog: Catalog, items: readonly ItemRecord[], touched: readonly string[]): Promise<CatalogOverlay> {
  const overlay: CatalogOverlay = { byCode: new Map(), byPlu: new Map(), byId: new Map() };
  const keys: Array<['id' | 'code' | 'plu', string]> = [];
  for (const id of touched) keys.push(['id', id]);
  for (const r of items) {
    for (const c of r.codes) keys.push(['code', c]);
    if (r.plu) keys.push(['plu', r.plu]);
  }
  const oldCodes = db.prepare<[string], { code: string }>('SELECT code FROM barcode WHERE item_id = ?');
  for (let i = 0; i < keys.length; i += 100) {
    for (const [kind, key] of keys.slice(i, i + 100)) {
      if (kind === 'id' && !overlay.byId.has(key)) {
        const old = catalog.getItem(key);
        overlay.byId.set(key, old);
        if (old?.plu) overlay.byPlu.set(old.plu, old);
        for (const { code } of oldCodes.all(key)) overlay.byCode.set(code, old);
      } else if (kind === 'code' && !overlay.byCode.has(key)) overlay.byCode.set(key, catalog.findByCode(key));
      else if (kind === 'plu' && !overlay.byPlu.has(key)) overlay.byPlu.set(key, catalog.findByPlu(key));
    }
    await nextTick();
  }
  return overlay;
}

/** Checks it all before anything is written: what it refers to exists, barcodes and PLUs stay unique. */
async function checkDelta(db: Db, catalog: Catalog, d: Delta, overlay: CatalogOverlay, touched: readonly string[]): Promise<void> {
  const { vat, dept, items, delItems } = d;
  const changed = new Set(touched);
  const deleted = new Set(delItems);
  const vatIds = new Set([...vat.map((v) => v.id), ...db.prepare<[], { id: string }>('SELECT id FROM vat_class').all().map((r) => r.id)]);
  const deptIds = new Set([...dept.map((d) => d.id), ...db.prepare<[], { id: string }>('SELECT id FROM department').all().map((r) => r.id)]);
  const newItems = new Map(items.map((r) => [r.id, r]));
  const codeOwner = new Map<string, string>();
  const pluOwner = new Map<string, string>();
  for (const [i, r] of items.entries()) {
    if (i % 200 === 199) await nextTick();
    const problem = (what: string) => new CatalogRefusal('INVALID_PAYLOAD', `the delta cannot be applied: item ${r.id} ${what}`);
    if (!vatIds.has(r.vat)) throw problem(`refers to VAT class ${r.vat}, which does not exist`);
    if (!deptIds.has(r.dept)) throw problem(`refers to department ${r.dept}, which does not exist`);
    if (r.deposit) {
      const dep = newItems.get(r.deposit) ?? (deleted.has(r.deposit) ? null : catalog.getItem(r.deposit));
      if (!dep) throw problem(`refers to deposit item ${r.deposit}, which does not exist`);
    }
    for (const c of r.codes) {
      const before = overlay.byCode.get(c);
      if (codeOwner.has(c) || (before && !changed.has(before.id))) throw problem(`has barcode ${c}, which belongs to ${codeOwner.get(c) ?? before!.id}`);
      codeOwner.set(c, r.id);
    }
    if (r.plu) {
      const before = overlay.byPlu.get(r.plu);
      if (pluOwner.has(r.plu) || (before && !changed.has(before.id))) throw problem(`has PLU ${r.plu}, which belongs to ${pluOwner.get(r.plu) ?? before!.id}`);
      pluOwner.set(r.plu, r.id);
    }
  }
  for (const id of delItems) {
    if (!overlay.byId.get(id)?.isDeposit) continue;
    const user = db.prepare<[string], { id: string }>('SELECT id FROM item WHERE deposit_item_id = ? LIMIT 1').all(id).find((u) => !changed.has(u.id));
    if (user) throw new CatalogRefusal('INVALID_PAYLOAD', `the delta cannot be applied: it removes deposit item ${id}, which ${user.id} still refers to`);
  }
}

/** Writes a checked delta in small steps behind the overlay, then switches in one short transaction. */
export async function applyDelta(db: Db, file: string, m: CatalogManifest, opts: ApplyOptions): Promise<ItemCount> {
  const delta = await readDelta(file, m);
  const { vat, dept, items, promos, delItems, delPromos, giftRanges } = delta;
  const sliceMs = opts.sliceMs ?? 3;
  const catalog = new Catalog(db);
  const touched = [...items.map((r) => r.id), ...delItems];
  const overlay = await overlayOf(db, catalog, items, touched);
  await checkDelta(db, catalog, delta, overlay, touched);
  const deleted = new Set(delItems);
  const now = (opts.now ?? systemClock)();
  const st = {
    unPlu: db.prepare('UPDATE item SET plu = NULL WHERE id = ?'),
    delCodes: db.prepare('DELETE FROM barcode WHERE item_id = ?'),
    upsert: db.prepare(
      `INSERT INTO item (id, name, department_id, vat_class_id, unit, price, age_limit, deposit_item_id, is_deposit, plu, blocked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, department_id = excluded.department_id, vat_class_id = excluded.vat_class_id, unit = excluded.unit,
         price = excluded.price, age_limit = excluded.age_limit, deposit_item_id = excluded.deposit_item_id, is_deposit = excluded.is_deposit, plu = excluded.plu, blocked = excluded.blocked`,
    ),
    insCode: db.prepare('INSERT INTO barcode (code, item_id) VALUES (?, ?)'),
    unDeposit: db.prepare('UPDATE item SET deposit_item_id = NULL WHERE id = ?'),
    delItem: db.prepare('DELETE FROM item WHERE id = ?'),
    newVat: db.prepare('INSERT OR IGNORE INTO vat_class (id, name, rate_bp) VALUES (?, ?, ?)'),
    newDept: db.prepare('INSERT OR IGNORE INTO department (id, name) VALUES (?, ?)'),
    upPromo: db.prepare('INSERT INTO promotion (id, spec) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET spec = excluded.spec'),
    delPromo: db.prepare('DELETE FROM promotion WHERE id = ?'),
    marker: db.prepare("INSERT INTO catalog_meta (key, value) VALUES ('applying', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
    unmark: db.prepare("DELETE FROM catalog_meta WHERE key = 'applying'"),
  };
  setCatalogOverlay(db, overlay);
  try {
    db.transaction(() => {
      const have = appliedCatalogVersion(db);
      if (m.version <= have) throw new CatalogRefusal('ROLLBACK', `version ${m.version} is not newer than version ${have} in use`);
      if (m.baseVersion !== have) throw new CatalogRefusal('WRONG_BASE', `this delta applies on top of version ${m.baseVersion}, but version ${have} is in use`);
      // Until the switch the database holds part of the delta: if the terminal stops here, the
      // updater applies the same delta again when it starts (every step is an idempotent upsert).
      st.marker.run(String(m.version));
      for (const r of vat) st.newVat.run(r.id, r.name, r.rateBp);
      for (const r of dept) st.newDept.run(r.id, r.name);
    }).immediate();
    // Barcodes and PLUs may move between items in one delta: release them all first.
    await inSlices(db, touched, (id) => {
      st.unPlu.run(id);
      st.delCodes.run(id);
      if (deleted.has(id)) st.unDeposit.run(id);
    }, sliceMs);
    let done = 0;
    await inSlices(db, items, (r) => {
      st.upsert.run(...itemArgs(r));
      for (const c of r.codes) st.insCode.run(c, r.id);
      if (++done % 500 === 0) opts.onProgress?.(done, items.length);
    }, sliceMs);
    await inSlices(db, delItems, (id) => st.delItem.run(id), sliceMs);
    // The switch: VAT rates, department names, promotions and the version, at once.
    db.transaction(() => {
      db.pragma('defer_foreign_keys = ON');
      upsertVatDept(db, vat, dept);
      for (const p of promos) st.upPromo.run(p.id, JSON.stringify(p.spec));
      for (const id of delPromos) st.delPromo.run(id);
      // A delta carries every gift card range, like every VAT class (protocol/catalog.ts).
      replaceGiftRanges(db, giftRanges);
      writeMeta(db, m, now, opts.signed);
      st.unmark.run();
    }).immediate();
  } catch (err) {
    throw err instanceof CatalogRefusal ? err : new CatalogRefusal('INVALID_PAYLOAD', `the delta could not be applied: ${sqliteMessage(err)}`);
  } finally {
    setCatalogOverlay(db, null);
  }
  opts.onProgress?.(items.length, items.length);
  const existed = (id: string) => overlay.byId.get(id) != null;
  return { change: items.filter((r) => !existed(r.id)).length - delItems.filter(existed).length };
}

