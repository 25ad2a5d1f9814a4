/** The lane service in-process, on a real SQLite file with a small hand-made catalog. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command, CommandBody, Snapshot } from '../../../protocol/terminal';
import { CommandSchema } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { Catalog } from '../../../core/catalog/repo';
import { gtinCheckDigit, resolveBarcode } from '../../../core/catalog/barcode';
import { LaneService } from '../../../core/lane/host';
import { CoreError } from '../../../core/errors';
import { Journal } from '../../../core/journal';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { tempDir } from '../../helpers/tmp';
import { testClock } from '../../helpers/clock';

const ean = (p12: string) => p12 + gtinCheckDigit(p12);
const MILK = ean('731000000001'); // 16,95 kr, food: 6 % on the test clock's date (SE food VAT by date)
const SODA = ean('731000000002'); // 18,90 kr, food (6 %), pant 1 kr
const SOAP = ean('731000000003'); // 34,50 kr, 25 %
const SNUS = ean('731000000004'); // 58,00 kr, 25 %, 18+
const MILK2 = ean('731000000005'); // second barcode of MILK
const BLOCKED = ean('731000000006');
// SE variable measure, prefix 23 (weight, 3 decimals), item ref 123456, 0.750 kg
const CHEESE_REF = '23123456';
const cheese = (measure4: string) => ean(CHEESE_REF + measure4);

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let dbPath: string;
beforeEach(() => {
  tmp = tempDir();
  dbPath = join(tmp.dir, 'lane.db');
  db = openDatabase(dbPath);
  seed(db);
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

function seed(d: Db) {
  d.exec(`
    INSERT INTO vat_class VALUES ('food', 'Livsmedel', 1200), ('standard', 'Normal', 2500);
    INSERT INTO department VALUES ('dairy', 'Mejeri'), ('drinks', 'Drycker'), ('home', 'Hushåll'), ('tobacco', 'Tobak'), ('produce', 'Frukt'), ('deposit', 'Pant');
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price, is_deposit) VALUES ('pant1', 'Pant burk', 'deposit', 'food', 'piece', 100, 1);
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price) VALUES ('milk', 'Mellanmjölk 1 l', 'dairy', 'food', 'piece', 1695);
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price, deposit_item_id) VALUES ('soda', 'Läsk 33 cl', 'drinks', 'food', 'piece', 1890, 'pant1');
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price) VALUES ('soap', 'Diskmedel', 'home', 'standard', 'piece', 3450);
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price, age_limit) VALUES ('snus', 'Snus', 'tobacco', 'standard', 'piece', 5800, 18);
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price, plu) VALUES ('banana', 'Bananer', 'produce', 'food', 'weight', 2490, '4011');
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price) VALUES ('cheese', 'Hushållsost', 'dairy', 'food', 'weight', 11900);
    INSERT INTO item (id, name, department_id, vat_class_id, unit, price, blocked) VALUES ('recalled', 'Återkallad', 'home', 'standard', 'piece', 100, 1);
  `);
  seedDemoOperators(new Operators(d));
  const bc = d.prepare('INSERT INTO barcode VALUES (?, ?)');
  bc.run('0' + MILK, 'milk');
  bc.run('0' + MILK2, 'milk');
  bc.run('0' + SODA, 'soda');
  bc.run('0' + SOAP, 'soap');
  bc.run('0' + SNUS, 'snus');
  bc.run('0' + BLOCKED, 'recalled');
  bc.run('0' + cheese('0000'), 'cheese');
}

function service(now = () => new Date('2026-11-24T12:00:00Z')) {
  return new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's1', storeName: 'Testbutiken', laneId: '3' }, { now });
}

let n = 0;
function run(s: LaneService, cmd: CommandBody): Snapshot {
  s.handle(CommandSchema.parse({ ...cmd, id: `t${++n}` }) as Command);
  return s.snapshot();
}
/** Selling needs an open till: open one with a 500 kr float unless one is open. */
function ensureTill(s: LaneService) {
  if (!s.snapshot().lane.till) run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 5 }] });
}
function refuse(s: LaneService, cmd: CommandBody): CoreError {
  const before = s.snapshot();
  try {
    s.handle(CommandSchema.parse({ ...cmd, id: `t${++n}` }) as Command);
  } catch (e) {
    expect(e).toBeInstanceOf(CoreError);
    expect(s.snapshot()).toEqual(before);
    return e as CoreError;
  }
  throw new Error(`${cmd.cmd} was not refused`);
}

