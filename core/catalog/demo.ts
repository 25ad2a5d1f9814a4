/**
 * Demo catalog: a realistic Swedish grocery assortment for the demo store, and the same generator
 * scaled up (500,000 items / 1,000,000 barcodes) for benchmarks. Deterministic for a given seed.
 */
import type { Db } from '../db';
import { gtinCheckDigit } from './barcode';
import { systemClock, type Clock } from '../clock';
import { replaceGiftRanges } from '../giftcards/repo';

export interface GenerateOptions {
  /** Total items including the fixed demo items (default 300). */
  items?: number;
  /** Total barcodes (default: about 1.15 per item). */
  barcodes?: number;
  seed?: number;
  version?: string;
  /** The clock that stamps `generated_at`. */
  now?: Clock;
}

/** EAN-13 from 12 digits. */
export function ean13(payload12: string): string {
  return payload12 + gtinCheckDigit(payload12);
}

/** SE variable-measure code: prefix, 6-digit item ref, 4-digit measure, check digit. */
export function seVariableCode(prefix: '20' | '21' | '22' | '23' | '24' | '25', itemRef: string, measure: string): string {
  return ean13(prefix + itemRef + measure);
}

interface FixedItem {
  id: string;
  name: string;
  department: string;
  vat: 'food' | 'standard' | 'reduced';
  unit: 'piece' | 'weight';
  price: number;
  ageLimit?: number;
  deposit?: string;
  isDeposit?: boolean;
  plu?: string;
  /** Codes as a cashier scans them (13 digits); variable-measure items list their zeroed code. */
  codes: string[];
}

const VAT_CLASSES = [
  { id: 'standard', name: 'Moms 25 %', rate: 2500 },
  { id: 'food', name: 'Livsmedel 12 %', rate: 1200 },
  { id: 'reduced', name: 'Tidningar/böcker 6 %', rate: 600 },
] as const;

const DEPARTMENTS = [
  { id: 'mejeri', name: 'Mejeri' },
  { id: 'brod', name: 'Bröd' },
  { id: 'frukt', name: 'Frukt & grönt' },
  { id: 'kott', name: 'Kött & chark' },
  { id: 'drycker', name: 'Drycker' },
  { id: 'skafferi', name: 'Skafferi' },
  { id: 'fryst', name: 'Fryst' },
  { id: 'godis', name: 'Godis & snacks' },
  { id: 'hushall', name: 'Hushåll' },
  { id: 'tobak', name: 'Tobak' },
  { id: 'tidningar', name: 'Tidningar' },
  { id: 'pant', name: 'Pant' },
] as const;

/**
 * Fixed demo items: always present, whatever the size. Codes here are what the demo and the tests
 * scan. (Swedish pant follows the VAT rate of the drink it belongs to.)
 */
