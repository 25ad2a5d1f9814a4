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

export class Catalog {
  private readonly byCode;
  private readonly byPlu;
  private readonly byId;
  private readonly counts;
  private readonly meta;

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
  }

  /** By a 14-digit lookup code (see resolveBarcode). */
  findByCode(lookupCode: string): CatalogItem | null {
    const old = overlays.get(this.db)?.byCode.get(lookupCode);
    return old !== undefined ? old : toItem(this.byCode.get(lookupCode));
  }

  findByPlu(plu: string): CatalogItem | null {
    const old = overlays.get(this.db)?.byPlu.get(plu);
    return old !== undefined ? old : toItem(this.byPlu.get(plu));
  }

  getItem(id: string): CatalogItem | null {
    const old = overlays.get(this.db)?.byId.get(id);
    return old !== undefined ? old : toItem(this.byId.get(id));
  }

  stats(): { items: number; barcodes: number; version: string | null } {
    const c = this.counts.get()!;
    return { ...c, version: this.meta.get('version')?.value ?? null };
  }
}
