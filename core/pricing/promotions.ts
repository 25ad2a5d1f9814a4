/**
 * Promotion engine: deterministic, best price for the customer, explained on the line.
 *
 * Kinds: buy X pay Y ("3 för 2"), N for a price ("2 för 30 kr"), mix & match (any N of a group
 * for a price), percent off a department, member price (with a loyalty card). Each unit of an
 * item takes part in at most one promotion (no stacking). Time windows and member-only
 * promotions are filtered first.
 *
 * How the best price is found: promotions that compete for the same units form a group. Within a
 * group every order of its multi-buys is tried (including using none), each multi-buy grouping
 * the most expensive free units together, and then every unit left takes the best per-unit
 * promotion; the cheapest outcome wins (ties: lower promotion ids). A multi-buy group never takes
 * off more than its cheapest unit costs, so buying more never makes the bill smaller.
 *
 * Guarantees (checked by property tests): the result depends only on the multiset of lines, not
 * their order; totals never go negative; VAT still adds up. When every item belongs to at most
 * one multi-buy (the catalogue rule HQ should enforce), the choice is optimal and removing a line
 * never raises the total. With several multi-buys overlapping on one item, or more than
 * EXACT_LIMIT multi-buys competing, the choice is a heuristic (greedy by discount) and those two
 * properties can fail in contrived baskets.
 */
import { z } from 'zod';
import type { Line } from '../../protocol/terminal';
import { divRoundHalfUp } from './index';
import { allocate, type PromotionDiscount } from './reprice';

export type Promotion = {
  id: string;
  name: string;
  memberOnly?: boolean;
  window?: { from?: string; to?: string; days?: number[]; timeFrom?: string; timeTo?: string };
} & (
  | { kind: 'buyXpayY'; itemIds: string[]; buy: number; pay: number }
  | { kind: 'nForPrice'; itemIds: string[]; n: number; price: number }
  | { kind: 'mixMatch'; itemIds: string[]; n: number; price: number }
  | { kind: 'departmentPercent'; departmentId: string; percentBp: number }
  | { kind: 'memberPrice'; itemId: string; price: number }
);

const ids = z.array(z.string().min(1)).min(1).max(10_000);
const money = z.number().int().min(0);
/** A promotion as stored in the catalog and published by HQ. */
export const PromotionSchema = z.intersection(
  z.object({
    id: z.string().min(1).max(64),
    name: z.string().min(1).max(60),
    memberOnly: z.boolean().optional(),
    window: z
      .object({
        from: z.string().datetime({ offset: true }).optional(),
        to: z.string().datetime({ offset: true }).optional(),
        days: z.array(z.number().int().min(0).max(6)).optional(),
        timeFrom: z.string().regex(/^\d{2}:\d{2}$/).optional(),
        timeTo: z.string().regex(/^\d{2}:\d{2}$/).optional(),
      })
      .optional(),
  }),
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('buyXpayY'), itemIds: ids, buy: z.number().int().min(2).max(100), pay: z.number().int().min(1) }),
    z.object({ kind: z.literal('nForPrice'), itemIds: ids, n: z.number().int().min(2).max(100), price: money }),
    z.object({ kind: z.literal('mixMatch'), itemIds: ids, n: z.number().int().min(2).max(100), price: money }),
    z.object({ kind: z.literal('departmentPercent'), departmentId: z.string().min(1), percentBp: z.number().int().min(1).max(10_000) }),
    z.object({ kind: z.literal('memberPrice'), itemId: z.string().min(1), price: money }),
  ]),
);

/** Loads the catalog's promotions; a malformed one is skipped and reported, never applied. */
export function loadPromotions(rows: ReadonlyArray<{ id: string; spec: string }>, log: (line: string) => void = () => {}): Promotion[] {
  const out: Promotion[] = [];
  for (const r of rows) {
    const parsed = PromotionSchema.safeParse(JSON.parse(r.spec));
    if (parsed.success && parsed.data.id === r.id && (parsed.data.kind !== 'buyXpayY' || parsed.data.pay < parsed.data.buy)) out.push(parsed.data as Promotion);
    else log(`promotion ${r.id} is malformed and was skipped`);
  }
  return out;
}

