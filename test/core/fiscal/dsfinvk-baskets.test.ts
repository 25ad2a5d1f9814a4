/**
 * Baskets in the DSFinV-K export, read back through the independent GDPdU reader:
 * - a parked basket is a receipt of its own: its TSE transaction (started at its first scan) is
 *   finished as aborted when it is parked, and the export lists it as `AVBelegabbruch`
 *   ("Geparkt") with its lines, VAT and that signed transaction;
 * - empties taken back are `PfandRueckzahlung`, and empties worth more than the purchase are paid
 *   out: a signed `Beleg` with a negative cash payment, in the closing's cash;
 * - the master data (Stamm_Abschluss, Stamm_Orte) carry the store's provisioned particulars; every
 *   Stamm_* table has DSFinV-K's fields, filled from the till (as its Kassenmeldung names it), its
 *   lane (the terminal its receipts name) and its TSE (the certificate, where the TSE has one).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { exportDsfinvk } from '../../../core/fiscal/dsfinvk/export';
import { saveStoreLegal } from '../../../core/markets/store-legal';
import { closeDay, openGermanTill, sellCash, type GermanTill } from '../../helpers/de-till';
import { readIndex, readTable } from '../../helpers/gdpdu';
import { run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { verifyQr } from '../../helpers/tse-verifier';

const exportOf = () => {
  const out = join(t.dir, 'export');
  exportDsfinvk(till.db, { z: 1 }, out, { timeZone: 'Europe/Berlin', softwareVersion: 'test' });
  return Object.fromEntries(readIndex(out).map((d) => [d.url, readTable(out, d)]));
};
const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 at 7 %
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90 at 19 %

let t: { dir: string; cleanup: () => void };
let till: GermanTill;
beforeEach(() => {
  t = tempDir('kassa-dsfinvk-parked-');
  till = openGermanTill(t.dir, '2026-12-07T09:00:00.000Z');
});
afterEach(() => {
  till.close();
  t.cleanup();
});

it('exports a parked basket as AVBelegabbruch with its lines, VAT and the aborted transaction its first scan started', async () => {
  run(till.lane, { cmd: 'scan', code: SOAP });
  await till.lane.tse!.starts.settled();
  run(till.lane, { cmd: 'scan', code: MILK });
  till.clock.advance(10_000);
  const parked = till.lane.snapshot().checkout!.saleId;
  run(till.lane, { cmd: 'suspendSale' });
  await till.lane.tse!.starts.settled();
  // Another customer meanwhile, so the parked basket sits among signed sales.
  const sold = sellCash(till, [MILK], 2_000);
  await till.lane.tse!.starts.settled();
  expect(verifyQr(/^\[QR\] (V0;.*)$/m.exec(sold.receiptText)![1]!)).toBe(true);
  closeDay(till);
  const tables = exportOf();
  const head = tables['transactions.csv']!.find((r) => r.BON_ID === parked)!;
  expect([head.BON_TYP, head.BON_NAME, head.UMS_BRUTTO]).toEqual(['AVBelegabbruch', 'Geparkt', '46,85']);
  expect(tables['lines.csv']!.filter((r) => r.BON_ID === parked).map((r) => [r.ARTIKELTEXT, r.GV_TYP])).toEqual([
    [DEMO_ITEMS.dishSoap.name, 'Umsatz'],
    [DEMO_ITEMS.milk.name, 'Umsatz'],
  ]);
  expect(tables['transactions_vat.csv']!.filter((r) => r.BON_ID === parked).map((r) => [r.UST_SCHLUESSEL, r.BON_BRUTTO]).sort()).toEqual([
    ['1', '29,90000'],
    ['2', '16,95000'],
  ]);
  const tse = tables['transactions_tse.csv']!.find((r) => r.BON_ID === parked)!;
  expect([tse.TSE_TANR, tse.TSE_TA_SIGZ, tse.TSE_TA_FEHLER, tse.TSE_VORGANGSDATEN, tse.TSE_TA_START]).toEqual(['1', '2', '', 'AVBelegabbruch^29.90_16.95_0.00_0.00_0.00^', '2026-12-07T09:00:00.000Z']);
  // Both receipts signed, each by its finish: the parked basket's abort (counter 2) and the sale (started and finished at completion: 3, 4).
  expect(tables['transactions_tse.csv']!.map((r) => r.TSE_TA_SIGZ).sort()).toEqual(['2', '4']);
});

it('books empties paid out as PfandRueckzahlung with a negative cash payment, signed, and in the closing', async () => {
  // Change for the drawer first (an Einzahlung), so the payout has cash to come from.
  run(till.lane, { cmd: 'cashMovement', kind: 'paidIn', amount: 1_000, reason: 'Wechselgeld' });
  run(till.lane, { cmd: 'scan', code: MILK });
  // Twenty cans' empties (20 × 1,00) against the milk (16,95): 3,05 is paid out.
  const snap = run(till.lane, { cmd: 'returnDeposit', itemId: 'pant-burk', quantity: 20 });
  expect(snap.checkout!.totals).toMatchObject({ total: -305, payout: 305 });
  run(till.lane, { cmd: 'tenderCash' });
  const sale = run(till.lane, { cmd: 'complete' }).lastSale!;
  await till.lane.tse!.starts.settled();
  const qr = /^\[QR\] (V0;.*)$/m.exec(sale.receiptText)![1]!;
  expect(verifyQr(qr)).toBe(true);
  expect(qr.split(';')[3]).toMatch(/^Beleg\^[-0-9._]+\^-3\.05:Bar$/);
  closeDay(till);
  const tables = exportOf();
  expect(tables['transactions.csv']!.find((r) => r.BON_ID === sale.saleId)).toMatchObject({ BON_TYP: 'Beleg', UMS_BRUTTO: '-3,05' });
  expect(tables['lines.csv']!.filter((r) => r.BON_ID === sale.saleId).map((r) => [r.GV_TYP, r.MENGE])).toEqual([
    ['Umsatz', '1,000'],
    ['PfandRueckzahlung', '20,000'],
  ]);
  expect(tables['lines_vat.csv']!.filter((r) => r.BON_ID === sale.saleId).map((r) => r.POS_BRUTTO)).toEqual(['16,95000', '-20,00000']);
  expect(tables['datapayment.csv']!.filter((r) => r.BON_ID === sale.saleId).map((r) => [r.ZAHLART_TYP, r.BASISWAEH_BETRAG])).toEqual([['Bar', '-3,05']]);
  const pfand = tables['businesscases.csv']!.filter((b) => b.GV_TYP === 'PfandRueckzahlung');
  expect(pfand.map((b) => b.Z_UMS_BRUTTO)).toEqual(['-20,00000']);
  // The drawer's cash: 10,00 paid in, less the 3,05 paid out.
  expect(tables['payment.csv']).toEqual([expect.objectContaining({ ZAHLART_TYP: 'Bar', Z_ZAHLART_BETRAG: '6,95' })]);
  expect(tables['cashpointclosing.csv']![0]).toMatchObject({ Z_SE_BARZAHLUNGEN: '6,95' });
});

/** DSFinV-K 2.3's master-data tables (Stammdatenmodul), every field in its order, after the closing's key. */
const STAMM: Record<string, string[]> = {
  'cashpointclosing.csv': ['Z_BUCHUNGSTAG', 'TAXONOMIE_VERSION', 'Z_START_ID', 'Z_ENDE_ID', 'NAME', 'STRASSE', 'PLZ', 'ORT', 'LAND', 'STNR', 'USTID', 'Z_SE_ZAHLUNGEN', 'Z_SE_BARZAHLUNGEN'],
  'location.csv': ['LOC_NAME', 'LOC_STRASSE', 'LOC_PLZ', 'LOC_ORT', 'LOC_LAND', 'LOC_USTID'],
  'cashregister.csv': ['KASSE_BRAND', 'KASSE_MODELL', 'KASSE_SERIENNR', 'KASSE_SW_BRAND', 'KASSE_SW_VERSION', 'KASSE_BASISWAEH_CODE', 'KEINE_UST_ZUORDNUNG'],
  'slaves.csv': ['TERMINAL_ID', 'TERMINAL_BRAND', 'TERMINAL_MODELL', 'TERMINAL_SERIENNR', 'TERMINAL_SW_BRAND', 'TERMINAL_SW_VERSION'],
  'pa.csv': ['AGENTUR_ID', 'AGENTUR_NAME', 'AGENTUR_STRASSE', 'AGENTUR_PLZ', 'AGENTUR_ORT', 'AGENTUR_LAND', 'AGENTUR_STNR', 'AGENTUR_USTID'],
  'vat.csv': ['UST_SCHLUESSEL', 'UST_SATZ', 'UST_BESCHR'],
  'tse.csv': ['TSE_ID', 'TSE_SERIAL', 'TSE_SIG_ALGO', 'TSE_ZEITFORMAT', 'TSE_PD_ENCODING', 'TSE_PUBLIC_KEY', 'TSE_ZERTIFIKAT_I', 'TSE_ZERTIFIKAT_II'],
};

