/**
 * Sweden's demo store: a realistic Swedish grocery assortment (fixed items the demo and the tests
 * scan, and families the generator fills up with). Swedish pant follows the VAT rate of the drink
 * it belongs to.
 */
import { PROFILES } from '../../profile';
import { ean13, marketVariableCode, type DemoFamily, type DemoItem, type DemoMarket } from './types';

const code = (prefix: string, itemRef: string, measure: string) => marketVariableCode(PROFILES.SE, prefix, itemRef, measure);

const VAT_CLASSES = [
  { id: 'standard', name: 'Moms 25 %', rate: 2500 },
  { id: 'food', name: 'Livsmedel 12 %', rate: 1200 },
  { id: 'reduced', name: 'Tidningar/böcker 6 %', rate: 600 },
];

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
];

/**
 * Fixed demo items: always present, whatever the size. Codes here are what the demo and the tests
 * scan. (Swedish pant follows the VAT rate of the drink it belongs to.)
 */
const ITEMS = {
  pantCan: { id: 'pant-burk', name: 'Pant burk', department: 'pant', vat: 'food', unit: 'piece', price: 100, isDeposit: true, codes: [] },
  pantPet: { id: 'pant-pet', name: 'Pant PET-flaska', department: 'pant', vat: 'food', unit: 'piece', price: 200, isDeposit: true, codes: [] },
  pantCanBeer: { id: 'pant-burk-ol', name: 'Pant burk', department: 'pant', vat: 'standard', unit: 'piece', price: 100, isDeposit: true, codes: [] },
  // Pant from 1 Sep 2025 (Returpack): cans and small PET 2 kr, large PET 3 kr. Packs marked with the
  // old amounts are sold until the end of 2026 and returned until the end of 2028, so both exist and
  // each product names its own.
  pantCan2: { id: 'pant-burk-2kr', name: 'Pant burk 2 kr', department: 'pant', vat: 'food', unit: 'piece', price: 200, isDeposit: true, codes: [] },
  pantPet3: { id: 'pant-pet-3kr', name: 'Pant PET-flaska 3 kr', department: 'pant', vat: 'food', unit: 'piece', price: 300, isDeposit: true, codes: [] },
  milk: { id: 'mellanmjolk-1l', name: 'Mellanmjölk 1,5 % 1 l', department: 'mejeri', vat: 'food', unit: 'piece', price: 1695, codes: [ean13('731086500010'), ean13('731086500011')] },
  filmjolk: { id: 'filmjolk-1l', name: 'Filmjölk 3 % 1 l', department: 'mejeri', vat: 'food', unit: 'piece', price: 1995, codes: [ean13('731086500020')] },
  butter: { id: 'smor-500g', name: 'Smör normalsaltat 500 g', department: 'mejeri', vat: 'food', unit: 'piece', price: 5490, codes: [ean13('731086500030')] },
  bread: { id: 'surdegsbrod', name: 'Surdegsbröd levain 600 g', department: 'brod', vat: 'food', unit: 'piece', price: 3990, codes: [ean13('731086500040')] },
  julmust: { id: 'julmust-33cl', name: 'Julmust 33 cl burk', department: 'drycker', vat: 'food', unit: 'piece', price: 1290, deposit: 'pant-burk', codes: [ean13('731086500050')] },
  julmustNew: { id: 'julmust-33cl-ny', name: 'Julmust 33 cl burk (pant 2 kr)', department: 'drycker', vat: 'food', unit: 'piece', price: 1390, deposit: 'pant-burk-2kr', codes: [ean13('731086500051')] },
  soda: { id: 'lask-150cl', name: 'Apelsinläsk 1,5 l', department: 'drycker', vat: 'food', unit: 'piece', price: 2290, deposit: 'pant-pet', codes: [ean13('731086500060')] },
  sodaNew: { id: 'lask-150cl-ny', name: 'Apelsinläsk 1,5 l (pant 3 kr)', department: 'drycker', vat: 'food', unit: 'piece', price: 2390, deposit: 'pant-pet-3kr', codes: [ean13('731086500061')] },
  beer: { id: 'folkol-33cl', name: 'Folköl 3,5 % 33 cl burk', department: 'drycker', vat: 'standard', unit: 'piece', price: 1490, ageLimit: 18, deposit: 'pant-burk-ol', codes: [ean13('731086500070')] },
  snus: { id: 'snus-original', name: 'Snus original 24 g', department: 'tobak', vat: 'standard', unit: 'piece', price: 5800, ageLimit: 18, codes: [ean13('731086500080')] },
  dishSoap: { id: 'diskmedel-500ml', name: 'Diskmedel 500 ml', department: 'hushall', vat: 'standard', unit: 'piece', price: 2990, codes: [ean13('731086500090')] },
  newspaper: { id: 'dagstidning', name: 'Dagstidning', department: 'tidningar', vat: 'reduced', unit: 'piece', price: 4000, codes: [ean13('731086500100')] },
  bananas: { id: 'bananer', name: 'Bananer', department: 'frukt', vat: 'food', unit: 'weight', price: 2490, plu: '4011', codes: [] },
  apples: { id: 'apple-royal-gala', name: 'Äpplen Royal Gala', department: 'frukt', vat: 'food', unit: 'weight', price: 3490, plu: '4173', codes: [] },
  tomatoes: { id: 'tomater', name: 'Tomater', department: 'frukt', vat: 'food', unit: 'weight', price: 3990, plu: '4664', codes: [] },
  potatoes: { id: 'potatis', name: 'Potatis fast', department: 'frukt', vat: 'food', unit: 'weight', price: 1490, plu: '4072', codes: [] },
  /** Cheese cut in store, weighed label: prefix 23 (kg, 3 decimals), item ref 100001. */
  cheese: { id: 'hushallsost-bit', name: 'Hushållsost bit', department: 'mejeri', vat: 'food', unit: 'weight', price: 11900, codes: [code('23', '100001', '0000')] },
  /** Deli salad with its price on the label: prefix 20 (kr, 2 decimals), item ref 200002. */
  salad: { id: 'farsk-sallad', name: 'Färsk sallad deli', department: 'kott', vat: 'food', unit: 'piece', price: 0, codes: [code('20', '200002', '0000')] },
} satisfies Record<string, DemoItem>;