describe('lane lifecycle', () => {
  it('carries the language the customer chose to the customer display, outside any sale and the journal', () => {
    const s = service();
    const journal = () => (s as unknown as { db: { prepare(q: string): { get(): { n: number } } } }).db.prepare('SELECT count(*) AS n FROM journal').get().n;
    const before = journal();
    expect(run(s, { cmd: 'customerLanguage', lang: 'de' }).lane.customerLang).toBe('de');
    expect(run(s, { cmd: 'customerLanguage', lang: null }).lane.customerLang).toBeNull();
    expect(journal()).toBe(before);
  });

  it('starts signed out; sign in, sign out, close, open', () => {
    const s = service();
    expect(s.snapshot().lane).toMatchObject({ state: 'signedOut', operator: null });
    expect(refuse(s, { cmd: 'scan', code: MILK }).code).toBe('NOT_SIGNED_IN');
    expect(run(s, { cmd: 'signIn', operator: '2', pin: '2222' }).lane).toEqual({ state: 'signedIn', operator: '2', operatorName: 'Björn', role: 'cashier', locked: false, training: false, mode: 'staffed', till: null, help: null, customerLang: null, selfCheckout: null });
    expect(run(s, { cmd: 'signOut' }).lane.state).toBe('signedOut');
    expect(run(s, { cmd: 'closeLane' }).lane.state).toBe('closed');
    expect(refuse(s, { cmd: 'signIn', operator: '1', pin: '1111' }).code).toBe('LANE_CLOSED');
    expect(run(s, { cmd: 'openLane' }).lane.state).toBe('signedOut');
  });
  it('will not sign out in the middle of a sale', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    expect(run(s, { cmd: 'scan', code: MILK }).lane.state).toBe('selling');
    expect(refuse(s, { cmd: 'signOut' }).code).toBe('NOT_ALLOWED_NOW');
  });
});