it('writes every master-data table with the fields DSFinV-K lists, filled from the till, its lane and its TSE', () => {
  // A TSE with a certificate (a certified one; the simulator has none), as its Kassenmeldung recorded it.
  const cert = Buffer.alloc(1_200, 7).toString('base64'); // 1,600 characters
  till.db.prepare('UPDATE tse_kassenmeldung SET tse_certificate = ?').run(`-----BEGIN CERTIFICATE-----\n${cert.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`);
  const sold = sellCash(till, [MILK], 2_000);
  closeDay(till);
  const out = join(t.dir, 'export');
  exportDsfinvk(till.db, { z: 1 }, out, { timeZone: 'Europe/Berlin', softwareVersion: '9.9.9' });
  const index = readIndex(out);
  for (const [file, fields] of Object.entries(STAMM)) expect(index.find((d) => d.url === file)!.columns.map((c) => c.name)).toEqual(['Z_KASSE_ID', 'Z_ERSTELLUNG', 'Z_NR', ...fields]);
  const table = (f: string) => readTable(out, index.find((d) => d.url === f)!);
  const meldung = till.lane.snapshot().tse!.meldung!;
  expect(table('cashregister.csv')).toEqual([expect.objectContaining({ KASSE_BRAND: meldung.manufacturer, KASSE_MODELL: meldung.model, KASSE_SERIENNR: meldung.tillSerialNumber, KASSE_SW_VERSION: '9.9.9', KASSE_BASISWAEH_CODE: 'EUR', KEINE_UST_ZUORDNUNG: '0' })]);
  // The receipts name their terminal (the lane); the terminal is listed.
  expect(table('transactions.csv').find((r) => r.BON_ID === sold.saleId)!.TERMINAL_ID).toBe('3');
  expect(table('slaves.csv')).toEqual([expect.objectContaining({ TERMINAL_ID: '3', TERMINAL_BRAND: meldung.manufacturer, TERMINAL_MODELL: meldung.model, TERMINAL_SERIENNR: meldung.tillSerialNumber, TERMINAL_SW_VERSION: '9.9.9' })]);
  expect(table('pa.csv')).toEqual([]);
  // Stamm_USt lists the keys the day used, each with its rate (a milk: 7 %, key 2).
  expect(table('vat.csv').map((v) => [v.UST_SCHLUESSEL, v.UST_SATZ])).toEqual([['2', '7,00']]);
  const tse = table('tse.csv');
  expect(tse).toEqual([expect.objectContaining({ TSE_SERIAL: meldung.tseSerialNumber, TSE_PUBLIC_KEY: meldung.tsePublicKey, TSE_ZERTIFIKAT_I: cert.slice(0, 1000), TSE_ZERTIFIKAT_II: cert.slice(1000) })]);
});

it('fills the closing and location master data from the store particulars provisioned at the till', () => {
  saveStoreLegal(till.db, { address: 'Hauptstraße 1, 10115 Berlin', orgNumber: '11/111/11111', vatId: 'DE000000000', companyName: 'Kassa Handel GmbH' });
  sellCash(till, [MILK], 2_000);
  closeDay(till);
  const tables = exportOf();
  expect(tables['cashpointclosing.csv']![0]).toMatchObject({ NAME: 'Kassa Handel GmbH', STRASSE: 'Hauptstraße 1', PLZ: '10115', ORT: 'Berlin', LAND: 'DEU', STNR: '11/111/11111', USTID: 'DE000000000' });
  expect(tables['location.csv']![0]).toMatchObject({ LOC_NAME: 'Kassa Berlin', LOC_STRASSE: 'Hauptstraße 1', LOC_PLZ: '10115', LOC_ORT: 'Berlin', LOC_LAND: 'DEU', LOC_USTID: 'DE000000000' });
  // Every mandatory master field filled: the export warns of nothing.
  expect(exportDsfinvk(till.db, { z: 1 }, join(t.dir, 'again'), { timeZone: 'Europe/Berlin', softwareVersion: 'test' }).warnings).toEqual([]);
});