const FAMILIES: DemoFamily[] = [
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

/** Demo promotions: the kinds a Swedish grocery runs, on the fixed demo items. */
const PROMOTIONS = [
  { id: 'P-JULMUST-3F2', name: '3 för 2', kind: 'buyXpayY', itemIds: ['julmust-33cl'], buy: 3, pay: 2 },
  { id: 'P-FIL-2F30', name: '2 för 30 kr', kind: 'nForPrice', itemIds: ['filmjolk-1l'], n: 2, price: 3000 },
  { id: 'P-MEJERI-MIX', name: 'Mixa 3 för 45 kr', kind: 'mixMatch', itemIds: ['mellanmjolk-1l', 'filmjolk-1l'], n: 3, price: 4500 },
  { id: 'P-BROD-20', name: 'Bröd −20 %', kind: 'departmentPercent', departmentId: 'brod', percentBp: 2000, window: { days: [5, 6], timeFrom: '08:00', timeTo: '21:00' } },
  { id: 'P-SMOR-MEDLEM', name: 'Medlemspris', kind: 'memberPrice', itemId: 'smor-500g', price: 4490, memberOnly: true },
] as const;

export const SE_DEMO = {
  store: { companyName: 'Kassa Demo Livs AB', address: 'Storgatan 1, 111 22 Stockholm', orgNumber: '556000-0001', vatId: 'SE556000000101' },
  vatClasses: VAT_CLASSES,
  departments: DEPARTMENTS,
  items: ITEMS,
  families: FAMILIES,
  fillerPrefix: '73',
  promotions: PROMOTIONS,
  /** Ready-made scannable examples of the variable-measure demo items. */
  scans: { cheese750g: code('23', '100001', '0750'), salad49_95: code('20', '200002', '4995') },
} satisfies DemoMarket & { scans: Record<string, string> };
