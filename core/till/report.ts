/**
 * X and Z reports, built only from journal entries (the fiscal record), so a report can always
 * be re-derived and checked against the journal it summarises.
 */
import type { Profile, TillReport, VatRow } from '../../protocol/terminal';
import { plainText } from '../../common/money';
import { RECEIPT_WIDTH, receiptMoney, receiptWords, row, tenderWord, type SaleRecord } from '../receipt/text';
import { knownEntry } from '../journal/kinds';
import { vatLetter } from '../markets/receipt';
import { seReportHead, seReportLines } from './se-report';

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

/** What a report adds up while it reads the session's journal. */
interface Tally {
  float: number;
  sales: { count: number; total: number };
  training: { count: number; total: number };
  voids: { count: number; amount: number };
  cancels: { count: number; amount: number };
  returns: { count: number; amount: number };
  rounding: number;
  discounts: number;
  noSales: number;
  paidIn: number;
  paidOut: number;
  pickups: number;
  tenders: Map<string, number>;
  vat: Map<number, VatRow>;
}

const emptyTally = (): Tally => ({
  float: 0,
  sales: { count: 0, total: 0 },
  training: { count: 0, total: 0 },
  voids: { count: 0, amount: 0 },
  cancels: { count: 0, amount: 0 },
  returns: { count: 0, amount: 0 },
  rounding: 0,
  discounts: 0,
  noSales: 0,
  paidIn: 0,
  paidOut: 0,
  pickups: 0,
  tenders: new Map(),
  vat: new Map(),
});

/** Adds (sign 1) or takes back (sign -1, a return) VAT rows. */
function addVat(vat: Map<number, VatRow>, rows: readonly VatRow[], sign: 1 | -1): void {
  for (const v of rows) {
    const row = vat.get(v.rate) ?? { rate: v.rate, gross: 0, net: 0, vat: 0 };
    row.gross += sign * v.gross;
    row.net += sign * v.net;
    row.vat += sign * v.vat;
    vat.set(v.rate, row);
  }
}

function addTender(t: Tally, kind: string, amount: number): void {
  t.tenders.set(kind, (t.tenders.get(kind) ?? 0) + amount);
}

/** What each tender of a sale left in the till: its amount, less the change given (in cash, out of the cash tendered); a payout (negative cash) took out what it says. */
export function tendersKept(s: Pick<SaleRecord, 'tenders' | 'totals'>): Array<{ kind: string; amount: number }> {
  let change = s.totals.change;
  return s.tenders.map((tn) => {
    const given = tn.kind === 'cash' ? Math.min(change, Math.max(0, tn.amount)) : 0;
    change -= given;
    return { kind: tn.kind, amount: tn.amount - given };
  });
}

/** One journal entry into the tally (entries of other kinds count for nothing). */
function tally(t: Tally, entry: ReportEntry): void {
  const e = knownEntry(entry);
  if (!e) return;
  switch (e.kind) {
    case 'till.opened':
      t.float = e.body.floatTotal;
      break;
    case 'sale.completed': {
      const s = e.body;
      t.sales.count++;
      t.sales.total += s.totals.due;
      t.rounding += s.totals.rounding;
      t.discounts += s.totals.discounts ?? 0;
      for (const tn of tendersKept(s)) addTender(t, tn.kind, tn.amount);
      addVat(t.vat, s.totals.vat, 1);
      break;
    }
    case 'sale.return': {
      // Refunds reduce the tenders they went back to, and VAT; the count and amount are shown.
      const r = e.body;
      t.returns.count++;
      t.returns.amount += r.refund + r.rounding;
      t.rounding -= r.rounding;
      for (const p of r.refunds) addTender(t, p.kind, -p.amount);
      addVat(t.vat, r.vat, -1);
      break;
    }
    case 'sale.training':
      t.training.count++;
      t.training.total += e.body.totals.due;
      break;
    case 'line.voided':
      t.voids.count++;
      t.voids.amount += e.body.total;
      break;
    case 'sale.cancelled':
      t.cancels.count++;
      t.cancels.amount += e.body.totals.total;
      break;
    case 'drawer.noSale':
      t.noSales++;
      break;
    // The owner's own money counts with the other cash paid in and out (the journal and the DSFinV-K export keep them apart).
    case 'cash.paidIn':
    case 'cash.privateDeposit':
      t.paidIn += e.body.amount;
      break;
    case 'cash.paidOut':
    case 'cash.privateWithdrawal':
      t.paidOut += e.body.amount;
      break;
    case 'cash.pickup':
      t.pickups += e.body.amount;
      break;
    default:
      break;
  }
}