describe('selling', () => {
  function selling() {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    return s;
  }

  it('adds lines with name, quantity and price; either barcode of an item works', () => {
    const s = selling();
    run(s, { cmd: 'scan', code: MILK });
    const snap = run(s, { cmd: 'scan', code: MILK2, quantity: 2 });
    const lines = snap.checkout!.lines;
    expect(lines.map((l) => [l.name, l.quantity, l.unitPrice, l.total])).toEqual([
      ['Mellanmjölk 1 l', 1, 1695, 1695],
      ['Mellanmjölk 1 l', 2, 1695, 3390],
    ]);
    expect(snap.checkout!.totals).toMatchObject({ total: 5085, itemCount: 3 });
    expect(snap.checkout!.saleId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('adds the deposit as a linked line that follows quantity and void', () => {
    const s = selling();
    let snap = run(s, { cmd: 'scan', code: SODA });
    expect(snap.checkout!.lines.map((l) => [l.lineId, l.name, l.total, l.depositFor])).toEqual([
      ['L1', 'Läsk 33 cl', 1890, null],
      ['L2', 'Pant burk', 100, 'L1'],
    ]);
    snap = run(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 4 });
    expect(snap.checkout!.lines.map((l) => l.total)).toEqual([7560, 400]);
    expect(snap.checkout!.totals.itemCount).toBe(4);
    expect(refuse(s, { cmd: 'voidLine', lineId: 'L2' }).code).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'setQuantity', lineId: 'L2', quantity: 2 }).code).toBe('QUANTITY_NOT_ALLOWED');
    snap = run(s, { cmd: 'voidLine', lineId: 'L1' });
    expect(snap.checkout!.lines.every((l) => l.voided)).toBe(true);
    expect(snap.checkout!.totals.total).toBe(0);
  });

  it('prices weighed items from a variable-measure barcode or a PLU with a weight', () => {
    const s = selling();
    let snap = run(s, { cmd: 'scan', code: cheese('0750') });
    expect(snap.checkout!.lines[0]).toMatchObject({ name: 'Hushållsost', unit: 'weight', weightGrams: 750, unitPrice: 11900, total: 8925 });
    expect(refuse(s, { cmd: 'scan', code: '4011' }).code).toBe('WEIGHT_REQUIRED');
    snap = run(s, { cmd: 'scan', code: '4011', weightGrams: 1234 });
    expect(snap.checkout!.lines[1]).toMatchObject({ name: 'Bananer', weightGrams: 1234, total: 3073 });
    expect(refuse(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 2 }).code).toBe('QUANTITY_NOT_ALLOWED');
  });

  it('breaks VAT down per rate, summing to the total', () => {
    const s = selling();
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'scan', code: SOAP });
    const t = run(s, { cmd: 'scan', code: SODA }).checkout!.totals;
    expect(t.total).toBe(1695 + 3450 + 1890 + 100);
    expect(t.vat).toEqual([
      { rate: 2500, gross: 3450, vat: 690, net: 2760 },
      { rate: 600, gross: 3685, vat: 209, net: 3476 },
    ]);
    expect(t.vat.reduce((a, r) => a + r.gross, 0)).toBe(t.total);
  });

  it('keeps age limits on the line for the age check', () => {
    const s = selling();
    expect(run(s, { cmd: 'scan', code: SNUS }).checkout!.lines[0]!.ageLimit).toBe(18);
  });

  it('gives typed errors for invalid, unknown and blocked codes and changes nothing', () => {
    const s = selling();
    run(s, { cmd: 'scan', code: MILK });
    expect(refuse(s, { cmd: 'scan', code: MILK.slice(0, 12) + ((Number(MILK[12]) + 1) % 10) }).code).toBe('INVALID_BARCODE');
    const nf = refuse(s, { cmd: 'scan', code: ean('731999999999') });
    expect(nf.code).toBe('ITEM_NOT_FOUND');
    expect(nf.params.code).toBe(ean('731999999999'));
    expect(refuse(s, { cmd: 'scan', code: BLOCKED }).code).toBe('ITEM_BLOCKED');
    expect(refuse(s, { cmd: 'voidLine', lineId: 'L9' }).code).toBe('LINE_NOT_FOUND');
  });

  it('takes cash with Swedish rounding and change, completes, and writes sale, journal and outbox together', () => {
    const s = selling();
    run(s, { cmd: 'scan', code: MILK }); // 16,95
    run(s, { cmd: 'scan', code: SOAP }); // 34,50 → 51,45 → 51 kr cash
    let snap = run(s, { cmd: 'subtotal' });
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.checkout!.totals).toMatchObject({ total: 5145, rounding: 0, due: 5145 }); // rounding comes with cash
    expect(refuse(s, { cmd: 'complete' }).code).toBe('INSUFFICIENT_TENDER');
    snap = run(s, { cmd: 'tenderCash', amount: 2000 });
    // 20 kr does not cover it: 31,45 remains by card, 31 kr in cash (rounding only once cash covers the rest).
    expect(snap.checkout!.totals).toMatchObject({ rounding: 0, due: 5145, tendered: 2000, remaining: 3145, remainingCash: 3100 });
    expect(refuse(s, { cmd: 'scan', code: MILK }).code).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'cancelSale' }).code).toBe('NOT_ALLOWED_NOW');
    snap = run(s, { cmd: 'tenderCash', amount: 5000 });
    expect(snap.checkout!.state).toBe('paid');
    expect(snap.checkout!.totals.change).toBe(1900);
    const saleId = snap.checkout!.saleId;
    snap = run(s, { cmd: 'complete' });
    expect(snap.checkout).toBeNull();
    expect(snap.lane.state).toBe('signedIn');
    expect(snap.lastSale).toMatchObject({ saleId, sequence: 1, total: 5100, change: 1900 });
    expect(snap.lastSale!.receiptText).toMatch(/Summa\s+51,45\nÖresavrundning\s+-0,45/);
    expect(snap.lastSale!.receiptText).toMatch(/TOTALT SEK\s+51,00/);
    expect(snap.lastSale!.receiptText).toMatch(/Växel\s+19,00/);
    expect(db.prepare('SELECT count(*) AS n FROM sale').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT sequence, sale_id FROM outbox').all()).toEqual([{ sequence: 1, sale_id: saleId }]);
    expect(db.prepare("SELECT ref FROM journal WHERE kind = 'sale.completed'").all()).toEqual([{ ref: saleId }]);
    expect(new Journal(db).verify()).toMatchObject({ ok: true, entries: 3 }); // sign-in + till opened + sale
    // Next sale gets the next sequence number.
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'tenderCash' });
    expect(run(s, { cmd: 'complete' }).lastSale!.sequence).toBe(2);
  });

  it('cancels a sale into the journal', () => {
    const s = selling();
    run(s, { cmd: 'scan', code: MILK });
    const snap = run(s, { cmd: 'cancelSale' });
    expect(snap.checkout).toBeNull();
    expect(db.prepare('SELECT kind FROM journal ORDER BY seq').all()).toEqual([{ kind: 'operator.signIn' }, { kind: 'till.opened' }, { kind: 'sale.cancelled' }]);
    expect(refuse(s, { cmd: 'cancelSale' }).code).toBe('NO_OPEN_SALE');
  });

  it('scanning at subtotal before any payment goes back to the sale', () => {
    const s = selling();
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'subtotal' });
    const snap = run(s, { cmd: 'scan', code: MILK });
    expect(snap.checkout!.state).toBe('scanning');
    expect(snap.checkout!.lines).toHaveLength(2);
  });
});

