/**
 * Gift cards (issue 16): a scanned card is recognised by the catalog's number range (no line, no
 * "wrong check digit"), answers with its balance, is checkable on its own with F3, pays with F12;
 * the receipt says what is left on it; a return asks which card gets the money, or issues a new one.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GiftCardResult } from '../../../protocol/gift-card';
import type { PriceCheckResult, ReturnResult, SaleLookup } from '../../../protocol/terminal';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, DEMO_VOUCHERS, generateCatalog, seedDemoVouchers } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService } from '../../../core/lane/host';
import { checkDigitOk, findRange, luhnCheckDigit, newCardNumber } from '../../../core/giftcards/numbers';
import { replaceGiftRanges } from '../../../core/giftcards/repo';
import { Journal } from '../../../core/journal';
import { Operators, seedDemoOperators } from '../../../core/operators';
import { PROFILES } from '../../../core/profile';
import { gtinCheckDigit } from '../../../protocol/gtin';
import { exec, refuse, run } from '../../helpers/lane';
import { testClock } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';

let tmp: ReturnType<typeof tempDir>;
let db: Db;
beforeEach(() => {
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'gift.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
  seedDemoVouchers(db);
});
afterEach(() => {
  if (db.open) db.close();
  tmp.cleanup();
});

function lane() {
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Butik', laneId: '1' }, { now: testClock() });
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [{ denomination: 10_000, count: 10 }] });
  return s;
}
const BUTTER = DEMO_ITEMS.butter.codes[0]!; // 54,90
const BREAD = DEMO_ITEMS.bread.codes[0]!; // 39,90
const [GIFT200, GIFT50] = [DEMO_VOUCHERS[0].code, DEMO_VOUCHERS[1].code];
const card = (s: LaneService, cmd: 'scan' | 'priceCheck', code: string) => (exec(s, { cmd, code }).result as GiftCardResult).giftCard;
const balance = (code: string) => (db.prepare('SELECT balance FROM voucher WHERE code = ?').get(code) as { balance: number } | undefined)?.balance;
const receiptCode = (saleId: string) => `R${saleId.replace(/-/g, '')}`;
const journalOf = (kind: string) => (db.prepare('SELECT body FROM journal WHERE kind = ? ORDER BY seq').all(kind) as Array<{ body: string }>).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('gift card numbers', () => {
  it('checks Luhn and GS1 check digits, picks the longest prefix, and makes valid new numbers', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3); // the textbook example
    const luhn = { prefix: '6012', length: 16, check: 'luhn' as const, issue: true };
    const gtin = { prefix: '60', length: 13, check: 'gtin' as const, issue: false };
    expect(findRange([gtin, luhn], '6012000000000000')).toBe(luhn);
    expect(findRange([gtin, luhn], '6000000000000')).toBe(gtin);
    expect(findRange([gtin, luhn], '7310865000309')).toBeNull();
    for (let i = 0; i < 50; i++) {
      const n = newCardNumber(luhn, (k) => String(i).padStart(k, '7').slice(-k));
      expect(n).toMatch(/^6012\d{12}$/);
      expect(checkDigitOk(luhn, n)).toBe(true);
      expect(checkDigitOk(luhn, n.slice(0, -1) + ((Number(n.at(-1)) + 1) % 10))).toBe(false);
    }
    const g = newCardNumber(gtin, (k) => '1'.repeat(k));
    expect(Number(g.at(-1))).toBe(gtinCheckDigit(g.slice(0, -1)));
  });
});

describe('gift cards at the lane', () => {
  it('recognises a scanned gift card by its range: no line, its balance, no "wrong check digit"', () => {
    const s = lane();
    const before = s.snapshot();
    const c = card(s, 'scan', GIFT200);
    expect(c).toMatchObject({ code: GIFT200, last4: '0017', balance: 20_000, inUse: 0, state: 'active', canPay: 0, expiresAt: null });
    expect(s.snapshot()).toEqual(before); // no sale started, nothing written
    // In a sale: what it can pay is what is left to pay, up to its balance.
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'scan', code: BREAD }); // 94,80
    expect(card(s, 'scan', GIFT50)).toMatchObject({ balance: 5_000, canPay: 5_000 });
    expect(card(s, 'scan', GIFT200)).toMatchObject({ balance: 20_000, canPay: 9_480 });
    expect(s.snapshot().checkout!.lines).toHaveLength(2);
    // Item barcodes still sell; a code in no range that fails its check digit is still refused as misread.
    expect(refuse(s, { cmd: 'scan', code: '7310865000301' })).toBe('INVALID_BARCODE');
  });

  it('checks a balance on its own with F3 (no sale needed); an item price check is unchanged', () => {
    const s = lane();
    expect(card(s, 'priceCheck', GIFT50)).toMatchObject({ balance: 5_000, state: 'active', canPay: 0 });
    expect(s.snapshot().checkout).toBeNull();
    expect((exec(s, { cmd: 'priceCheck', code: BUTTER }).result as PriceCheckResult).price).toBe(5490);
    expect(refuse(s, { cmd: 'priceCheck', code: '9752000000999' })).toBe('VOUCHER_INVALID'); // in the range, not a card the till knows
    db.prepare('UPDATE voucher SET blocked = 1 WHERE code = ?').run(GIFT50);
    db.prepare("UPDATE voucher SET expires_at = '2020-01-01T00:00:00Z' WHERE code = ?").run(GIFT200);
    expect(card(s, 'priceCheck', GIFT50)).toMatchObject({ state: 'blocked', canPay: 0 });
    expect(card(s, 'scan', GIFT200)).toMatchObject({ state: 'expired', expiresAt: '2020-01-01T00:00:00Z' });
    run(s, { cmd: 'scan', code: BUTTER });
    expect(refuse(s, { cmd: 'tenderVoucher', code: GIFT200 })).toBe('VOUCHER_INVALID');
  });

  it('refuses a misread number of a range with a check digit, and locked or signed-out lanes', () => {
    replaceGiftRanges(db, [{ prefix: '6012', length: 16, check: 'luhn', issue: true }]);
    const good = newCardNumber({ prefix: '6012', length: 16, check: 'luhn', issue: true }, (k) => '3'.repeat(k));
    db.prepare('INSERT INTO voucher (code, balance) VALUES (?, 10000)').run(good);
    const s = lane();
    expect(card(s, 'scan', good)).toMatchObject({ balance: 10_000 });
    const bad = good.slice(0, -1) + ((Number(good.at(-1)) + 1) % 10);
    expect(refuse(s, { cmd: 'scan', code: bad })).toBe('INVALID_BARCODE');
    run(s, { cmd: 'scan', code: BUTTER });
    expect(refuse(s, { cmd: 'tenderVoucher', code: bad })).toBe('VOUCHER_INVALID');
    // The demo cards are no gift cards in this catalog: their number fails as an EAN-13, as before.
    expect(refuse(s, { cmd: 'scan', code: GIFT200 })).toBe('INVALID_BARCODE');
    run(s, { cmd: 'lock' });
    expect(refuse(s, { cmd: 'scan', code: good })).toBe('LANE_LOCKED');
  });

  it('pays with F12, says what is left on the card, prints it on the receipt, journals the balance after', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER }); // 54,90
    const paid = exec(s, { cmd: 'tenderVoucher', code: GIFT200 }).result as GiftCardResult;
    expect(paid.giftCard).toMatchObject({ balance: 20_000, inUse: 5_490, canPay: 0 });
    const co = s.snapshot().checkout!;
    expect(co.state).toBe('paid');
    expect(co.tenders[0]).toMatchObject({ kind: 'voucher', amount: 5_490, voucherLeft: 14_510 });
    expect(co.totals.change).toBe(0);
    const sale = run(s, { cmd: 'complete' }).lastSale!;
    expect(sale.receiptText).toMatch(/Presentkort \.\.\.0017\s+54,90\n\s+Kvar på kortet\s+145,10\n/);
    expect(balance(GIFT200)).toBe(14_510);
    expect(journalOf('voucher.redeemed')).toEqual([{ code: GIFT200, amount: 5_490, saleId: sale.saleId, balanceAfter: 14_510 }]);
    expect(card(s, 'scan', GIFT200)).toMatchObject({ balance: 14_510 });
    expect(new Journal(db).verify().ok).toBe(true);
  });
});

describe('gift cards in training', () => {
  it('are not debited, and the training receipt claims no balance left', () => {
    const s = lane();
    run(s, { cmd: 'setTraining', on: true, approval: { operator: '7', pin: '7777' } });
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'tenderVoucher', code: GIFT200 });
    expect(s.snapshot().checkout!.tenders[0]!.voucherLeft).toBeUndefined();
    const sale = run(s, { cmd: 'complete' }).lastSale!;
    expect(sale.receiptText).toMatch(/Presentkort \.\.\.0017\s+54,90/);
    expect(sale.receiptText).not.toMatch(/Kvar på kortet/);
    expect(balance(GIFT200)).toBe(20_000);
    expect(journalOf('voucher.redeemed')).toEqual([]);
  });
});

describe('gift cards at a self-checkout', () => {
  it('a customer scans a gift card: its balance, then pays with it (no staff needed)', () => {
    const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Butik', laneId: 'K1' }, { now: testClock(), config: { mode: 'self' } });
    try {
      run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
      run(s, { cmd: 'openTill', float: [] });
      expect(card(s, 'scan', GIFT50)).toMatchObject({ balance: 5_000, canPay: 0 });
      run(s, { cmd: 'scan', code: BREAD }); // 39,90
      expect(card(s, 'scan', GIFT50)).toMatchObject({ canPay: 3_990 });
      run(s, { cmd: 'subtotal' });
      const snap = run(s, { cmd: 'tenderVoucher', code: GIFT50, amount: 3_990 });
      expect(snap.checkout!.state).toBe('paid');
      run(s, { cmd: 'complete', receipt: 'none' });
      expect(balance(GIFT50)).toBe(1_010);
    } finally {
      s.dispose();
    }
  });
});

describe('refunds of sales paid with gift cards', () => {
  /** 2 × butter 109,80: 50 kr from the 50 kr card, 59,80 from the 200 kr card. */
  function twoCardSale(s: LaneService) {
    run(s, { cmd: 'scan', code: BUTTER, quantity: 2 });
    run(s, { cmd: 'tenderVoucher', code: GIFT50 });
    run(s, { cmd: 'tenderVoucher', code: GIFT200 });
    return run(s, { cmd: 'complete' }).lastSale!;
  }

  it('asks which card when several paid; credits the chosen one and names it with its new balance', () => {
    const s = lane();
    const sale = twoCardSale(s);
    expect(balance(GIFT50)).toBe(0);
    expect(balance(GIFT200)).toBe(14_020);
    const found = exec(s, { cmd: 'findSale', receiptCode: receiptCode(sale.saleId) }).result as SaleLookup;
    expect(found.giftCards.map((g) => [g.last4, g.paid, g.balance, g.state])).toEqual([
      ['0024', 5_000, 0, 'empty'],
      ['0017', 5_980, 14_020, 'active'],
    ]);
    const ret = { cmd: 'returnLines' as const, receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Fel vara' };
    expect(refuse(s, ret)).toBe('CHOOSE_GIFT_CARD'); // never silently onto the card at 0
    expect(refuse(s, { ...ret, refundTo: { giftCard: '9752000000031' } })).toBe('VOUCHER_INVALID'); // not a card of this sale
    const r = exec(s, { ...ret, refundTo: { giftCard: GIFT200 } }).result as ReturnResult;
    // Counted against the cards that paid (50 kr, then 4,90), both onto the card chosen.
    expect(r.refunds).toEqual([
      { kind: 'voucher', amount: 5_000 },
      { kind: 'voucher', amount: 490 },
    ]);
    expect(r.receiptText).toMatch(/Presentkort \.\.\.0017\s+-54,90\n\s+Nytt saldo\s+195,10\n/);
    expect(balance(GIFT200)).toBe(19_510);
    expect(balance(GIFT50)).toBe(0);
    expect(journalOf('voucher.credited')).toEqual([{ code: GIFT200, amount: 5_490, balanceAfter: 19_510, returnId: r.returnId, originalSaleId: sale.saleId }]);
    // The return's document (journal, HQ) says which card paid each part and which card got it.
    const doc = journalOf('sale.return')[0]!;
    expect(doc.refunds).toEqual([
      { kind: 'voucher', amount: 5_000, voucherCode: GIFT50, terminalRef: null, creditedTo: GIFT200, balanceAfter: 19_510 },
      { kind: 'voucher', amount: 490, voucherCode: GIFT200, terminalRef: null, creditedTo: GIFT200, balanceAfter: 19_510 },
    ]);
    expect(new Journal(db).verify().ok).toBe(true);
  });

  it('refunds onto a new gift card: issued in the catalog range with a valid check digit, journalled, printed with its barcode', () => {
    replaceGiftRanges(db, [
      { prefix: '9752', length: 13, check: 'none', issue: false },
      { prefix: '6012', length: 16, check: 'luhn', issue: true },
    ]);
    const s = lane();
    const sale = twoCardSale(s);
    const r = exec(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 2 }], reason: 'Ångerköp', refundTo: { newGiftCard: true } }).result as ReturnResult;
    const [issued] = journalOf('voucher.issued');
    const code = issued!.code as string;
    expect(code).toMatch(/^6012\d{12}$/);
    expect(checkDigitOk({ prefix: '6012', length: 16, check: 'luhn', issue: true }, code)).toBe(true);
    expect(issued).toEqual({ code, amount: 10_980, balanceAfter: 10_980, prefix: '6012', returnId: r.returnId, originalSaleId: sale.saleId });
    expect(balance(code)).toBe(10_980);
    expect(balance(GIFT50)).toBe(0); // the old cards are untouched
    expect(balance(GIFT200)).toBe(14_020);
    expect(r.receiptText).toContain(`Nytt presentkort ...${code.slice(-4)}`);
    expect(r.receiptText).toMatch(/\n\s+Saldo\s+109,80\n/);
    expect(r.receiptText).toContain(`[BARCODE] ${code}`);
    // The new card works at once: scanned, it shows its balance.
    expect(card(s, 'scan', code)).toMatchObject({ balance: 10_980, state: 'active' });
    expect(new Journal(db).verify().ok).toBe(true);
  });

  it('a sale paid with one gift card goes back onto it as before; a return can still go all to cash', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'scan', code: BUTTER });
    run(s, { cmd: 'tenderVoucher', code: GIFT200 });
    const sale = run(s, { cmd: 'complete' }).lastSale!;
    const r = exec(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Fel vara' }).result as ReturnResult;
    expect(r.receiptText).toMatch(/Presentkort \.\.\.0017\s+-54,90\n\s+Nytt saldo\s+145,10\n/);
    expect(balance(GIFT200)).toBe(14_510);
    const cash = exec(s, { cmd: 'returnLines', receiptCode: receiptCode(sale.saleId), lines: [{ lineId: 'L2', quantity: 1 }], reason: 'Fel vara', refundTo: 'cash' }).result as ReturnResult;
    expect(cash.refunds).toEqual([{ kind: 'cash', amount: 5_500 }]);
    expect(balance(GIFT200)).toBe(14_510);
  });
});
