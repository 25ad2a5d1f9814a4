/** Germany's demo store: German items, 19 % / 7 % MwSt, Pfand per product (Einweg 0,25 €, Mehrweg 0,08 / 0,15 €). */
import { PROFILES } from '../../profile';
import { ean13, marketVariableCode, type DemoMarket } from './types';

const code = (prefix: string, itemRef: string, measure: string) => marketVariableCode(PROFILES.DE, prefix, itemRef, measure);
const gtin = (n: string) => ean13(`40123450${n}`);

export const DE_DEMO = {
  store: { address: 'Hauptstraße 1, 10115 Berlin', orgNumber: '11/111/11111', vatId: 'DE000000000' },
  vatClasses: [
    { id: 'standard', name: 'MwSt 19 %', rate: 1900 },
    { id: 'reduced', name: 'MwSt 7 %', rate: 700 },
  ],
  departments: [
    { id: 'molkerei', name: 'Molkerei' },
    { id: 'backwaren', name: 'Backwaren' },
    { id: 'obst', name: 'Obst & Gemüse' },
    { id: 'feinkost', name: 'Feinkost & Käse' },
    { id: 'getraenke', name: 'Getränke' },
    { id: 'drogerie', name: 'Drogerie' },
    { id: 'presse', name: 'Presse' },
    { id: 'pfand', name: 'Pfand' },
  ],
  items: {
    pfandEinweg: { id: 'pfand-einweg', name: 'Pfand Einweg', department: 'pfand', vat: 'standard', unit: 'piece', price: 25, isDeposit: true, codes: [] },
    pfandBier: { id: 'pfand-mehrweg-bier', name: 'Pfand Mehrweg', department: 'pfand', vat: 'standard', unit: 'piece', price: 8, isDeposit: true, codes: [] },
    pfandMilch: { id: 'pfand-mehrweg-milch', name: 'Pfand Milchflasche', department: 'pfand', vat: 'reduced', unit: 'piece', price: 15, isDeposit: true, codes: [] },
    milk: { id: 'vollmilch-1l', name: 'Frische Vollmilch 3,5 % 1 l Glas', department: 'molkerei', vat: 'reduced', unit: 'piece', price: 139, deposit: 'pfand-mehrweg-milch', codes: [gtin('0010')] },
    bread: { id: 'bauernbrot', name: 'Bauernbrot 750 g', department: 'backwaren', vat: 'reduced', unit: 'piece', price: 349, codes: [gtin('0020')] },
    cola: { id: 'cola-05l', name: 'Cola 0,5 l PET', department: 'getraenke', vat: 'standard', unit: 'piece', price: 129, deposit: 'pfand-einweg', codes: [gtin('0030')] },
    /** A milk drink (7 %) in a one-way bottle: its Pfand follows it to 7 %, though the Pfand item itself is at 19 %. */
    icedCoffee: { id: 'eiskaffee-05l', name: 'Eiskaffee Milchmischgetränk 0,5 l PET', department: 'molkerei', vat: 'reduced', unit: 'piece', price: 149, deposit: 'pfand-einweg', codes: [gtin('0070')] },
    beer: { id: 'pils-05l', name: 'Pils 0,5 l Flasche', department: 'getraenke', vat: 'standard', unit: 'piece', price: 99, ageLimit: 16, deposit: 'pfand-mehrweg-bier', codes: [gtin('0040')] },
    dishSoap: { id: 'spuelmittel-500ml', name: 'Spülmittel 500 ml', department: 'drogerie', vat: 'standard', unit: 'piece', price: 149, codes: [gtin('0050')] },
    newspaper: { id: 'tageszeitung', name: 'Tageszeitung', department: 'presse', vat: 'reduced', unit: 'piece', price: 250, codes: [gtin('0060')] },
    bananas: { id: 'bananen', name: 'Bananen', department: 'obst', vat: 'reduced', unit: 'weight', price: 199, plu: '4011', codes: [] },
    /** Cut at the counter, weighed label: prefix 28 (grams), item 1001. */
    cheese: { id: 'gouda-stueck', name: 'Gouda mittelalt am Stück', department: 'feinkost', vat: 'reduced', unit: 'weight', price: 1490, codes: [code('28', '1001', '00000')] },
    /** Price on the label: prefix 22 (cent), item 2002. */
    salad: { id: 'feinkostsalat', name: 'Feinkostsalat Theke', department: 'feinkost', vat: 'reduced', unit: 'piece', price: 0, codes: [code('22', '2002', '00000')] },
  },
  families: [
    { department: 'molkerei', vat: 'reduced', weight: 3, brands: ['Weihenstephan', 'Müller', 'Landliebe', 'Ja!'], products: ['Joghurt natur', 'Quark', 'Butter', 'Sahne', 'Emmentaler'], sizes: ['150 g', '250 g', '500 g'], price: [59, 399] },
    { department: 'backwaren', vat: 'reduced', weight: 2, brands: ['Harry', 'Lieken', 'Golden Toast'], products: ['Vollkornbrot', 'Toastbrot', 'Brötchen'], sizes: ['500 g', '750 g', '6 Stück'], price: [99, 399] },
    { department: 'getraenke', vat: 'standard', weight: 2, deposit: 'pfand-einweg', brands: ['Gerolsteiner', 'Fanta', 'Sprite', 'Vio'], products: ['Mineralwasser', 'Limonade', 'Schorle'], sizes: ['0,5 l PET', '1,5 l PET'], price: [49, 199] },
    { department: 'drogerie', vat: 'standard', weight: 2, brands: ['Balea', 'Frosch', 'Persil'], products: ['Duschgel', 'Allzweckreiniger', 'Waschmittel'], sizes: ['250 ml', '1 l', '20 WL'], price: [95, 699] },
  ],
  fillerPrefix: '40',
  promotions: [],
  scans: { cheese750g: code('28', '1001', '00750'), salad4_99: code('22', '2002', '00499') },
} satisfies DemoMarket & { scans: Record<string, string> };
