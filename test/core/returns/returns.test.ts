/** Returns by receipt barcode: chosen lines, refund to the original tenders, never more than sold. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ReturnResult, type SaleLookup, type TillReport } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, DEMO_VOUCHERS, generateCatalog, seedDemoVouchers } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { Journal } from '../../../core/journal';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { SimulatedPaymentTerminal } from '../../../core/payments/port';
import { PROFILES } from '../../../core/profile';
import { tempDir } from '../../helpers/tmp';
import { exec, refuse, run } from '../../helpers/lane';
import { testClock } from '../../helpers/clock';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'ret.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  seedDemoVouchers(db);
});
afterEach(() => {
  db.close();
  tmp.cleanup();
});
const SUP = { operator: '7', pin: '7777' };
const BUTTER = DEMO_ITEMS.butter.codes[0]!; // 54,90
const JULMUST = DEMO_ITEMS.julmust.codes[0]!; // 12,90 + pant 1,00
const receiptCode = (saleId: string) => `R${saleId.replace(/-/g, '')}`;

function lane() {
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: '1' }, { now: testClock(), payments: new SimulatedPaymentTerminal({ delayMs: 1 }) });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 10 }] });
  return s;
}

describe('returns', () => {
  it('finds the sale by its receipt barcode and refunds chosen lines in cash, deposit included, never more than sold', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: JULMUST, quantity: 3 }); // 3 × 12,90 + 3 × 1,00 pant
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'tenderCash', amount: 20_000 });
    const sale = run(s, { cmd: 'complete' }).lastSale!;
    expect(sale.receiptText).toContain(`[BARCODE] ${receiptCode(sale.saleId)}`);
    const found = exec(s, { cmd: 'findSale', receiptCode: receiptCode(sale.saleId) }).result as SaleLookup;
    expect(found.lines.map((l) => [l.lineId, l.quantity, l.returnable, l.isDeposit])).toEqual([
      ['L1', 3, 3, false],
      ['L2', 3, 3, true],
      ['L3', 1, 1, false],
    ]);
    const r = exec(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 2 }], reason: 'Dented cans' }).result as ReturnResult;
    // 2 × 12,90 + 2 × 1,00 = 27,80 → 28 kr in cash
    expect(r).toMatchObject({ refund: 2800, refunds: [{ kind: 'cash', amount: 2800 }] });
    expect(r.receiptText).toMatch(/RETUR/);
    expect(refuse(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 2 }], reason: 'again' })).toBe('RETURN_TOO_MANY');
    expect(refuse(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L2', quantity: 1 }], reason: 'pant alone' })).toBe('LINE_NOT_FOUND');
    const r2 = exec(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 1 }], reason: 'last one' }).result as ReturnResult;
    expect(r2.refund).toBe(1400); // 13,90 → 14 kr
    expect((exec(s, { cmd: 'findSale', receiptCode: receiptCode(sale.saleId) }).result as SaleLookup).lines[0]!.returnable).toBe(0);
    expect(refuse(s, { cmd: 'findSale', receiptCode: 'R' + '0'.repeat(32) })).toBe('RECEIPT_NOT_FOUND');
    // journal and outbox carry the returns with their own sale sequence numbers
    expect(db.prepare("SELECT kind, sequence FROM outbox ORDER BY sequence").all()).toEqual([
      { kind: 'sale', sequence: 1 },
      { kind: 'return', sequence: 2 },
      { kind: 'return', sequence: 3 },
    ]);
    expect(new Journal(db).verify().ok).toBe(true);
  });

  it('refunds to the card and the gift card that paid, before cash', async () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER, quantity: 2 }); // 109,80
    run(s, { cmd: 'tenderVoucher', code: DEMO_VOUCHERS[1].code }); // 50,00
    run(s, { cmd: 'tenderCard' }); // 59,80
    for (let i = 0; i < 2000 && s.snapshot().checkout?.state === 'cardPending'; i++) await new Promise((r) => setTimeout(r, 5));
    const sale = run(s, { cmd: 'complete' }).lastSale!;
    expect(db.prepare('SELECT balance FROM voucher WHERE code = ?').get(DEMO_VOUCHERS[1].code)).toEqual({ balance: 0 });
    const r = exec(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 2 }], reason: 'Wrong item' }).result as ReturnResult;
    expect(r.refunds).toEqual([
      { kind: 'card', amount: 5980 },
      { kind: 'voucher', amount: 5000 },
    ]);
    expect(db.prepare('SELECT balance FROM voucher WHERE code = ?').get(DEMO_VOUCHERS[1].code)).toEqual({ balance: 5000 });
    for (let i = 0; i < 2000 && !db.prepare("SELECT 1 FROM journal WHERE kind = 'payment.refunded'").get(); i++) await new Promise((r) => setTimeout(r, 5));
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'payment.refunded'").get()).toEqual({ n: 1 });
  });

  it('refunds all in cash when the customer asks (no card with them); the return receipt shows the VAT refunded', async () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER }); // 54,90
    run(s, { cmd: 'tenderCard' });
    for (let i = 0; i < 2000 && s.snapshot().checkout?.state === 'cardPending'; i++) await new Promise((r) => setTimeout(r, 5));
    const sale = run(s, { cmd: 'complete' }).lastSale!;
    const r = exec(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Fel vara', refundTo: 'cash' }).result as ReturnResult;
    // 54,90 in cash rounds to 55 kr; nothing goes to the card.
    expect(r.refunds).toEqual([{ kind: 'cash', amount: 5500 }]);
    expect(db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'payment.refundStarted' OR kind = 'payment.refunded'").get()).toEqual({ n: 0 });
    expect(r.receiptText).toMatch(/Kontant\s+-55,00/);
    expect(r.receiptText).toMatch(/Moms %\s+Moms\s+Netto\s+Brutto\nC 6 %\s+-3,11\s+-51,79\s+-54,90/);
  });

  it('takes returns without a receipt only with a supervisor, at today’s price, in cash; Z nets them out', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
    expect(refuse(s, { cmd: 'returnWithoutReceipt', items: [{ code: BUTTER, quantity: 1 }], reason: 'No receipt' })).toBe('APPROVAL_REQUIRED');
    const r = exec(s, { cmd: 'returnWithoutReceipt', items: [{ code: BUTTER, quantity: 1 }], reason: 'No receipt', approval: SUP }).result as ReturnResult;
    expect(r).toMatchObject({ refund: 5500, refunds: [{ kind: 'cash', amount: 5500 }] });
    const z = exec(s, { cmd: 'closeTill', counted: [{ denomination: 10_000, count: 10 }], approval: SUP }).result as TillReport;
    expect(z.returns).toEqual({ count: 1, amount: 5500 });
    expect(z.tenders).toEqual([{ kind: 'cash', amount: 0 }]);
    expect(z.cash.overShort).toBe(0);
    expect(z.vat.reduce((a, v) => a + v.gross, 0) + z.rounding).toBe(z.sales.total - z.returns.amount);
    const body = JSON.parse((db.prepare("SELECT body FROM journal WHERE kind = 'sale.return'").get() as { body: string }).body);
    expect(body).toMatchObject({ approvedBy: '7', originalSaleId: null });
  });
});
