/**
 * Catalog lookups: one indexed point query each, prepared once. While a catalog delta is being
 * written in small steps, an in-memory overlay holds the previous version of everything the delta
 * touches, so lookups keep answering from the old version until the switch.
 */
import type { Db } from '../db';

/** The previous version of the rows a delta in progress touches (null: did not exist). */
export interface CatalogOverlay {
  byCode: Map<string, CatalogItem | null>;
  byPlu: Map<string, CatalogItem | null>;
  byId: Map<string, CatalogItem | null>;
}

const overlays = new WeakMap<Db, CatalogOverlay>();

/** Installs (or removes, with null) the overlay every Catalog on this database consults first. */
export function setCatalogOverlay(db: Db, overlay: CatalogOverlay | null): void {
  if (overlay) overlays.set(db, overlay);
  else overlays.delete(db);
}

export interface CatalogItem {
  id: string;
  name: string;
  departmentId: string;
  vatClassId: string;
  /** Basis points: 2500 = 25 %. */
  vatRate: number;
  unit: 'piece' | 'weight';
  /** VAT-inclusive minor units, per piece or per kilogram. */
  price: number;
  ageLimit: number | null;
  depositItemId: string | null;
  isDeposit: boolean;
  plu: string | null;
  blocked: boolean;
}

interface Row {
  id: string;
  name: string;
  department_id: string;
  vat_class_id: string;
  rate_bp: number;
  unit: 'piece' | 'weight';
  price: number;
  age_limit: number | null;
  deposit_item_id: string | null;
  is_deposit: number;
  plu: string | null;
  blocked: number;
}

const COLUMNS = `i.id, i.name, i.department_id, i.vat_class_id, v.rate_bp, i.unit, i.price, i.age_limit,
  i.deposit_item_id, i.is_deposit, i.plu, i.blocked`;

function toItem(r: Row | undefined): CatalogItem | null {
  if (!r) return null;
  return {
    id: r.id,
    name: r.name,
    departmentId: r.department_id,
    vatClassId: r.vat_class_id,
    vatRate: r.rate_bp,
    unit: r.unit,
    price: r.price,
    ageLimit: r.age_limit,
    depositItemId: r.deposit_item_id,
    isDeposit: r.is_deposit === 1,
    plu: r.plu,
    blocked: r.blocked === 1,
  };
}

/** The VAT rate of a class for the sale being made (the market's dated rate), given the catalog's own rate of the class. */
export type VatRateOf = (classId: string, catalogRate: number) => number;

export class Catalog {
  private vatOf: VatRateOf | null = null;
  private readonly byCode;
  private readonly byPlu;
  private readonly byId;
  private readonly counts;
  private readonly meta;
  private readonly produceAll;
  private readonly produceByPlu;
  private readonly produceByName;
  private readonly departmentList;
  private readonly classRate;