export interface PromoContext {
  now: Date;
  member: boolean;
  timeZone?: string;
}

export const EXACT_LIMIT = 5;

interface Unit {
  lineId: string;
  itemId: string;
  departmentId: string;
  price: number;
  weighed: boolean;
}

interface Application {
  promotionId: string;
  text: string;
  /** Units used and the discount they get. */
  shares: Array<{ unit: number; amount: number }>;
  /** Every unit the promotion took (a unit in a group can get a zero share but is still used). */
  units: number[];
  total: number;
}

const timeParts = new Map<string, Intl.DateTimeFormat>();
function localParts(d: Date, timeZone: string): { day: number; hhmm: string } {
  let f = timeParts.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    timeParts.set(timeZone, f);
  }
  const parts = f.formatToParts(d);
  const wd = parts.find((p) => p.type === 'weekday')?.value ?? 'Sun';
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(wd);
  const hh = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const mm = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return { day, hhmm: `${hh}:${mm}` };
}

export function isActive(p: Promotion, ctx: PromoContext): boolean {
  if ((p.memberOnly || p.kind === 'memberPrice') && !ctx.member) return false;
  const w = p.window;
  if (!w) return true;
  if (w.from && ctx.now < new Date(w.from)) return false;
  if (w.to && ctx.now >= new Date(w.to)) return false;
  if (w.days || w.timeFrom || w.timeTo) {
    const { day, hhmm } = localParts(ctx.now, ctx.timeZone ?? 'Europe/Stockholm');
    if (w.days && !w.days.includes(day)) return false;
    if (w.timeFrom && hhmm < w.timeFrom) return false;
    if (w.timeTo && hhmm >= w.timeTo) return false;
  }
  return true;
}

/** Index of promotions by item and department, built once per promotion list. */
/** The store's promotions as the lane prices with them (rows that do not parse are logged and left out). */
export function promotionIndex(rows: ReadonlyArray<{ id: string; spec: string }>, log: (line: string) => void): PromotionIndex {
  return new PromotionIndex(loadPromotions(rows, log));
}

export class PromotionIndex {
  readonly byItem = new Map<string, Promotion[]>();
  readonly byDepartment = new Map<string, Promotion[]>();
  constructor(readonly promotions: readonly Promotion[]) {
    const add = (m: Map<string, Promotion[]>, k: string, p: Promotion) => m.set(k, [...(m.get(k) ?? []), p]);
    for (const p of promotions) {
      if (p.kind === 'departmentPercent') add(this.byDepartment, p.departmentId, p);
      else if (p.kind === 'memberPrice') add(this.byItem, p.itemId, p);
      else for (const i of p.itemIds) add(this.byItem, i, p);
    }
  }
}

function eligibleUnits(p: Promotion, units: readonly Unit[]): number[] {
  const out: number[] = [];
  if (p.kind === 'departmentPercent') {
    units.forEach((u, i) => u.departmentId === p.departmentId && out.push(i));
  } else if (p.kind === 'memberPrice') {
    units.forEach((u, i) => u.itemId === p.itemId && !u.weighed && out.push(i));
  } else {
    const items = new Set(p.itemIds);
    units.forEach((u, i) => items.has(u.itemId) && !u.weighed && out.push(i));
  }
  // Most expensive first: grouping neighbours gives the customer the most.
  return out.sort((a, b) => units[b]!.price - units[a]!.price || a - b);
}

function perUnitDiscount(p: Promotion, unit: Unit): number {
  if (p.kind === 'departmentPercent') return unit.departmentId === p.departmentId ? divRoundHalfUp(unit.price * p.percentBp, 10_000) : 0;
  if (p.kind === 'memberPrice') return unit.itemId === p.itemId && !unit.weighed ? Math.max(0, unit.price - p.price) : 0;
  return 0;
}

function isPerUnit(p: Promotion): boolean {
  return p.kind === 'departmentPercent' || p.kind === 'memberPrice';
}

