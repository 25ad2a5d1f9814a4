/**
 * A card payment the terminal could not confirm, decided with the terminal and not blind. The ZVT
 * simulator over real TCP loses power right after sending its status information (it has charged
 * the card) and comes back only after the core gave up asking: the lane keeps asking — when the
 * terminal's device state is back online, and on a schedule — and the terminal's answer closes the
 * decision by itself. Until the terminal has answered, "not charged" takes a second supervisor. A
 * terminal's "no transaction on record" is the same whatever code it uses; a terminal that refused
 * the till's registration refuses card payments up front. Time is the core's (a manual clock).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { ManualClock } from '../../../core/clock';
import type { Db } from '../../../core/db';
import { parseDeviceConfig } from '../../../core/devices/config';
import { startDevices } from '../../../core/devices/manager';
import { LaneService } from '../../../core/lane/host';
import { Operators } from '../../../core/operators';
import { REASK_MS } from '../../../core/payments/card-flow';
import { ZvtPaymentTerminal } from '../../../core/payments/zvt';
import { PROFILES } from '../../../core/profile';
import { ZvtSimulator, type SimStep } from '../../../drivers/zvt/simulator';
import { TcpZvtTransport } from '../../../drivers/zvt/transport';
import { CoreError } from '../../../core/errors';
import { exec, refuse, run } from '../../helpers/lane';
import { demoDb } from '../../helpers/demo-lane';
import { MONDAY } from '../../helpers/clock';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SARA = { operator: '7', pin: '7777' };
const PER = { operator: '8', pin: '8888' };

/**
 * A staffed lane (cashier Anna signed in, till open) with the simulator as its payment terminal:
 * through the device manager (its device state reaches the lane) or as a bare port (it does not).
 */
