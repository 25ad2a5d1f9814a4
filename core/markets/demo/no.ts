/**
 * Norway's demo store: Norwegian items, MVA 25 % / 15 % food / 0 % newspapers, pant 2 kr (up to
 * 0,5 l) and 3 kr (above) per product. Labels in the common Nordic layout the profile configures
 * (core/markets/profiles/no.ts): cheese weighed (23, grams) and salmon priced (20, øre) at the counter.
 */
import { PROFILES } from '../../profile';
import { ean13, marketVariableCode, type DemoMarket } from './types';

const code = (prefix: string, itemRef: string, measure: string) => marketVariableCode(PROFILES.NO, prefix, itemRef, measure);

const gtin = (n: string) => ean13(`70412340${n}`);

export const NO_DEMO = {
  store: { address: 'Karl Johans gate 1, 0154 Oslo', orgNumber: '999 999 999', vatId: 'NO999999999MVA' },
  vatClasses: [
    { id: 'standard', name: 'MVA 25 %', rate: 2500 },
    { id: 'food', name: 'Næringsmidler 15 %', rate: 1500 },
    { id: 'zero', name: 'Fritatt 0 %', rate: 0 },
  ],
  departments: [
    { id: 'meieri', name: 'Meieri' },
    { id: 'brod', name: 'Brød' },
    { id: 'frukt', name: 'Frukt & grønt' },
    { id: 'drikke', name: 'Drikke' },
    { id: 'husholdning', name: 'Husholdning' },
    { id: 'aviser', name: 'Aviser' },
    { id: 'fisk', name: 'Fisk' },
    { id: 'pant', name: 'Pant' },
  ],
  items: {
    pant2: { id: 'pant-2kr', name: 'Pant 2 kr', department: 'pant', vat: 'zero', unit: 'piece', price: 200, isDeposit: true, codes: [] },
    pant3: { id: 'pant-3kr', name: 'Pant 3 kr', department: 'pant', vat: 'zero', unit: 'piece', price: 300, isDeposit: true, codes: [] },
    milk: { id: 'lettmelk-1l', name: 'Lettmelk 1 l', department: 'meieri', vat: 'food', unit: 'piece', price: 2490, codes: [gtin('0010')] },
    bread: { id: 'grovbrod', name: 'Grovbrød 750 g', department: 'brod', vat: 'food', unit: 'piece', price: 3990, codes: [gtin('0020')] },
    smallPet: { id: 'brus-50cl', name: 'Brus 0,5 l flaske', department: 'drikke', vat: 'food', unit: 'piece', price: 2990, deposit: 'pant-2kr', codes: [gtin('0030')] },
    largePet: { id: 'brus-150cl', name: 'Brus 1,5 l flaske', department: 'drikke', vat: 'food', unit: 'piece', price: 3990, deposit: 'pant-3kr', codes: [gtin('0040')] },
    beer: { id: 'pils-50cl', name: 'Pils 0,5 l boks', department: 'drikke', vat: 'standard', unit: 'piece', price: 3990, ageLimit: 18, deposit: 'pant-2kr', codes: [gtin('0050')] },
    dishSoap: { id: 'oppvask-500ml', name: 'Oppvaskmiddel 500 ml', department: 'husholdning', vat: 'standard', unit: 'piece', price: 2990, codes: [gtin('0060')] },
    newspaper: { id: 'avis', name: 'Avis', department: 'aviser', vat: 'zero', unit: 'piece', price: 4000, codes: [gtin('0070')] },
    bananas: { id: 'bananer', name: 'Bananer', department: 'frukt', vat: 'food', unit: 'weight', price: 2990, plu: '4011', codes: [] },
    /** Weighed label: prefix 23 (kg, 3 decimals), item 490000. */
    cheese: { id: 'hvitost', name: 'Hvitost i vekt', department: 'meieri', vat: 'food', unit: 'weight', price: 14990, plu: '4900', codes: [code('23', '490000', '0000')] },
    /** Price on the label: prefix 20 (kr, 2 decimals), item 491000. */
    salmon: { id: 'laks-disk', name: 'Laks fra disken', department: 'fisk', vat: 'food', unit: 'piece', price: 0, codes: [code('20', '491000', '0000')] },
  },
  families: [
    { department: 'meieri', vat: 'food', weight: 3, brands: ['Tine', 'Q-meieriene', 'Synnøve'], products: ['Yoghurt', 'Smør', 'Brunost', 'Rømme'], sizes: ['250 g', '500 g', '1 l'], price: [1990, 8990] },
    { department: 'drikke', vat: 'food', weight: 2, deposit: 'pant-2kr', brands: ['Solo', 'Farris', 'Mozell'], products: ['Brus', 'Mineralvann'], sizes: ['0,5 l'], price: [1990, 3490] },
    { department: 'husholdning', vat: 'standard', weight: 2, brands: ['Zalo', 'Lano', 'Omo'], products: ['Såpe', 'Sjampo', 'Tørkerull'], sizes: ['250 ml', '4 ruller'], price: [2490, 7990] },
  ],
  fillerPrefix: '70',
  promotions: [],
  scans: { cheese750g: code('23', '490000', '0750'), salmon89_90: code('20', '491000', '8990') },
} satisfies DemoMarket & { scans: Record<string, string> };
