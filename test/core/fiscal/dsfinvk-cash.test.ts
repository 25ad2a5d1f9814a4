/**
 * Cash that moves in a German till without a sale, as a cashier does it: the float counted in, cash
 * paid in and out, a pickup to the safe, the owner's withdrawal and deposit, and a drawer counted 5
 * cents short at the Z. Each is a TSE transaction of its own (Vorgangstyp Beleg), printed on a
 * slip with the TSE's fields (read as the person reads it; its QR code verified by the independent
 * verifier), and in the DSFinV-K export — read back through index.xml alone — a Beleg
 * with its business case (Anfangsbestand, Einzahlung, Auszahlung, Geldtransit, Privatentnahme,
 * Privateinlage, DifferenzSollIst), counted in the closing, whose cash (Z_Zahlart, Z_Waehrungen)
 * is then what was counted. A movement made while the TSE is out is made all the same, marked
 * "TSE ausgefallen" and journalled.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { join } from 'node:path';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { exportDsfinvk } from '../../../core/fiscal/dsfinvk/export';
import type { CashMovementResult, TillReport } from '../../../protocol/terminal';
import { closeDay, openGermanTill, sellCash, SUPERVISOR, type GermanTill } from '../../helpers/de-till';
import { cents, readIndex, readTable } from '../../helpers/gdpdu';
import { exec } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { verifyQr } from '../../helpers/tse-verifier';

const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 at 7 %
const OPTS = { timeZone: 'Europe/Berlin', softwareVersion: 'test' };

let t: { dir: string; cleanup: () => void };
let till: GermanTill;
beforeEach(() => {
  t = tempDir('kassa-dsfinvk-cash-');
  till = openGermanTill(t.dir, '2026-12-07T08:00:00.000Z', { float: 10_000 });
});
afterEach(() => {
  till.close();
  t.cleanup();
});

type Kind = 'paidIn' | 'paidOut' | 'pickup' | 'privateWithdrawal' | 'privateDeposit';
const move = (kind: Kind, amount: number, reason: string) => {
  till.clock.advance(60_000);
  const approval = kind === 'paidIn' || kind === 'privateDeposit' ? {} : { approval: SUPERVISOR };
  return exec(till.lane, { cmd: 'cashMovement', kind, amount, reason, ...approval }).result as CashMovementResult;
};
const qrOf = (text: string) => /^\[QR\] (V0;.*)$/m.exec(text)![1]!;
const exportOf = () => {
  const out = join(t.dir, 'export');
  exportDsfinvk(till.db, { z: 1 }, out, OPTS);
  return Object.fromEntries(readIndex(out).map((d) => [d.url, readTable(out, d)]));
};

it('signs, prints and exports every cash movement as a Beleg of its business case, and the closing counts the drawer', () => {
  const paidIn = move('paidIn', 2_000, 'Wechselgeld');
  // What the cashier reads on the slip: what moved, how much, why, who, and the TSE's fields.
  const lines = paidIn.slipText!.split('\n').map((l) => l.trim());
  expect(lines).toEqual(expect.arrayContaining(['*** EINZAHLUNG ***', 'Kasse 3']));
  expect(paidIn.slipText).toMatch(/^In die Kasse \(bar\) +20,00 EUR$/m);
  expect(paidIn.slipText).toMatch(/^Grund +Wechselgeld$/m);
  expect(paidIn.slipText).toMatch(/^TSE-Transaktionsnr\.: \d+$/m);
  expect(paidIn.slipText).toMatch(/^TSE-Signatur: /m);
  expect(qrOf(paidIn.slipText!).split(';').slice(2, 4)).toEqual(['Kassenbeleg-V1', 'Beleg^0.00_0.00_0.00_0.00_20.00^20.00:Bar']);
  expect(verifyQr(qrOf(paidIn.slipText!))).toBe(true);

  const paidOut = move('paidOut', 500, 'Briefmarken');
  expect(paidOut.slipText).toMatch(/\*\*\* AUSZAHLUNG \*\*\*/);
  expect(paidOut.slipText).toMatch(/^Aus der Kasse \(bar\) +5,00 EUR$/m);
  expect(paidOut.slipText).toMatch(/^Genehmigt +7$/m);
  expect(qrOf(paidOut.slipText!).split(';')[3]).toBe('Beleg^0.00_0.00_0.00_0.00_-5.00^-5.00:Bar');
  const pickup = move('pickup', 5_000, 'Tresor');
  expect(pickup.slipText).toMatch(/\*\*\* GELDTRANSIT \*\*\*/);
  const withdrawal = move('privateWithdrawal', 1_000, 'Inhaber');
  expect(withdrawal.slipText).toMatch(/\*\*\* PRIVATENTNAHME \*\*\*/);
  const deposit = move('privateDeposit', 300, 'Inhaber');
  expect(deposit.slipText).toMatch(/\*\*\* PRIVATEINLAGE \*\*\*/);
  for (const m of [paidOut, pickup, withdrawal, deposit]) expect(verifyQr(qrOf(m.slipText!))).toBe(true);
  // Every movement is kept as one, the owner's money too (migration 0035).
  expect(till.db.prepare('SELECT kind FROM cash_movement ORDER BY at, rowid').all().map((r) => (r as { kind: string }).kind)).toEqual(['paidIn', 'paidOut', 'pickup', 'privateWithdrawal', 'privateDeposit']);
  const sale = sellCash(till, [MILK], 2_000);

  // The X report counts the owner's money with the other cash paid in and out.
  const x = exec(till.lane, { cmd: 'xReport' }).result as TillReport;
  expect(x.cash).toMatchObject({ float: 10_000, paidIn: 2_300, paidOut: 1_500, pickups: 5_000, sales: 1_695, expected: 7_495 });
  // Counted 5 cents short: the difference is a signed movement of its own.
  closeDay(till, 7_490);
  const diff = till.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'cash.difference'").get();
  const d = JSON.parse(diff!.body) as { amount: number; differenceId: string; tse: { kind: string } };
  expect([d.amount, d.tse.kind]).toEqual([-5, 'signed']);

  const tables = exportOf();
  const heads = tables['transactions.csv']!;
  // A cash movement is a Beleg (DSFinV-K 2.4 Anhang F, example V_2_3_06): counted in the closing, as AVTransfer would not be.
  const CASH = ['Anfangsbestand', 'Einzahlung', 'Auszahlung', 'Geldtransit', 'Privatentnahme', 'Privateinlage', 'DifferenzSollIst'];
  const transfers = heads.filter((h) => CASH.includes(h.BON_NAME!));
  expect(heads.filter((h) => h.BON_TYP !== 'Beleg')).toEqual([]);
  expect(transfers.map((h) => [h.BON_NAME, h.UMS_BRUTTO])).toEqual([
    ['Anfangsbestand', '100,00'],
    ['Einzahlung', '20,00'],
    ['Auszahlung', '-5,00'],
    ['Geldtransit', '-50,00'],
    ['Privatentnahme', '-10,00'],
    ['Privateinlage', '3,00'],
    ['DifferenzSollIst', '-0,05'],
  ]);
  expect(transfers.at(-1)!.BON_ID).toBe(d.differenceId);
  // BON_NR is mandatory: a movement has no printed number, so it is its journal entry's sequence number (unique, increasing per till).
  const seqOf = till.db.prepare<[string, string, string], { seq: number }>('SELECT seq FROM journal WHERE ref = ? OR json_extract(body, \'$.differenceId\') = ? OR json_extract(body, \'$.sessionId\') = ? ORDER BY seq LIMIT 1');
  for (const h of transfers) expect(Number(h.BON_NR)).toBe(seqOf.get(h.BON_ID!, h.BON_ID!, h.BON_ID!)!.seq);
  expect(new Set(transfers.map((h) => h.BON_NR)).size).toBe(transfers.length);
  expect(tables['lines.csv']!.find((l) => l.BON_ID === paidIn.movementId)).toMatchObject({ GV_TYP: 'Einzahlung', ARTIKELTEXT: 'Wechselgeld', MENGE: '1,000', STK_BR: '20,00000' });
  expect(tables['lines_vat.csv']!.find((l) => l.BON_ID === pickup.movementId)).toMatchObject({ UST_SCHLUESSEL: '5', POS_BRUTTO: '-50,00000', POS_UST: '0,00000' });
  expect(tables['datapayment.csv']!.filter((p) => p.BON_ID === withdrawal.movementId).map((p) => [p.ZAHLART_TYP, p.BASISWAEH_BETRAG])).toEqual([['Bar', '-10,00']]);

  // The closing: each business case summed, the drawer's cash what was counted, as Kassa's Z report says.
  const cases = new Map(tables['businesscases.csv']!.map((b) => [`${b.GV_TYP}/${b.UST_SCHLUESSEL}`, b.Z_UMS_BRUTTO]));
  expect(Object.fromEntries(cases)).toEqual({
    'Anfangsbestand/5': '100,00000', 'Einzahlung/5': '20,00000', 'Auszahlung/5': '-5,00000', 'Geldtransit/5': '-50,00000', 'Privatentnahme/5': '-10,00000', 'Privateinlage/5': '3,00000', 'DifferenzSollIst/5': '-0,05000', 'Umsatz/2': '16,95000',
  });
  const z = JSON.parse(till.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'report.z'").get()!.body) as TillReport;
  expect(z.cash).toMatchObject({ counted: 7_490, overShort: -5 });
  expect(tables['payment.csv']!.map((p) => [p.ZAHLART_TYP, cents(p.Z_ZAHLART_BETRAG!)])).toEqual([['Bar', z.cash.counted]]);
  expect(tables['cash_per_currency.csv']!.map((c) => [c.ZAHLART_WAEH, c.ZAHLART_BETRAG_WAEH])).toEqual([['EUR', '74,90']]);
  // The receipts' own payments add up to the closing.
  expect(tables['datapayment.csv']!.reduce((a, p) => a + cents(p.BASISWAEH_BETRAG!), 0)).toBe(7_490);

  // Every movement and the sale signed, numbered without a gap, each verifying from the exported fields alone.
  const tse = tables['transactions_tse.csv']!;
  const key = tables['tse.csv']![0]!;
  const signed = tse.filter((r) => r.TSE_TA_SIG !== '').sort((a, b) => Number(a.TSE_TANR) - Number(b.TSE_TANR));
  expect(signed.length).toBe(8);
  expect(signed.map((r) => Number(r.TSE_TANR))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  for (const r of signed) {
    expect(verifyQr(['V0', r.Z_KASSE_ID, r.TSE_TA_VORGANGSART, r.TSE_VORGANGSDATEN, r.TSE_TANR, r.TSE_TA_SIGZ, r.TSE_TA_START, r.TSE_TA_ENDE, key.TSE_SIG_ALGO, key.TSE_ZEITFORMAT, r.TSE_TA_SIG, key.TSE_PUBLIC_KEY].join(';'))).toBe(true);
  }
  expect(tse.find((r) => r.BON_ID === d.differenceId)!.TSE_VORGANGSDATEN).toBe('Beleg^0.00_0.00_0.00_0.00_-0.05^-0.05:Bar');
  expect(tse.find((r) => r.BON_ID === sale.saleId)!.TSE_VORGANGSDATEN).toBe('Beleg^0.00_16.95_0.00_0.00_0.00^16.95:Bar');
});

