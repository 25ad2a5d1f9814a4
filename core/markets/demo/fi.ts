/** Finland's demo store: Finnish items, ALV 25,5 / 14 / 10 %, pantti per product (0,15 € can, 0,40 € 1,5 l). */
import { PROFILES } from '../../profile';
import { ean13, marketVariableCode, type DemoMarket } from './types';

const code = (prefix: string, itemRef: string, measure: string) => marketVariableCode(PROFILES.FI, prefix, itemRef, measure);
const gtin = (n: string) => ean13(`64123450${n}`);

export const FI_DEMO = {
  store: { address: 'Mannerheimintie 1, 00100 Helsinki', orgNumber: '1234567-8', vatId: 'FI12345678' },
  vatClasses: [
    { id: 'standard', name: 'ALV 25,5 %', rate: 2550 },
    { id: 'food', name: 'Elintarvikkeet 14 %', rate: 1400 },
    { id: 'reduced', name: 'Sanomalehdet 10 %', rate: 1000 },
    { id: 'zero', name: 'Pantti 0 %', rate: 0 },
  ],
  departments: [
    { id: 'maito', name: 'Maitotuotteet' },
    { id: 'leipa', name: 'Leipä' },
    { id: 'hedelmat', name: 'Hedelmät ja vihannekset' },
    { id: 'juomat', name: 'Juomat' },
    { id: 'koti', name: 'Koti' },
    { id: 'lehdet', name: 'Lehdet' },
    { id: 'pantti', name: 'Pantti' },
  ],
  items: {
    panttiCan: { id: 'pantti-015', name: 'Pantti tölkki', department: 'pantti', vat: 'zero', unit: 'piece', price: 15, isDeposit: true, codes: [] },
    panttiLarge: { id: 'pantti-040', name: 'Pantti pullo 1,5 l', department: 'pantti', vat: 'zero', unit: 'piece', price: 40, isDeposit: true, codes: [] },
    milk: { id: 'kevytmaito-1l', name: 'Kevytmaito 1 l', department: 'maito', vat: 'food', unit: 'piece', price: 109, codes: [gtin('0010')] },
    bread: { id: 'ruisleipa', name: 'Ruisleipä 500 g', department: 'leipa', vat: 'food', unit: 'piece', price: 249, codes: [gtin('0020')] },
    can: { id: 'limonadi-33cl', name: 'Limonadi 0,33 l tölkki', department: 'juomat', vat: 'food', unit: 'piece', price: 149, deposit: 'pantti-015', codes: [gtin('0030')] },
    largePet: { id: 'limonadi-150cl', name: 'Limonadi 1,5 l', department: 'juomat', vat: 'food', unit: 'piece', price: 299, deposit: 'pantti-040', codes: [gtin('0040')] },
    beer: { id: 'olut-33cl', name: 'Olut 0,33 l tölkki', department: 'juomat', vat: 'standard', unit: 'piece', price: 199, ageLimit: 18, deposit: 'pantti-015', codes: [gtin('0050')] },
    dishSoap: { id: 'astianpesu-500ml', name: 'Astianpesuaine 500 ml', department: 'koti', vat: 'standard', unit: 'piece', price: 299, codes: [gtin('0060')] },
    newspaper: { id: 'sanomalehti', name: 'Sanomalehti', department: 'lehdet', vat: 'reduced', unit: 'piece', price: 350, codes: [gtin('0070')] },
    bananas: { id: 'banaani', name: 'Banaani', department: 'hedelmat', vat: 'food', unit: 'weight', price: 199, plu: '4011', codes: [] },
    /** Weighed label: prefix 23 (kg, 3 decimals), item 100001. */
    cheese: { id: 'juusto-pala', name: 'Juusto palana', department: 'maito', vat: 'food', unit: 'weight', price: 1490, codes: [code('23', '100001', '0000')] },
  },
  families: [
    { department: 'maito', vat: 'food', weight: 3, brands: ['Valio', 'Arla', 'Pirkka'], products: ['Jogurtti', 'Voi', 'Rahka', 'Kerma'], sizes: ['200 g', '500 g', '1 l'], price: [89, 599] },
    { department: 'juomat', vat: 'food', weight: 2, deposit: 'pantti-015', brands: ['Hartwall', 'Olvi', 'Sinebrychoff'], products: ['Limonadi', 'Kivennäisvesi'], sizes: ['0,33 l tölkki'], price: [99, 249] },
    { department: 'koti', vat: 'standard', weight: 2, brands: ['Serla', 'Lotus', 'Fairy'], products: ['Saippua', 'Shampoo', 'Talouspaperi'], sizes: ['250 ml', '4 rullaa'], price: [199, 799] },
  ],
  fillerPrefix: '64',
  promotions: [],
  scans: { cheese750g: code('23', '100001', '0750') },
} satisfies DemoMarket & { scans: Record<string, string> };
