/**
 * Empties brought back (pantretur, Leergut) as their own business case (issue 21): a line of its own
 * kind at minus the deposit, journalled as `deposit.returned`, never discounted or returned again;
 * more empties than purchase are paid out in cash.
 */
import { describe, expect, it } from 'vitest';
import type { LaneService } from '../../../core/lane/host';
import { DE_DEMO, DK_DEMO, FI_DEMO, SE_DEMO } from '../../../core/markets/demo';
import { exec, refuse, run } from '../../helpers/lane';
import { useMarketDb } from './market-lane';

const { db: currentDb, lane } = useMarketDb();
const journalKinds = () => currentDb().prepare<[], { kind: string; body: string }>("SELECT kind, body FROM journal WHERE kind = 'deposit.returned' ORDER BY seq").all();

describe('empties brought back', () => {
  it('SE: old and new pant come back as lines of their own kind, reduce the total, are journalled, and count as no item', () => {
    const s = lane('SE');
    run(s, { cmd: 'scan', code: SE_DEMO.items.milk.codes[0]! });
    run(s, { cmd: 'returnDeposit', itemId: 'pant-burk', quantity: 3 });
    const snap = run(s, { cmd: 'returnDeposit', itemId: 'pant-burk-2kr', quantity: 2 });
    const back = snap.checkout!.lines.filter((l) => l.kind === 'depositReturn');
    expect(back.map((l) => [l.name, l.quantity, l.unitPrice, l.total, l.vatRate])).toEqual([['Pant burk', 3, -100, -300, 600], ['Pant burk 2 kr', 2, -200, -400, 600]]);
    expect(snap.checkout!.totals).toMatchObject({ total: 1695 - 700, itemCount: 1 });
    // Not discounted, repriced or recounted like an item.
    expect(refuse(s, { cmd: 'discount', lineId: back[0]!.lineId, kind: 'percent', value: 1000, reason: 'x' })).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'setQuantity', lineId: back[0]!.lineId, quantity: 5 })).toBe('QUANTITY_NOT_ALLOWED');
    run(s, { cmd: 'tenderCash', amount: 1000 });
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale).toMatchObject({ total: 1000, change: 0 }); // 9,95 rounded to 10 kr in cash
    expect(done.lastSale!.receiptText).toMatch(/Pant burk\s+-3,00 C\n {2}3 x -1,00\n/);
    expect(journalKinds().map((j) => JSON.parse(j.body) as { itemId: string; quantity: number; amount: number })).toMatchObject([
      { itemId: 'pant-burk', quantity: 3, amount: -300 },
      { itemId: 'pant-burk-2kr', quantity: 2, amount: -400 },
    ]);
  });

  it('DE: Leergut alone starts a sale (a negative total); what is bought then is paid less the empties', () => {
    const s = lane('DE');
    let snap = run(s, { cmd: 'returnDeposit', itemId: DE_DEMO.items.pfandEinweg.id, quantity: 8 });
    expect(snap.checkout!.totals).toMatchObject({ total: -200, itemCount: 0, payout: 200 });
    expect(refuse(s, { cmd: 'complete' })).toBe('INSUFFICIENT_TENDER');
    snap = run(s, { cmd: 'scan', code: DE_DEMO.items.bread.codes[0]! });
    expect(snap.checkout!.totals).toMatchObject({ total: 149, itemCount: 1 });
    expect(snap.checkout!.totals.payout).toBeUndefined();
    run(s, { cmd: 'tenderCash', amount: 200 });
    const done = run(s, { cmd: 'complete' });
    expect(done.lastSale).toMatchObject({ total: 149, change: 51 });
    expect(done.lastSale!.receiptText).toMatch(/Pfand Einweg\s+-2,00 A/);
  });
});

