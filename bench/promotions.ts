/**
 * Promotion engine: subtotal recomputation (promotions + repricing + totals) for a 200-line
 * basket with 1,000 active promotions, as on every change to a basket. Prints a table.
 *   npx tsx bench/promotions.ts
 */
import type { Line } from '../protocol/terminal';
import { computeTotals } from '../core/pricing';
import { applyPromotions, PromotionIndex, type Promotion } from '../core/pricing/promotions';
import { reprice } from '../core/pricing/reprice';
import { prng } from '../core/catalog/demo';
import { PROFILES } from '../core/profile';

const rnd = prng(42);
const ITEMS = 20_000;
const DEPTS = 12;
const itemDept = (i: number) => `dep${i % DEPTS}`;
const price = (i: number) => 500 + ((i * 7919) % 9500);

// 1,000 promotions; every item is in at most one multi-buy (the catalogue rule), per-unit ones on top.
const promos: Promotion[] = [];
let next = 0;
for (let k = 0; k < 1000; k++) {
  const id = `P${String(k).padStart(4, '0')}`;
  const kind = k % 10;
  if (kind < 4) promos.push({ id, name: '3 för 2', kind: 'buyXpayY', itemIds: [`I${next++}`], buy: 3, pay: 2 });
  else if (kind < 6) {
    const it = next++;
    promos.push({ id, name: '2 för', kind: 'nForPrice', itemIds: [`I${it}`], n: 2, price: Math.round(price(it) * 1.7) });
  } else if (kind < 8) {
    const group = [next++, next++, next++, next++];
    promos.push({ id, name: 'Mixa 3', kind: 'mixMatch', itemIds: group.map((g) => `I${g}`), n: 3, price: Math.round(price(group[0]!) * 2.5) });
  } else if (kind === 8) promos.push({ id, name: 'Medlem', kind: 'memberPrice', itemId: `I${Math.floor(rnd() * ITEMS)}`, price: 400 });
  else promos.push({ id, name: '−10 %', kind: 'departmentPercent', departmentId: `dep${k % DEPTS}`, percentBp: 1000, window: { days: [0, 1, 2, 3, 4, 5, 6] } });
}
const index = new PromotionIndex(promos);

// A 200-line basket: many promoted items, some repeated, quantities 1–4.
const lines: Line[] = [];
for (let l = 0; l < 200; l++) {
  const item = rnd() < 0.6 ? Math.floor(rnd() * next) : Math.floor(rnd() * ITEMS);
  const quantity = 1 + Math.floor(rnd() * 4);
  const p = price(item);
  lines.push({
    lineId: `L${l + 1}`, itemId: `I${item}`, name: `Item ${item}`, code: '', unit: 'piece', quantity, weightGrams: null, unitPrice: p,
    grossTotal: p * quantity, discounts: [], total: p * quantity, departmentId: itemDept(item), vatRate: 1200,
    manualDiscount: null, priceOverride: null, ageLimit: null, depositFor: null, priceFromCode: false, voided: false,
  });
}

const ctx = { now: new Date('2026-11-27T12:00:00+01:00'), member: true };
const once = () => {
  const d = applyPromotions(lines, index, ctx);
  return { d, t: computeTotals(reprice(lines, null, d), [], PROFILES.SE) };
};
for (let i = 0; i < 200; i++) once();
const times: number[] = [];
let last = once();
for (let i = 0; i < 2000; i++) {
  const t0 = performance.now();
  last = once();
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor((p / 100) * times.length))]!.toFixed(3);
console.log('\npromotion engine: subtotal recomputation, 200-line basket, 1,000 active promotions (ms)');
console.log('| runs | p50 | p90 | p99 | max | discounts applied | target p99 |');
console.log('|------|-----|-----|-----|-----|-------------------|------------|');
console.log(`| ${times.length} | ${q(50)} | ${q(90)} | ${q(99)} | ${times[times.length - 1]!.toFixed(3)} | ${last.d.length} lines, ${(last.t.discounts / 100).toFixed(2)} kr | ≤ 5 |`);
