/**
 * A scripted full trading day on one lane — open, 200 mixed sales with returns, discounts,
 * promotions, split tenders (cash, card, gift card), training sales, cancels, pickups, paid-in,
 * an X report and a blind Z — whose Z report must equal the journal summed independently.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReturnResult, TillReport } from '../../../protocol/terminal';
import { openDatabase } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog, seedDemoPromotions } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Journal } from '../../../core/journal';
import { loadOrCreateTerminalSigner } from '../../../core/journal/signer';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { SimulatedPaymentTerminal } from '../../../core/payments/port';
import { PROFILES } from '../../../core/profile';
import { exec, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { testClock } from '../../helpers/clock';

const tmp = tempDir('kassa-day-');
afterAll(() => tmp.cleanup());
const SUP = { operator: '7', pin: '7777' };
const CODES = [
  DEMO_ITEMS.milk.codes[0]!,
  DEMO_ITEMS.filmjolk.codes[0]!,
  DEMO_ITEMS.butter.codes[0]!,
  DEMO_ITEMS.bread.codes[0]!,
  DEMO_ITEMS.julmust.codes[0]!,
  DEMO_ITEMS.soda.codes[0]!,
  DEMO_ITEMS.dishSoap.codes[0]!,
  DEMO_ITEMS.newspaper.codes[0]!,
];

/** Everything a Z report states, summed straight from the journal rows. */
function sumJournal(rows: Array<{ kind: string; body: string }>) {
  const s = { count: 0, sales: 0, rounding: 0, discounts: 0, tenders: new Map<string, number>(), vat: new Map<number, number>(), returns: 0, returnCount: 0, training: 0, voids: 0, cancels: 0, in: 0, out: 0, pickups: 0, float: 0 };
  const add = <K>(m: Map<K, number>, k: K, v: number) => m.set(k, (m.get(k) ?? 0) + v);
  for (const r of rows) {
    const b = JSON.parse(r.body);
    switch (r.kind) {
      case 'till.opened':
        s.float = b.floatTotal;
        break;
      case 'sale.completed': {
        s.count++;
        s.sales += b.totals.due;
        s.rounding += b.totals.rounding;
        s.discounts += b.totals.discounts;
        let change = b.totals.change;
        for (const t of b.tenders) {
          const back = t.kind === 'cash' ? Math.min(change, t.amount) : 0;
          change -= back;
          add(s.tenders, t.kind, t.amount - back);
        }
        for (const v of b.totals.vat) add(s.vat, v.rate, v.vat);
        break;
      }
      case 'sale.return':
        s.returnCount++;
        s.returns += b.refund + b.rounding;
        s.rounding -= b.rounding;
        for (const p of b.refunds) add(s.tenders, p.kind, -p.amount);
        for (const v of b.vat) add(s.vat, v.rate, -v.vat);
        break;
      case 'sale.training':
        s.training++;
        break;
      case 'line.voided':
        s.voids += b.total;
        break;
      case 'sale.cancelled':
        s.cancels++;
        break;
      case 'cash.paidIn':
        s.in += b.amount;
        break;
      case 'cash.paidOut':
        s.out += b.amount;
        break;
      case 'cash.pickup':
        s.pickups += b.amount;
        break;
    }
  }
  return s;
}

