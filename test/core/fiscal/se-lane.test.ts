/**
 * A Swedish till with its control unit (SKVFS 2014:9): every receipt is registered and prints its
 * control code; the receipt carries what 7 kap. 1 § lists (checked item by item as a person reads
 * it); one copy per receipt, marked KOPIA in double size, the second refused; a training receipt
 * marked ÖVNINGSKVITTO with its own number series; and a unit that does not answer stops the
 * receipt — and with it the sale — until it answers again.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../../core/db';
import { generateCatalog, DEMO_ITEMS } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { Journal } from '../../../core/journal';
import { ControlUnitSimulator } from '../../../core/fiscal/control-unit/simulator';
import type { SeRegister } from '../../../core/fiscal/control-unit/till';
import { ManualClock } from '../../../core/clock';
import { encodeReceipt } from '../../../drivers/escpos/receipt';
import { exec, refuse, run } from '../../helpers/lane';
import type { ReceiptCopy, ReturnResult, TillReport } from '../../../protocol/terminal';
import { renderTillReport } from '../../../core/till/report';
import { tempDir } from '../../helpers/tmp';

const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95 kr, food: 6 % in December 2026 (12 % outside 2026-04-01 – 2027-12-31)
const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90 kr, standard 25 %
const IDENTITY = { storeId: 'sthlm-01', storeName: 'Kassa Södermalm', laneId: '3' };
const REGISTER: SeRegister = { orgNumber: '556677-8899', companyName: 'Kassa Livs AB', address: 'Götgatan 1, 118 46 Stockholm', tillId: 'SOD-K3' };
const SUPERVISOR = { operator: '7', pin: '7777' };

let t: { dir: string; cleanup: () => void };
let db: Db;
let clock: ManualClock;
let cu: ControlUnitSimulator;
let lane: LaneService;

beforeEach(() => {
  t = tempDir('kassa-se-lane-');
  clock = new ManualClock('2026-12-07T08:30:00.000Z');
  db = openDatabase(join(t.dir, 'lane.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  cu = new ControlUnitSimulator(join(t.dir, 'lane.db-cu.sqlite'), clock.now);
  lane = new LaneService(db, new Catalog(db), PROFILES.SE, IDENTITY, { now: clock.now, journal: new Journal(db), controlUnit: { port: cu, register: REGISTER } });
  run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(lane, { cmd: 'openTill', float: [] });
});
afterEach(() => {
  cu.close();
  db.close();
  t.cleanup();
});

function sell(codes: string[], cash: number) {
  for (const code of codes) run(lane, { cmd: 'scan', code });
  run(lane, { cmd: 'tenderCash', amount: cash });
  clock.advance(1_500);
  return run(lane, { cmd: 'complete' }).lastSale!;
}
const lines = (text: string) => text.split('\n').map((l) => l.trim());

describe('Swedish receipts with a control unit', () => {
  it('carries every item of SKVFS 2014:9 7 kap. 1 §, registered with the control unit', () => {
    const sale = sell([MILK, SOAP, SOAP], 10_000);
    const r = lines(sale.receiptText);
    const rec = cu.records();
    expect(rec).toHaveLength(1);
    const code = rec[0]!.controlCode;
    // 1. company name and organisation number; 2. the address where the sale takes place
    expect(r).toContain('Kassa Livs AB');
    expect(r).toContain('Org.nr 556677-8899');
    expect(r).toContain('Götgatan 1, 118 46 Stockholm');
    // 3. date and time (store time: 09:30 in Stockholm)
    expect(r).toContain('2026-12-07 09:30');
    // 4. receipt number from an unbroken series; 5. till id (kassabeteckning)
    expect(sale.receiptText).toMatch(/^Kvittonummer {2,}1$/m);
    expect(sale.receiptText).toMatch(/^Kassabeteckning {2,}SOD-K3$/m);
    // 6, 8. items, how many, each amount incl. VAT, and the total to pay
    expect(sale.receiptText).toMatch(/^Mellanmjölk 1,5 % 1 l {2,}16,95 C$/m);
    expect(sale.receiptText.match(/^Diskmedel 500 ml {2,}29,90 A$/gm)).toHaveLength(2);
    expect(sale.receiptText).toMatch(/^Antal varor 3 *$/m);
    expect(sale.receiptText).toMatch(/^TOTALT SEK {2,}77,00$/m); // 76,75 rounded to whole kronor in cash
    // 9. the VAT in the amount; 10. VAT per rate
    expect(sale.receiptText).toMatch(/^Varav moms {2,}12,92$/m); // 11,96 + 0,96
    expect(sale.receiptText).toMatch(/^A 25 % +11,96 +47,84 +59,80$/m);
    expect(sale.receiptText).toMatch(/^C 6 % +0,96 +15,99 +16,95$/m);
    // 11. means of payment
    expect(sale.receiptText).toMatch(/^Kontant {2,}100,00$/m);
    // 12. the control unit's manufacturing number, and the receipt's control code
    expect(sale.receiptText).toMatch(new RegExp(`^Kontrollenhet {2,}${cu.manufacturingNumber()}$`, 'm'));
    expect(sale.receiptText).toContain(`Kontrollkod\n${code.slice(0, 42)}\n${code.slice(42)}\n`);
    // The control unit got this receipt's data.
    expect(rec[0]).toMatchObject({ orgNumber: '556677-8899', tillId: 'SOD-K3', receiptNumber: 1, type: 'normal', total: 7_700, vat: [{ rate: 2500, vat: 1196 }, { rate: 600, vat: 96 }] });
    // No copy or training mark on a sale's receipt.
    expect(sale.receiptText).not.toMatch(/KOPIA|ÖVNING/);
    // Receipt numbers follow without gaps.
    expect(sell([MILK], 2_000).receiptText).toMatch(/^Kvittonummer {2,}2$/m);
  });

  it('prints one copy marked KOPIA in double size with its own control code, and refuses a second', () => {
    const sale = sell([MILK], 2_000);
    const copy = exec(lane, { cmd: 'reprintReceipt', saleId: sale.saleId }).result as unknown as ReceiptCopy;
    const text = copy.copyText;
    const first = text.split('\n')[0];
    expect(first).toBe('[DOUBLE] KOPIA');
    expect(text.trimEnd().split('\n').at(-1)).toBe('[DOUBLE] KOPIA');
    expect(text).toContain(sale.receiptText.trimEnd());
    const rec = cu.records();
    expect(rec.map((r) => [r.type, r.receiptNumber, r.total])).toEqual([
      ['normal', 1, 1_700],
      ['kopia', 1, 1_700],
    ]);
    expect(text).toContain(`Kontrollkod (kopia)\n${rec[1]!.controlCode.slice(0, 42)}`);
    // The printer gets the mark at twice the width and height (ESC/POS GS ! 0x11), the amounts at normal size.
    const bytes = Buffer.from(encodeReceipt(text));
    const kopia = bytes.indexOf(Buffer.from('KOPIA'));
    const doubled = bytes.lastIndexOf(Buffer.from([0x1d, 0x21, 0x11]), kopia);
    expect(doubled).toBeGreaterThan(-1);
    expect(kopia - doubled).toBeLessThan(8); // only the code page selection between
    expect(bytes.indexOf(Buffer.from([0x1d, 0x21, 0x00]), kopia)).toBeGreaterThan(kopia);
    // A second copy is refused, nothing registered or journalled.
    expect(refuse(lane, { cmd: 'reprintReceipt', saleId: sale.saleId })).toBe('COPY_ALREADY_MADE');
    expect(cu.records()).toHaveLength(2);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'receipt.copy'").get()).toEqual({ n: 1 });
  });

  it('marks a training receipt ÖVNINGSKVITTO, numbered in its own series', () => {
    run(lane, { cmd: 'setTraining', on: true, approval: SUPERVISOR });
    const a = sell([MILK], 2_000);
    const b = sell([SOAP], 3_000);
    expect(a.receiptText.split('\n').filter((l) => l === '[DOUBLE] ÖVNINGSKVITTO')).toHaveLength(2);
    expect(a.receiptText).toMatch(/^Kvittonummer {2,}1$/m);
    expect(b.receiptText).toMatch(/^Kvittonummer {2,}2$/m);
    run(lane, { cmd: 'setTraining', on: false, approval: SUPERVISOR });
    const real = sell([MILK], 2_000);
    expect(real.receiptText).toMatch(/^Kvittonummer {2,}1$/m); // the sales' series is untouched by training
    expect(cu.records().map((r) => [r.type, r.receiptNumber])).toEqual([
      ['ovning', 1],
      ['ovning', 2],
      ['normal', 1],
    ]);
  });

  it('makes no receipt and completes no sale while the control unit does not answer', () => {
    run(lane, { cmd: 'scan', code: MILK });
    run(lane, { cmd: 'tenderCash', amount: 2_000 });
    cu.unplug();
    expect(refuse(lane, { cmd: 'complete' }, ['controlUnit'])).toBe('CONTROL_UNIT_UNAVAILABLE');
    expect(lane.snapshot().checkout?.state).toBe('paid');
    expect(db.prepare('SELECT count(*) AS n FROM sale').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM receipt').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'sale.completed'").get()).toEqual({ n: 0 });
    expect(lane.controlUnit?.outageSince).not.toBeNull();
    // Back: the same sale completes, with the number it would have had.
    cu.plugIn();
    const done = run(lane, { cmd: 'complete' }).lastSale!;
    expect(done.receiptText).toMatch(/^Kvittonummer {2,}1$/m);
    expect(lane.controlUnit?.outageSince).toBeNull();
    expect(cu.records().map((r) => r.receiptNumber)).toEqual([1]);
  });
});

describe('the Swedish X- and Z-dagrapport', () => {
  it('lists every item the rules ask for, in data and as printed, grand totals carried from Z to Z', () => {
    const a = sell([MILK, SOAP, SOAP], 10_000); // 77,00 (76,75 rounded)
    const b = sell([MILK], 2_000); // 17,00 (16,95 rounded)
    exec(lane, { cmd: 'reprintReceipt', saleId: a.saleId }); // a copy: 77,00
    const ret = exec(lane, { cmd: 'returnLines', receiptCode: `R${b.saleId.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Trasig' }).result as ReturnResult;
    expect(ret.receiptText).toMatch(/^Kvittonummer {2,}3$/m); // the return receipt takes the next number and is registered
    run(lane, { cmd: 'scan', code: SOAP });
    run(lane, { cmd: 'cancelSale' }); // unfinished: 29,90
    run(lane, { cmd: 'noSale', reason: 'Växla', approval: SUPERVISOR }); // a drawer opening
    run(lane, { cmd: 'setTraining', on: true, approval: SUPERVISOR });
    sell([SOAP], 3_000); // training: 30,00
    run(lane, { cmd: 'setTraining', on: false, approval: SUPERVISOR });
    const x = exec(lane, { cmd: 'xReport' }).result as TillReport;
    const z = exec(lane, { cmd: 'closeTill', counted: [{ denomination: 100, count: x.cash.expected / 100 }], approval: SUPERVISOR }).result as TillReport;
    expect(z.se).toEqual({
      orgNumber: '556677-8899',
      companyName: 'Kassa Livs AB',
      address: 'Götgatan 1, 118 46 Stockholm',
      tillId: 'SOD-K3',
      receipts: 3,
      copies: { count: 1, amount: 7_700 },
      unfinished: { count: 1, amount: 2_990 },
      drawerOpenings: 1,
      grandTotal: { sales: 9_400, returns: ret.refund, net: 9_400 - ret.refund },
    });
    expect(z).toMatchObject({ kind: 'Z', zNumber: 1, sales: { count: 2, total: 9_400 }, returns: { count: 1, amount: ret.refund }, training: { count: 1, total: 3_000 }, tenders: [{ kind: 'cash', amount: 9_400 - ret.refund }] });
    expect(z.vat).toEqual([
      { rate: 2500, vat: 1196, net: 4784, gross: 5980 },
      { rate: 600, vat: 96, net: 1599, gross: 1695 },
    ]);
    // As printed: what a person (or Skatteverket's inspector) reads.
    const text = renderTillReport(z, PROFILES.SE);
    const want = [
      /^Z-DAGRAPPORT nr 1$/m,
      /^Kassa Livs AB$/m,
      /^Götgatan 1, 118 46 Stockholm$/m,
      /^Org\.nr 556677-8899$/m,
      /^Kassabeteckning SOD-K3$/m,
      /^Försäljning 2 {2,}94,00$/m,
      new RegExp(`^  Kontant {2,}${((9_400 - ret.refund) / 100).toFixed(2).replace('.', ',')}$`, 'm'),
      /^Moms A 25 % {2,}11,96 \/ 59,80$/m,
      /^Moms C 6 % {2,}0,96 \/ 16,95$/m,
      new RegExp(`^Returer 1 {2,}${(ret.refund / 100).toFixed(2).replace('.', ',')}$`, 'm'),
      /^Rabatter {2,}0,00$/m,
      /^Lådöppningar utan köp {2,}1$/m,
      /^Övning 1 {2,}30,00$/m,
      /^Antal kvitton {2,}3$/m,
      /^Kopior 1 {2,}77,00$/m,
      /^Ej slutförda köp 1 {2,}29,90$/m,
      /^Lådöppningar {2,}1$/m,
      /^Grand total försäljning {2,}94,00$/m,
      /^Grand total netto {2,}/m,
    ];
    for (const re of want) expect(text).toMatch(re);
    // The next day's Z carries the grand totals on.
    run(lane, { cmd: 'openTill', float: [] });
    sell([MILK], 2_000);
    const z2 = exec(lane, { cmd: 'closeTill', counted: [{ denomination: 100, count: 17 }], approval: SUPERVISOR }).result as TillReport;
    expect(z2.zNumber).toBe(2);
    expect(z2.se?.grandTotal).toEqual({ sales: 11_100, returns: ret.refund, net: 11_100 - ret.refund });
    expect(z2.se?.copies).toEqual({ count: 0, amount: 0 });
    expect(cu.records().map((r) => r.type)).toEqual(['normal', 'normal', 'kopia', 'retur', 'ovning', 'normal']);
  });
});
