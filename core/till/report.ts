/**
 * X and Z reports, built only from journal entries (the fiscal record), so a report can always
 * be re-derived and checked against the journal it summarises.
 */
import type { Profile, TillReport, VatRow } from '../../protocol/terminal';
import { plainText } from '../../common/money';
import { RECEIPT_WIDTH, receiptMoney, receiptWords, row, tenderWord } from '../receipt/text';
import { knownEntry } from '../journal/kinds';

/** A journal entry with its body read (as JSON); known kinds are read through core/journal/kinds.ts. */
export interface ReportEntry {
  seq: number;
  kind: string;
  body: unknown;
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

  for (const entry of entries) {
    const e = knownEntry(entry);
    if (!e) continue;
    switch (e.kind) {
      case 'till.opened':
        float = e.body.floatTotal;
        break;
      case 'sale.completed': {
        const s = e.body;
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
        const r = e.body;
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
        training.total += e.body.totals.due;
        break;
      case 'line.voided':
        voids.count++;
        voids.amount += e.body.total;
        break;
      case 'sale.cancelled':
        cancels.count++;
        cancels.amount += e.body.totals.total;
        break;
      case 'drawer.noSale':
        noSales++;
        break;
      case 'cash.paidIn':
        paidIn += e.body.amount;
        break;
      case 'cash.paidOut':
        paidOut += e.body.amount;
        break;
      case 'cash.pickup':
        pickups += e.body.amount;
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

const REPORT_WORDS = {
  SE: { x: 'X-RAPPORT', z: 'Z-RAPPORT', sales: 'Försäljning', voids: 'Makuleringar', cancels: 'Avbrutna köp', returns: 'Returer', discounts: 'Rabatter', noSales: 'Lådöppningar utan köp', training: 'Övning', float: 'Växelkassa', cashSales: 'Kontant försäljning', paidIn: 'Insättningar', paidOut: 'Uttag', pickups: 'Avlyft', expected: 'Förväntat i lådan', counted: 'Räknat', overShort: 'Differens', grandTotal: 'Totalsumma (GT)' },
  DE: { x: 'X-BERICHT', z: 'Z-BERICHT', sales: 'Umsatz', voids: 'Stornos', cancels: 'Abbrüche', returns: 'Rückgaben', discounts: 'Rabatte', noSales: 'Schubladenöffnungen', training: 'Training', float: 'Wechselgeld', cashSales: 'Barumsatz', paidIn: 'Einlagen', paidOut: 'Entnahmen', pickups: 'Abschöpfungen', expected: 'Soll-Bestand', counted: 'Gezählt', overShort: 'Differenz', grandTotal: 'Gesamtsumme (GT)' },
} as const;

/** Plain-text rendering of a report for the printer: in the store's language, at the store's time. */
export function renderTillReport(r: TillReport, profile: Profile): string {
  const w = REPORT_WORDS[profile.country];
  // What the receipt prints too (tenders, rounding, VAT) in the receipt's words.
  const rw = receiptWords(profile);
  const W = RECEIPT_WIDTH;
  const money = (minor: number) => receiptMoney(minor, profile);
  const when = new Intl.DateTimeFormat(profile.locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: profile.timeZone });
  const out = [
    r.kind === 'Z' ? `${w.z} ${r.zNumber}` : w.x,
    `${when.format(new Date(r.openedAt))} - ${when.format(new Date(r.at))}`,
    '-'.repeat(W),
    row(`${w.sales} ${r.sales.count}`, money(r.sales.total)),
    ...r.tenders.map((t) => row(`  ${tenderWord(t.kind, profile)}`, money(t.amount))),
    row(rw.rounding, money(r.rounding)),
    ...r.vat.map((v) => row(`${rw.vat} ${v.rate / 100} %`, `${money(v.vat)} / ${money(v.gross)}`)),
    row(`${w.voids} ${r.voids.count}`, money(r.voids.amount)),
    row(`${w.cancels} ${r.cancels.count}`, money(r.cancels.amount)),
    row(`${w.returns} ${r.returns.count}`, money(r.returns.amount)),
    row(w.discounts, money(r.discounts)),
    row(w.noSales, String(r.noSales)),
    row(`${w.training} ${r.training.count}`, money(r.training.total)),
    '-'.repeat(W),
    row(w.float, money(r.cash.float)),
    row(w.cashSales, money(r.cash.sales)),
    row(w.paidIn, money(r.cash.paidIn)),
    row(w.paidOut, money(r.cash.paidOut)),
    row(w.pickups, money(r.cash.pickups)),
    row(w.expected, money(r.cash.expected)),
  ];
  if (r.cash.counted !== null) out.push(row(w.counted, money(r.cash.counted)), row(w.overShort, money(r.cash.overShort ?? 0)));
  out.push('-'.repeat(W), row(w.grandTotal, money(r.grandTotal)));
  return out.map(plainText).join('\n') + '\n';
}