describe('a full trading day', () => {
  it('200 mixed sales; the Z report equals the independently summed journal', async () => {
    const db = openDatabase(join(tmp.dir, 'day.db'));
    generateCatalog(db, {});
    seedDemoOperators(new Operators(db));
    seedDemoPromotions(db);
    const vouchers = Array.from({ length: 40 }, (_, i) => `97520000${String(i).padStart(5, '0')}`);
    for (const v of vouchers) db.prepare('INSERT INTO voucher (code, balance) VALUES (?, ?)').run(v, 3_000);
    const journal = new Journal(db, { signer: loadOrCreateTerminalSigner(db) });
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Dagbutiken', laneId: '1' }, { now: testClock(), journal, payments: new SimulatedPaymentTerminal({ delayMs: 0 }) });
    run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
    run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 10 }, { denomination: 1_000, count: 30 }, { denomination: 100, count: 100 }] });
    const openSeq = (db.prepare("SELECT seq FROM journal WHERE kind = 'till.opened'").get() as { seq: number }).seq;

    let sold = 0;
    let returns = 0;
    let lastReceipt: string | null = null;
    let voucherIndex = 0;
    for (let i = 0; i < 200; i++) {
      if (i % 11 === 3) run(s, { cmd: 'setTraining', on: true, approval: { operator: '7', pin: '7777' } });
      const lines = 1 + (i % 5);
      for (let l = 0; l < lines; l++) run(s, { cmd: 'scan', code: CODES[(i * 3 + l) % CODES.length]!, quantity: 1 + ((i + l) % 3) });
      if (i % 6 === 1) run(s, { cmd: 'voidLast' });
      if (s.snapshot().checkout!.lines.every((x) => x.voided)) run(s, { cmd: 'scan', code: CODES[i % CODES.length]! });
      if (i % 4 === 1) run(s, { cmd: 'discount', lineId: s.snapshot().checkout!.lines.find((x) => !x.voided && !x.depositFor)!.lineId, kind: 'percent', value: 1000, reason: 'Kort datum' });
      if (i % 9 === 0) run(s, { cmd: 'discount', kind: 'amount', value: 500, reason: 'Kundvård' });
      if (i % 17 === 8) {
        run(s, { cmd: 'cancelSale', ...(s.snapshot().checkout!.totals.total > 50_000 ? { approval: SUP } : {}) });
        if (s.snapshot().lane.training) run(s, { cmd: 'setTraining', on: false, approval: { operator: '7', pin: '7777' } });
        continue;
      }
      // split tenders in varying order
      if (i % 5 === 0 && !s.snapshot().lane.training) run(s, { cmd: 'tenderVoucher', code: vouchers[voucherIndex++ % vouchers.length]!, amount: 1_000 });
      if (i % 7 === 0) {
        run(s, { cmd: 'tenderCard', amount: Math.max(1, Math.floor(s.snapshot().checkout!.totals.remaining / 2)) });
        for (let k = 0; k < 5000 && s.snapshot().checkout?.state === 'cardPending'; k++) await new Promise((r) => setTimeout(r, 1));
      }
      if (s.snapshot().checkout!.state !== 'paid') run(s, { cmd: 'tenderCash', ...(i % 3 === 0 ? { amount: s.snapshot().checkout!.totals.remaining + 5_000 } : {}) });
      const done = run(s, { cmd: 'complete' }).lastSale!;
      if (done.training) run(s, { cmd: 'setTraining', on: false, approval: { operator: '7', pin: '7777' } });
      else {
        sold++;
        // every 13th sale: the customer comes back and returns the first line
        if (lastReceipt && i % 13 === 0) {
          const code = /\[BARCODE\] (R[0-9a-f]{32})/.exec(lastReceipt)![1]!;
          const lookup = exec(s, { cmd: 'findSale', receiptCode: code }).result as { lines: Array<{ lineId: string; returnable: number; isDeposit: boolean }> };
          const line = lookup.lines.find((x) => !x.isDeposit && x.returnable > 0);
          if (line) {
            const r = exec(s, { cmd: 'returnLines', receiptCode: code, lines: [{ lineId: line.lineId, quantity: 1 }], reason: 'Ångerköp' }).result as ReturnResult;
            expect(r.refund).toBeGreaterThan(0);
            returns++;
          }
        }
        lastReceipt = done.receiptText;
      }
      if (i === 60 || i === 160) run(s, { cmd: 'cashMovement', kind: 'pickup', amount: 50_000, reason: 'Till kassaskåp', approval: SUP });
      if (i === 100) run(s, { cmd: 'cashMovement', kind: 'paidIn', amount: 20_000, reason: 'Växel' });
      if (i === 110) run(s, { cmd: 'cashMovement', kind: 'paidOut', amount: 3_500, reason: 'Frimärken', approval: SUP });
      if (i === 120) {
        const x = exec(s, { cmd: 'xReport' }).result as TillReport;
        expect(x.sales.count).toBe(sold);
      }
    }
    expect(sold).toBeGreaterThan(150);
    expect(returns).toBeGreaterThan(5);

    const rows = db.prepare<[number], { kind: string; body: string }>('SELECT kind, body FROM journal WHERE seq >= ? ORDER BY seq').all(openSeq);
    const sum = sumJournal(rows);
    const expectedCash = sum.float + (sum.tenders.get('cash') ?? 0) + sum.in - sum.out - sum.pickups;
    const z = exec(s, { cmd: 'closeTill', counted: [{ denomination: 100, count: expectedCash / 100 }], approval: SUP }).result as TillReport;

    expect(z.sales).toEqual({ count: sum.count, total: sum.sales });
    expect(z.returns).toEqual({ count: sum.returnCount, amount: sum.returns });
    expect(z.rounding).toBe(sum.rounding);
    expect(z.discounts).toBe(sum.discounts);
    expect(Object.fromEntries(z.tenders.map((t) => [t.kind, t.amount]))).toEqual(Object.fromEntries(sum.tenders));
    expect(Object.fromEntries(z.vat.map((v) => [v.rate, v.vat]))).toEqual(Object.fromEntries(sum.vat));
    expect(z.training.count).toBe(sum.training);
    expect(z.voids.amount).toBe(sum.voids);
    expect(z.cancels.count).toBe(sum.cancels);
    expect(z.cash).toMatchObject({ float: sum.float, paidIn: sum.in, paidOut: sum.out, pickups: sum.pickups, expected: expectedCash, overShort: 0 });
    // VAT-inclusive tenders = gross VAT base + rounding, every öre accounted for
    expect(z.tenders.reduce((a, t) => a + t.amount, 0)).toBe(z.vat.reduce((a, v) => a + v.gross, 0) + z.rounding);
    expect(z.sales.total - z.returns.amount).toBe(z.tenders.reduce((a, t) => a + t.amount, 0));
    expect(z.discounts).toBeGreaterThan(0);
    expect(new Journal(db).verify()).toMatchObject({ ok: true, unsigned: 0 });
    db.close();
  }, 120_000);
});