describe('durability', () => {
  it('restores the open basket exactly after a restart', () => {
    let s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: SODA });
    run(s, { cmd: 'scan', code: cheese('1234') });
    run(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 3 });
    const before = run(s, { cmd: 'subtotal' });
    db.close();
    db = openDatabase(dbPath);
    s = service();
    expect(s.snapshot()).toEqual(before);
    // and it keeps working from there
    expect(run(s, { cmd: 'tenderCash' }).checkout!.state).toBe('paid');
  });

  it('rolls back memory when the write fails, so memory and disk never disagree', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: MILK });
    const before = s.snapshot();
    db.exec("CREATE TRIGGER fail BEFORE UPDATE ON lane_state BEGIN SELECT RAISE(ABORT, 'disk says no'); END;");
    const err = refuse(s, { cmd: 'scan', code: SOAP });
    expect(err.code).toBe('STORAGE_FAILED');
    expect(s.snapshot()).toEqual(before);
    db.exec('DROP TRIGGER fail');
    expect(run(s, { cmd: 'scan', code: SOAP }).checkout!.lines).toHaveLength(2);
  });

  it('a failed completion leaves no half sale behind', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'tenderCash' });
    db.exec("CREATE TRIGGER fail BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END;");
    expect(refuse(s, { cmd: 'complete' }).code).toBe('STORAGE_FAILED');
    expect(db.prepare("SELECT (SELECT count(*) FROM sale) + (SELECT count(*) FROM journal WHERE kind LIKE 'sale.%') + (SELECT count(*) FROM receipt) AS n").get()).toEqual({ n: 0 });
    db.exec('DROP TRIGGER fail');
    expect(run(s, { cmd: 'complete' }).lastSale!.sequence).toBe(1);
  });
});

describe('German profile', () => {
  it('sells a price-embedded German code and takes cash to the cent, receipt in German', () => {
    const code = '2211114002394'; // GS1 Germany: prefix 22, article 1111, price 2,39 €
    const r = resolveBarcode(code, PROFILES.DE);
    if (!r.ok || r.kind !== 'variable') throw new Error('fixture did not resolve');
    db.prepare("INSERT INTO item (id, name, department_id, vat_class_id, unit, price) VALUES ('wurst', 'Fleischwurst', 'dairy', 'food', 'piece', 0)").run();
    db.prepare('INSERT INTO barcode VALUES (?, ?)').run(r.lookupCode, 'wurst');
    const s = new LaneService(db, new Catalog(db), PROFILES.DE, { storeId: 'd1', storeName: 'Markt', laneId: '2' }, { now: testClock() });
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code });
    const snap = run(s, { cmd: 'scan', code: MILK });
    expect(snap.checkout!.totals).toMatchObject({ total: 239 + 1695, rounding: 0, due: 1934 });
    expect(refuse(s, { cmd: 'scan', code: '2511118000120' }).code).toBe('INVALID_BARCODE'); // wrong measure check digit
    run(s, { cmd: 'tenderCash', amount: 2000 });
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale).toMatchObject({ total: 1934, change: 66 });
    expect(done.lastSale!.receiptText).toMatch(/SUMME EUR\s+19,34/);
    expect(done.lastSale!.receiptText).toMatch(/Rückgeld\s+0,66/);
  });
});

