/**
 * Sweden: what the X- and Z-dagrapport carry besides Kassa's X and Z report (SKVFS 2014:9): the
 * company, its organisation number and the till id; the number of receipts; copies and unfinished
 * sales by count and amount; drawer openings; and the grand totals of sales, returns and net, kept
 * from Z to Z. Built from the same journal entries as the report itself.
 */
import type { Profile, TillReport } from '../../protocol/terminal';
import type { SeRegister } from '../fiscal/control-unit/till';
import { knownEntry } from '../journal/kinds';
import { receiptMoney, row } from '../receipt/text';

export type SeReport = NonNullable<TillReport['se']>;

/** The SE part of a report: `report` is the report built from `entries`, `previous` the last Z's SE part. */
export function seReportPart(entries: ReadonlyArray<{ seq: number; kind: string; body: unknown }>, report: TillReport, register: SeRegister, previous: SeReport | undefined): SeReport {
  const copies = { count: 0, amount: 0 };
  const unfinished = { count: report.cancels.count, amount: report.cancels.amount };
  for (const entry of entries) {
    const e = knownEntry(entry);
    if (e?.kind === 'receipt.copy') {
      copies.count++;
      copies.amount += e.body.amount ?? 0;
    } else if (e?.kind === 'sale.abandoned') {
      unfinished.count++;
      unfinished.amount += e.body.totals.total;
    }
  }
  const sales = (previous?.grandTotal.sales ?? 0) + report.sales.total;
  const returns = (previous?.grandTotal.returns ?? 0) + report.returns.amount;
  return {
    orgNumber: register.orgNumber,
    companyName: register.companyName,
    address: register.address,
    tillId: register.tillId,
    receipts: report.sales.count + report.returns.count,
    copies,
    unfinished,
    drawerOpenings: report.noSales,
    grandTotal: { sales, returns, net: sales - returns },
  };
}

/** The report's title and registration lines, in Swedish (the report is the store's record for Skatteverket). */
export function seReportHead(r: TillReport, se: SeReport): string[] {
  return [r.kind === 'Z' ? `Z-DAGRAPPORT nr ${r.zNumber}` : 'X-DAGRAPPORT', se.companyName, se.address, `Org.nr ${se.orgNumber}`, `Kassabeteckning ${se.tillId}`];
}

/** The report's SE lines: receipts, copies, unfinished sales, drawer openings, grand totals. */
export function seReportLines(se: SeReport, profile: Profile): string[] {
  const money = (m: number) => receiptMoney(m, profile);
  return [
    row('Antal kvitton', String(se.receipts)),
    row(`Kopior ${se.copies.count}`, money(se.copies.amount)),
    row(`Ej slutförda köp ${se.unfinished.count}`, money(se.unfinished.amount)),
    row('Lådöppningar', String(se.drawerOpenings)),
    row('Grand total försäljning', money(se.grandTotal.sales)),
    row('Grand total retur', money(se.grandTotal.returns)),
    row('Grand total netto', money(se.grandTotal.net)),
  ];
}