  constructor(private readonly db: Db) {
    this.byCode = db.prepare<[string], Row>(
      `SELECT ${COLUMNS} FROM barcode b JOIN item i ON i.id = b.item_id JOIN vat_class v ON v.id = i.vat_class_id WHERE b.code = ?`,
    );
    this.byPlu = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM item i JOIN vat_class v ON v.id = i.vat_class_id WHERE i.plu = ?`);
    this.byId = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM item i JOIN vat_class v ON v.id = i.vat_class_id WHERE i.id = ?`);
    this.counts = db.prepare<[], { items: number; barcodes: number }>(
      'SELECT (SELECT count(*) FROM item) AS items, (SELECT count(*) FROM barcode) AS barcodes',
    );
    this.meta = db.prepare<[string], { value: string }>('SELECT value FROM catalog_meta WHERE key = ?');
    type ProduceRow = { id: string; name: string; plu: string; unit: 'piece' | 'weight'; price: number; age_limit: number | null };
    const produce = `SELECT id, name, plu, unit, price, age_limit FROM item WHERE plu IS NOT NULL AND blocked = 0 AND is_deposit = 0`;
    this.produceAll = db.prepare<[], ProduceRow>(`${produce} ORDER BY name LIMIT 60`);
    this.produceByPlu = db.prepare<[string], ProduceRow>(`${produce} AND plu LIKE ? ORDER BY plu LIMIT 60`);
    this.produceByName = db.prepare<[string], ProduceRow>(`${produce} AND name LIKE ? ESCAPE '\\' ORDER BY name LIMIT 60`);
    // The rate most items of a department carry (a department with no items gets the standard rate, the highest).
    this.departmentList = db.prepare<[], { id: string; name: string; vat_class_id: string | null }>(
      `SELECT d.id, d.name, coalesce(
         (SELECT v.id FROM item i JOIN vat_class v ON v.id = i.vat_class_id WHERE i.department_id = d.id AND i.is_deposit = 0
          GROUP BY v.id ORDER BY count(*) DESC, v.rate_bp DESC LIMIT 1),
         (SELECT id FROM vat_class ORDER BY rate_bp DESC LIMIT 1)) AS vat_class_id
       FROM department d ORDER BY d.name`,
    );
    this.classRate = db.prepare<[string], { rate_bp: number }>('SELECT rate_bp FROM vat_class WHERE id = ?');
  }

  /**
   * Items answer their class's rate as `vatOf` says (the lane: the market profile's rate on the
   * business date, core/markets/vat.ts); without it, the catalog's own rate of the class.
   */
  useVatRates(vatOf: VatRateOf): void {
    this.vatOf = vatOf;
  }

  /** The rate of a VAT class for the sale being made. */
  rateOf(classId: string, catalogRate: number): number {
    return this.vatOf ? this.vatOf(classId, catalogRate) : catalogRate;
  }

  private dated(item: CatalogItem | null): CatalogItem | null {
    return item && this.vatOf ? { ...item, vatRate: this.vatOf(item.vatClassId, item.vatRate) } : item;
  }

  /** By a 14-digit lookup code (see resolveBarcode). */
  findByCode(lookupCode: string): CatalogItem | null {
    const old = overlays.get(this.db)?.byCode.get(lookupCode);
    return this.dated(old !== undefined ? old : toItem(this.byCode.get(lookupCode)));
  }

  findByPlu(plu: string): CatalogItem | null {
    const old = overlays.get(this.db)?.byPlu.get(plu);
    return this.dated(old !== undefined ? old : toItem(this.byPlu.get(plu)));
  }

  getItem(id: string): CatalogItem | null {
    const old = overlays.get(this.db)?.byId.get(id);
    return this.dated(old !== undefined ? old : toItem(this.byId.get(id)));
  }

  /**
   * Produce sold by PLU (no barcode), for the picture grid: all of it (up to 60) or those whose name
   * or PLU matches `query`. Blocked items are left out.
   */
  produce(query: string): Array<{ itemId: string; name: string; plu: string; unit: 'piece' | 'weight'; price: number; ageLimit: number | null }> {
    const q = query.trim();
    const rows = q
      ? /^\d+$/.test(q)
        ? this.produceByPlu.all(`${q}%`)
        : this.produceByName.all(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
      : this.produceAll.all();
    return rows.map((r) => ({ itemId: r.id, name: r.name, plu: r.plu, unit: r.unit, price: r.price, ageLimit: r.age_limit }));
  }

  /**
   * Departments, each with the VAT rate most of its items carry: an item the catalog does not know
   * is sold under its department at that rate.
   */
  departments(): Array<{ id: string; name: string; vatRate: number }> {
    return this.departmentList.all().map((d) => ({ id: d.id, name: d.name, vatRate: d.vat_class_id === null ? 0 : this.rateOf(d.vat_class_id, this.classRate.get(d.vat_class_id)?.rate_bp ?? 0) }));
  }

  /** The deposit items that may be taken back as empties, cheapest first. */
  depositItems(): Array<{ id: string; name: string; price: number; vatRate: number }> {
    return this.db
      .prepare<[], { id: string; name: string; price: number; vat_class_id: string; rate_bp: number }>('SELECT i.id, i.name, i.price, i.vat_class_id, v.rate_bp FROM item i JOIN vat_class v ON v.id = i.vat_class_id WHERE i.is_deposit = 1 AND i.blocked = 0 ORDER BY i.price, i.name')
      .all()
      .map((d) => ({ id: d.id, name: d.name, price: d.price, vatRate: this.rateOf(d.vat_class_id, d.rate_bp) }));
  }

  stats(): { items: number; barcodes: number; version: string | null } {
    const c = this.counts.get()!;
    return { ...c, version: this.meta.get('version')?.value ?? null };
  }
}