describe('operators, PINs and roles', () => {
  it('signs in only with the right PIN and never says which part was wrong', () => {
    const s = service();
    expect(refuse(s, { cmd: 'signIn', operator: '1', pin: '9999' }).code).toBe('BAD_CREDENTIALS');
    expect(refuse(s, { cmd: 'signIn', operator: '55', pin: '1111' }).code).toBe('BAD_CREDENTIALS');
    expect(run(s, { cmd: 'signIn', operator: '1', pin: '1111' }).lane).toMatchObject({ operator: '1', role: 'cashier' });
    const stored = db.prepare("SELECT pin_hash FROM operator WHERE id = '1'").get() as { pin_hash: string };
    expect(stored.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored.pin_hash).not.toContain('1111');
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE body LIKE '%1111%'").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM command_log WHERE command LIKE '%\"pin\"%'").get()).toEqual({ n: 0 });
  });

  it('locks an operator out after five wrong PINs', () => {
    let clock = new Date('2026-11-24T12:00:00Z');
    const s = service(() => clock);
    for (let i = 0; i < 5; i++) expect(refuse(s, { cmd: 'signIn', operator: '2', pin: '0000' }).code).toBe('BAD_CREDENTIALS');
    // The refusal says for how long (the screen reads "try again in 5 min").
    expect(refuse(s, { cmd: 'signIn', operator: '2', pin: '2222' })).toMatchObject({ code: 'OPERATOR_LOCKED_OUT', params: { minutes: 5 } });
    clock = new Date('2026-11-24T12:02:30Z');
    expect(refuse(s, { cmd: 'signIn', operator: '2', pin: '2222' })).toMatchObject({ params: { minutes: 3 } });
    clock = new Date('2026-11-24T12:06:00Z');
    expect(run(s, { cmd: 'signIn', operator: '2', pin: '2222' }).lane.operator).toBe('2');
  });

  it('locks the screen, keeps the basket, and unlocks with the PIN (or a supervisor)', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: MILK });
    expect(run(s, { cmd: 'lock' }).lane.locked).toBe(true);
    expect(refuse(s, { cmd: 'scan', code: MILK }).code).toBe('LANE_LOCKED');
    expect(refuse(s, { cmd: 'unlock', pin: '2222' }).code).toBe('BAD_CREDENTIALS');
    expect(refuse(s, { cmd: 'unlock', operator: '2', pin: '2222' }).code).toBe('APPROVAL_DENIED');
    const snap = run(s, { cmd: 'unlock', pin: '1111' });
    expect(snap.lane.locked).toBe(false);
    expect(snap.checkout!.lines).toHaveLength(1);
    run(s, { cmd: 'lock' });
    expect(run(s, { cmd: 'unlock', operator: '7', pin: '7777' }).lane.locked).toBe(false);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'approval' AND body LIKE '%unlock%'").get()).toEqual({ n: 1 });
  });
});

describe('supervisor approval', () => {
  function bigSale() {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: SNUS, quantity: 9 }); // 522 kr > 500 kr limit
    run(s, { cmd: 'confirmAge' });
    return s;
  }
  it('refuses a cancel above the limit without approval, with a cashier, with a wrong PIN; accepts a supervisor and journals it', () => {
    const s = bigSale();
    const e = refuse(s, { cmd: 'cancelSale' });
    expect(e.code).toBe('APPROVAL_REQUIRED');
    expect(e.params.action).toBe('cancelSale');
    expect(refuse(s, { cmd: 'cancelSale', approval: { operator: '2', pin: '2222' } }).code).toBe('APPROVAL_DENIED');
    expect(refuse(s, { cmd: 'cancelSale', approval: { operator: '7', pin: '1234' } }).code).toBe('BAD_CREDENTIALS');
    expect(run(s, { cmd: 'cancelSale', approval: { operator: '7', pin: '7777' } }).checkout).toBeNull();
    const rows = db.prepare("SELECT kind, body FROM journal WHERE kind IN ('approval', 'sale.cancelled') ORDER BY seq").all() as Array<{ kind: string; body: string }>;
    expect(rows.map((r) => r.kind)).toEqual(['approval', 'sale.cancelled']);
    expect(JSON.parse(rows[0]!.body)).toMatchObject({ action: 'cancelSale', approvedBy: '7', operator: '1' });
    expect(new Journal(db).verify().ok).toBe(true);
  });
  it('lets a small sale be cancelled without approval', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: MILK });
    expect(run(s, { cmd: 'cancelSale' }).checkout).toBeNull();
  });
  it('a signed-in supervisor approves their own action', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: SOAP, quantity: 20 });
    expect(run(s, { cmd: 'cancelSale' }).checkout).toBeNull();
  });
});

