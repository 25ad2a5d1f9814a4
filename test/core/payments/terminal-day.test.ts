/**
 * The terminal's end of day runs as the lane's `terminalDay` machine: its `endOfDay` call is an
 * invoked actor (swapped here with .provide()), one at a time, persisted with the lane — a core that
 * stops while the terminal closes its day does not close it a second time at the next start.
 */
import { afterEach, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { laneMachine } from '../../../core/lane/lane-machine';
import { terminalDayMachine, type EndOfDayInput } from '../../../core/payments/terminal-day-machine';
import { terminalCall } from '../../../core/checkout/terminal-calls';
import { SimulatedPaymentTerminal, type PaymentPort } from '../../../core/payments/port';
import { PROFILES } from '../../../core/profile';
import { CoreError } from '../../../core/errors';
import { demoDb, openDemoLane } from '../../helpers/demo-lane';
import { testClock } from '../../helpers/clock';
import { LaneService } from '../../../core/lane/host';
import { Catalog } from '../../../core/catalog/repo';
import { tempDir } from '../../helpers/tmp';
import { run, endOfDay } from '../../helpers/lane';
import { until } from '../../helpers/wait';

const SUPERVISOR = { operator: '7', pin: '7777' };
const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

it('the end of day is an invoked actor the host provides; a restored one knows it was restored', () => {
  const calls: Array<{ input: EndOfDayInput; restored: boolean }> = [];
  const logic = laneMachine.provide({
    actors: { terminalDay: terminalDayMachine.provide({ actors: { endOfDay: terminalCall<EndOfDayInput>(async (input, restored) => void calls.push({ input, restored })) } }) },
  });
  const day = { dayId: 'd1', by: '7', laneTotal: 1234 };
  const a = createActor(logic, { input: { profile: PROFILES.SE } }).start();
  a.send({ type: 'END_OF_DAY', day });
  expect(a.getSnapshot().context.closingDay).toBe(true);
  expect(a.getSnapshot().can({ type: 'END_OF_DAY', day })).toBe(false); // one at a time
  expect(calls).toEqual([{ input: day, restored: false }]);
  const saved = a.getPersistedSnapshot();
  a.stop();
  const b = createActor(logic, { snapshot: saved as never, input: { profile: PROFILES.SE } }).start();
  expect(calls[1]).toEqual({ input: { ...day, restored: true }, restored: true });
  b.send({ type: 'END_OF_DAY_DONE' });
  expect(b.getSnapshot().context.closingDay).toBe(false);
  expect(b.getSnapshot().children.terminalDay).toBeUndefined();
});

/** One milk paid by card at the lane's terminal. */
async function sellMilkByCard(s: LaneService): Promise<void> {
  run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
  run(s, { cmd: 'tenderCard' });
  await until('card approved', () => s.snapshot().checkout?.state === 'paid');
  run(s, { cmd: 'complete', receipt: 'none' });
}

function lane(port: PaymentPort) {
  const t = tempDir();
  const db = demoDb(t.dir);
  const s = openDemoLane(db, { payments: port });
  return { t, db, s };
}

it('a supervisor closes the terminal day: one at a time; the answer is journalled with the lane total', async () => {
  const real = new SimulatedPaymentTerminal({ delayMs: 0 });
  let release: () => void = () => {};
  let asked = 0;
  const port: PaymentPort = {
    authorize: (req) => real.authorize(req),
    reverse: (ref) => real.reverse(ref),
    refund: (req) => real.refund(req),
    endOfDay: () => {
      asked++;
      return new Promise((resolve) => (release = () => resolve({ ok: true, total: DEMO_ITEMS.milk.price, text: 'Kassenschnitt', receiptLines: ['Summe'] })));
    },
  };
  const { t, db, s } = lane(port);
  cleanups.push(() => (s.dispose(), db.close(), t.cleanup()));
  await sellMilkByCard(s);

  const first = endOfDay(s, SUPERVISOR);
  await until('the terminal is asked', () => asked === 1);
  await expect(endOfDay(s, SUPERVISOR)).rejects.toMatchObject({ code: 'PAYMENT_PENDING' });
  release();
  expect(await first).toMatchObject({ terminalTotal: DEMO_ITEMS.milk.price, laneTotal: DEMO_ITEMS.milk.price, match: true, receiptLines: ['Summe'] });
  const rows = db.prepare("SELECT body FROM journal WHERE kind = 'payment.endOfDay'").all() as Array<{ body: string }>;
  expect(rows.map((r) => JSON.parse(r.body))).toEqual([expect.objectContaining({ ok: true, match: true, by: '7', laneTotal: DEMO_ITEMS.milk.price })]);
  expect(s.laneSnap().context.closingDay).toBe(false);
  // A cashier may not.
  await expect(endOfDay(s, { operator: '1', pin: '1111' })).rejects.toBeInstanceOf(CoreError);
});

it('a core that stops while the terminal closes its day does not close it again at the next start', async () => {
  let asked = 0;
  const port: PaymentPort = {
    authorize: async () => ({ approved: false, reason: 'unused' }),
    reverse: async () => ({ ok: false }),
    refund: async () => ({ ok: false }),
    endOfDay: () => {
      asked++;
      return new Promise(() => {}); // the core stops before the terminal answers
    },
  };
  const { t, db, s } = lane(port);
  void endOfDay(s, SUPERVISOR);
  await until('the terminal is asked', () => asked === 1);
  s.dispose();
  // The next start on the same database: the day is journalled as not closed, the terminal not asked again.
  const again = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Testbutiken', laneId: '1' }, { now: testClock(), payments: port });
  cleanups.push(() => (again.dispose(), db.close(), t.cleanup()));
  const endOfDays = () => (db.prepare("SELECT count(*) AS n FROM journal WHERE kind = 'payment.endOfDay'").get() as { n: number }).n;
  await until('the interrupted end of day is journalled', () => endOfDays() === 1);
  const body = JSON.parse((db.prepare("SELECT body FROM journal WHERE kind = 'payment.endOfDay'").get() as { body: string }).body);
  expect(body).toMatchObject({ ok: false, match: false, terminalTotal: null, by: '7' });
  expect(body.text).toMatch(/run the end of day again/);
  expect(asked).toBe(1);
  expect(again.laneSnap().context.closingDay).toBe(false);
});

it('an end of day the terminal could not settle is journalled, and the next one still counts every card payment since the last settled one', async () => {
  const real = new SimulatedPaymentTerminal({ delayMs: 0 });
  let fail = true;
  const port: PaymentPort = {
    authorize: (req) => real.authorize(req),
    reverse: (ref) => real.reverse(ref),
    refund: (req) => real.refund(req),
    endOfDay: async () => {
      if (fail) throw new Error('terminal unreachable');
      return { ok: true, total: DEMO_ITEMS.milk.price, text: 'Kassenschnitt', receiptLines: [] };
    },
  };
  const { t, db, s } = lane(port);
  cleanups.push(() => (s.dispose(), db.close(), t.cleanup()));
  await sellMilkByCard(s);
  expect(await endOfDay(s, SUPERVISOR)).toMatchObject({ terminalTotal: null, laneTotal: DEMO_ITEMS.milk.price, match: false, text: expect.stringMatching(/unreachable/) });
  fail = false;
  expect(await endOfDay(s, SUPERVISOR)).toMatchObject({ terminalTotal: DEMO_ITEMS.milk.price, laneTotal: DEMO_ITEMS.milk.price, match: true });
  // A settled day starts the next count afresh.
  fail = true;
  expect(await endOfDay(s, SUPERVISOR)).toMatchObject({ laneTotal: 0 });
});
