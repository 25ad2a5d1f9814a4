/**
 * Self-checkout rules in the lane core: card only, nobody at the kiosk approves anything, the
 * customer may give up an age-restricted item but not void others, help calls, idle timeouts that
 * never lose a paid basket, produce by PLU; and on a staffed lane the unknown-item flows.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, DEMO_VOUCHERS, generateCatalog, seedDemoVouchers } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService, type LaneConfig } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PrintQueue } from '../../../core/printing/queue';
import { PROFILES } from '../../../core/profile';
import { exec, refuse, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let clock: number;
const services: LaneService[] = [];
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'self.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  seedDemoVouchers(db);
  clock = Date.parse('2026-11-25T10:00:00Z');
});
afterEach(() => {
  for (const s of services.splice(0)) s.dispose();
  db.close();
  tmp.cleanup();
});

const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90
const MILK = DEMO_ITEMS.milk.codes[0]!; // 16,95
const SNUS = DEMO_ITEMS.snus.codes[0]!; // 18+

function lane(config: Partial<LaneConfig> = {}, printQueue?: PrintQueue): LaneService {
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: 'K1' }, {
    config: { mode: 'self', ...config },
    now: () => new Date(clock),
    ...(printQueue ? { printQueue } : {}),
  });
  services.push(s);
  // A supervisor opens the kiosk in the morning; from then on customers use it.
  if (s.snapshot().lane.state === 'signedOut') {
    run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
    run(s, { cmd: 'openTill', float: [] });
  }
  return s;
}

const journalKinds = () => (db.prepare('SELECT kind FROM journal ORDER BY seq').all() as Array<{ kind: string }>).map((r) => r.kind);
const supervisor = () => new Operators(db).authenticate('7', '7777');
/** The customer taps "pay cash"; the attendant takes the cash and confirms the amount in the attendant view. */
function attendantTakesCash(s: LaneService, amount: number): void {
  run(s, { cmd: 'tenderCash' });
  const sessionId = s.snapshot().checkout?.cash?.sessionId ?? '';
  s.handleAsAttendant({ id: `cash-${sessionId}`, cmd: 'confirmCash', sessionId, amount }, supervisor());
}

