/**
 * Card payments in a lane through the ZVT port against the terminal simulator: a whole sale over a
 * real PTY and over TCP with the terminal's receipt lines on the till's receipt; split cash + card;
 * reversal of the card tender; a card refund for a return; end of day matching the lane's card
 * tenders; offline payments within the caps and settled by the end of day. No card data stored.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import type { LaneService } from '../../../core/lane/host';
import { ZvtPaymentTerminal } from '../../../core/payments/zvt';
import type { Db } from '../../../core/db';
import { SerialZvtTransport, TcpZvtTransport, type ZvtTransport } from '../../../drivers/zvt/transport';
import { ZvtSimulator } from '../../../drivers/zvt/simulator';
import { openPtyPair } from '../../../drivers/serial/pty';
import { exec, refuse, run, endOfDay } from '../../helpers/lane';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A terminal that (wrongly) sends the full card number: the till must still store only the last four digits. */
const CLEAR_PAN = '4761739001010119';

async function setup(transport: 'tcp' | 'pty', config = {}, thinkMs = 10): Promise<{ s: LaneService; sim: ZvtSimulator; db: Db }> {
  const tmp = tempDir('kassa-zvt-lane-');
  const db = demoDb(tmp.dir);
  const sim = new ZvtSimulator({ file: join(tmp.dir, 'terminal.json'), thinkMs, ackWaitMs: 300, pan: CLEAR_PAN });
  let t: ZvtTransport;
  if (transport === 'tcp') {
    const port = await sim.listen(0);
    t = new TcpZvtTransport({ host: '127.0.0.1', port });
  } else {
    const pty = await openPtyPair();
    await sim.attach(pty.device);
    t = new SerialZvtTransport({ path: pty.host });
    cleanups.push(() => pty.close());
  }
  await t.start();
  const s = openDemoLane(db, { payments: new ZvtPaymentTerminal(t, { currency: 'SEK', timeZone: 'Europe/Stockholm' }), config }, 'Kortbutiken');
  cleanups.push(
    () => tmp.cleanup(),
    () => void db.close(),
    () => sim.close(),
    () => t.stop(),
    () => s.dispose(),
  );
  return { s, sim, db };
}

const paid = (s: LaneService) => until('paid', () => s.snapshot().checkout?.state === 'paid', 10_000);
const settledCard = (s: LaneService) => until('card settled', () => s.snapshot().checkout?.state !== 'cardPending', 10_000);

