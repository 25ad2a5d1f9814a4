/**
 * Demo catalog: the demo store's assortment of the store's market (core/markets/demo/, one per
 * country profile), and the same generator scaled up (500,000 items / 1,000,000 barcodes) for
 * benchmarks. Deterministic for a given seed.
 */
import type { Profile } from '../../protocol/terminal';
import type { Db } from '../db';
import { systemClock, type Clock } from '../clock';
import { replaceGiftRanges } from '../giftcards/repo';
import { DEMO_MARKETS, SE_DEMO } from '../markets/demo';
import { ean13, type DemoFamily, type DemoItem } from '../markets/demo/types';

export { ean13 };

export interface GenerateOptions {
  /** Total items including the fixed demo items (default 300). */
  items?: number;
  /** Total barcodes (default: about 1.15 per item). */
  barcodes?: number;
  seed?: number;
  version?: string;
  /** The clock that stamps `generated_at`. */
  now?: Clock;
  /** Whose demo store (default SE). */
  country?: Profile['country'];
}

/** The Swedish demo store's fixed items and scannable examples (the tests' and benches' store). */
export const DEMO_ITEMS = SE_DEMO.items;
export const DEMO_SCANS = SE_DEMO.scans;

/** mulberry32: tiny, fast, deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function clearCatalog(db: Db): void {
  db.exec('DELETE FROM barcode; UPDATE item SET deposit_item_id = NULL; DELETE FROM item; DELETE FROM department; DELETE FROM vat_class; DELETE FROM catalog_meta;');
}

/**
 * Writes the demo catalog into an empty catalog (one transaction, prepared statements).
 * Throws if the catalog already has items (use `replace`).
 */