describe('self-checkout', () => {
  it('takes cards only unless cash is configured; the snapshot says which', () => {
    const s = lane();
    expect(s.snapshot().lane.selfCheckout).toEqual({ cashAllowed: false, idleUntil: null, staff: null });
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'subtotal' });
    expect(refuse(s, { cmd: 'tenderCash' })).toBe('NOT_ALLOWED_NOW');
    run(s, { cmd: 'backToSale' });
    run(s, { cmd: 'cancelSale' });
    s.dispose();
    const withCash = lane({ selfCash: true });
    run(withCash, { cmd: 'scan', code: SOAP });
    // "Pay cash" books nothing by itself: with no cash device an attendant takes the cash and confirms it (kiosk-cash.test.ts).
    run(withCash, { cmd: 'tenderCash', amount: 3000 });
    expect(withCash.snapshot().checkout).toMatchObject({ state: 'cashPending', tenders: [] });
    expect(withCash.snapshot().lane.help?.reason).toBe('cash');
    const sessionId = withCash.snapshot().checkout?.cash?.sessionId ?? '';
    withCash.handleAsAttendant({ id: 'cash-1', cmd: 'confirmCash', sessionId, amount: 3000 }, supervisor());
    expect(withCash.snapshot().checkout?.state).toBe('paid');
  });

  it('the supervisor who opened the kiosk approves nothing from it: age checks wait for the attendant, while the customer scans on', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: SNUS });
    expect(s.snapshot().checkout?.ageCheckPending).toBe(18);
    // Scanning goes on while staff are on their way; paying waits for the check.
    run(s, { cmd: 'scan', code: MILK });
    expect(s.snapshot().checkout?.lines).toHaveLength(2);
    expect(refuse(s, { cmd: 'confirmAge' })).toBe('APPROVAL_REQUIRED');
    expect(refuse(s, { cmd: 'subtotal' })).toBe('AGE_CHECK_REQUIRED');
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('AGE_CHECK_REQUIRED');
    s.handleAsAttendant({ id: 'a1', cmd: 'confirmAge' }, supervisor());
    expect(s.snapshot().checkout?.ageCheckPending).toBeNull();
    const approval = db.prepare("SELECT body FROM journal WHERE kind = 'approval'").get() as { body: string };
    expect(JSON.parse(approval.body)).toMatchObject({ action: 'ageCheck', approvedBy: '7', self: false });
  });

  it('the customer may give up an age-restricted item, but only staff take other items off', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'scan', code: SNUS });
    run(s, { cmd: 'scan', code: SOAP }); // scanned on after the snus
    run(s, { cmd: 'voidLine', lineId: 'L2' }); // "I'll leave the snus"
    expect(s.snapshot().checkout?.lines.map((l) => l.voided)).toEqual([false, true, false]);
    expect(s.snapshot().checkout?.ageCheckPending).toBeNull();
    expect(refuse(s, { cmd: 'voidLast' })).toBe('APPROVAL_REQUIRED'); // the soap: staff only
    expect(refuse(s, { cmd: 'voidLine', lineId: 'L1' })).toBe('APPROVAL_REQUIRED');
    s.handleAsAttendant({ id: 'a2', cmd: 'voidLine', lineId: 'L1' }, supervisor());
    expect(s.snapshot().checkout?.lines.map((l) => l.voided)).toEqual([true, true, false]);
  });

  it('a help call lights up until staff clear it; the customer cannot clear it', () => {
    const s = lane();
    run(s, { cmd: 'callHelp' });
    expect(s.snapshot().lane.help).toMatchObject({ reason: 'customer', since: '2026-11-25T10:00:00.000Z' });
    expect(refuse(s, { cmd: 'clearHelp' })).toBe('APPROVAL_REQUIRED');
    s.handleAsAttendant({ id: 'a3', cmd: 'clearHelp' }, supervisor());
    expect(s.snapshot().lane.help).toBeNull();
    expect(journalKinds()).toEqual(expect.arrayContaining(['help.called', 'help.cleared']));
  });

  it('an unpaid basket left alone gets an "are you still there?" prompt, then is abandoned; a touch resets it', () => {
    const s = lane({ idleAbandonMs: 120_000, idleWarnMs: 30_000 });
    run(s, { cmd: 'scan', code: MILK });
    clock += 89_000;
    s.tickIdle();
    expect(s.snapshot().lane.selfCheckout?.idleUntil).toBeNull();
    clock += 2_000;
    s.tickIdle();
    expect(s.snapshot().lane.selfCheckout?.idleUntil).toBe(new Date(Date.parse('2026-11-25T10:00:00Z') + 120_000).toISOString());
    exec(s, { cmd: 'ping' }); // "yes, I'm here"
    expect(s.snapshot().lane.selfCheckout?.idleUntil).toBeNull();
    clock += 119_000;
    s.tickIdle();
    expect(s.snapshot().checkout).not.toBeNull();
    clock += 1_000;
    s.tickIdle();
    expect(s.snapshot().checkout).toBeNull();
    expect(journalKinds()).toContain('sale.abandoned');
  });

  it('never abandons a basket with money on it: a partly paid one calls staff', () => {
    const queue = new PrintQueue(db);
    const s = lane({ idleAbandonMs: 60_000, paidCompleteMs: 20_000 }, queue);
    run(s, { cmd: 'scan', code: SOAP, quantity: 10 }); // 299 kr
    run(s, { cmd: 'tenderVoucher', code: DEMO_VOUCHERS[1].code }); // 50 kr of it
    clock += 600_000;
    s.tickIdle();
    expect(s.snapshot().checkout?.tenders).toHaveLength(1);
    expect(s.snapshot().lane.help?.reason).toBe('idle');
  });

  it('completes a paid basket nobody finished, with its receipt printed', () => {
    const queue = new PrintQueue(db);
    const paid = lane({ selfCash: true, paidCompleteMs: 20_000 }, queue);
    run(paid, { cmd: 'scan', code: MILK });
    attendantTakesCash(paid, 2000);
    clock += 19_000;
    paid.tickIdle();
    expect(paid.snapshot().checkout?.state).toBe('paid');
    clock += 1_000;
    paid.tickIdle();
    expect(paid.snapshot().checkout).toBeNull();
    expect(paid.snapshot().lastSale).toMatchObject({ total: 1700, receipt: 'print' });
    expect(queue.counts().queued).toBe(1);
  });

  it('the customer chooses the receipt: none and digital print nothing, the receipt is kept', () => {
    const queue = new PrintQueue(db);
    const s = lane({ selfCash: true }, queue);
    for (const receipt of ['none', 'digital', 'print'] as const) {
      run(s, { cmd: 'scan', code: MILK });
      attendantTakesCash(s, 2000);
      run(s, { cmd: 'complete', receipt });
      expect(s.snapshot().lastSale?.receipt).toBe(receipt);
    }
    expect(queue.counts().queued).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM receipt WHERE kind = 'sale'").get()).toEqual({ n: 3 });
  });

  it('staff reach the kiosk’s staff screens only with their own credentials (not the opener’s sign-in)', () => {
    const s = lane();
    expect(refuse(s, { cmd: 'staffCheck' })).toBe('APPROVAL_REQUIRED');
    expect(refuse(s, { cmd: 'staffCheck', approval: { operator: '1', pin: '1111' } })).toBe('APPROVAL_DENIED');
    exec(s, { cmd: 'staffCheck', approval: { operator: '9', pin: '9999' } });
    const entry = db.prepare("SELECT body FROM journal WHERE kind = 'staff.access'").get() as { body: string };
    expect(JSON.parse(entry.body)).toMatchObject({ by: '9', mode: 'self' });
  });

  it('staff commands at an open kiosk need a staff session: given by staffCheck, renewed by use, ended or lapsed after 2 minutes', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: SOAP });
    const discount = { cmd: 'discount', lineId: 'L1', kind: 'percent', value: 500, reason: 'x' } as const;
    expect(refuse(s, discount)).toBe('APPROVAL_REQUIRED');
    expect(refuse(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 1 })).toBe('APPROVAL_REQUIRED');
    exec(s, { cmd: 'staffCheck', approval: { operator: '7', pin: '7777' } });
    expect(s.snapshot().lane.selfCheckout?.staff).toBe('7');
    run(s, discount);
    clock += 119_000;
    run(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 2 }); // renews
    clock += 119_000;
    s.tickIdle();
    expect(s.snapshot().lane.selfCheckout?.staff).toBe('7');
    clock += 2_000;
    s.tickIdle();
    expect(s.snapshot().lane.selfCheckout?.staff).toBeNull();
    expect(refuse(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 3 })).toBe('APPROVAL_REQUIRED');
    exec(s, { cmd: 'staffCheck', approval: { operator: '9', pin: '9999' } });
    exec(s, { cmd: 'staffDone' });
    expect(refuse(s, { cmd: 'setQuantity', lineId: 'L1', quantity: 3 })).toBe('APPROVAL_REQUIRED');
  });

  it('staff working at a kiosk pause the customer\'s idle clock; a scan renews their session; handing back restarts the customer\'s clock', () => {
    const s = lane({ idleAbandonMs: 60_000, idleWarnMs: 10_000 });
    run(s, { cmd: 'scan', code: SOAP });
    exec(s, { cmd: 'staffCheck', approval: { operator: '7', pin: '7777' } });
    // The supervisor scans for the customer now and then: a customer command, yet it keeps their session.
    for (let i = 0; i < 3; i++) {
      clock += 100_000;
      s.tickIdle();
      run(s, { cmd: 'scan', code: MILK });
    }
    clock += 100_000;
    s.tickIdle();
    expect(s.snapshot().lane.selfCheckout).toMatchObject({ staff: '7', idleUntil: null });
    expect(s.snapshot().checkout?.lines.length).toBe(4);
    exec(s, { cmd: 'staffDone' });
    // Back to the customer, who gets the whole idle time from now.
    clock += 49_000;
    s.tickIdle();
    expect(s.snapshot().lane.selfCheckout).toMatchObject({ staff: null, idleUntil: null });
    expect(s.snapshot().checkout).not.toBeNull();
    clock += 2_000;
    s.tickIdle();
    expect(s.snapshot().lane.selfCheckout?.idleUntil).not.toBeNull();
  });

  it('the supervisor who opened the kiosk closes it: Z report with their own PIN, then the kiosk is signed out', () => {
    const s = lane();
    exec(s, { cmd: 'staffCheck', approval: { operator: '7', pin: '7777' } });
    run(s, { cmd: 'closeTill', counted: [], approval: { operator: '7', pin: '7777' } });
    expect(s.snapshot().lane).toMatchObject({ state: 'signedOut', till: null });
    expect(refuse(s, { cmd: 'openTill', float: [] })).toBe('NOT_SIGNED_IN');
  });

  it('a customer waiting for staff (age check, help call) is never timed out; staff are called instead', () => {
    const s = lane({ idleAbandonMs: 60_000, idleWarnMs: 10_000 });
    run(s, { cmd: 'scan', code: SNUS });
    clock += 600_000;
    s.tickIdle();
    expect(s.snapshot().checkout?.lines).toHaveLength(1);
    expect(s.snapshot().lane.selfCheckout?.idleUntil).toBeNull();
    expect(s.snapshot().lane.help?.reason).toBe('idle');
  });

  it('a help call ends with its customer’s sale', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: MILK });
    run(s, { cmd: 'callHelp' });
    run(s, { cmd: 'cancelSale' });
    expect(s.snapshot().lane.help).toBeNull();
    const cleared = db.prepare("SELECT body FROM journal WHERE kind = 'help.cleared'").get() as { body: string };
    expect(JSON.parse(cleared.body)).toMatchObject({ why: 'saleEnded', by: null });
  });

  it('lists produce by PLU for the picture grid and finds it by name or PLU; sells it with the weight', () => {
    const s = lane();
    const all = exec(s, { cmd: 'produceList' }).result as { produce: Array<{ plu: string; name: string; unit: string }> };
    expect(all.produce.map((p) => p.plu)).toEqual(expect.arrayContaining(['4011', '4173', '4664', '4072']));
    const byName = exec(s, { cmd: 'produceList', query: 'banan' }).result as { produce: Array<{ plu: string }> };
    expect(byName.produce.map((p) => p.plu)).toEqual(['4011']);
    const byPlu = exec(s, { cmd: 'produceList', query: '417' }).result as { produce: Array<{ plu: string }> };
    expect(byPlu.produce.map((p) => p.plu)).toEqual(['4173']);
    expect((exec(s, { cmd: 'produceList', query: '%' }).result as { produce: unknown[] }).produce).toEqual([]);
    run(s, { cmd: 'scan', code: '4011', weightGrams: 1234 });
    expect(s.snapshot().checkout?.lines[0]).toMatchObject({ name: 'Bananer', weightGrams: 1234, total: Math.round((2490 * 1234) / 1000) });
  });
});

