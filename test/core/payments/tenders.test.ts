/** Split tenders in any order: cash, card (through the payment port), gift card; tender void. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Snapshot } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, DEMO_VOUCHERS, generateCatalog, seedDemoVouchers } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Journal } from '../../../core/journal';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { SimulatedPaymentTerminal, type PaymentPort } from '../../../core/payments/port';
import { PROFILES } from '../../../core/profile';
import { tempDir } from '../../helpers/tmp';
import { refuse, run } from '../../helpers/lane';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'pay.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  seedDemoVouchers(db);
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

async function settled(s: LaneService): Promise<Snapshot> {
  for (let i = 0; i < 2000 && s.snapshot().checkout?.state === 'cardPending'; i++) await new Promise((r) => setTimeout(r, 5));
  return s.snapshot();
}
function lane(payments?: PaymentPort) {
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Butik', laneId: '1' }, { now: testClock(), ...(payments ? { payments } : {}) });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  if (!s.snapshot().lane.till) run(s, { cmd: 'openTill', float: [] });
  return s;
}
const BUTTER = DEMO_ITEMS.butter.codes[0]!; // 54,90
const BREAD = DEMO_ITEMS.bread.codes[0]!; // 39,90
const [GIFT200, GIFT50] = [DEMO_VOUCHERS[0].code, DEMO_VOUCHERS[1].code];

describe('split tenders', () => {
  it('takes gift card, card and cash in any order; rounding only on the cash part; gift card debited at completion', async () => {
    const s = lane(new SimulatedPaymentTerminal({ delayMs: 1 }));
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'scan', code: BREAD, quantity: 2 }); // 54,90 + 79,80 = 134,70
    let snap = run(s, { cmd: 'tenderVoucher', code: GIFT50 }); // 50,00
    expect(snap.checkout!.totals).toMatchObject({ total: 13470, tendered: 5000, remaining: 8470, rounding: 0 });
    expect(refuse(s, { cmd: 'tenderVoucher', code: GIFT50 })).toBe('VOUCHER_EMPTY'); // fully used in this sale
    snap = run(s, { cmd: 'tenderCard', amount: 4000 });
    expect(snap.checkout!.state).toBe('cardPending');
    expect(refuse(s, { cmd: 'tenderCash' })).toBe('PAYMENT_PENDING');
    snap = await settled(s);
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.checkout!.tenders[1]).toMatchObject({ kind: 'card', amount: 4000, card: { brand: 'VISA', maskedPan: '************4242' } });
    snap = run(s, { cmd: 'tenderCash' }); // exact: 44,70 → 45 kr in cash
    expect(snap.checkout!.tenders[2]!.amount).toBe(4500);
    expect(snap.checkout!.totals).toMatchObject({ rounding: 30, due: 13500, remaining: 0, change: 0 });
    expect(db.prepare('SELECT balance FROM voucher WHERE code = ?').get(GIFT50)).toEqual({ balance: 5000 }); // not yet
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale!.receiptText).toMatch(/Presentkort \.\.\.0024\s+50,00/);
    expect(done.lastSale!.receiptText).toMatch(/Kort VISA \*+4242\s+40,00/);
    expect(db.prepare('SELECT balance FROM voucher WHERE code = ?').get(GIFT50)).toEqual({ balance: 0 });
    const kinds = (db.prepare("SELECT kind FROM journal WHERE kind LIKE 'payment.%' OR kind LIKE 'voucher.%' ORDER BY seq").all() as Array<{ kind: string }>).map((r) => r.kind);
    expect(kinds).toEqual(['payment.started', 'payment.approved', 'voucher.redeemed']);
    expect(new Journal(db).verify().ok).toBe(true);
  });

  it('a declined card leaves the sale at subtotal and tells the lane', async () => {
    const s = lane(new SimulatedPaymentTerminal({ delayMs: 1 }));
    const errors: string[] = [];
    s.subscribeErrors((code) => errors.push(code));
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'tenderCard', amount: 1666 });
    const snap = await settled(s);
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.checkout!.tenders).toEqual([]);
    expect(errors).toEqual(['PAYMENT_DECLINED']);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'payment.declined'").get()).toEqual({ n: 1 });
  });

  it('refuses cards without a terminal, unknown gift cards, and card amounts above what is left', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER });
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('PAYMENT_UNAVAILABLE');
    expect(refuse(s, { cmd: 'tenderVoucher', code: '9752000000999' })).toBe('VOUCHER_INVALID');
    const snap = run(s, { cmd: 'tenderVoucher', code: GIFT200 }); // 200 kr card, pays 54,90 only
    expect(snap.checkout!.tenders[0]!.amount).toBe(5490);
    expect(snap.checkout!.state).toBe('paid');
  });

  it('voids a tender before completion, journalled', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER });
    let snap = run(s, { cmd: 'tenderCash', amount: 10_000 });
    expect(snap.checkout!.state).toBe('paid');
    snap = run(s, { cmd: 'voidTender', tenderId: snap.checkout!.tenders[0]!.tenderId });
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.checkout!.tenders).toEqual([]);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'tender.voided'").get()).toEqual({ n: 1 });
  });

  it('voids a card tender by reversing it at the terminal first; a refused reversal keeps it', async () => {
    let ok = true;
    const sim = new SimulatedPaymentTerminal({ delayMs: 1 });
    const port: PaymentPort = { authorize: (r) => sim.authorize(r), refund: (r) => sim.refund(r), reverse: async () => ({ ok }) };
    const s = lane(port);
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'tenderCard' });
    let snap = await settled(s);
    expect(snap.checkout!.state).toBe('paid');
    const tenderId = snap.checkout!.tenders[0]!.tenderId;
    ok = false;
    expect(run(s, { cmd: 'voidTender', tenderId }).checkout!.state).toBe('reversing');
    expect(refuse(s, { cmd: 'complete' })).toBe('INSUFFICIENT_TENDER');
    for (let i = 0; i < 2000 && s.snapshot().checkout?.state === 'reversing'; i++) await new Promise((r) => setTimeout(r, 5));
    expect(s.snapshot().checkout!.state).toBe('paid'); // the terminal refused: the payment stays
    ok = true;
    run(s, { cmd: 'voidTender', tenderId });
    for (let i = 0; i < 2000 && s.snapshot().checkout?.state === 'reversing'; i++) await new Promise((r) => setTimeout(r, 5));
    snap = s.snapshot();
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.checkout!.tenders).toEqual([]);
    const kinds = (db.prepare("SELECT kind FROM journal WHERE kind LIKE 'payment.reversal%' OR kind = 'tender.voided' ORDER BY seq").all() as Array<{ kind: string }>).map((r) => r.kind);
    expect(kinds).toEqual(['payment.reversalStarted', 'payment.reversalFailed', 'payment.reversalStarted', 'tender.voided']);
  });

  it('after a crash mid-payment a supervisor records the outcome; nothing is re-sent', async () => {
    let calls = 0;
    const hanging: PaymentPort = {
      authorize: () => {
        calls++;
        return new Promise(() => {}); // the lane "crashes" before the terminal answers
      },
      reverse: async () => ({ ok: true }),
      refund: async () => ({ ok: true }),
    };
    let s = lane(hanging);
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'tenderCard' });
    expect(calls).toBe(1);
    // restart: a new service on the same database
    s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Butik', laneId: '1' }, { now: testClock(), payments: new SimulatedPaymentTerminal({ delayMs: 1 }) });
    expect(s.snapshot().checkout!.state).toBe('cardPending');
    expect(refuse(s, { cmd: 'resolvePayment', outcome: 'approved' })).toBe('APPROVAL_REQUIRED');
    const snap = run(s, { cmd: 'resolvePayment', outcome: 'approved', approval: { operator: '7', pin: '7777' } });
    expect(snap.checkout!.state).toBe('paid');
    expect(calls).toBe(1);
    expect(JSON.parse((db.prepare("SELECT body FROM journal WHERE kind = 'payment.resolved'").get() as { body: string }).body)).toMatchObject({ outcome: 'approved', approvedBy: '7' });
  });
});
