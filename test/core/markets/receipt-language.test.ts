/**
 * Receipts and reports in the country's language (issue 21): a Danish, Norwegian (bokmål) and
 * Finnish store prints its sale receipt, its X report and a parked basket's slip in its own words —
 * no English word left — with its currency, cash rounding, VAT letters and deposit.
 */
import { describe, expect, it } from 'vitest';
import { DEMO_MARKETS } from '../../../core/markets/demo';
import { PROFILES } from '../../../core/profile';
import { renderSlip } from '../../../core/receipt/text';
import { renderTillReport } from '../../../core/till/report';
import type { TillReport } from '../../../protocol/terminal';
import { exec, run } from '../../helpers/lane';
import { useMarketDb } from './market-lane';

const { lane } = useMarketDb();

/** What each country's paper says, and English that must not be on it. */
const CASES = [
  {
    country: 'DK' as const,
    receipt: [/Kasse 1 {2}Bon 1\n/, /Ekspedient 1\n/, /Antal varer 2 +\n/, /I ALT DKK\s+\d+,\d0\n/, /Kontant\s+100,00\nByttepenge\s+\d+,\d\d\n/, /Moms %\s+Moms\s+Netto\s+Brutto\n/, /Pant A\s+1,00 A\n/, /Tak for dit køb!/],
    report: [/^X-RAPPORT\n/, /Salg 1\s/, /Kontant\s/, /Øreafrunding\s/, /Moms A 25 %/, /Kontantsalg\s/, /Forventet i skuffen\s/, /Totalsum \(GT\)/],
    slip: [/PARKERET KØB/, /Antal varer 3\s+12,34 DKK/, /Scan sedlen ved en kasse for at fortsætte/],
  },
  {
    country: 'NO' as const,
    receipt: [/Kasse 1 {2}Kvittering 1\n/, /Kasserer 1\n/, /Antall varer 2 +\n/, /TOTALT NOK\s+\d+,00\n/, /Kontant\s+100,00\nVeksel\s+\d+,00\n/, /MVA %\s+MVA\s+Netto\s+Brutto\n/, /Pant 2 kr\s+2,00 D\n/, /Takk for handelen!/],
    report: [/^X-RAPPORT\n/, /Salg 1\s/, /Kontant\s/, /Øreavrunding\s/, /MVA B 15 %/, /Kontantsalg\s/, /Forventet i skuffen\s/],
    slip: [/PARKERT KJØP/, /Antall varer 3\s+12,34 NOK/, /Skann lappen i en kasse for å fortsette/],
  },
  {
    country: 'FI' as const,
    receipt: [/Kassa 1 {2}Kuitti 1\n/, /Myyjä 1\n/, /Tuotteita 2 +\n/, /YHTEENSÄ EUR\s+\d+,\d[05]\n/, /Käteinen\s+100,00\nVaihtoraha\s+\d+,\d[05]\n/, /ALV %\s+ALV\s+Veroton\s+Verollinen\n/, /Pantti tölkki\s+0,15 D\n/, /Kiitos ostoksestasi!/],
    report: [/^X-RAPORTTI\n/, /Myynti 1\s/, /Käteinen\s/, /Pyöristys\s/, /ALV B 14 %/, /Käteismyynti\s/, /Laatikossa odotettu\s/],
    slip: [/PYSÄKÖITY OSTOS/, /Tuotteita 3\s+12,34 EUR/, /Jatka skannaamalla lappu kassalla/],
  },
];
const ENGLISH = /TOTAL\b|Change|Thank you|Cashier|Items|Receipt|Cash sales|Expected in the drawer|X REPORT|PARKED|Rounding/;

describe('receipts and reports in the country’s language', () => {
  it.each(CASES)('$country: the sale receipt, the X report and a parked slip are in its words', ({ country, receipt, report, slip }) => {
    const demo = DEMO_MARKETS[country];
    const items = demo.items as Record<string, { codes: readonly string[]; deposit?: string }>;
    const s = lane(country);
    run(s, { cmd: 'scan', code: items.milk!.codes[0]! });
    // A drink with its deposit: the deposit line under it.
    run(s, { cmd: 'scan', code: Object.values(items).find((i) => i.deposit && i.codes.length)!.codes[0]! });
    run(s, { cmd: 'tenderCash', amount: 10_000 });
    const text = run(s, { cmd: 'complete' }).lastSale!.receiptText;
    for (const re of receipt) expect(text).toMatch(re);
    expect(text).not.toMatch(ENGLISH);

    const x = renderTillReport(exec(s, { cmd: 'xReport' }).result as TillReport, PROFILES[country]);
    for (const re of report) expect(x).toMatch(re);
    expect(x).not.toMatch(ENGLISH);

    const paper = renderSlip({ storeName: 'Demo', laneId: '1', items: 3, total: 1234, barcode: 'P1', qr: 'Q' }, PROFILES[country]);
    for (const re of slip) expect(paper).toMatch(re);
    expect(paper).not.toMatch(ENGLISH);
  });
});
