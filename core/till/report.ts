/**
 * X and Z reports, built only from journal entries (the fiscal record), so a report can always
 * be re-derived and checked against the journal it summarises.
 */
import type { Tender, TillReport, Totals, VatRow } from '../../protocol/terminal';

export interface ReportEntry {
  seq: number;
  kind: string;
  body: unknown;
}

interface SaleBody {
  tenders: Tender[];
  totals: Totals;
}

export interface ReportOptions {
  kind: 'X' | 'Z';
  zNumber: number | null;
  sessionId: string;
  openedAt: string;
  at: string;
  operator: string | null;
  currency: string;
  previousGrandTotal: number;
  counted: number | null;
}

function amountOf(body: unknown): number {
  const a = (body as { amount?: unknown }).amount;
  return typeof a === 'number' ? a : 0;
}

/** Summarises the journal entries of one till session (from its till.opened entry on). */
export function buildTillReport(entries: readonly ReportEntry[], o: ReportOptions): TillReport {
  let float = 0;
  const sales = { count: 0, total: 0 };
  const training = { count: 0, total: 0 };
  const voids = { count: 0, amount: 0 };
  const cancels = { count: 0, amount: 0 };
  const returns = { count: 0, amount: 0 };
  let rounding = 0;
  let discounts = 0;
  let noSales = 0;
  let paidIn = 0;
  let paidOut = 0;
  let pickups = 0;
  const tenders = new Map<string, number>();
  const vat = new Map<number, VatRow>();

  for (const e of entries) {
    switch (e.kind) {
      case 'till.opened':
        float = (e.body as { floatTotal: number }).floatTotal;
        break;
      case 'sale.completed': {
        const s = e.body as SaleBody;
        sales.count++;
        sales.total += s.totals.due;
        rounding += s.totals.rounding;
        discounts += s.totals.discounts ?? 0;
        let change = s.totals.change;
        for (const t of s.tenders) {
          // Change is given in cash, out of the cash tendered.
          const net = t.kind === 'cash' ? t.amount - Math.min(change, t.amount) : t.amount;
          if (t.kind === 'cash') change -= Math.min(change, t.amount);
          tenders.set(t.kind, (tenders.get(t.kind) ?? 0) + net);
        }
        for (const v of s.totals.vat) {
          const row = vat.get(v.rate) ?? { rate: v.rate, gross: 0, net: 0, vat: 0 };
          row.gross += v.gross;
          row.net += v.net;
          row.vat += v.vat;
          vat.set(v.rate, row);
        }
        break;
      }
      case 'sale.return': {
        // Refunds reduce the tenders they went back to, and VAT; the count and amount are shown.
        const r = e.body as { refund: number; rounding: number; refunds: Array<{ kind: string; amount: number }>; vat: VatRow[] };
        returns.count++;
        returns.amount += r.refund + r.rounding;
        rounding -= r.rounding;
        for (const p of r.refunds) tenders.set(p.kind, (tenders.get(p.kind) ?? 0) - p.amount);
        for (const v of r.vat) {
          const row = vat.get(v.rate) ?? { rate: v.rate, gross: 0, net: 0, vat: 0 };
          row.gross -= v.gross;
          row.net -= v.net;
          row.vat -= v.vat;
          vat.set(v.rate, row);
        }
        break;
      }
      case 'sale.training':
        training.count++;
        training.total += (e.body as SaleBody).totals.due;
        break;
      case 'line.voided':
        voids.count++;
        voids.amount += (e.body as { total: number }).total;
        break;
      case 'sale.cancelled':
        cancels.count++;
        cancels.amount += (e.body as { totals: Totals }).totals.total;
        break;
      case 'drawer.noSale':
        noSales++;
        break;
      case 'cash.paidIn':
        paidIn += amountOf(e.body);
        break;
      case 'cash.paidOut':
        paidOut += amountOf(e.body);
        break;
      case 'cash.pickup':
        pickups += amountOf(e.body);
        break;
      default:
        break;
    }
  }
  const cashSales = tenders.get('cash') ?? 0;
  const expected = float + cashSales + paidIn - paidOut - pickups;
  return {
    kind: o.kind,
    zNumber: o.zNumber,
    sessionId: o.sessionId,
    openedAt: o.openedAt,
    at: o.at,
    operator: o.operator,
    currency: o.currency,
    sales,
    tenders: [...tenders.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([kind, amount]) => ({ kind, amount })),
    vat: [...vat.values()].sort((a, b) => b.rate - a.rate),
    rounding,
    voids,
    cancels,
    returns,
    discounts,
    noSales,
    training,
    cash: { float, sales: cashSales, paidIn, paidOut, pickups, expected, counted: o.counted, overShort: o.counted === null ? null : o.counted - expected },
    grandTotal: o.previousGrandTotal + sales.total,
  };
}

/** Plain-text rendering of a report for screen and printer. */
export function renderTillReport(r: TillReport, money: (minor: number) => string): string {
  const W = 42;
  const row = (l: string, v: string) => l + ' '.repeat(Math.max(1, W - l.length - v.length)) + v;
  const out = [
    r.kind === 'Z' ? `Z-RAPPORT / Z REPORT ${r.zNumber}` : 'X-RAPPORT / X REPORT',
    `${r.openedAt.slice(0, 16).replace('T', ' ')} – ${r.at.slice(0, 16).replace('T', ' ')}`,
    '-'.repeat(W),
    row(`Sales ${r.sales.count}`, money(r.sales.total)),
    ...r.tenders.map((t) => row(`  ${t.kind}`, money(t.amount))),
    row('Rounding', money(r.rounding)),
    ...r.vat.map((v) => row(`VAT ${v.rate / 100} %`, `${money(v.vat)} / ${money(v.gross)}`)),
    row(`Voids ${r.voids.count}`, money(r.voids.amount)),
    row(`Cancels ${r.cancels.count}`, money(r.cancels.amount)),
    row(`Returns ${r.returns.count}`, money(r.returns.amount)),
    row('Discounts', money(r.discounts)),
    row('No-sales', String(r.noSales)),
    row(`Training ${r.training.count}`, money(r.training.total)),
    '-'.repeat(W),
    row('Float', money(r.cash.float)),
    row('Cash sales', money(r.cash.sales)),
    row('Paid in', money(r.cash.paidIn)),
    row('Paid out', money(r.cash.paidOut)),
    row('Pickups', money(r.cash.pickups)),
    row('Expected in drawer', money(r.cash.expected)),
  ];
  if (r.cash.counted !== null) out.push(row('Counted', money(r.cash.counted)), row('Over/short', money(r.cash.overShort ?? 0)));
  out.push('-'.repeat(W), row('Grand total', money(r.grandTotal)));
  return out.join('\n') + '\n';
}
