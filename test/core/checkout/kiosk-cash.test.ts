/**
 * Cash at a self-checkout kiosk, in the lane core: "pay cash" books nothing by itself. Through a
 * cash device: coins and notes counted in (journalled), booked once enough is in, change paid out;
 * a jam stops it (what was counted is paid, staff called); short change is recorded and staff
 * called; the customer may cancel (the money goes back; what cannot is booked). Without a device an
 * attendant confirms the cash received. A restart picks the session and an interrupted payout up.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService, type LaneConfig } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { exec, refuse, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { FakeCashPort, settle } from '../../helpers/cash-port';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
let clock = Date.parse('2026-11-23T10:00:00Z');
const services: LaneService[] = [];
beforeEach(() => {
  tmp = tempDir();
  clock = Date.parse('2026-11-23T10:00:00Z');
  db = openDatabase(join(tmp.dir, 'kiosk-cash.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
});
afterEach(() => {
  for (const s of services.splice(0)) s.dispose();
  db.close();
  tmp.cleanup();
});

const SOAP = DEMO_ITEMS.dishSoap.codes[0]!; // 29,90 → 30 kr in cash
const supervisor = () => new Operators(db).authenticate('7', '7777');
const kinds = () => (db.prepare("SELECT kind FROM journal WHERE kind LIKE 'cash.%' ORDER BY seq").all() as Array<{ kind: string }>).map((r) => r.kind);
const bodies = (kind: string) => (db.prepare('SELECT body FROM journal WHERE kind = ? ORDER BY seq').all(kind) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as Record<string, unknown>);

function kiosk(port: FakeCashPort | null | undefined, config: Partial<LaneConfig> = {}): LaneService {
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: 'K1' }, { config: { mode: 'self', selfCash: true, ...config }, now: () => new Date(clock) });
  services.push(s);
  if (s.snapshot().lane.state === 'signedOut') {
    run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
    run(s, { cmd: 'openTill', float: [] });
  }
  if (port !== undefined) s.setCashDevice(port); // undefined: the devices have not attached yet (a restart)
  return s;
}

describe('kiosk cash through the cash device', () => {
  it('"pay cash" pays nothing: the device accepts, each coin and note is counted, then the sale is paid and the change paid out', async () => {
    const port = new FakeCashPort();
    const s = kiosk(port);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    let co = s.snapshot().checkout!;
    expect(co.state).toBe('cashPending');
    expect(co.tenders).toEqual([]);
    expect(co.cash).toMatchObject({ via: 'device', due: 3000, inserted: 0, stillToPay: 3000, phase: 'accepting' });
    await settle();
    expect(port.accepting).toBe(true);
    port.insert(1000);
    await settle();
    expect(s.snapshot().checkout!.cash).toMatchObject({ inserted: 1000, stillToPay: 2000 });
    expect(s.snapshot().checkout!.tenders).toEqual([]);
    // While cash is going in, nothing else happens to the basket.
    expect(refuse(s, { cmd: 'scan', code: SOAP })).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('PAYMENT_PENDING');
    port.insert(5000);
    await settle();
    co = s.snapshot().checkout!;
    expect(co.state).toBe('paid');
    expect(co.tenders).toMatchObject([{ kind: 'cash', amount: 6000 }]);
    expect(co.totals.change).toBe(3000);
    expect(co.cash).toMatchObject({ inserted: 6000, booked: 6000, change: 3000, changePaid: 3000, phase: 'done', problem: null });
    expect(port.accepting).toBe(false);
    expect(port.payouts).toEqual([3000]);
    expect(kinds()).toEqual(['cash.session.started', 'cash.inserted', 'cash.inserted', 'cash.session.ended', 'cash.payout.started', 'cash.payout.step', 'cash.payout.step', 'cash.payout']);
    expect(bodies('cash.inserted').map((b) => [b.value, b.counter])).toEqual([
      [1000, 1],
      [5000, 2],
    ]);
    run(s, { cmd: 'complete', receipt: 'none' });
    expect(s.snapshot().lastSale).toMatchObject({ total: 3000, change: 3000 }); // 29,90 rounded to 30 kr in cash
  });

  it('a jam stops acceptance: what was counted is paid, the customer is told and staff are called', async () => {
    const port = new FakeCashPort();
    const s = kiosk(port);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(2000);
    port.emit({ type: 'fault', fault: 'jam', detail: 'coin acceptor jammed (code 14)' });
    await settle();
    const snap = s.snapshot();
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.checkout!.tenders).toMatchObject([{ kind: 'cash', amount: 2000 }]);
    expect(snap.checkout!.totals.remaining).toBe(990);
    expect(snap.checkout!.cash).toMatchObject({ phase: 'stopped', problem: 'jam', booked: 2000 });
    expect(snap.lane.help).toMatchObject({ reason: 'cash' });
    expect(bodies('cash.session.ended')).toEqual([expect.objectContaining({ outcome: 'stopped', problem: 'jam', inserted: 2000, booked: 2000 })]);
    // The next try at cash goes to an attendant (the device is not usable until it is cleared).
    run(s, { cmd: 'tenderCash' });
    expect(s.snapshot().checkout!.cash).toMatchObject({ via: 'attendant', phase: 'waitingAttendant', due: 1000 });
  });

  it('short change: the change that could be paid is recorded with what is owed; staff are called', async () => {
    const port = new FakeCashPort();
    port.float = 1200;
    const s = kiosk(port);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(5000);
    await settle();
    const snap = s.snapshot();
    expect(snap.checkout!.state).toBe('paid');
    expect(snap.checkout!.cash).toMatchObject({ change: 2000, changePaid: 1200, problem: 'shortChange' });
    expect(snap.lane.help).toMatchObject({ reason: 'cash', detail: 'shortChange' });
    expect(bodies('cash.payout')).toEqual([expect.objectContaining({ purpose: 'change', amount: 2000, paid: 1200, owed: 800 })]);
  });

  it('the customer cancels: what was put in is handed back; what the device cannot hand back is booked as paid', async () => {
    const port = new FakeCashPort();
    const s = kiosk(port);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(1000);
    await settle();
    run(s, { cmd: 'cancelCash' });
    await settle();
    expect(s.snapshot().checkout).toMatchObject({ state: 'subtotal', tenders: [], cash: null });
    expect(port.payouts).toEqual([1000]);
    expect(port.accepting).toBe(false);
    // Again, with a device that has only 3 kr left to hand back.
    port.float = 300;
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(1000);
    await settle();
    run(s, { cmd: 'cancelCash' });
    await settle();
    const snap = s.snapshot();
    expect(snap.checkout!.tenders).toMatchObject([{ kind: 'cash', amount: 700 }]);
    expect(snap.checkout!.cash).toMatchObject({ problem: 'returnFailed', booked: 700 });
    expect(snap.lane.help?.reason).toBe('cash');
  });

  it('a cash payment left half way is never dropped: staff are called', async () => {
    const port = new FakeCashPort();
    const s = kiosk(port, { idleAbandonMs: 60_000, idleWarnMs: 10_000 });
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(1000);
    await settle();
    clock += 61_000;
    s.tickIdle();
    expect(s.snapshot().checkout).toMatchObject({ state: 'cashPending', cash: { inserted: 1000 } });
    expect(s.snapshot().lane.help?.reason).toBe('idle');
  });

  it('money counted when no session wants it is journalled and handed back', async () => {
    const port = new FakeCashPort();
    const s = kiosk(port);
    port.accepting = true; // e.g. acceptance not yet stopped
    port.insert(500);
    await settle();
    expect(bodies('cash.inserted')).toEqual([expect.objectContaining({ value: 500, late: true })]);
    expect(port.payouts).toEqual([500]);
    expect(s.snapshot().checkout).toBeNull();
  });
});

describe('kiosk cash without a cash device: an attendant confirms', () => {
  it('the kiosk waits for the attendant; nothing is paid until the attendant confirms the amount received', () => {
    const s = kiosk(null);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash', amount: 5000 });
    const co = s.snapshot().checkout!;
    expect(co.state).toBe('cashPending');
    expect(co.tenders).toEqual([]);
    expect(co.cash).toMatchObject({ via: 'attendant', phase: 'waitingAttendant', due: 3000 });
    expect(s.snapshot().lane.help).toMatchObject({ reason: 'cash' });
    // The customer cannot confirm their own cash.
    expect(refuse(s, { cmd: 'confirmCash', sessionId: co.cash!.sessionId, amount: 3000 })).toBe('APPROVAL_REQUIRED');
    expect(() => s.handleAsAttendant({ id: 'a0', cmd: 'confirmCash', sessionId: 'another', amount: 3000 }, supervisor())).toThrow(/ended or changed/);
    s.handleAsAttendant({ id: 'a1', cmd: 'confirmCash', sessionId: co.cash!.sessionId, amount: 5000 }, supervisor());
    const after = s.snapshot();
    expect(after.checkout).toMatchObject({ state: 'paid', tenders: [{ kind: 'cash', amount: 5000 }] });
    expect(after.checkout!.cash).toMatchObject({ phase: 'done', booked: 5000, change: 2000 });
    expect(after.lane.help).toBeNull();
    expect(bodies('cash.confirmed')).toEqual([expect.objectContaining({ amount: 5000, by: '7', due: 3000 })]);
  });

  it('the customer may change their mind before the attendant comes', () => {
    const s = kiosk(null);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'cancelCash' });
    expect(s.snapshot().checkout).toMatchObject({ state: 'subtotal', tenders: [], cash: null });
    expect(s.snapshot().lane.help).toBeNull();
  });

  it('staff working at the kiosk take cash as on a lane', () => {
    const s = kiosk(null);
    run(s, { cmd: 'scan', code: SOAP });
    exec(s, { cmd: 'staffCheck', approval: { operator: '7', pin: '7777' } });
    run(s, { cmd: 'tenderCash', amount: 3000 });
    expect(s.snapshot().checkout?.state).toBe('paid');
  });
});

describe('kiosk cash after a restart', () => {
  it('an open session comes back with what was counted; the device accepts again and the sale finishes', async () => {
    const port = new FakeCashPort();
    const s = kiosk(port);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(2000);
    await settle();
    s.dispose(); // the core stops
    port.accepting = false;
    const again = kiosk(undefined);
    expect(again.snapshot().checkout).toMatchObject({ state: 'cashPending', tenders: [] });
    expect(again.snapshot().checkout!.cash).toMatchObject({ inserted: 2000, stillToPay: 1000, phase: 'accepting' });
    const port2 = new FakeCashPort();
    again.setCashDevice(port2);
    await settle();
    expect(port2.accepting).toBe(true);
    port2.insert(1000);
    await settle();
    expect(again.snapshot().checkout).toMatchObject({ state: 'paid', tenders: [{ kind: 'cash', amount: 3000 }] });
  });

  it('a payout cut off mid-way is asked about, never paid twice: the rest is paid, the outcome journalled', async () => {
    const port = new FakeCashPort();
    port.hangPayout = true;
    const s = kiosk(port);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(10_000);
    await settle();
    expect(s.snapshot().checkout!.cash).toMatchObject({ phase: 'paying', change: 7000, changePaid: null });
    s.dispose();
    const again = kiosk(undefined);
    const port2 = new FakeCashPort();
    port2.outcome = { paid: 4000, busy: false }; // the hopper says: 40 of the 70 coins went out
    again.setCashDevice(port2);
    for (let i = 0; i < 20 && bodies('cash.payout').length === 0; i++) await settle();
    expect(port2.payouts).toEqual([3000]);
    expect(bodies('cash.payout')).toEqual([expect.objectContaining({ purpose: 'change', amount: 7000, paid: 7000, owed: 0 })]);
    expect(again.snapshot().checkout!.cash).toMatchObject({ changePaid: 7000, phase: 'done', problem: null });
  });

  it('a payout nobody can account for is left to staff, not repeated', async () => {
    const port = new FakeCashPort();
    port.hangPayout = true;
    const s = kiosk(port);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCash' });
    await settle();
    port.insert(5000);
    await settle();
    s.dispose();
    const again = kiosk(undefined);
    const port2 = new FakeCashPort();
    port2.outcome = null;
    again.setCashDevice(port2);
    for (let i = 0; i < 20 && bodies('cash.payout').length === 0; i++) await settle();
    expect(port2.payouts).toEqual([]);
    expect(bodies('cash.payout')).toEqual([expect.objectContaining({ unknown: true, owed: 2000 })]);
    expect(again.snapshot().lane.help?.reason).toBe('cash');
    expect(again.snapshot().checkout!.cash?.problem).toBe('unknownPayout');
  });
});