/** A multi-buy on the free units: most expensive units grouped together, each group capped. */
function evaluateGroups(p: Promotion, eligible: readonly number[], units: readonly Unit[], used: Uint8Array): Application | null {
  if (p.kind === 'departmentPercent' || p.kind === 'memberPrice') return null;
  const shares: Array<{ unit: number; amount: number }> = [];
  const taken: number[] = [];
  const pool = eligible.filter((u) => !used[u]);
  const size = p.kind === 'buyXpayY' ? p.buy : p.n;
  for (let g = 0; g + size <= pool.length; g += size) {
    const group = pool.slice(g, g + size);
    const prices = group.map((u) => units[u]!.price);
    // buy X pay Y: the cheapest (X − Y) units of the group are free; N for price: the rest over the price.
    // A group never takes off more than its cheapest unit costs: otherwise adding an item could
    // lower the bill (and removing one raise it) — the customer would be better off buying more.
    const raw = p.kind === 'buyXpayY' ? prices.slice(p.pay).reduce((a, b) => a + b, 0) : prices.reduce((a, b) => a + b, 0) - p.price;
    const discount = Math.min(raw, prices[prices.length - 1]!);
    if (discount <= 0) break; // later groups are cheaper still
    taken.push(...group);
    allocate(discount, prices).forEach((amount, k) => {
      if (amount > 0) shares.push({ unit: group[k]!, amount });
    });
  }
  const total = shares.reduce((a, x) => a + x.amount, 0);
  return total > 0 ? { promotionId: p.id, text: p.name, shares, units: taken, total } : null;
}

/** Every free unit (of `scope`, or all) takes the best per-unit promotion (department percent, member price). */
function perUnitStage(perUnit: readonly Promotion[], units: readonly Unit[], used: Uint8Array, scope?: readonly number[]): Application[] {
  const apps = new Map<string, Application>();
  for (const u of scope ?? units.keys()) {
    if (used[u]) continue;
    let best: { p: Promotion; amount: number } | null = null;
    for (const p of perUnit) {
      const amount = perUnitDiscount(p, units[u]!);
      if (amount > 0 && (!best || amount > best.amount)) best = { p, amount }; // sorted by id: ties keep the lower id
    }
    if (!best) continue;
    const a = apps.get(best.p.id) ?? { promotionId: best.p.id, text: best.p.name, shares: [], units: [], total: 0 };
    a.shares.push({ unit: u, amount: best.amount });
    a.units.push(u);
    a.total += best.amount;
    apps.set(best.p.id, a);
  }
  return [...apps.values()];
}

interface Cand {
  p: Promotion;
  eligible: number[];
}

/**
 * Best total for one group of competing promotions: each order of its multi-buys (and using none
 * of them) is tried when there are few, each followed by the per-unit stage; with many the
 * multi-buy giving the most goes first, repeatedly.
 */
function solveComponent(multi: readonly Cand[], perUnit: readonly Promotion[], units: readonly Unit[], used: Uint8Array): Application[] {
  const scope = [...new Set(multi.flatMap((c) => c.eligible))];
  const run = (order: readonly Cand[]): { apps: Application[]; total: number } => {
    const local = used.slice();
    const apps: Application[] = [];
    for (const c of order) {
      const a = evaluateGroups(c.p, c.eligible, units, local);
      if (!a) continue;
      for (const u of a.units) local[u] = 1;
      apps.push(a);
    }
    apps.push(...perUnitStage(perUnit, units, local, scope));
    return { apps, total: apps.reduce((x, a) => x + a.total, 0) };
  };
  let best = run([]);
  if (multi.length <= EXACT_LIMIT) {
    // Every order of every subset is covered: a multi-buy that should not be used simply yields
    // nothing when placed after those that take its units; the empty order is the baseline.
    for (const order of permutations(multi)) {
      const r = run(order);
      if (r.total > best.total) best = r;
    }
  } else {
    const order: Cand[] = [];
    const left = [...multi];
    const local = used.slice();
    for (;;) {
      let pick = -1;
      let pickTotal = 0;
      left.forEach((c, i) => {
        const a = evaluateGroups(c.p, c.eligible, units, local);
        if (a && a.total > pickTotal) {
          pick = i;
          pickTotal = a.total;
        }
      });
      if (pick < 0) break;
      const [c] = left.splice(pick, 1);
      const a = evaluateGroups(c!.p, c!.eligible, units, local)!;
      for (const u of a.units) local[u] = 1;
      order.push(c!);
    }
    const r = run(order);
    if (r.total > best.total) best = r;
  }
  for (const a of best.apps) for (const u of a.units) used[u] = 1;
  return best.apps;
}