it('moves cash while the TSE is out: made all the same, the slip says "TSE ausgefallen", journalled and exported with the reason', () => {
  till.sim.unplug();
  const pickup = move('pickup', 5_000, 'Tresor');
  expect(pickup.slipText).toMatch(/^\*\*\* TSE ausgefallen \*\*\*$/m);
  expect(pickup.slipText).not.toMatch(/\[QR\]/);
  expect(till.lane.snapshot().tse).toMatchObject({ state: 'outage', unsignedSales: 1 });
  expect(till.db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'tse.outage'").get()).toEqual({ n: 1 });
  till.sim.plugIn();
  const paidIn = move('paidIn', 1_000, 'Wechselgeld');
  expect(verifyQr(qrOf(paidIn.slipText!))).toBe(true);
  expect(till.lane.snapshot().tse).toMatchObject({ state: 'ok' });
  closeDay(till);
  const tables = exportOf();
  expect(tables['transactions_tse.csv']!.find((r) => r.BON_ID === pickup.movementId)).toMatchObject({ TSE_TA_SIG: '', TSE_TA_FEHLER: 'TSE ausgefallen: TSE_UNAVAILABLE: the TSE does not answer' });
  expect(tables['transactions.csv']!.find((r) => r.BON_ID === pickup.movementId)).toMatchObject({ BON_TYP: 'Beleg', BON_NAME: 'Geldtransit', UMS_BRUTTO: '-50,00' });
  expect(tables['payment.csv']!.map((p) => p.Z_ZAHLART_BETRAG)).toEqual(['60,00']);
});
