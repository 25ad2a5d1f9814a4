/** Great Britain's demo store: British items, VAT 20 % / 0 % (most food, newspapers), no deposits. */
import { PROFILES } from '../../profile';
import { ean13, marketVariableCode, type DemoMarket } from './types';

const code = (prefix: string, itemRef: string, measure: string) => marketVariableCode(PROFILES.GB, prefix, itemRef, measure);
const gtin = (n: string) => ean13(`50123450${n}`);

export const GB_DEMO = {
  store: { address: '1 High Street, London SW1A 1AA', orgNumber: '00000000', vatId: 'GB000000000' },
  vatClasses: [
    { id: 'standard', name: 'VAT 20 %', rate: 2000 },
    { id: 'reduced', name: 'VAT 5 %', rate: 500 },
    { id: 'zero', name: 'Zero rated', rate: 0 },
  ],
  departments: [
    { id: 'dairy', name: 'Dairy' },
    { id: 'bakery', name: 'Bakery' },
    { id: 'produce', name: 'Fruit & veg' },
    { id: 'deli', name: 'Deli' },
    { id: 'drinks', name: 'Drinks' },
    { id: 'household', name: 'Household' },
    { id: 'news', name: 'Newspapers' },
  ],
  items: {
    milk: { id: 'semi-skimmed-2pt', name: 'Semi-skimmed milk 2 pints', department: 'dairy', vat: 'zero', unit: 'piece', price: 145, codes: [gtin('0010')] },
    bread: { id: 'wholemeal-800g', name: 'Wholemeal loaf 800 g', department: 'bakery', vat: 'zero', unit: 'piece', price: 135, codes: [gtin('0020')] },
    can: { id: 'cola-330ml', name: 'Cola 330 ml can', department: 'drinks', vat: 'standard', unit: 'piece', price: 99, codes: [gtin('0030')] },
    beer: { id: 'lager-4x440', name: 'Lager 4 x 440 ml', department: 'drinks', vat: 'standard', unit: 'piece', price: 500, ageLimit: 18, codes: [gtin('0040')] },
    dishSoap: { id: 'washing-up-450ml', name: 'Washing-up liquid 450 ml', department: 'household', vat: 'standard', unit: 'piece', price: 150, codes: [gtin('0050')] },
    newspaper: { id: 'daily-paper', name: 'Daily newspaper', department: 'news', vat: 'zero', unit: 'piece', price: 200, codes: [gtin('0060')] },
    bananas: { id: 'bananas-loose', name: 'Bananas loose', department: 'produce', vat: 'zero', unit: 'weight', price: 99, plu: '4011', codes: [] },
    /** Branded variable-measure label: 20 + 3-digit licence + 2-digit item, price verifier, pence. */
    cheese: { id: 'deli-cheddar', name: 'Deli cheddar', department: 'deli', vat: 'zero', unit: 'piece', price: 0, codes: [code('20', '12345', '0000')] },
  },
  families: [
    { department: 'dairy', vat: 'zero', weight: 3, brands: ['Cathedral City', 'Yeo Valley', 'Anchor'], products: ['Cheddar', 'Yoghurt', 'Butter'], sizes: ['250 g', '500 g'], price: [99, 499] },
    { department: 'drinks', vat: 'standard', weight: 2, brands: ['Tango', 'Irn-Bru', 'Robinsons'], products: ['Soft drink', 'Squash'], sizes: ['330 ml can', '1 l'], price: [75, 250] },
    { department: 'household', vat: 'standard', weight: 2, brands: ['Fairy', 'Andrex', 'Dettol'], products: ['Soap', 'Toilet roll', 'Spray'], sizes: ['250 ml', '9 rolls'], price: [99, 699] },
  ],
  fillerPrefix: '50',
  promotions: [],
  scans: { cheddar3_49: code('20', '12345', '0349') },
} satisfies DemoMarket & { scans: Record<string, string> };