function* permutations<T>(xs: readonly T[]): Generator<T[]> {
  if (xs.length <= 1) {
    yield [...xs];
    return;
  }
  for (let i = 0; i < xs.length; i++) {
    const rest = [...xs.slice(0, i), ...xs.slice(i + 1)];
    for (const p of permutations(rest)) yield [xs[i]!, ...p];
  }
}

/** Groups promotions that compete for the same units (union-find over shared units). */
function components(cands: readonly Cand[], unitCount: number): Cand[][] {
  const parent = cands.map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  const owner = new Int32Array(unitCount).fill(-1);
  cands.forEach((c, i) => {
    for (const u of c.eligible) {
      const o = owner[u]!;
      if (o < 0) owner[u] = i;
      else parent[find(i)] = find(o);
    }
  });
  const groups = new Map<number, Cand[]>();
  cands.forEach((c, i) => {
    const r = find(i);
    groups.set(r, [...(groups.get(r) ?? []), c]);
  });
  return [...groups.values()];
}

/** Promotion discounts per line for the basket (voided, deposit and label-priced lines never take part). */
export function applyPromotions(lines: readonly Line[], index: PromotionIndex, ctx: PromoContext): PromotionDiscount[] {
  const sorted = lines
    .filter((l) => !l.voided && l.depositFor === null && !l.priceFromCode)
    .sort((a, b) => (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : a.unitPrice - b.unitPrice || (a.lineId < b.lineId ? -1 : 1)));
  const units: Unit[] = [];
  for (const l of sorted) {
    if (l.unit === 'weight') units.push({ lineId: l.lineId, itemId: l.itemId, departmentId: l.departmentId, price: l.grossTotal, weighed: true });
    else for (let q = 0; q < l.quantity; q++) units.push({ lineId: l.lineId, itemId: l.itemId, departmentId: l.departmentId, price: l.unitPrice, weighed: false });
  }
  const candidates = new Map<string, Promotion>();
  for (const l of sorted) {
    for (const p of index.byItem.get(l.itemId) ?? []) candidates.set(p.id, p);
    for (const p of index.byDepartment.get(l.departmentId) ?? []) candidates.set(p.id, p);
  }
  const active = [...candidates.values()].filter((p) => isActive(p, ctx)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const used = new Uint8Array(units.length);
  const cands: Cand[] = active
    .map((p) => ({ p, eligible: eligibleUnits(p, units) }))
    .filter((c) => (isPerUnit(c.p) ? c.eligible.some((u) => perUnitDiscount(c.p, units[u]!) > 0) : evaluateGroups(c.p, c.eligible, units, used) !== null));
  // Multi-buys that share units compete; per-unit promotions are settled unit by unit.
  const perUnit = cands.filter((c) => isPerUnit(c.p)).map((c) => c.p);
  const apps: Application[] = [];
  for (const group of components(cands.filter((c) => !isPerUnit(c.p)), units.length)) apps.push(...solveComponent(group, perUnit, units, used));
  apps.push(...perUnitStage(perUnit, units, used));
  const out = new Map<string, PromotionDiscount>();
  for (const a of apps) {
    for (const s of a.shares) {
      const lineId = units[s.unit]!.lineId;
      const key = `${lineId}|${a.promotionId}`;
      const d = out.get(key) ?? { lineId, promotionId: a.promotionId, text: a.text, amount: 0 };
      d.amount += s.amount;
      out.set(key, d);
    }
  }
  return [...out.values()].sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : a.promotionId < b.promotionId ? -1 : 1));
}