describe('age-restricted items', () => {
  it('blocks the sale until the cashier confirms the age, and journals it', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    const snap = run(s, { cmd: 'scan', code: SNUS });
    expect(snap.checkout!.ageCheckPending).toBe(18);
    expect(refuse(s, { cmd: 'scan', code: MILK }).code).toBe('AGE_CHECK_REQUIRED');
    expect(refuse(s, { cmd: 'subtotal' }).code).toBe('AGE_CHECK_REQUIRED');
    expect(refuse(s, { cmd: 'tenderCash' }).code).toBe('AGE_CHECK_REQUIRED');
    expect(run(s, { cmd: 'confirmAge' }).checkout!.ageCheckPending).toBeNull();
    run(s, { cmd: 'scan', code: SNUS }); // same limit: already confirmed
    expect(s.snapshot().checkout!.ageCheckPending).toBeNull();
    const row = db.prepare("SELECT body FROM journal WHERE kind = 'age.confirmed'").get() as { body: string };
    expect(JSON.parse(row.body)).toMatchObject({ age: 18, mode: 'staffed', operator: '1', approvedBy: null });
  });
  it('voiding the restricted item lifts the block', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: SNUS });
    expect(run(s, { cmd: 'voidLast' }).checkout!.ageCheckPending).toBeNull();
  });
  it('at self-checkout a supervisor must approve', () => {
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's1', storeName: 'T', laneId: 'SCO1' }, { now: testClock(), config: { mode: 'self' } });
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: SNUS });
    expect(refuse(s, { cmd: 'confirmAge' }).code).toBe('APPROVAL_REQUIRED');
    expect(run(s, { cmd: 'confirmAge', approval: { operator: '7', pin: '7777' } }).checkout!.ageCheckPending).toBeNull();
  });
});

describe('price check, last-item void and training mode', () => {
  it('looks a price up without selling', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    const r = s.handle(CommandSchema.parse({ id: 'pc', cmd: 'priceCheck', code: SODA }) as Command);
    expect(r.result).toMatchObject({ name: 'Läsk 33 cl', price: 1890, vatRate: 600, deposit: { name: 'Pant burk', price: 100 } });
    expect(s.snapshot().checkout).toBeNull();
    expect(() => s.handle(CommandSchema.parse({ id: 'pc2', cmd: 'priceCheck', code: ean('731999999999') }) as Command)).toThrow(/No item/);
  });
  it('voids the last item with its deposit', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    run(s, { cmd: 'scan', code: MILK });
    const snap = run(s, { cmd: 'scan', code: SODA });
    expect(snap.checkout!.totals.total).toBe(1695 + 1890 + 100);
    expect(run(s, { cmd: 'voidLast' }).checkout!.totals.total).toBe(1695);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'line.voided'").get()).toEqual({ n: 1 });
  });
  it('training sales count nowhere and their receipts say so in the store\'s language', () => {
    const s = service();
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    ensureTill(s);
    expect(run(s, { cmd: 'setTraining', on: true, approval: { operator: '7', pin: '7777' } }).lane.training).toBe(true);
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'tenderCash' });
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale).toMatchObject({ training: true, sequence: null });
    expect(done.lastSale!.receiptText.match(/\*\*\* ÖVNING - INGET KÖP \*\*\*/g)).toHaveLength(2);
    expect(db.prepare('SELECT (SELECT count(*) FROM sale) + (SELECT count(*) FROM outbox) AS n').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT kind FROM journal WHERE kind LIKE 'sale.%' OR kind LIKE 'training.%' ORDER BY seq").all()).toEqual([{ kind: 'training.start' }, { kind: 'sale.training' }]);
    run(s, { cmd: 'setTraining', on: false, approval: { operator: '7', pin: '7777' } });
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'tenderCash' });
    expect(run(s, { cmd: 'complete' }).lastSale).toMatchObject({ training: false, sequence: 1 });
  });
});
