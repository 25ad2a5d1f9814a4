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
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { CatalogRecordSchema, type CatalogManifest, type CatalogRecord, type DeptRecord, type GiftRangeRecord, type ItemRecord, type PromoRecord, type VatRecord } from '../../protocol/catalog';
import { replaceGiftRanges } from '../giftcards/repo';
import type { Db } from '../db';
import { Catalog, setCatalogOverlay, type CatalogOverlay } from './repo';
import { systemClock } from '../clock';

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

const nextTick = () => new Promise<void>((r) => setImmediate(r));

/** Current HQ catalog version on this terminal (0: none from HQ yet, e.g. the demo catalog). */
export function appliedCatalogVersion(db: Db): number {
  const r = db.prepare<[], { value: string }>("SELECT value FROM catalog_meta WHERE key = 'hq_version'").get();
  return r ? Number(r.value) : 0;
}

/** Reads and checks every record of a gzip NDJSON payload, in order. */
async function* records(file: string): AsyncGenerator<CatalogRecord> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (!line) continue;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new CatalogRefusal('INVALID_PAYLOAD', `catalog line ${n} is not JSON`);
      }
      const r = CatalogRecordSchema.safeParse(json);
      if (!r.success) throw new CatalogRefusal('INVALID_PAYLOAD', `catalog line ${n}: ${r.error.issues[0]?.path.join('.') || 'record'}: ${r.error.issues[0]?.message}`);
      yield r.data;
    }
  } catch (err) {
    if (err instanceof CatalogRefusal) throw err;
    throw new CatalogRefusal('INVALID_PAYLOAD', `the catalog payload cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const ITEM_COLUMNS = `
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  department_id   TEXT NOT NULL REFERENCES department(id),
  vat_class_id    TEXT NOT NULL REFERENCES vat_class(id),
  unit            TEXT NOT NULL CHECK (unit IN ('piece', 'weight')),
  price           INTEGER NOT NULL CHECK (price >= 0),
  age_limit       INTEGER CHECK (age_limit IS NULL OR age_limit BETWEEN 1 AND 99),
  deposit_item_id TEXT REFERENCES item_next(id),
  is_deposit      INTEGER NOT NULL DEFAULT 0 CHECK (is_deposit IN (0, 1)),
  plu             TEXT UNIQUE CHECK (plu IS NULL OR plu GLOB '[0-9]*'),
  blocked         INTEGER NOT NULL DEFAULT 0 CHECK (blocked IN (0, 1))`;

/**
 * Staging tables with the same columns and rules as migrations/terminal/0001_catalog.sql (a test
 * compares them). Index names carry the version, since the old tables keep theirs until dropped.
 */
function createStaging(db: Db, version: number): void {
  db.exec(`
    CREATE TABLE item_next (${ITEM_COLUMNS});
    CREATE INDEX item_department_v${version} ON item_next(department_id);
    CREATE TABLE barcode_next (
      code    TEXT PRIMARY KEY CHECK (length(code) = 14 AND code GLOB '[0-9]*'),
      item_id TEXT NOT NULL REFERENCES item_next(id)
    ) WITHOUT ROWID;
    CREATE INDEX barcode_item_v${version} ON barcode_next(item_id);`);
}

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

function writeMeta(db: Db, m: CatalogManifest, now: Date, signed: string | undefined): void {
  const put = db.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  put.run('version', String(m.version));
  put.run('hq_version', String(m.version));
  put.run('published_at', m.publishedAt);
  put.run('expires_at', m.expiresAt);
  put.run('applied_at', now.toISOString());
  if (signed) put.run('manifest', signed);
}

function upsertVatDept(db: Db, vat: VatRecord[], dept: DeptRecord[]): void {
  const v = db.prepare('INSERT INTO vat_class (id, name, rate_bp) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name, rate_bp = excluded.rate_bp');
  const d = db.prepare('INSERT INTO department (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name');
  for (const r of vat) v.run(r.id, r.name, r.rateBp);
  for (const r of dept) d.run(r.id, r.name);
}

const itemArgs = (r: ItemRecord) => [r.id, r.name, r.dept, r.vat, r.unit, r.price, r.ageLimit ?? null, r.deposit ?? null, r.isDeposit ? 1 : 0, r.plu ?? null, r.blocked ? 1 : 0] as const;

function sqliteMessage(err: unknown): string {
  const m = err instanceof Error ? err.message : String(err);
  return /FOREIGN KEY/.test(m) ? 'it refers to an item, department or VAT class that does not exist' : /UNIQUE/.test(m) ? `a barcode or PLU is used twice (${m})` : m;
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
  const insItem = db.prepare(
    `INSERT INTO item_next (id, name, department_id, vat_class_id, unit, price, age_limit, deposit_item_id, is_deposit, plu, blocked) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insCode = db.prepare('INSERT INTO barcode_next (code, item_id) VALUES (?, ?)');
  const newVat = db.prepare('INSERT OR IGNORE INTO vat_class (id, name, rate_bp) VALUES (?, ?, ?)');
  const newDept = db.prepare('INSERT OR IGNORE INTO department (id, name) VALUES (?, ?)');
  const newIds = db.transaction(() => {
    for (const r of vat) newVat.run(r.id, r.name, r.rateBp);
    for (const r of dept) newDept.run(r.id, r.name);
  });
  let batch: ItemRecord[] = [];
  let line = 0;
  const flush = db.transaction((rows: ItemRecord[]) => {
    for (const r of rows) {
      try {
        insItem.run(...itemArgs(r));
        for (const c of r.codes) insCode.run(c, r.id);
      } catch (err) {
        throw new CatalogRefusal('INVALID_PAYLOAD', `item ${r.id} cannot be stored: ${sqliteMessage(err)}`);
      }
    }
  });
  let items = 0;
  let count = 0;
  let newIdsWritten = false;
  try {
    for await (const r of records(file)) {
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
        if (batch.length >= chunk) {
          const t0 = performance.now();
          flush(batch);
          // Keep each transaction short, so a scan waits at most a few milliseconds.
          if (!opts.chunk) chunk = Math.max(20, Math.min(5_000, Math.round((chunk * sliceMs) / Math.max(0.1, performance.now() - t0))));
          batch = [];
          opts.onProgress?.(items, m.items);
          await nextTick();
        }
      } else throw new CatalogRefusal('INVALID_PAYLOAD', `catalog line ${line}: a full snapshot cannot remove anything`);
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

/**
 * Runs `steps` as small transactions, each taking about `sliceMs`, yielding to the event loop
 * between them (foreign keys are checked at each commit).
 */
async function inSlices<T>(db: Db, rows: T[], step: (r: T) => void, sliceMs: number): Promise<void> {
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

/**
 * Reads a delta whole (deltas are small) and checks it against the catalog in use; then writes it
 * in small steps while an in-memory overlay keeps every lookup it touches on the previous version,
 * and switches (VAT rates, promotions, version) in one last short transaction.
 */
async function applyDelta(db: Db, file: string, m: CatalogManifest, opts: ApplyOptions): Promise<ItemCount> {
  const vat: VatRecord[] = [];
  const dept: DeptRecord[] = [];
  const items: ItemRecord[] = [];
  const promos: PromoRecord[] = [];
  const delItems: string[] = [];
  const delPromos: string[] = [];
  const giftRanges: GiftRangeRecord[] = [];
  let count = 0;
  for await (const r of records(file)) {
    if (++count % 200 === 0) await nextTick();
    if (r.t === 'vat') vat.push(r);
    else if (r.t === 'dept') dept.push(r);
    else if (r.t === 'item') items.push(r);
    else if (r.t === 'promo') promos.push(r);
    else if (r.t === 'del') delItems.push(r.id);
    else if (r.t === 'giftRange') giftRanges.push(r);
    else delPromos.push(r.id);
  }
  if (count !== m.records || items.length !== m.items) throw new CatalogRefusal('INVALID_PAYLOAD', `the payload has ${count} records and ${items.length} items, the manifest says ${m.records} and ${m.items}`);
  const sliceMs = opts.sliceMs ?? 3;

  // The previous version of everything the delta touches (read in slices too).
  const catalog = new Catalog(db);
  const overlay: CatalogOverlay = { byCode: new Map(), byPlu: new Map(), byId: new Map() };
  const touched = [...items.map((r) => r.id), ...delItems];
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

  // Check it all before writing anything: what it refers to exists, barcodes and PLUs stay unique.
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
      const d = newItems.get(r.deposit) ?? (deleted.has(r.deposit) ? null : catalog.getItem(r.deposit));
      if (!d) throw problem(`refers to deposit item ${r.deposit}, which does not exist`);
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

/** True when a delta was cut short (the terminal stopped mid-way): the same delta must be applied again. */
export function catalogDeltaInterrupted(db: Db): number | null {
  const r = db.prepare<[], { value: string }>("SELECT value FROM catalog_meta WHERE key = 'applying'").get();
  return r ? Number(r.value) : null;
}

/** How many items the catalog has after an apply: the total (full snapshot), or the change (delta). */
export type ItemCount = { total: number } | { change: number };

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
