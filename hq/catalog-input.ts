/**
 * What HQ publishes a catalog from: its content (VAT classes, departments, items, promotions, gift
 * card ranges), read from a JSON catalog, an items CSV or a prices CSV, and validated as a whole
 * before anything is published (catalog.ts).
 */
import {
  CatalogRecordSchema,
  GiftRangeRecordSchema,
  type DeptRecord,
  type GiftRangeRecord,
  type ItemRecord,
  type PromoRecord,
  type VatRecord,
} from '../protocol/catalog';
import { isValidGtin } from '../protocol/gtin';

export interface CatalogContent {
  vat: Map<string, VatRecord>;
  dept: Map<string, DeptRecord>;
  items: Map<string, ItemRecord>;
  promos: Map<string, PromoRecord>;
  /** Gift card number ranges, by prefix (every payload carries them all). */
  gift: Map<string, GiftRangeRecord>;
}

export class PublishError extends Error {
  constructor(readonly problems: string[]) {
    super(`the catalog was not published:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`);
  }
}

export const emptyContent = (): CatalogContent => ({ vat: new Map(), dept: new Map(), items: new Map(), promos: new Map(), gift: new Map() });

// ---------------------------------------------------------------------------------------------
// Signing key
// ---------------------------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Input: JSON catalog, CSV items, CSV prices
// ---------------------------------------------------------------------------------------------

/** RFC 4180 CSV (quotes, doubled quotes, CRLF); `,` or `;` as the separator, chosen from the header. */
export function parseCsv(text: string): Array<Record<string, string>> {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.slice(0, src.indexOf('\n') === -1 ? src.length : src.indexOf('\n'));
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...body] = rows;
  if (!header) return [];
  const names = header.map((h) => h.trim().toLowerCase());
  return body.map((r) => Object.fromEntries(names.map((n, i) => [n, (r[i] ?? '').trim()])));
}

/** A barcode as printed (8, 12, 13 or 14 digits) → the 14-digit lookup code, or why not. */
export function toLookupCode(code: string): { code: string } | { error: string } {
  const c = code.trim();
  if (!/^\d{8}$|^\d{12,14}$/.test(c)) return { error: `barcode ${JSON.stringify(c)} is not 8, 12, 13 or 14 digits` };
  const padded = c.padStart(14, '0');
  // Restricted-circulation codes (EAN-13 prefix 20–29) are stored with their measure digits
  // zeroed, so their check digit is not that of the printed label.
  if (!padded.startsWith('002') && !isValidGtin(c)) return { error: `barcode ${c} has a wrong check digit` };
  return { code: padded };
}