/** Summarises the journal entries of one till session (from its till.opened entry on). */
export function buildTillReport(entries: readonly ReportEntry[], o: ReportOptions): TillReport {
  const t = emptyTally();
  for (const entry of entries) tally(t, entry);
  const cashSales = t.tenders.get('cash') ?? 0;
  const expected = t.float + cashSales + t.paidIn - t.paidOut - t.pickups;
  return {
    kind: o.kind,
    zNumber: o.zNumber,
    sessionId: o.sessionId,
    openedAt: o.openedAt,
    at: o.at,
    operator: o.operator,
    currency: o.currency,
    sales: t.sales,
    tenders: [...t.tenders.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([kind, amount]) => ({ kind, amount })),
    vat: [...t.vat.values()].sort((a, b) => b.rate - a.rate),
    rounding: t.rounding,
    voids: t.voids,
    cancels: t.cancels,
    returns: t.returns,
    discounts: t.discounts,
    noSales: t.noSales,
    training: t.training,
    cash: { float: t.float, sales: cashSales, paidIn: t.paidIn, paidOut: t.paidOut, pickups: t.pickups, expected, counted: o.counted, overShort: o.counted === null ? null : o.counted - expected },
    grandTotal: o.previousGrandTotal + t.sales.total,
  };
}

const REPORT_WORDS = {
  sv: { x: 'X-RAPPORT', z: 'Z-RAPPORT', sales: 'Försäljning', voids: 'Makuleringar', cancels: 'Avbrutna köp', returns: 'Returer', discounts: 'Rabatter', noSales: 'Lådöppningar utan köp', training: 'Övning', float: 'Växelkassa', cashSales: 'Kontant försäljning', paidIn: 'Insättningar', paidOut: 'Uttag', pickups: 'Avlyft', expected: 'Förväntat i lådan', counted: 'Räknat', overShort: 'Differens', grandTotal: 'Totalsumma (GT)', head: 'Journalens huvud (nr:hash)' },
  de: { x: 'X-BERICHT', z: 'Z-BERICHT', sales: 'Umsatz', voids: 'Stornos', cancels: 'Abbrüche', returns: 'Rückgaben', discounts: 'Rabatte', noSales: 'Schubladenöffnungen', training: 'Training', float: 'Wechselgeld', cashSales: 'Barumsatz', paidIn: 'Einlagen', paidOut: 'Entnahmen', pickups: 'Abschöpfungen', expected: 'Soll-Bestand', counted: 'Gezählt', overShort: 'Differenz', grandTotal: 'Gesamtsumme (GT)', head: 'Journal-Kopf (Nr:Hash)' },
  en: { x: 'X REPORT', z: 'Z REPORT', sales: 'Sales', voids: 'Voids', cancels: 'Cancelled sales', returns: 'Returns', discounts: 'Discounts', noSales: 'Drawer openings, no sale', training: 'Training', float: 'Float', cashSales: 'Cash sales', paidIn: 'Paid in', paidOut: 'Paid out', pickups: 'Pickups', expected: 'Expected in the drawer', counted: 'Counted', overShort: 'Over/short', grandTotal: 'Grand total (GT)', head: 'Journal head (no:hash)' },
  da: { x: 'X-RAPPORT', z: 'Z-RAPPORT', sales: 'Salg', voids: 'Annulleringer', cancels: 'Afbrudte køb', returns: 'Returneringer', discounts: 'Rabatter', noSales: 'Skuffeåbninger uden salg', training: 'Træning', float: 'Byttepenge', cashSales: 'Kontantsalg', paidIn: 'Indbetalinger', paidOut: 'Udbetalinger', pickups: 'Afløftninger', expected: 'Forventet i skuffen', counted: 'Optalt', overShort: 'Difference', grandTotal: 'Totalsum (GT)', head: 'Journalens hoved (nr:hash)' },
  nb: { x: 'X-RAPPORT', z: 'Z-RAPPORT', sales: 'Salg', voids: 'Annulleringer', cancels: 'Avbrutte kjøp', returns: 'Returer', discounts: 'Rabatter', noSales: 'Skuffåpninger uten salg', training: 'Trening', float: 'Vekselkasse', cashSales: 'Kontantsalg', paidIn: 'Innbetalinger', paidOut: 'Utbetalinger', pickups: 'Avløftinger', expected: 'Forventet i skuffen', counted: 'Opptalt', overShort: 'Differanse', grandTotal: 'Grand total (GT)', head: 'Journalens hode (nr:hash)' },
  fi: { x: 'X-RAPORTTI', z: 'Z-RAPORTTI', sales: 'Myynti', voids: 'Mitätöinnit', cancels: 'Keskeytetyt ostot', returns: 'Palautukset', discounts: 'Alennukset', noSales: 'Laatikon avaukset ilman myyntiä', training: 'Harjoitus', float: 'Vaihtokassa', cashSales: 'Käteismyynti', paidIn: 'Talletukset', paidOut: 'Nostot', pickups: 'Kassasta siirrot', expected: 'Laatikossa odotettu', counted: 'Laskettu', overShort: 'Erotus', grandTotal: 'Kokonaissumma (GT)', head: 'Lokin pää (nro:hash)' },
} as const;