export const DEMO_ITEMS = {
  pantCan: { id: 'pant-burk', name: 'Pant burk', department: 'pant', vat: 'food', unit: 'piece', price: 100, isDeposit: true, codes: [] },
  pantPet: { id: 'pant-pet', name: 'Pant PET-flaska', department: 'pant', vat: 'food', unit: 'piece', price: 200, isDeposit: true, codes: [] },
  pantCanBeer: { id: 'pant-burk-ol', name: 'Pant burk', department: 'pant', vat: 'standard', unit: 'piece', price: 100, isDeposit: true, codes: [] },
  milk: { id: 'mellanmjolk-1l', name: 'Mellanmjölk 1,5 % 1 l', department: 'mejeri', vat: 'food', unit: 'piece', price: 1695, codes: [ean13('731086500010'), ean13('731086500011')] },
  filmjolk: { id: 'filmjolk-1l', name: 'Filmjölk 3 % 1 l', department: 'mejeri', vat: 'food', unit: 'piece', price: 1995, codes: [ean13('731086500020')] },
  butter: { id: 'smor-500g', name: 'Smör normalsaltat 500 g', department: 'mejeri', vat: 'food', unit: 'piece', price: 5490, codes: [ean13('731086500030')] },
  bread: { id: 'surdegsbrod', name: 'Surdegsbröd levain 600 g', department: 'brod', vat: 'food', unit: 'piece', price: 3990, codes: [ean13('731086500040')] },
  julmust: { id: 'julmust-33cl', name: 'Julmust 33 cl burk', department: 'drycker', vat: 'food', unit: 'piece', price: 1290, deposit: 'pant-burk', codes: [ean13('731086500050')] },
  soda: { id: 'lask-150cl', name: 'Apelsinläsk 1,5 l', department: 'drycker', vat: 'food', unit: 'piece', price: 2290, deposit: 'pant-pet', codes: [ean13('731086500060')] },
  beer: { id: 'folkol-33cl', name: 'Folköl 3,5 % 33 cl burk', department: 'drycker', vat: 'standard', unit: 'piece', price: 1490, ageLimit: 18, deposit: 'pant-burk-ol', codes: [ean13('731086500070')] },
  snus: { id: 'snus-original', name: 'Snus original 24 g', department: 'tobak', vat: 'standard', unit: 'piece', price: 5800, ageLimit: 18, codes: [ean13('731086500080')] },
  dishSoap: { id: 'diskmedel-500ml', name: 'Diskmedel 500 ml', department: 'hushall', vat: 'standard', unit: 'piece', price: 2990, codes: [ean13('731086500090')] },
  newspaper: { id: 'dagstidning', name: 'Dagstidning', department: 'tidningar', vat: 'reduced', unit: 'piece', price: 4000, codes: [ean13('731086500100')] },
  bananas: { id: 'bananer', name: 'Bananer', department: 'frukt', vat: 'food', unit: 'weight', price: 2490, plu: '4011', codes: [] },
  apples: { id: 'apple-royal-gala', name: 'Äpplen Royal Gala', department: 'frukt', vat: 'food', unit: 'weight', price: 3490, plu: '4173', codes: [] },
  tomatoes: { id: 'tomater', name: 'Tomater', department: 'frukt', vat: 'food', unit: 'weight', price: 3990, plu: '4664', codes: [] },
  potatoes: { id: 'potatis', name: 'Potatis fast', department: 'frukt', vat: 'food', unit: 'weight', price: 1490, plu: '4072', codes: [] },
  /** Cheese cut in store, weighed label: prefix 23 (kg, 3 decimals), item ref 100001. */
  cheese: { id: 'hushallsost-bit', name: 'Hushållsost bit', department: 'mejeri', vat: 'food', unit: 'weight', price: 11900, codes: [seVariableCode('23', '100001', '0000')] },
  /** Deli salad with its price on the label: prefix 20 (kr, 2 decimals), item ref 200002. */
  salad: { id: 'farsk-sallad', name: 'Färsk sallad deli', department: 'kott', vat: 'food', unit: 'piece', price: 0, codes: [seVariableCode('20', '200002', '0000')] },
} satisfies Record<string, FixedItem>;

/** Ready-made scannable examples of the variable-measure demo items. */
export const DEMO_SCANS = {
  cheese750g: seVariableCode('23', '100001', '0750'),
  salad49_95: seVariableCode('20', '200002', '4995'),
} as const;

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

interface Family {
  department: (typeof DEPARTMENTS)[number]['id'];
  vat: 'food' | 'standard' | 'reduced';
  weight: number; // share of the assortment
  brands: string[];
  products: string[];
  sizes: string[];
  price: [number, number]; // öre
  unit?: 'piece' | 'weight';
  deposit?: string;
  ageLimit?: number;
}