/** Price in major units as written by people ("17.95", "17,95", "18") → minor units. */
function majorToMinor(s: string): number | null {
  const m = /^(\d{1,7})(?:[.,](\d{1,2}))?$/.exec(s.trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
}

function priceOf(r: Record<string, string | number | undefined>, where: string, problems: string[]): number | null {
  if (r.price_minor !== undefined && r.price_minor !== '') {
    const n = Number(r.price_minor);
    if (Number.isInteger(n) && n >= 0) return n;
    problems.push(`${where}: price_minor ${JSON.stringify(r.price_minor)} is not a whole number of minor units`);
    return null;
  }
  if (r.price !== undefined && r.price !== '') {
    const n = typeof r.price === 'number' ? (Math.abs(r.price * 100 - Math.round(r.price * 100)) < 1e-6 ? Math.round(r.price * 100) : null) : majorToMinor(r.price);
    if (n !== null && n >= 0) return n;
    problems.push(`${where}: price ${JSON.stringify(r.price)} is not an amount like 17.95`);
    return null;
  }
  problems.push(`${where}: no price (give price as 17.95 or price_minor as 1795)`);
  return null;
}

const bool = (v: unknown) => v === true || v === 1 || (typeof v === 'string' && /^(1|true|yes|ja)$/i.test(v.trim()));

function itemFrom(r: Record<string, unknown>, where: string, problems: string[]): ItemRecord | null {
  const str = (k: string) => (r[k] === undefined || r[k] === null ? '' : String(r[k]).trim());
  const price = priceOf(r as Record<string, string | number | undefined>, where, problems);
  const rawCodes = Array.isArray(r.barcodes) ? r.barcodes.map(String) : str('barcodes').split(/[\s|;]+/).filter(Boolean);
  const codes: string[] = [];
  for (const c of rawCodes) {
    const l = toLookupCode(c);
    if ('error' in l) problems.push(`${where}: ${l.error}`);
    else codes.push(l.code);
  }
  const age = str('age_limit') || str('ageLimit');
  const candidate = {
    t: 'item',
    id: str('id'),
    name: str('name'),
    dept: str('department'),
    vat: str('vat'),
    unit: str('unit') || 'piece',
    price: price ?? 0,
    ageLimit: age ? Number(age) : null,
    deposit: str('deposit') || null,
    isDeposit: bool(r.is_deposit ?? r.isDeposit),
    plu: str('plu') || null,
    blocked: bool(r.blocked),
    codes,
  };
  const p = CatalogRecordSchema.safeParse(candidate);
  if (!p.success) {
    for (const i of p.error.issues) problems.push(`${where}: ${i.path.join('.') || 'item'}: ${i.message}`);
    return null;
  }
  return price === null ? null : (p.data as ItemRecord);
}

/** A catalog JSON file: sections present replace the previous version's; absent ones carry over. */
export function applyJsonInput(base: CatalogContent, text: string, name: string): CatalogContent {
  const problems: string[] = [];
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new PublishError([`${name}: not JSON (${err instanceof Error ? err.message : String(err)})`]);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new PublishError([`${name}: expected an object with vatClasses, departments, items, promotions`]);
  const next: CatalogContent = { vat: base.vat, dept: base.dept, items: base.items, promos: base.promos, gift: base.gift };
  const list = (k: string) => {
    const v = doc[k];
    if (v === undefined) return null;
    if (!Array.isArray(v)) {
      problems.push(`${name}: ${k} must be a list`);
      return null;
    }
    return v as Array<Record<string, unknown>>;
  };
  /** A section of records (VAT classes, departments, promotions), each checked against its record schema. */
  const section = <R extends { id: string }>(key: string, toRecord: (row: Record<string, unknown>) => unknown): Map<string, R> | null => {
    const rows = list(key);
    if (!rows) return null;
    const out = new Map<string, R>();
    rows.forEach((row, i) => {
      const p = CatalogRecordSchema.safeParse(toRecord(row));
      if (p.success) out.set((p.data as unknown as R).id, p.data as unknown as R);
      else problems.push(`${name} ${key}[${i}]: ${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}`);
    });
    return out;
  };
  next.vat = section<VatRecord>('vatClasses', (v) => ({ t: 'vat', id: v.id, name: v.name, rateBp: v.rateBp })) ?? next.vat;
  next.dept = section<DeptRecord>('departments', (d) => ({ t: 'dept', id: d.id, name: d.name })) ?? next.dept;
  const items = list('items');
  if (items) {
    next.items = new Map();
    items.forEach((r, i) => {
      const it = itemFrom(r, `${name} items[${i}]`, problems);
      if (it && next.items.has(it.id)) problems.push(`${name} items[${i}]: item ${it.id} appears twice`);
      else if (it) next.items.set(it.id, it);
    });
  }
  next.promos = section<PromoRecord>('promotions', (p) => ({ t: 'promo', id: p.id, spec: p })) ?? next.promos;
  // Gift card number ranges: [{ prefix: "9752", length: 13, check: "luhn" | "gtin" | "none", issue: true }].
  const ranges = list('giftCardRanges');
  if (ranges) {
    next.gift = new Map();
    ranges.forEach((g, i) => {
      const p = GiftRangeRecordSchema.safeParse({ t: 'giftRange', prefix: g.prefix, length: g.length, check: g.check, ...(g.issue !== undefined ? { issue: g.issue } : {}) });
      if (!p.success) problems.push(`${name} giftCardRanges[${i}]: ${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}`);
      else if (next.gift.has(p.data.prefix)) problems.push(`${name} giftCardRanges[${i}]: prefix ${p.data.prefix} appears twice`);
      else next.gift.set(p.data.prefix, p.data);
    });
  }
  if (problems.length) throw new PublishError(problems);
  return next;
}

/** An items CSV replaces the item list (id,name,department,vat,unit,price|price_minor,barcodes,plu,age_limit,deposit,is_deposit,blocked). */
export function applyItemsCsv(base: CatalogContent, text: string, name: string): CatalogContent {
  const problems: string[] = [];
  const items = new Map<string, ItemRecord>();
  parseCsv(text).forEach((r, i) => {
    const it = itemFrom(r, `${name} line ${i + 2}`, problems);
    if (it && items.has(it.id)) problems.push(`${name} line ${i + 2}: item ${it.id} appears twice`);
    else if (it) items.set(it.id, it);
  });
  if (problems.length) throw new PublishError(problems);
  return { ...base, items };
}

/** A prices CSV (id,price or id,price_minor) changes the prices of existing items. */
export function applyPricesCsv(base: CatalogContent, text: string, name: string): CatalogContent {
  const problems: string[] = [];
  const items = new Map(base.items);
  parseCsv(text).forEach((r, i) => {
    const where = `${name} line ${i + 2}`;
    const item = items.get(r.id ?? '');
    if (!item) return void problems.push(`${where}: no item ${JSON.stringify(r.id ?? '')} in the catalog`);
    const price = priceOf(r, where, problems);
    if (price !== null) items.set(item.id, { ...item, price });
  });
  if (problems.length) throw new PublishError(problems);
  return { ...base, items };
}

/** Cross-record rules the terminal's database also enforces; every problem, not just the first. */
export function validateContent(c: CatalogContent): string[] {
  const problems: string[] = [];
  const codes = new Map<string, string>();
  const plus = new Map<string, string>();
  for (const it of c.items.values()) {
    if (!c.dept.has(it.dept)) problems.push(`item ${it.id}: unknown department ${it.dept}`);
    if (!c.vat.has(it.vat)) problems.push(`item ${it.id}: unknown VAT class ${it.vat}`);
    if (it.deposit) {
      const d = c.items.get(it.deposit);
      if (!d) problems.push(`item ${it.id}: deposit item ${it.deposit} is not in the catalog`);
      else if (!d.isDeposit) problems.push(`item ${it.id}: ${it.deposit} is not a deposit item`);
    }
    for (const code of it.codes) {
      const other = codes.get(code);
      if (other && other !== it.id) problems.push(`barcode ${code} belongs to both ${other} and ${it.id}`);
      codes.set(code, it.id);
    }
    if (it.plu) {
      const other = plus.get(it.plu);
      if (other) problems.push(`PLU ${it.plu} belongs to both ${other} and ${it.id}`);
      plus.set(it.plu, it.id);
    }
  }
  return problems;
}