describe('card sales in a lane through ZVT', () => {
  for (const transport of ['pty', 'tcp'] as const)
    it(`a whole card sale over ${transport === 'pty' ? 'a serial PTY' : 'TCP'}, the terminal's receipt on the till's receipt, no card data stored`, async () => {
      const { s, sim, db } = await setup(transport);
      // What the terminal asks the customer reaches the screens as Kassa's prompt codes, not ZVT numbers.
      const prompts: (string | null)[] = [];
      const unsubscribe = s.subscribe((snap) => {
        if (snap.payment.prompt !== prompts.at(-1)) prompts.push(snap.payment.prompt);
      });
      run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
      run(s, { cmd: 'tenderCard' });
      await paid(s);
      unsubscribe();
      expect(prompts).toContain('insertCard');
      expect(prompts).toContain('watchPinPad');
      const sale = run(s, { cmd: 'complete' }).lastSale!;
      expect(sale.receiptText).toMatch(/Kort Girocard \*+0119\s+16,95/);
      expect(sale.receiptText).toMatch(/Växel[\s\S]*Betrag SEK 16,95[\s\S]*Zahlung erfolgt/);
      expect(sim.transactions).toHaveLength(1);
      const steps = db.prepare<[], { s: string }>("SELECT json_extract(body, '$.step') AS s FROM journal WHERE kind = 'payment.step'").all().map((r) => r.s);
      expect(steps).toEqual(['sending', 'sent', 'acknowledged', 'intermediate', 'intermediate', 'statusInfo']);
      // the card number is nowhere in the database, only its last four digits
      const dump = ['journal', 'lane_state', 'sale', 'receipt', 'outbox', 'command_log'].map((t) => JSON.stringify(db.prepare(`SELECT * FROM ${t}`).all())).join('');
      expect(dump).not.toContain(CLEAR_PAN.slice(0, 12));
      expect(dump).toContain('4761739001010119'.slice(-4));
      expect(sale.receiptText).not.toContain(CLEAR_PAN.slice(0, 6));
    });

  it('split tender: cash, then the rest by card', async () => {
    const { s } = await setup('tcp');
    run(s, { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! }); // 54,90
    run(s, { cmd: 'tenderCash', amount: 2_000 });
    run(s, { cmd: 'tenderCard' });
    await paid(s);
    expect(s.snapshot().checkout!.tenders.map((t) => [t.kind, t.amount])).toEqual([
      ['cash', 2_000],
      ['card', 3_490],
    ]);
  });

  it('reversal of the card tender before the sale completes: reversed at the terminal', async () => {
    const { s, sim } = await setup('tcp');
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCard' });
    await paid(s);
    const tender = s.snapshot().checkout!.tenders[0]!;
    run(s, { cmd: 'voidTender', tenderId: tender.tenderId, approval: { operator: '7', pin: '7777' } });
    await until('reversed', () => s.snapshot().checkout?.state !== 'reversing' && s.snapshot().checkout?.tenders.length === 0, 10_000);
    expect(sim.transactions.map((t) => [t.kind, t.reversed])).toEqual([
      ['authorization', true],
      ['reversal', false],
    ]);
  });

  it('a card refund for a return, and the end of day matching the lane’s card tenders', async () => {
    const { s, sim, db } = await setup('tcp');
    const sales: string[] = [];
    for (const item of [DEMO_ITEMS.milk, DEMO_ITEMS.butter]) {
      run(s, { cmd: 'scan', code: item.codes[0]! });
      run(s, { cmd: 'tenderCard' });
      await paid(s);
      sales.push(run(s, { cmd: 'complete' }).lastSale!.saleId);
    }
    exec(s, { cmd: 'returnLines', receiptCode: `R${sales[1]!.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'wrong item' });
    await until('refunded at the terminal', () => sim.transactions.some((t) => t.kind === 'refund'), 10_000);
    await until('refund journaled', () => !!db.prepare("SELECT 1 FROM journal WHERE kind = 'payment.refunded'").get(), 5_000);
    const eod = await endOfDay(s, { operator: '7', pin: '7777' });
    // milk 16,95 + butter 54,90 − butter refunded 54,90
    expect(eod).toMatchObject({ laneTotal: 1_695, terminalTotal: 1_695, match: true });
  });

  it('offline payments: allowed within the caps, refused above, shown as pending until the end of day', async () => {
    const { s, sim } = await setup('tcp', { offlineCardLimit: 5_000, offlineCardPendingLimit: 5_000 });
    sim.offline = true;
    run(s, { cmd: 'scan', code: DEMO_ITEMS.butter.codes[0]! }); // 54,90 → 5,490
    run(s, { cmd: 'tenderCard', amount: 4_000 });
    await settledCard(s);
    expect(s.snapshot().payment.offline).toMatchObject({ terminalOffline: true, pendingCount: 1, pendingAmount: 4_000 });
    expect(s.snapshot().checkout!.tenders[0]!.card?.offline).toBe(true);
    // the rest (14,90) would take the lane over its offline total
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('PAYMENT_UNAVAILABLE');
    run(s, { cmd: 'tenderCash' });
    run(s, { cmd: 'complete' });
    sim.offline = false;
    const eod = await endOfDay(s, { operator: '7', pin: '7777' });
    expect(eod.match).toBe(true);
    expect(s.snapshot().payment.offline).toMatchObject({ terminalOffline: false, pendingCount: 0, pendingAmount: 0 });
  });

  it('the cashier aborts a payment the customer gave up on: the terminal aborts, nothing is charged', async () => {
    const { s, sim } = await setup('tcp', {}, 5_000);
    run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
    run(s, { cmd: 'tenderCard' });
    await until('terminal waiting for the card', () => s.snapshot().payment.text === 'Insert card', 5_000);
    run(s, { cmd: 'abortPayment' });
    await settledCard(s);
    expect(s.snapshot().checkout?.tenders).toEqual([]);
    expect(sim.transactions).toEqual([]);
    expect(sim.commands).toContain('06b0');
  });
});
