/**
 * Gift cards in a German till: a store gift card is a multi-purpose voucher (Mehrzweckgutschein,
 * §3 Abs. 15 UStG) — its value is not taxed when it is put on the card, the goods are when it pays
 * for them. So a card is not a payment: its redemption is a position `MehrzweckgutscheinEinloesung`
 * (negative, not taxable: key 5), a card credited in a return `MehrzweckgutscheinKauf` (positive),
 * and the TSE signs them alike, in the process data's not-taxable slot, so the gross amounts add up
 * to the money that was paid. Sold at the lane as a cashier does it, the receipts' QR codes verified
 * by the independent verifier, the export read back through index.xml alone.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEMO_ITEMS, DEMO_VOUCHERS, seedDemoVouchers } from '../../../core/catalog/demo';
import { exportDsfinvk } from '../../../core/fiscal/dsfinvk/export';
import type { ReturnResult, TillReport } from '../../../protocol/terminal';
import { closeDay, openGermanTill, type GermanTill } from '../../helpers/de-till';
import { cents, readIndex, readTable } from '../../helpers/gdpdu';
import { exec, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { verifyQr } from '../../helpers/tse-verifier';

const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 at 7 %
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90 at 19 %
const [GIFT200, GIFT50] = [DEMO_VOUCHERS[0].code, DEMO_VOUCHERS[1].code];

let t: { dir: string; cleanup: () => void };
let till: GermanTill;
beforeEach(() => {
  t = tempDir('kassa-dsfinvk-gift-');
  till = openGermanTill(t.dir, '2026-12-07T09:00:00.000Z', { float: 5_000 });
  seedDemoVouchers(till.db);
});
afterEach(() => {
  till.close();
  t.cleanup();
});

const qrOf = (text: string) => /^\[QR\] (V0;.*)$/m.exec(text)![1]!;
const complete = () => {
  till.clock.advance(1_500);
  return run(till.lane, { cmd: 'complete' }).lastSale!;
};

it('books gift cards redeemed and credited as multi-purpose vouchers: positions, not payments, signed so', () => {
  // 46,85: 20,00 from the 50-euro card, the rest in cash.
  run(till.lane, { cmd: 'scan', code: SOAP });
  run(till.lane, { cmd: 'scan', code: MILK });
  run(till.lane, { cmd: 'tenderVoucher', code: GIFT50, amount: 2_000 });
  run(till.lane, { cmd: 'tenderCash', amount: 3_000 });
  const mixed = complete();
  expect(qrOf(mixed.receiptText).split(';')[3]).toBe('Beleg^29.90_16.95_0.00_0.00_-20.00^26.85:Bar');
  expect(verifyQr(qrOf(mixed.receiptText))).toBe(true);
  // A milk paid with a card alone: no money paid at all.
  run(till.lane, { cmd: 'scan', code: MILK });
  run(till.lane, { cmd: 'tenderVoucher', code: GIFT200 });
  const onCard = complete();
  expect(qrOf(onCard.receiptText).split(';')[3]).toBe('Beleg^0.00_16.95_0.00_0.00_-16.95^');
  expect(verifyQr(qrOf(onCard.receiptText))).toBe(true);
  // The soap comes back, its money onto the 50-euro card.
  const ret = exec(till.lane, { cmd: 'returnLines', receiptCode: `R${mixed.saleId.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Defekt', refundTo: { giftCard: GIFT50 } }).result as ReturnResult;
  const credited = ret.refunds.filter((p) => p.kind === 'voucher').reduce((a, p) => a + p.amount, 0);
  const cashBack = ret.refunds.filter((p) => p.kind === 'cash').reduce((a, p) => a + p.amount, 0);
  expect(credited + cashBack).toBe(2_990);
  expect(credited).toBeGreaterThan(0);
  const retQr = qrOf(ret.receiptText);
  expect(retQr.split(';')[3]).toBe(`Beleg^-29.90_0.00_0.00_0.00_${(credited / 100).toFixed(2)}^${cashBack ? `-${(cashBack / 100).toFixed(2)}:Bar` : ''}`);
  expect(verifyQr(retQr)).toBe(true);
  closeDay(till);

  const out = join(t.dir, 'export');
  exportDsfinvk(till.db, { z: 1 }, out, { timeZone: 'Europe/Berlin', softwareVersion: 'test' });
  const tables = Object.fromEntries(readIndex(out).map((d) => [d.url, readTable(out, d)]));
  const of = (file: string, id: string) => tables[file]!.filter((r) => r.BON_ID === id);
  expect(of('lines.csv', mixed.saleId).map((l) => [l.GV_TYP, l.GUTSCHEIN_NR, l.STK_BR])).toEqual([
    ['Umsatz', '', '29,90000'],
    ['Umsatz', '', '16,95000'],
    ['MehrzweckgutscheinEinloesung', '*********0024', '-20,00000'],
  ]);
  expect(of('lines_vat.csv', mixed.saleId).map((l) => [l.UST_SCHLUESSEL, l.POS_BRUTTO, l.POS_UST])).toEqual([['1', '29,90000', '4,77000'], ['2', '16,95000', '1,11000'], ['5', '-20,00000', '0,00000']]);
  expect(of('transactions.csv', mixed.saleId)[0]!.UMS_BRUTTO).toBe('26,85');
  expect(of('datapayment.csv', mixed.saleId).map((p) => [p.ZAHLART_TYP, p.BASISWAEH_BETRAG])).toEqual([['Bar', '26,85']]);
  expect(of('transactions.csv', onCard.saleId)[0]!.UMS_BRUTTO).toBe('0,00');
  // Paid by the card alone: ZAHLART_TYP Keine, 0,00 (DSFinV-K 2.4 Anhang D; example V_2_3_03).
  expect(of('datapayment.csv', onCard.saleId).map((p) => [p.ZAHLART_TYP, p.ZAHLART_NAME, p.ZAHLWAEH_CODE, p.BASISWAEH_BETRAG])).toEqual([['Keine', '', 'EUR', '0,00']]);
  expect(of('lines.csv', ret.returnId).map((l) => [l.GV_TYP, l.STK_BR])).toEqual([
    ['Umsatz', '29,90000'],
    ['MehrzweckgutscheinKauf', `${(credited / 100).toFixed(2).replace('.', ',')}000`],
  ]);
  // What the TSE signed is what the export says: per receipt, the not-taxable slot is its key-5 VAT row.
  for (const r of tables['transactions_tse.csv']!.filter((x) => x.TSE_VORGANGSDATEN!.startsWith('Beleg^'))) {
    const slot5 = Math.round(Number(r.TSE_VORGANGSDATEN!.split('^')[1]!.split('_')[4]) * 100);
    expect(of('transactions_vat.csv', r.BON_ID!).filter((v) => v.UST_SCHLUESSEL === '5').reduce((a, v) => a + cents(v.BON_BRUTTO!), 0)).toBe(slot5);
  }
  // The closing: the cards per business case, and the drawer's cash what the Z counted.
  const cases = Object.fromEntries(tables['businesscases.csv']!.map((b) => [`${b.GV_TYP}/${b.UST_SCHLUESSEL}`, cents(b.Z_UMS_BRUTTO!)]));
  expect(cases).toMatchObject({ 'MehrzweckgutscheinEinloesung/5': -3_695, 'MehrzweckgutscheinKauf/5': credited });
  const z = JSON.parse(till.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'report.z'").get()!.body) as TillReport;
  expect(tables['payment.csv']!.map((p) => [p.ZAHLART_TYP, cents(p.Z_ZAHLART_BETRAG!)])).toEqual([['Bar', z.cash.counted], ['Keine', 0]]);
  expect(tables['payment.csv']!.find((p) => p.ZAHLART_TYP === 'Keine')).toMatchObject({ ZAHLART_NAME: '', Z_ZAHLART_BETRAG: '0,00' });
  // Every receipt that counts has a payment row.
  for (const h of tables['transactions.csv']!.filter((x) => x.BON_TYP === 'Beleg')) expect(of('datapayment.csv', h.BON_ID!).length).toBeGreaterThan(0);
});
