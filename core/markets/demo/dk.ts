/** Denmark's demo store: Danish items, moms 25 % (newspapers 0 %), pant A/B/C per product (1,00 / 1,50 / 3,00 kr). */
import { PROFILES } from '../../profile';
import { ean13, marketVariableCode, type DemoMarket } from './types';

const code = (prefix: string, itemRef: string, measure: string) => marketVariableCode(PROFILES.DK, prefix, itemRef, measure);
const gtin = (n: string) => ean13(`57012340${n}`);

export const DK_DEMO = {
  store: { address: 'Strøget 1, 1160 København K', orgNumber: '12345678', vatId: 'DK12345678' },
  vatClasses: [
    { id: 'standard', name: 'Moms 25 %', rate: 2500 },
    { id: 'zero', name: 'Momsfri 0 %', rate: 0 },
  ],
  departments: [
    { id: 'mejeri', name: 'Mejeri' },
    { id: 'brod', name: 'Brød' },
    { id: 'frugt', name: 'Frugt & grønt' },
    { id: 'deli', name: 'Delikatesse' },
    { id: 'drikke', name: 'Drikkevarer' },
    { id: 'husholdning', name: 'Husholdning' },
    { id: 'aviser', name: 'Aviser' },
    { id: 'pant', name: 'Pant' },
  ],
  items: {
    pantA: { id: 'pant-a', name: 'Pant A', department: 'pant', vat: 'standard', unit: 'piece', price: 100, isDeposit: true, codes: [] },
    pantB: { id: 'pant-b', name: 'Pant B', department: 'pant', vat: 'standard', unit: 'piece', price: 150, isDeposit: true, codes: [] },
    pantC: { id: 'pant-c', name: 'Pant C', department: 'pant', vat: 'standard', unit: 'piece', price: 300, isDeposit: true, codes: [] },
    milk: { id: 'letmaelk-1l', name: 'Letmælk 1 l', department: 'mejeri', vat: 'standard', unit: 'piece', price: 1295, codes: [gtin('0010')] },
    bread: { id: 'rugbroed', name: 'Rugbrød 1 kg', department: 'brod', vat: 'standard', unit: 'piece', price: 2495, codes: [gtin('0020')] },
    can: { id: 'cola-33cl', name: 'Cola 33 cl dåse', department: 'drikke', vat: 'standard', unit: 'piece', price: 800, deposit: 'pant-a', codes: [gtin('0030')] },
    smallPet: { id: 'sodavand-50cl', name: 'Sodavand 0,5 l plast', department: 'drikke', vat: 'standard', unit: 'piece', price: 1500, deposit: 'pant-b', codes: [gtin('0040')] },
    largePet: { id: 'sodavand-150cl', name: 'Sodavand 1,5 l plast', department: 'drikke', vat: 'standard', unit: 'piece', price: 2000, deposit: 'pant-c', codes: [gtin('0050')] },
    beer: { id: 'pilsner-33cl', name: 'Pilsner 33 cl dåse', department: 'drikke', vat: 'standard', unit: 'piece', price: 900, ageLimit: 18, deposit: 'pant-a', codes: [gtin('0060')] },
    dishSoap: { id: 'opvask-500ml', name: 'Opvaskemiddel 500 ml', department: 'husholdning', vat: 'standard', unit: 'piece', price: 1995, codes: [gtin('0070')] },
    newspaper: { id: 'dagblad', name: 'Dagblad', department: 'aviser', vat: 'zero', unit: 'piece', price: 3500, codes: [gtin('0080')] },
    bananas: { id: 'bananer', name: 'Bananer', department: 'frugt', vat: 'standard', unit: 'weight', price: 1995, plu: '4011', codes: [] },
    /** Weighed label: prefix 23 (grams), item 1001. */
    cheese: { id: 'ost-stykke', name: 'Ost i stykke', department: 'deli', vat: 'standard', unit: 'weight', price: 9995, codes: [code('23', '1001', '000000')] },
    /** Price on the label: prefix 21 (øre), item 2002. */
    salad: { id: 'deli-salat', name: 'Salat fra delikatessen', department: 'deli', vat: 'standard', unit: 'piece', price: 0, codes: [code('21', '2002', '000000')] },
  },
  families: [
    { department: 'mejeri', vat: 'standard', weight: 3, brands: ['Arla', 'Thise', 'Naturmælk'], products: ['Yoghurt', 'Smør', 'Skyr', 'Fløde'], sizes: ['250 g', '500 g', '1 l'], price: [995, 3995] },
    { department: 'drikke', vat: 'standard', weight: 2, deposit: 'pant-a', brands: ['Faxe', 'Harboe', 'Carlsberg'], products: ['Sodavand', 'Danskvand'], sizes: ['33 cl dåse'], price: [600, 1200] },
    { department: 'husholdning', vat: 'standard', weight: 2, brands: ['Neutral', 'Änglamark', 'Blomsterbergs'], products: ['Sæbe', 'Shampoo', 'Køkkenrulle'], sizes: ['250 ml', '4 ruller'], price: [1495, 4995] },
  ],
  fillerPrefix: '57',
  promotions: [],
  scans: { cheese505g: code('23', '1001', '000505'), salad39_75: code('21', '2002', '003975') },
} satisfies DemoMarket & { scans: Record<string, string> };
