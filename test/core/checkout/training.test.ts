/**
 * Training mode moves no real money: entering and leaving it needs a supervisor (journalled), card
 * payments go to the training terminal and never reach the real one, the drawer stays shut, the
 * receipt says "no purchase" in the store's language, and the card end of day counts real tenders only.
 */
import { afterEach, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { SimulatedPaymentTerminal, type PaymentPort } from '../../../core/payments/port';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { refuse, run, endOfDay } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const SUPERVISOR = { operator: '7', pin: '7777' };
const MILK = DEMO_ITEMS.milk.codes[0]!;
let cleanup: () => void = () => {};
afterEach(() => cleanup());

it('a training sale never reaches the payment terminal or the drawer, needs a supervisor to start and end, and stays out of the card end of day', async () => {
  const t = tempDir();
  const db = demoDb(t.dir);
  const real = new SimulatedPaymentTerminal({ delayMs: 0 });
  const calls: string[] = [];
  let charged = 0;
  const port: PaymentPort = {
    authorize: async (req) => {
      calls.push(`authorize ${req.amount}`);
      const r = await real.authorize(req);
      if (r.approved) charged += req.amount;
      return r;
    },
    reverse: (ref, amount) => {
      calls.push(`reverse ${amount}`);
      return real.reverse(ref);
    },
    refund: (req) => real.refund(req),
    endOfDay: async () => ({ ok: true, total: charged, text: 'Kassenschnitt', receiptLines: [] }),
  };
  const s = openDemoLane(db, { payments: port });
  let opens = 0;
  s.setCashDrawer({ open: () => ++opens > 0 });
  cleanup = () => {
    s.dispose();
    db.close();
    t.cleanup();
  };

  // A cashier cannot enter training alone; a supervisor's approval is journalled.
  expect(refuse(s, { cmd: 'setTraining', on: true })).toBe('APPROVAL_REQUIRED');
  expect(run(s, { cmd: 'setTraining', on: true, approval: SUPERVISOR }).lane.training).toBe(true);
  const start = db.prepare("SELECT body FROM journal WHERE kind = 'training.start'").get() as { body: string };
  expect(JSON.parse(start.body)).toMatchObject({ approvedBy: '7', operator: '1' });

  // Card in training: the training terminal approves; the real one is never asked.
  run(s, { cmd: 'scan', code: MILK });
  run(s, { cmd: 'tenderCard' });
  await until('training card approved', () => s.snapshot().checkout?.state === 'paid');
  const card = run(s, { cmd: 'complete', receipt: 'print' }).lastSale!;
  expect(card.training).toBe(true);
  expect(card.receiptText).toMatch(/ÖVNING - INGET KÖP/);
  expect(card.receiptText).not.toMatch(/Zahlung erfolgt|payment done/i);
  // Cash in training: the drawer stays shut.
  run(s, { cmd: 'scan', code: MILK });
  run(s, { cmd: 'tenderCash' });
  run(s, { cmd: 'complete', receipt: 'none' });
  expect(calls).toEqual([]);
  expect(opens).toBe(0);

  expect(refuse(s, { cmd: 'setTraining', on: false })).toBe('APPROVAL_REQUIRED');
  run(s, { cmd: 'setTraining', on: false, approval: SUPERVISOR });
  // A real sale by card and one in cash: the terminal is asked, the drawer opens.
  run(s, { cmd: 'scan', code: MILK });
  run(s, { cmd: 'tenderCard' });
  await until('card approved', () => s.snapshot().checkout?.state === 'paid');
  run(s, { cmd: 'complete', receipt: 'none' });
  run(s, { cmd: 'scan', code: MILK });
  run(s, { cmd: 'tenderCash' });
  run(s, { cmd: 'complete', receipt: 'none' });
  expect(calls).toEqual([`authorize ${DEMO_ITEMS.milk.price}`]);
  expect(opens).toBe(1);

  // The card end of day compares the terminal with the real card tenders only.
  const eod = await endOfDay(s, SUPERVISOR);
  expect(eod).toMatchObject({ terminalTotal: DEMO_ITEMS.milk.price, laneTotal: DEMO_ITEMS.milk.price, match: true });
});