describe('an item the catalog does not know (staffed lane)', () => {
  function staffed(): LaneService {
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: () => new Date(clock) });
    services.push(s);
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(s, { cmd: 'openTill', float: [] });
    return s;
  }

  it('is sold at a keyed price under a department, at the VAT most of its items carry; the code goes to the journal', () => {
    const s = staffed();
    expect(refuse(s, { cmd: 'scan', code: '7310865009999' })).toBe('ITEM_NOT_FOUND');
    const { departments } = exec(s, { cmd: 'departments' }).result as { departments: Array<{ id: string; name: string }> };
    expect(departments.map((d) => d.id)).toEqual(expect.arrayContaining(['mejeri', 'tobak', 'hushall']));
    run(s, { cmd: 'openItem', departmentId: 'hushall', unitPrice: 4990, code: '7310865009999' });
    expect(s.snapshot().checkout?.lines[0]).toMatchObject({ itemId: 'open:hushall', code: '7310865009999', total: 4990, vatRate: 2500 });
    run(s, { cmd: 'openItem', departmentId: 'mejeri', unitPrice: 1000, quantity: 2 });
    expect(s.snapshot().checkout?.lines[1]).toMatchObject({ quantity: 2, total: 2000, vatRate: 600 }); // food, 6 % on 2026-11-25
    const entry = db.prepare("SELECT body FROM journal WHERE kind = 'item.openPrice' ORDER BY seq LIMIT 1").get() as { body: string };
    expect(JSON.parse(entry.body)).toMatchObject({ code: '7310865009999', departmentId: 'hushall', unitPrice: 4990, approvedBy: null });
    expect(refuse(s, { cmd: 'openItem', departmentId: 'nope', unitPrice: 100 })).toBe('INVALID_COMMAND');
  });

  it('above the open-price limit a supervisor approves', () => {
    const s = staffed();
    expect(refuse(s, { cmd: 'openItem', departmentId: 'hushall', unitPrice: 60_000 })).toBe('APPROVAL_REQUIRED');
    run(s, { cmd: 'openItem', departmentId: 'hushall', unitPrice: 60_000, approval: { operator: '7', pin: '7777' } });
    expect(s.snapshot().checkout?.totals.total).toBe(60_000);
  });

  it('set aside for a supervisor: recorded for the back office and a help call made', () => {
    const s = staffed();
    run(s, { cmd: 'reportMissingItem', code: '7310865009999' });
    expect(s.snapshot().lane.help).toMatchObject({ reason: 'itemNotFound', detail: '7310865009999' });
    expect(journalKinds()).toContain('item.notFound');
    run(s, { cmd: 'clearHelp' }); // the cashier of a staffed lane clears it when the supervisor came
    expect(s.snapshot().lane.help).toBeNull();
  });
});