const FAMILIES: Family[] = [
  { department: 'mejeri', vat: 'food', weight: 12, brands: ['Arla', 'Skånemejerier', 'Norrmejerier', 'Garant', 'ICA', 'Valio'], products: ['Mellanmjölk', 'Standardmjölk', 'Lättmjölk', 'Yoghurt naturell', 'Vaniljyoghurt', 'Kvarg', 'Gräddfil', 'Vispgrädde', 'Crème fraiche', 'Hushållsost', 'Prästost', 'Herrgårdsost', 'Keso', 'Bregott'], sizes: ['250 g', '500 g', '1 l', '1,5 l', '2 dl', '5 dl', '1 kg'], price: [1290, 9990] },
  { department: 'brod', vat: 'food', weight: 7, brands: ['Pågen', 'Skogaholm', 'Fazer', 'Polarbröd', 'Leksands', 'Wasa'], products: ['Rågbröd', 'Lingongrova', 'Formfranska', 'Tunnbröd', 'Knäckebröd', 'Kanelbullar', 'Fralla', 'Limpa', 'Hamburgerbröd'], sizes: ['6 st', '8 st', '400 g', '500 g', '750 g', '1 kg'], price: [1590, 5490] },
  { department: 'frukt', vat: 'food', weight: 6, brands: ['Svenska', 'Eko', 'Klass 1'], products: ['Gurka', 'Isbergssallad', 'Paprika röd', 'Avokado', 'Citron', 'Lime', 'Broccoli', 'Blomkål', 'Morötter', 'Lök gul', 'Vitlök', 'Champinjoner'], sizes: ['st', 'påse', '500 g', '1 kg'], price: [990, 4990] },
  { department: 'frukt', vat: 'food', weight: 2, unit: 'weight', brands: ['Lösvikt'], products: ['Päron', 'Apelsiner', 'Clementiner', 'Kiwi', 'Vindruvor', 'Sötpotatis', 'Rödlök', 'Palsternacka', 'Rotselleri'], sizes: [''], price: [1990, 6990] },
  { department: 'kott', vat: 'food', weight: 9, brands: ['Scan', 'Ica', 'Garant', 'Dafgårds', 'Pärsons', 'Sibylla'], products: ['Falukorv', 'Prinskorv', 'Köttbullar', 'Nötfärs', 'Blandfärs', 'Kycklingfilé', 'Fläskkarré', 'Skinka rökt', 'Leverpastej', 'Bacon', 'Lax fryst', 'Torskfilé'], sizes: ['200 g', '300 g', '400 g', '500 g', '800 g', '1 kg'], price: [2490, 14990] },
  { department: 'drycker', vat: 'food', weight: 8, deposit: 'pant-burk', brands: ['Coca-Cola', 'Pepsi', 'Loka', 'Ramlösa', 'Trocadero', 'Zingo', 'Fanta', 'Sprite'], products: ['Läsk', 'Mineralvatten', 'Kolsyrat vatten', 'Zero'], sizes: ['33 cl burk'], price: [990, 1990] },
  { department: 'drycker', vat: 'food', weight: 4, deposit: 'pant-pet', brands: ['Coca-Cola', 'Pepsi', 'Loka', 'Ramlösa', 'Festis', 'Pommac'], products: ['Läsk', 'Mineralvatten', 'Päronsoda', 'Fruktdryck'], sizes: ['1,5 l PET', '50 cl PET'], price: [1490, 2990] },
  { department: 'drycker', vat: 'food', weight: 4, brands: ['Bravo', 'God Morgon', 'Zoégas', 'Gevalia', 'Löfbergs', 'Lipton'], products: ['Apelsinjuice', 'Äppeljuice', 'Bryggkaffe', 'Snabbkaffe', 'Te'], sizes: ['1 l', '450 g', '500 g', '20 påsar'], price: [2490, 8990] },
  { department: 'drycker', vat: 'standard', weight: 3, deposit: 'pant-burk-ol', ageLimit: 18, brands: ['Pripps', 'Mariestads', 'Norrlands', 'Sofiero', 'Falcon', 'Spendrups'], products: ['Folköl 3,5 %', 'Ljus lager 3,5 %', 'Cider 3,5 %'], sizes: ['33 cl burk', '50 cl burk'], price: [990, 2490] },
  { department: 'skafferi', vat: 'food', weight: 14, brands: ['Kungsörnen', 'Barilla', 'Felix', 'Santa Maria', 'Uncle Ben\'s', 'Risenta', 'Dansukker', 'Ica', 'Garant'], products: ['Vetemjöl', 'Spaghetti', 'Makaroner', 'Ketchup', 'Tacokrydda', 'Jasminris', 'Havregryn', 'Strösocker', 'Krossade tomater', 'Kikärtor', 'Rapsolja', 'Lingonsylt', 'Müsli'], sizes: ['500 g', '1 kg', '2 kg', '400 g', '1 l', '28 g'], price: [990, 6990] },
  { department: 'fryst', vat: 'food', weight: 6, brands: ['Findus', 'Frödinge', 'GB Glace', 'Dafgårds', 'Ica'], products: ['Ärtor', 'Wokgrönsaker', 'Pizza', 'Glass vanilj', 'Fiskpinnar', 'Pommes frites', 'Kladdkaka'], sizes: ['500 g', '750 g', '1 kg', '1,5 l', '350 g'], price: [2490, 7990] },
  { department: 'godis', vat: 'food', weight: 7, brands: ['Marabou', 'Cloetta', 'Estrella', 'OLW', 'Fazer', 'Malaco'], products: ['Mjölkchoklad', 'Chips grillchips', 'Ostbågar', 'Lakritsbåtar', 'Gott & Blandat', 'Kexchoklad', 'Popcorn'], sizes: ['100 g', '175 g', '200 g', '250 g', '40 g'], price: [990, 4990] },
  { department: 'hushall', vat: 'standard', weight: 8, brands: ['Yes', 'Lambi', 'Serla', 'Neutral', 'Via', 'Grumme', 'Colgate', 'Barnängen'], products: ['Diskmedel', 'Toalettpapper', 'Hushållspapper', 'Tvättmedel', 'Tandkräm', 'Duschtvål', 'Schampo', 'Soppåsar'], sizes: ['500 ml', '8 rullar', '4 rullar', '1 kg', '75 ml', '250 ml', '30 st'], price: [1990, 12990] },
  { department: 'tobak', vat: 'standard', weight: 2, ageLimit: 18, brands: ['General', 'Göteborgs Rapé', 'Ettan', 'Kronan', 'Catch'], products: ['Snus portion', 'Snus lös', 'White portion'], sizes: ['24 g', '42 g', '18 g'], price: [4500, 7500] },
  { department: 'tidningar', vat: 'reduced', weight: 1, brands: ['Dagens', 'Vecko', 'Mat', 'Hem'], products: ['Tidning', 'Magasin', 'Korsord'], sizes: [''], price: [2900, 9900] },
];

