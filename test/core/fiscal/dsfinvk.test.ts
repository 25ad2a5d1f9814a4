/**
 * The DSFinV-K export of a German till: two till days sold through the real lane service with the
 * TSE simulator (cash and card, a deposit, a discount, a training sale, a cancelled basket, a return
 * with its deposit), closed with a Z each, exported, and read back as an auditor's tool reads it —
 * through index.xml only (test/helpers/gdpdu.ts) — then cross-checked: payments per Z equal the
 * closing's, business-case totals equal the lines, the Z report's own figures agree, the TSE's
 * numbering has no gap, and every transaction's signature verifies from the exported fields alone
 * with the independent verifier (test/helpers/tse-verifier.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { SimulatedPaymentTerminal } from '../../../core/payments/port';
import { exportDsfinvk } from '../../../core/fiscal/dsfinvk/export';
import { DsfinvkError } from '../../../core/fiscal/dsfinvk/read';
import { saveStoreLegal } from '../../../core/markets/store-legal';
import type { TillReport } from '../../../protocol/terminal';
import { closeDay, DE_CLIENT, openGermanTill, sellCash, SUPERVISOR, type GermanTill } from '../../helpers/de-till';
import { cents, readIndex, readTable } from '../../helpers/gdpdu';
import { exec, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { verifyQr } from '../../helpers/tse-verifier';
import { until } from '../../helpers/wait';

const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 at 7 %
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90 at 19 %
const JULMUST = DEMO_ITEMS.julmust.codes[0]!; // 12,90 at 7 %, with a 1,00 deposit
const OPTS = { timeZone: 'Europe/Berlin', softwareVersion: 'test' };

let t: { dir: string; cleanup: () => void };
let till: GermanTill;
let out: string;
type Rec = Record<string, string>;
let tables: Record<string, Rec[]>;
const zReports: TillReport[] = [];
const ids: Record<string, string> = {};

async function sellDay1() {
  ids.mixed = sellCash(till, [MILK, SOAP], 5_000).saleId;
  ids.deposit = sellCash(till, [JULMUST], 2_000).saleId;
  // A discounted soap, paid by card.
  run(till.lane, { cmd: 'scan', code: SOAP });
  run(till.lane, { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 1000, reason: 'Kurzes MHD' });
  run(till.lane, { cmd: 'tenderCard' });
  await until('card approved', () => till.lane.snapshot().checkout?.state === 'paid');
  till.clock.advance(1_000);
  ids.card = run(till.lane, { cmd: 'complete' }).lastSale!.saleId;
  // A training sale.
  run(till.lane, { cmd: 'setTraining', on: true, approval: SUPERVISOR });
  ids.training = sellCash(till, [MILK], 2_000).saleId;
  run(till.lane, { cmd: 'setTraining', on: false, approval: SUPERVISOR });
  // A basket cancelled before payment.
  run(till.lane, { cmd: 'scan', code: SOAP });
  run(till.lane, { cmd: 'cancelSale', approval: SUPERVISOR });
  // The julmust comes back, with its deposit.
  const r = exec(till.lane, { cmd: 'returnLines', receiptCode: `R${ids.deposit.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Beschädigt' }).result as { returnId: string };
  ids.return = r.returnId;
  closeDay(till);
}

beforeAll(async () => {
  t = tempDir('kassa-dsfinvk-');
  till = openGermanTill(t.dir, '2026-12-07T08:30:00.000Z', { payments: new SimulatedPaymentTerminal({ delayMs: 0 }) });
  await sellDay1();
  till.clock.advance(24 * 3_600_000);
  run(till.lane, { cmd: 'openTill', float: [] });
  ids.day2 = sellCash(till, [SOAP, MILK], 5_000).saleId;
  closeDay(till);
  for (const r of till.db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'report.z' ORDER BY seq").all()) zReports.push(JSON.parse(r.body) as TillReport);
  out = join(t.dir, 'export');
  exportDsfinvk(till.db, { from: '2026-12-07', to: '2026-12-08' }, out, OPTS);
  tables = Object.fromEntries(readIndex(out).map((d) => [d.url, readTable(out, d)]));
}, 30_000);
afterAll(() => {
  till.close();
  t.cleanup();
});

const rows = (file: string, z?: number) => tables[file]!.filter((r) => z === undefined || r.Z_NR === String(z));
const bonType = (id: string) => rows('transactions.csv').find((r) => r.BON_ID === id)!.BON_TYP;
const sum = (rs: Rec[], col: string) => rs.reduce((a, r) => a + cents(r[col]!), 0);

describe('the export, read through its index.xml', () => {
  it('lists every table of the three modules, each file there with the declared columns, types and decimal comma', () => {
    const declared = readIndex(out);
    expect(declared.map((d) => d.url).sort()).toEqual(readdirSync(out).filter((f) => f !== 'index.xml').sort());
    expect(declared.length).toBe(20);
    // Instants as DSFinV-K declares them (AlphaNumeric): ISO 8601, UTC, as the TSE writes its log times.
    for (const [file, cols] of [['transactions.csv', ['Z_ERSTELLUNG', 'BON_START', 'BON_ENDE']], ['transactions_tse.csv', ['TSE_TA_START', 'TSE_TA_ENDE']], ['references.csv', ['REF_DATUM']]] as const) {
      for (const r of rows(file)) for (const c of cols) expect(r[c]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$|^$/);
    }
    for (const f of ['allocation_groups.csv', 'subitems.csv', 'itemamounts.csv', 'transactions.csv', 'transactions_vat.csv', 'lines.csv', 'lines_vat.csv', 'datapayment.csv', 'transactions_tse.csv', 'references.csv', 'cashpointclosing.csv', 'location.csv', 'cashregister.csv', 'slaves.csv', 'pa.csv', 'vat.csv', 'tse.csv', 'businesscases.csv', 'payment.csv', 'cash_per_currency.csv']) {
      expect(declared.some((d) => d.url === f)).toBe(true);
    }
    for (const d of declared) expect([d.decimal, d.columnDelimiter, d.recordDelimiter, d.encapsulator, d.from, d.utf8]).toEqual([',', ';', '\r\n', '"', 2, true]);
    expect(rows('cashpointclosing.csv').map((r) => [r.Z_NR, r.Z_BUCHUNGSTAG, r.Z_KASSE_ID, r.TAXONOMIE_VERSION])).toEqual([['1', '2026-12-07', DE_CLIENT, '2.3'], ['2', '2026-12-08', DE_CLIENT, '2.3']]);
    expect(rows('lines.csv').find((r) => r.BON_ID === ids.mixed)).toMatchObject({ ARTIKELTEXT: DEMO_ITEMS.milk.name, MENGE: '1,000', STK_BR: '16,95000', GV_TYP: 'Umsatz' });
  });

  it('a reader that breaks on a wrong type finds one (the check can fail)', () => {
    const d = readIndex(out).find((x) => x.url === 'lines_vat.csv')!;
    const broken = { ...d, columns: d.columns.map((c) => (c.name === 'POS_BRUTTO' ? { ...c, accuracy: 2 } : c)) };
    expect(() => readTable(out, broken)).toThrow(/not a number with 2 decimals/);
  });
});

describe('cross-checks per Z', () => {
  it('the payments of the receipts add up to the closing (Z_Zahlart), and to what Kassa\'s own Z report took', () => {
    for (const z of [1, 2]) {
      // Sales, returns and cash movements (Belege all) move money; training and aborted baskets do not.
      const counted = new Set(rows('transactions.csv', z).filter((r) => r.BON_TYP === 'Beleg').map((r) => r.BON_ID));
      const byKind = new Map<string, number>();
      for (const p of rows('datapayment.csv', z).filter((p) => counted.has(p.BON_ID!))) byKind.set(`${p.ZAHLART_TYP}/${p.ZAHLART_NAME}`, (byKind.get(`${p.ZAHLART_TYP}/${p.ZAHLART_NAME}`) ?? 0) + cents(p.BASISWAEH_BETRAG!));
      const closing = new Map(rows('payment.csv', z).map((p) => [`${p.ZAHLART_TYP}/${p.ZAHLART_NAME}`, cents(p.Z_ZAHLART_BETRAG!)]));
      expect(closing).toEqual(byKind);
      const report = new Map(zReports[z - 1]!.tenders.filter((x) => x.amount !== 0).map((x) => [x.kind === 'cash' ? 'Bar/Bar' : 'Unbar/Karte', x.amount]));
      expect(closing).toEqual(report);
      const head = rows('cashpointclosing.csv', z)[0]!;
      expect(cents(head.Z_SE_ZAHLUNGEN!)).toBe([...closing.values()].reduce((a, b) => a + b, 0));
      expect(cents(head.Z_SE_BARZAHLUNGEN!)).toBe(closing.get('Bar/Bar') ?? 0);
      expect(cents(rows('cash_per_currency.csv', z)[0]!.ZAHLART_BETRAG_WAEH!)).toBe(closing.get('Bar/Bar') ?? 0);
    }
  });

  it('the business-case totals equal the sum of the lines, each receipt\'s lines its total, and the VAT Kassa\'s Z report shows', () => {
    for (const z of [1, 2]) {
      const heads = rows('transactions.csv', z);
      const counted = new Set(heads.filter((r) => r.BON_TYP === 'Beleg').map((r) => r.BON_ID));
      const gvOf = new Map(rows('lines.csv', z).map((l) => [`${l.BON_ID}/${l.POS_ZEILE}`, l.GV_TYP!]));
      const expected = new Map<string, number[]>();
      for (const v of rows('lines_vat.csv', z).filter((v) => counted.has(v.BON_ID!))) {
        const key = `${gvOf.get(`${v.BON_ID}/${v.POS_ZEILE}`)}/${v.UST_SCHLUESSEL}`;
        const e = expected.get(key) ?? [0, 0, 0];
        expected.set(key, [e[0]! + cents(v.POS_BRUTTO!), e[1]! + cents(v.POS_NETTO!), e[2]! + cents(v.POS_UST!)]);
      }
      expect(new Map(rows('businesscases.csv', z).map((b) => [`${b.GV_TYP}/${b.UST_SCHLUESSEL}`, [cents(b.Z_UMS_BRUTTO!), cents(b.Z_UMS_NETTO!), cents(b.Z_UST!)]]))).toEqual(expected);
      for (const h of heads) expect(sum(rows('lines_vat.csv', z).filter((v) => v.BON_ID === h.BON_ID), 'POS_BRUTTO')).toBe(cents(h.UMS_BRUTTO!));
      const gross = new Map<number, number>();
      for (const v of rows('transactions_vat.csv', z).filter((v) => counted.has(v.BON_ID!))) gross.set(Number(v.UST_SCHLUESSEL), (gross.get(Number(v.UST_SCHLUESSEL)) ?? 0) + cents(v.BON_BRUTTO!));
      expect(gross).toEqual(new Map(zReports[z - 1]!.vat.filter((v) => v.gross !== 0).map((v) => [v.rate === 1900 ? 1 : 2, v.gross])));
    }
  });
});

describe('business cases', () => {
  it('a deposit is Pfand, the return a Beleg with negative Umsatz and PfandRueckzahlung referring to its original', () => {
    expect(rows('lines.csv').filter((l) => l.BON_ID === ids.deposit).map((l) => [l.GV_TYP, l.UST_SCHLUESSEL ?? '', l.ARTIKELTEXT])).toEqual([
      ['Umsatz', '', DEMO_ITEMS.julmust.name],
      ['Pfand', '', DEMO_ITEMS.pantCan.name],
    ]);
    expect(bonType(ids.return!)).toBe('Beleg');
    const back = rows('lines.csv').filter((l) => l.BON_ID === ids.return).map((l) => [l.GV_TYP, l.MENGE]);
    expect(back).toEqual([['Umsatz', '-1,000'], ['PfandRueckzahlung', '-1,000']]);
    expect(rows('lines_vat.csv').filter((l) => l.BON_ID === ids.return).map((l) => [l.UST_SCHLUESSEL, l.POS_BRUTTO])).toEqual([['2', '-12,90000'], ['2', '-1,00000']]);
    expect(rows('datapayment.csv').filter((p) => p.BON_ID === ids.return).map((p) => [p.ZAHLART_TYP, p.BASISWAEH_BETRAG])).toEqual([['Bar', '-13,90']]);
    expect(rows('references.csv')).toEqual([expect.objectContaining({ BON_ID: ids.return, REF_TYP: 'Transaktion', REF_BON_ID: ids.deposit, REF_Z_NR: '1', REF_Z_KASSE_ID: DE_CLIENT })]);
    expect(rows('businesscases.csv', 1).map((b) => `${b.GV_TYP}/${b.UST_SCHLUESSEL}`).sort()).toEqual(['Pfand/2', 'PfandRueckzahlung/2', 'Umsatz/1', 'Umsatz/2']);
  });

  it('a discount is in the price finding; training is AVTraining and a cancelled basket AVBelegabbruch, neither in the closing', () => {
    expect(rows('itemamounts.csv').filter((p) => p.BON_ID === ids.card).map((p) => [p.TYP, p.PF_BRUTTO])).toEqual([['base_amount', '29,90000'], ['discount', '-2,99000']]);
    expect(rows('datapayment.csv').filter((p) => p.BON_ID === ids.card).map((p) => [p.ZAHLART_TYP, p.ZAHLART_NAME, p.BASISWAEH_BETRAG])).toEqual([['Unbar', 'Karte', '26,91']]);
    expect(bonType(ids.training!)).toBe('AVTraining');
    const aborted = rows('transactions.csv').filter((r) => r.BON_TYP === 'AVBelegabbruch');
    expect(aborted.map((r) => r.UMS_BRUTTO)).toEqual(['29,90']);
    expect(rows('transactions_tse.csv').find((r) => r.BON_ID === aborted[0]!.BON_ID)!.TSE_TA_FEHLER).toMatch(/nicht an die TSE/);
    expect(rows('payment.csv', 1).some((p) => p.ZAHLART_NAME === 'Bar')).toBe(true);
  });
});

describe('the TSE in the export', () => {
  it('numbers transactions and signature counters without a gap, over both days', () => {
    const signed = rows('transactions_tse.csv').filter((r) => r.TSE_TA_SIG !== '').sort((a, b) => Number(a.TSE_TANR) - Number(b.TSE_TANR));
    expect(signed.length).toBe(6); // 3 sales, training, return, day 2
    signed.forEach((r, i) => {
      expect(Number(r.TSE_TANR)).toBe(i + 1);
      expect(Number(r.TSE_TA_SIGZ)).toBe(2 * (i + 1)); // each transaction: start and finish, one counter each
    });
    expect(rows('tse.csv').map((r) => [r.TSE_ID, r.TSE_SIG_ALGO, r.TSE_ZEITFORMAT, r.TSE_PD_ENCODING, r.TSE_SERIAL])).toEqual([['1', 'ecdsa-plain-SHA256', 'unixTime', 'UTF-8', till.sim.info().serialNumber], ['1', 'ecdsa-plain-SHA256', 'unixTime', 'UTF-8', till.sim.info().serialNumber]]);
  });

  it('every signed transaction verifies from the exported fields alone, and not with a field changed', () => {
    const signed = rows('transactions_tse.csv').filter((r) => r.TSE_TA_SIG !== '');
    const qr = (r: Rec, processData = r.TSE_VORGANGSDATEN) => {
      const tse = rows('tse.csv', Number(r.Z_NR)).find((x) => x.TSE_ID === r.TSE_ID)!;
      return ['V0', r.Z_KASSE_ID, r.TSE_TA_VORGANGSART, processData, r.TSE_TANR, r.TSE_TA_SIGZ, r.TSE_TA_START, r.TSE_TA_ENDE, tse.TSE_SIG_ALGO, tse.TSE_ZEITFORMAT, r.TSE_TA_SIG, tse.TSE_PUBLIC_KEY].join(';');
    };
    for (const r of signed) expect(verifyQr(qr(r))).toBe(true);
    const ret = signed.find((r) => r.BON_ID === ids.return)!;
    expect(ret.TSE_VORGANGSDATEN).toBe('Beleg^0.00_-13.90_0.00_0.00_0.00^-13.90:Bar');
    expect(verifyQr(qr(ret, 'Beleg^0.00_-13.09_0.00_0.00_0.00^-13.90:Bar'))).toBe(false);
    expect(signed.find((r) => r.BON_ID === ids.training)!.TSE_VORGANGSDATEN).toMatch(/^AVTraining\^/);
  });
});

describe('selection and errors', () => {
  it('exports one Z alone, and refuses a range with nothing closed in it, bad dates and a used folder', () => {
    const one = join(t.dir, 'z2');
    const s = exportDsfinvk(till.db, { z: 2 }, one, OPTS);
    expect(s.closings).toEqual([{ zNumber: 2, businessDate: '2026-12-08', receipts: 1 }]);
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e instanceof DsfinvkError ? e.code : String(e);
      }
      return 'no error';
    };
    expect(err(() => exportDsfinvk(till.db, { from: '2026-12-09', to: '2026-12-31' }, join(t.dir, 'x'), OPTS))).toBe('DSFINVK_NOTHING_IN_RANGE');
    expect(err(() => exportDsfinvk(till.db, { from: '2026-12-32', to: '2026-12-31' }, join(t.dir, 'x'), OPTS))).toBe('DSFINVK_BAD_RANGE');
    expect(err(() => exportDsfinvk(till.db, { from: '2026-12-08', to: '2026-12-07' }, join(t.dir, 'x'), OPTS))).toBe('DSFINVK_BAD_RANGE');
    expect(existsSync(join(t.dir, 'x'))).toBe(false);
    expect(err(() => exportDsfinvk(till.db, { z: 2 }, one, OPTS))).toMatch(/not empty/);
  });

  it('the command writes an export and says clearly what is wrong', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'core/fiscal/dsfinvk/cli.ts', ...args], { encoding: 'utf8', timeout: 60_000 });
    const ok = cli('--db', till.dbPath, '--from', '2026-12-07', '--to', '2026-12-07', '--out', join(t.dir, 'cli'));
    // No particulars provisioned: the export is written, and says which mandatory master data is empty and where to set it.
    expect(ok.status).toBe(0);
    expect(ok.stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^dsfinvk: warning: no store address: STRASSE, PLZ, ORT \(Stamm_Abschluss\) and LOC_STRASSE, LOC_PLZ, LOC_ORT \(Stamm_Orte\) are empty; set them in the store's particulars: `npm run provision -- --legal store\.json` on the till, or HQ's `npm run hq:legal -- set --store <id> …`/),
      expect.stringMatching(/^dsfinvk: warning: neither a tax number nor a USt-IdNr\.: STNR and USTID \(Stamm_Abschluss\) are empty, one of them is required; .*npm run hq:legal/),
    ]);
    expect(ok.stdout).toMatch(/^Z 1 {2}2026-12-07 {2}6 receipts\n21 files in /);
    expect(readIndex(join(t.dir, 'cli')).length).toBe(20);
    // An address that does not read "Straße Nr, PLZ Ort" is named; with a tax number the other warning goes.
    saveStoreLegal(till.db, { address: 'Hauptstraße 1 Berlin', orgNumber: '11/111/11111', vatId: '' });
    const street = cli('--db', till.dbPath, '--z', '1', '--out', join(t.dir, 'cli5'));
    expect([street.status, street.stderr]).toEqual([0, expect.stringMatching(/^dsfinvk: warning: the store address "Hauptstraße 1 Berlin" does not read as "Straße Nr, PLZ Ort": PLZ, ORT \(Stamm_Abschluss\) and LOC_PLZ, LOC_ORT \(Stamm_Orte\) are empty, STRASSE holds all of it; .*\n$/)]);
    saveStoreLegal(till.db, { address: 'Hauptstraße 1, 10115 Berlin', orgNumber: '', vatId: 'DE000000000' });
    const full = cli('--db', till.dbPath, '--z', '1', '--out', join(t.dir, 'cli6'));
    expect([full.status, full.stderr]).toEqual([0, '']);
    const bad = cli('--db', till.dbPath, '--from', '7.12.2026', '--to', '2026-12-07', '--out', join(t.dir, 'cli2'));
    expect([bad.status, bad.stderr]).toEqual([1, 'dsfinvk: --from is not a date (YYYY-MM-DD): "7.12.2026"\n']);
    const missing = cli('--db', join(t.dir, 'nope.db'), '--from', '2026-12-07', '--to', '2026-12-07', '--out', join(t.dir, 'cli3'));
    expect([missing.status, missing.stderr]).toEqual([1, `dsfinvk: no database at ${join(t.dir, 'nope.db')}\n`]);
    const none = cli('--db', till.dbPath, '--from', '2027-01-01', '--to', '2027-01-31', '--out', join(t.dir, 'cli4'));
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/^dsfinvk: no closed till day \(Z\) in 2027-01-01 – 2027-01-31; closed days: Z 1–2, 2026-12-07 – 2026-12-08\n$/);
  }, 60_000);
});