async function setup(via: 'devices' | 'port', sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300 })) {
  const tmp = tempDir('kassa-card-decision-');
  const db = demoDb(tmp.dir);
  new Operators(db).add('8', 'Per (supervisor)', 'supervisor', '8888');
  const clock = new ManualClock(MONDAY);
  const port = await sim.listen(0);
  cleanups.push(() => tmp.cleanup(), () => void db.close(), () => sim.close());
  let payments: ZvtPaymentTerminal;
  let attach: (s: LaneService) => void = () => {};
  if (via === 'devices') {
    const parsed = parseDeviceConfig(JSON.stringify({ devices: [{ kind: 'zvtTerminal', id: 'payment-terminal', transport: { type: 'tcp', host: '127.0.0.1', port } }] }));
    expect(parsed.errors).toEqual([]);
    const devices = await startDevices(parsed.devices, db, { log: () => {}, currency: 'SEK', timeZone: 'Europe/Stockholm', now: clock.now });
    cleanups.push(() => devices.stop());
    payments = devices.payments as ZvtPaymentTerminal;
    attach = (s) => devices.attach(s);
  } else {
    const t = new TcpZvtTransport({ host: '127.0.0.1', port });
    await t.start();
    cleanups.push(() => t.stop());
    payments = new ZvtPaymentTerminal(t, { currency: 'SEK', timeZone: 'Europe/Stockholm' });
  }
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Kortbutiken', laneId: '1' }, { now: clock.now, payments });
  cleanups.push(() => s.dispose());
  attach(s);
  run(s, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(s, { cmd: 'openTill', float: [] });
  run(s, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
  // The terminal has answered the till's registration (or refused it) before the test goes on.
  if (via === 'devices') await until('the registration answered', () => s.snapshot().devices.list.some((d) => d.detailCode === 'registered' || d.detailCode === 'registrationRefused'));
  return { s, sim, db, clock, port, transport: payments.transport };
}

/** The terminal loses power at `step` of the card payment; the core asks it until it gives up and a supervisor is asked. */
async function payUntilDecision(x: Awaited<ReturnType<typeof setup>>, step: SimStep) {
  const { s, sim, clock } = x;
  x.sim.failAt = { step, mode: 'off' };
  run(s, { cmd: 'tenderCard' });
  await until('the terminal lost power', () => sim.steps.includes(step));
  // The core's clock moves on; its questions to the terminal (about 15 s of it) fail; then a supervisor is asked.
  await until('a decision for a supervisor', () => {
    clock.advance(2_000);
    s.tickIdle();
    return s.snapshot().payment.decision !== null;
  }, 20_000);
  return s.snapshot().payment.decision!;
}

const charged = (sim: ZvtSimulator) => sim.transactions.filter((t) => t.kind === 'authorization' && t.result === 0 && !t.reversed);
const resolved = (db: Db) => db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'payment.resolved'").all().map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('a card decision the terminal settles when it is back', () => {
  for (const via of ['devices', 'port'] as const)
    it(`the terminal dies after its status and is back after the core gave up: asked again ${via === 'devices' ? 'when it is online again' : 'on the schedule'}, the payment closes as charged with its receipt, never charged twice`, async () => {
      const x = await setup(via);
      const { s, sim, db, clock } = x;
      const decision = await payUntilDecision(x, 'print');
      expect(decision.terminalAnswered).toBe(false);
      // Not reachable since the first question, some 15 s of the core's clock before a supervisor was asked.
      expect(Date.parse(decision.unreachableSince!)).toBeLessThanOrEqual(clock.now().getTime() - 15_000);
      expect(charged(sim)).toHaveLength(1); // the terminal had charged the card
      // "Not charged" would charge the customer twice: one supervisor is not enough, nor the same one twice.
      expect(refuse(s, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA })).toBe('CONFIRMATION_REQUIRED');
      expect(refuse(s, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA, confirmation: SARA })).toBe('APPROVAL_DENIED');

      await sim.listen(x.port); // back on the network, 25 s later on the core's clock
      clock.advance(25_000);
      if (via === 'port') {
        // No device state reaches this lane: the schedule asks again.
        await until('the link is back', () => x.transport.state === 'online');
        clock.advance(REASK_MS);
        s.tickIdle();
      }
      await until('the decision closed by itself', () => s.snapshot().checkout?.state === 'paid', 20_000);
      const snap = s.snapshot();
      expect(snap.payment.decision).toBeNull();
      const cards = snap.checkout!.tenders.filter((t) => t.kind === 'card');
      expect(cards.map((t) => t.amount)).toEqual(charged(sim).map((t) => t.amount));
      expect((cards[0]!.card!.receiptLines ?? []).join('\n')).toMatch(/Zahlung erfolgt/);
      expect(sim.commands.filter((c) => c === '0601')).toHaveLength(1); // never authorised twice
      expect(resolved(db)).toEqual([]); // nobody had to decide
      const sale = run(s, { cmd: 'complete' }).lastSale!;
      expect(sale.receiptText).toMatch(/Zahlung erfolgt/);
    });

  it('"not charged" before the terminal answered takes a second, different supervisor', async () => {
    const x = await setup('devices');
    const { s, sim, db } = x;
    const decision = await payUntilDecision(x, 'ack'); // it never took the command: nothing charged
    expect(decision.terminalAnswered).toBe(false);
    expect(charged(sim)).toHaveLength(0);
    expect(refuse(s, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA })).toBe('CONFIRMATION_REQUIRED');
    expect(refuse(s, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA, confirmation: { operator: '2', pin: '2222' } })).toBe('APPROVAL_DENIED'); // a cashier
    const snap = run(s, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA, confirmation: PER });
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.payment.decision).toBeNull();
    expect(resolved(db)).toMatchObject([{ outcome: 'notCharged', approvedBy: '7', confirmedBy: '8' }]);
  });
});

describe('what the terminal says', () => {
  for (const code of [0x6a, 0x0d])
    it(`"no transaction on record" as ${code.toString(16).padStart(2, '0').toUpperCase()}: not charged`, async () => {
      const sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300, noRecordCode: code });
      const port = await sim.listen(0);
      const t = new TcpZvtTransport({ host: '127.0.0.1', port });
      await t.start();
      cleanups.push(() => sim.close(), () => t.stop());
      const zvt = new ZvtPaymentTerminal(t, { currency: 'SEK', timeZone: 'Europe/Stockholm' });
      const r = await zvt.recover({ attemptId: 'a1', amount: 1695, startedAt: new Date(Date.parse(MONDAY)).toISOString(), known: null, usedRefs: [] });
      expect(r).toEqual({ outcome: 'notCharged', reason: 'the terminal has no transaction on record' });
    });

  it('a card payment is refused up front, with the reason, while the terminal refuses the registration', async () => {
    const sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300 });
    sim.refuseRegistration = 0x6f; // wrong currency
    const { s } = await setup('devices', sim);
    expect(refuse(s, { cmd: 'tenderCard' })).toBe('TERMINAL_NOT_REGISTERED');
    try {
      exec(s, { cmd: 'tenderCard' });
    } catch (e) {
      expect((e as CoreError).params).toEqual({ detail: 'wrong currency' });
    }
    expect(sim.commands.filter((c) => c === '0601')).toHaveLength(0);
  });
});