/**
 * Plain-text rendering of a report for the printer: in the store's language, at the store's time.
 * `journalHead` (the Z report's own entry) is printed last as `seq:hash`, the anchor the journal
 * verifier takes (`--anchor`): a journal cut off after this report was printed no longer holds it.
 */
export function renderTillReport(r: TillReport, profile: Profile, journalHead?: { seq: number; hash: string }): string {
  const w = REPORT_WORDS[profile.receiptLang];
  // What the receipt prints too (tenders, rounding, VAT) in the receipt's words.
  const rw = receiptWords(profile);
  const W = RECEIPT_WIDTH;
  const money = (minor: number) => receiptMoney(minor, profile);
  const when = new Intl.DateTimeFormat(profile.locale, { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', timeZone: profile.timeZone });
  const out = [
    ...(r.se ? seReportHead(r, r.se) : [r.kind === 'Z' ? `${w.z} ${r.zNumber}` : w.x]),
    `${when.format(new Date(r.openedAt))} - ${when.format(new Date(r.at))}`,
    '-'.repeat(W),
    row(`${w.sales} ${r.sales.count}`, money(r.sales.total)),
    ...r.tenders.map((t) => row(`  ${tenderWord(t.kind, profile)}`, money(t.amount))),
    row(rw.rounding, money(r.rounding)),
    ...r.vat.map((v) => row([rw.vat, vatLetter(profile, v.rate), `${v.rate / 100} %`].filter(Boolean).join(' '), `${money(v.vat)} / ${money(v.gross)}`)),
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
  out.push('-'.repeat(W), ...(r.se ? seReportLines(r.se, profile) : [row(w.grandTotal, money(r.grandTotal))]));
  if (journalHead) out.push('-'.repeat(W), w.head, `${journalHead.seq}:${journalHead.hash.slice(0, 32)}`, journalHead.hash.slice(32));
  return out.map(plainText).join('\n') + '\n';
}