function clearCatalog(db: Db): void {
  db.exec('DELETE FROM barcode; UPDATE item SET deposit_item_id = NULL; DELETE FROM item; DELETE FROM department; DELETE FROM vat_class; DELETE FROM catalog_meta;');
}

/**
 * Writes the demo catalog into an empty catalog (one transaction, prepared statements).
 * Throws if the catalog already has items (use `replace`).
 */
export function generateCatalog(db: Db, opts: GenerateOptions & { replace?: boolean } = {}): { items: number; barcodes: number } {
  const fixed = Object.values(DEMO_ITEMS) as FixedItem[];
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

  const families: Family[] = [];
  for (const f of FAMILIES) for (let i = 0; i < f.weight; i++) families.push(f);

  let barcodes = 0;
  const write = db.transaction(() => {
    if (count.get()!.n > 0) {
      if (!opts.replace) throw new Error('the catalog already has items; pass replace to overwrite it');
      clearCatalog(db);
    }
    for (const v of VAT_CLASSES) insVat.run(v.id, v.name, v.rate);
    for (const d of DEPARTMENTS) insDept.run(d.id, d.name);
    // deposits first (items reference them)
    const ordered = [...fixed.filter((f) => f.isDeposit), ...fixed.filter((f) => !f.isDeposit)];
    for (const f of ordered) {
      insItem.run(f.id, f.name, f.department, f.vat, f.unit, f.price, f.ageLimit ?? null, f.deposit ?? null, f.isDeposit ? 1 : 0, f.plu ?? null);
      for (const c of f.codes) {
        insCode.run('0' + c, f.id);
        barcodes++;
      }
    }
    // Filler: codes 73 + 10-digit serial + check digit (distinct from the fixed 7310865… codes).
    let serial = 1;
    let extraCodes = totalBarcodes - barcodes - fillerItems;
    let plu = 30000; // 5-digit store PLUs; the fixed items use 4-digit IFPS codes
    // One picture tile per name: a second loose item of the same name (another price) gets no PLU.
    const pluNames = new Set<string>(Object.values(DEMO_ITEMS).filter((d) => 'plu' in d && d.plu).map((d) => d.name));
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
        insCode.run('0' + ean13('73' + String(serial++).padStart(10, '0')), id);
        barcodes++;
      }
      extraCodes -= n - 1;
    }
    replaceGiftRanges(db, DEMO_GIFT_RANGES);
    insMeta.run('version', opts.version ?? `demo-${opts.seed ?? 20211}-${totalItems}`);
    insMeta.run('generated_at', (opts.now ?? systemClock)().toISOString());
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
export const DEMO_PROMOTIONS = [
  { id: 'P-JULMUST-3F2', name: '3 för 2', kind: 'buyXpayY', itemIds: ['julmust-33cl'], buy: 3, pay: 2 },
  { id: 'P-FIL-2F30', name: '2 för 30 kr', kind: 'nForPrice', itemIds: ['filmjolk-1l'], n: 2, price: 3000 },
  { id: 'P-MEJERI-MIX', name: 'Mixa 3 för 45 kr', kind: 'mixMatch', itemIds: ['mellanmjolk-1l', 'filmjolk-1l'], n: 3, price: 4500 },
  { id: 'P-BROD-20', name: 'Bröd −20 %', kind: 'departmentPercent', departmentId: 'brod', percentBp: 2000, window: { days: [5, 6], timeFrom: '08:00', timeTo: '21:00' } },
  { id: 'P-SMOR-MEDLEM', name: 'Medlemspris', kind: 'memberPrice', itemId: 'smor-500g', price: 4490, memberOnly: true },
] as const;

export function seedDemoPromotions(db: Db): void {
  const ins = db.prepare('INSERT OR IGNORE INTO promotion (id, spec) VALUES (?, ?)');
  for (const p of DEMO_PROMOTIONS) ins.run(p.id, JSON.stringify(p));
}