describe('empties worth more than the purchase: the lane pays the difference out in cash', () => {
  const pay = (s: LaneService, itemId: string, quantity: number) => run(s, { cmd: 'returnDeposit', itemId, quantity });

  it('DK: the payout is rounded to 50 øre (2,25 → 2,50), never charged to a card or a gift card, opens the drawer and prints "Udbetales kontant"', () => {
    const s = lane('DK');
    let opens = 0;
    s.setCashDrawer({ open: () => ++opens > 0 });
    run(s, { cmd: 'scan', code: DK_DEMO.scans.salad39_75 });
    let snap = pay(s, DK_DEMO.items.pantC.id, 14);
    expect(snap.checkout!.totals).toMatchObject({ total: -225, payout: 250, remaining: 0, change: 0 });
    // No card is charged a negative amount, and no card "refund" without a card sale to refund.
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'tenderVoucher', code: '6000000000001' })).toBe('NOT_ALLOWED_NOW');
    // Cash handed over on a payout is a mistake: refused, nothing booked.
    expect(refuse(s, { cmd: 'tenderCash', amount: 5000 })).toBe('NOT_ALLOWED_NOW');
    expect(refuse(s, { cmd: 'complete' })).toBe('INSUFFICIENT_TENDER');
    snap = run(s, { cmd: 'tenderCash' });
    expect(snap.checkout!.state).toBe('paid');
    expect(snap.checkout!.tenders).toMatchObject([{ kind: 'cash', amount: -250 }]);
    expect(snap.checkout!.totals).toMatchObject({ total: -225, rounding: -25, due: -250, tendered: -250, remaining: 0, change: 0, payout: 250 });
    const done = run(s, { cmd: 'complete' });
    expect(opens).toBe(1);
    expect(done.lastSale).toMatchObject({ total: -250, change: 0 });
    const receipt = done.lastSale!.receiptText;
    expect(receipt).toMatch(/Pant C\s+-42,00 A\n {2}14 x -3,00\n/);
    expect(receipt).toMatch(/Subtotal\s+-2,25\nØreafrunding\s+-0,25\nI ALT DKK\s+-2,50\nUdbetales kontant\s+2,50\n/);
    expect(receipt).not.toMatch(/Byttepenge|Kontant\s+-/);
    // The drawer's expected cash goes down by what was paid out.
    const x = exec(s, { cmd: 'xReport' }).result as { cash: { sales: number }; tenders: Array<{ kind: string; amount: number }> };
    expect(x.cash.sales).toBe(-250);
  });

  it('DK: 1,75 is paid out as 2,00 and 1,05 as 1,00; a sale of exactly nothing completes with nothing paid out', () => {
    const s = lane('DK');
    run(s, { cmd: 'scan', code: DK_DEMO.scans.salad39_75 });
    pay(s, DK_DEMO.items.pantC.id, 13);
    pay(s, DK_DEMO.items.pantB.id, 1);
    expect(pay(s, DK_DEMO.items.pantA.id, 1).checkout!.totals).toMatchObject({ total: -175, payout: 200 });
    run(s, { cmd: 'tenderCash' });
    expect(run(s, { cmd: 'complete' }).lastSale!.receiptText).toMatch(/Udbetales kontant\s+2,00\n/);

    run(s, { cmd: 'scan', code: DK_DEMO.items.milk.codes[0]! });
    expect(pay(s, DK_DEMO.items.pantA.id, 14).checkout!.totals).toMatchObject({ total: -105, payout: 100 });
    run(s, { cmd: 'tenderCash' });
    expect(run(s, { cmd: 'complete' }).lastSale).toMatchObject({ total: -100 });

    // The can and its pant (9,00) against nine pant A: nothing to pay, nothing to pay out — the sale still completes, in cash.
    run(s, { cmd: 'scan', code: DK_DEMO.items.can.codes[0]! });
    expect(pay(s, DK_DEMO.items.pantA.id, 9).checkout!.totals).toMatchObject({ total: 0, remaining: 0 });
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('NOT_ALLOWED_NOW');
    run(s, { cmd: 'tenderCash' });
    const zero = run(s, { cmd: 'complete' }).lastSale!;
    expect(zero).toMatchObject({ total: 0, change: 0 });
    expect(zero.receiptText).toMatch(/I ALT DKK\s+0,00\nKontant\s+0,00\nByttepenge\s+0,00\n/);
  });

  it('FI: the payout rounds to 5 cent (0,36 → 0,35) and the receipt says it in Finnish', () => {
    const s = lane('FI');
    run(s, { cmd: 'scan', code: FI_DEMO.items.can.codes[0]! }); // 1,49 + pantti 0,15
    const snap = pay(s, FI_DEMO.items.panttiLarge.id, 5); // − 2,00
    expect(snap.checkout!.totals).toMatchObject({ total: -36, payout: 35 });
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('NOT_ALLOWED_NOW');
    run(s, { cmd: 'tenderCash' });
    const r = run(s, { cmd: 'complete' }).lastSale!.receiptText;
    expect(r).toMatch(/Pantti pullo 1,5 l\s+-2,00 D\n {2}5 x -0,40\n/);
    expect(r).toMatch(/Välisumma\s+-0,36\nPyöristys\s+0,01\nYHTEENSÄ EUR\s+-0,35\nMaksetaan käteisenä\s+0,35\n/);
    expect(r).not.toMatch(/Vaihtoraha/);
  });
});