export function generateCatalog(db: Db, opts: GenerateOptions & { replace?: boolean } = {}): { items: number; barcodes: number } {
  const market = DEMO_MARKETS[opts.country ?? 'SE'];
  const fixed: DemoItem[] = Object.values(market.items);
  const fixedCodes = fixed.reduce((n, f) => n + f.codes.length, 0);
  const totalItems = Math.max(opts.items ?? 300, fixed.length);
  const fillerItems = totalItems - fixed.length;
  const totalBarcodes = Math.max(opts.barcodes ?? Math.round(fillerItems * 1.15) + fixedCodes, fixedCodes + fillerItems);
  const rnd = prng(opts.seed ?? 20211);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  const insVat = db.prepare('INSERT INTO vat_class (id, name, rate_bp) VALUES (?, ?, ?)');
  const insDept = db.prepare('INSERT INTO department (id, name) VALUES (?, ?)');
  const insItem = db.prepare(
    `INSERT INTO item (id, name, department_id, vat_class_id, unit, price, age_limit, deposit_item_id, is_deposit, plu)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insCode = db.prepare('INSERT INTO barcode (code, item_id) VALUES (?, ?)');
  const insMeta = db.prepare('INSERT INTO catalog_meta (key, value) VALUES (?, ?)');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM item');

  const families: DemoFamily[] = [];
  for (const f of market.families) for (let i = 0; i < f.weight; i++) families.push(f);

  let barcodes = 0;
  const write = db.transaction(() => {
    if (count.get()!.n > 0) {
      if (!opts.replace) throw new Error('the catalog already has items; pass replace to overwrite it');
      clearCatalog(db);
    }
    for (const v of market.vatClasses) insVat.run(v.id, v.name, v.rate);
    for (const d of market.departments) insDept.run(d.id, d.name);
    // deposits first (items reference them)
    const ordered = [...fixed.filter((f) => f.isDeposit), ...fixed.filter((f) => !f.isDeposit)];
    for (const f of ordered) {
      insItem.run(f.id, f.name, f.department, f.vat, f.unit, f.price, f.ageLimit ?? null, f.deposit ?? null, f.isDeposit ? 1 : 0, f.plu ?? null);
      for (const c of f.codes) {
        insCode.run('0' + c, f.id);
        barcodes++;
      }
    }
    // Filler: the market's 2 digits + 10-digit serial + check digit (distinct from the fixed items' codes).
    let serial = 1;
    let extraCodes = totalBarcodes - barcodes - fillerItems;
    let plu = 30000; // 5-digit store PLUs; the fixed items use 4-digit IFPS codes
    // One picture tile per name: a second loose item of the same name (another price) gets no PLU.
    const pluNames = new Set<string>(fixed.filter((d) => d.plu).map((d) => d.name));
    for (let i = 0; i < fillerItems; i++) {
      const f = pick(families);
      const brand = pick(f.brands);
      const product = pick(f.products);
      const size = pick(f.sizes);
      const name = `${brand} ${product}${size ? ' ' + size : ''}`.slice(0, 120);
      const [lo, hi] = f.price;
      const price = Math.round((lo + rnd() * (hi - lo)) / 10) * 10;
      const id = `I${String(i + 1).padStart(7, '0')}`;
      const weighed = f.unit === 'weight';
      const withPlu = weighed && plu < 99999 && !pluNames.has(name);
      if (withPlu) pluNames.add(name);
      insItem.run(id, name, f.department, f.vat, weighed ? 'weight' : 'piece', price, f.ageLimit ?? null, f.deposit ?? null, 0, withPlu ? String(plu++) : null);
      // One barcode each (weighed loose produce is sold by PLU but still gets a shelf code);
      // spread the extra barcodes (multipacks, old labels) evenly over the rest.
      const remainingItems = fillerItems - i;
      const extra = extraCodes > 0 ? Math.max(0, Math.round(extraCodes / remainingItems + (rnd() - 0.5))) : 0;
      const n = 1 + Math.min(extra, extraCodes);
      for (let k = 0; k < n; k++) {
        insCode.run('0' + ean13(market.fillerPrefix + String(serial++).padStart(10, '0')), id);
        barcodes++;
      }
      extraCodes -= n - 1;
    }
    replaceGiftRanges(db, DEMO_GIFT_RANGES);
    insMeta.run('version', opts.version ?? `demo-${opts.country && opts.country !== 'SE' ? opts.country + '-' : ''}${opts.seed ?? 20211}-${totalItems}`);
    insMeta.run('generated_at', (opts.now ?? systemClock)().toISOString());
    insMeta.run('market', opts.country ?? 'SE');
  });
  write.immediate();
  return { items: totalItems, barcodes };
}

/** Demo gift cards (digits as printed under their barcode) and their balances in öre. */
export const DEMO_VOUCHERS = [
  { code: '9752000000017', balance: 20_000 },
  { code: '9752000000024', balance: 5_000 },
] as const;

/**
 * The demo catalog's gift card range: 13 digits starting 9752 (the demo cards' numbers carry no
 * check digit of a known scheme, so none is checked); refunds onto a new card are issued from it.
 */
export const DEMO_GIFT_RANGES = [{ prefix: '9752', length: 13, check: 'none', issue: true }] as const;

export function seedDemoVouchers(db: Db): void {
  const ins = db.prepare('INSERT OR IGNORE INTO voucher (code, balance) VALUES (?, ?)');
  for (const v of DEMO_VOUCHERS) ins.run(v.code, v.balance);
  // A demo database from before gift card ranges existed gets the demo range (never over a catalog from HQ).
  db.prepare("INSERT OR IGNORE INTO gift_card_range (prefix, length, check_digit, issue) SELECT ?, ?, ?, 1 WHERE NOT EXISTS (SELECT 1 FROM catalog_meta WHERE key = 'hq_version')").run(
    DEMO_GIFT_RANGES[0].prefix,
    DEMO_GIFT_RANGES[0].length,
    DEMO_GIFT_RANGES[0].check,
  );
}

/** Demo promotions: the kinds a Swedish grocery runs, on the fixed demo items. */
export const DEMO_PROMOTIONS = SE_DEMO.promotions;

/**
 * The demo catalog of the store's market: written once, and written anew when the demo store was
 * started with another country's profile (a catalog from HQ is never touched). Null: left as it was.
 */
export function ensureDemoCatalog(db: Db, country: Profile['country'], now: Clock): { items: number; barcodes: number } | null {
  const meta = (key: string) => db.prepare<[string], { value: string }>('SELECT value FROM catalog_meta WHERE key = ?').get(key)?.value ?? null;
  const items = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM item').get()!.n;
  if (items > 0 && (meta('hq_version') !== null || (meta('market') ?? 'SE') === country)) return null;
  // Another market's demo promotions name items that are gone.
  if (items > 0) db.prepare('DELETE FROM promotion').run();
  return generateCatalog(db, { now, country, replace: true });
}

export function seedDemoPromotions(db: Db, country: Profile['country'] = 'SE'): void {
  const ins = db.prepare('INSERT OR IGNORE INTO promotion (id, spec) VALUES (?, ?)');
  for (const p of DEMO_MARKETS[country].promotions) ins.run(p.id, JSON.stringify(p));
}
