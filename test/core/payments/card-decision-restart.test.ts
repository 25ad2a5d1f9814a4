/**
 * A card decision open when the core stops is open again after it starts (issue 18.9): the same
 * attempt, reason, terminal receipt, whether the terminal answered and since when it was not
 * reachable — at once, not after another round of questions. The restarted lane keeps asking the
 * terminal and its answer closes the decision by itself; "not charged" is still held for a second
 * supervisor until the terminal answered. Here the lane is started again in-process on the same
 * SQLite file (test/core/payments/card-decision-crash.test.ts kills a real core with SIGKILL).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ITEMS } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { ManualClock } from '../../../core/clock';
import type { Db } from '../../../core/db';
import { LaneService } from '../../../core/lane/host';
import { Operators } from '../../../core/operators';
import { OpenDecision, type Decision } from '../../../core/payments/card-decision';
import { REASK_MS } from '../../../core/payments/card-flow';
import { ZvtPaymentTerminal } from '../../../core/payments/zvt';
import { PROFILES } from '../../../core/profile';
import { ZvtSimulator } from '../../../drivers/zvt/simulator';
import { TcpZvtTransport } from '../../../drivers/zvt/transport';
import { MONDAY } from '../../helpers/clock';
import { demoDb } from '../../helpers/demo-lane';
import { refuse, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';
import { until } from '../../helpers/wait';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const SARA = { operator: '7', pin: '7777' };
const PER = { operator: '8', pin: '8888' };

const kept = (db: Db) => db.prepare<[], { attempt_id: string; terminal_answered: number }>('SELECT attempt_id, terminal_answered FROM card_decision').all();
const charged = (sim: ZvtSimulator) => sim.transactions.filter((t) => t.kind === 'authorization' && t.result === 0 && !t.reversed);

/** A staffed lane on `db` with the simulator on `port` as its payment terminal (a bare port: no device state). */
async function startLane(db: Db, clock: ManualClock, port: number): Promise<LaneService> {
  const t = new TcpZvtTransport({ host: '127.0.0.1', port });
  await t.start();
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'Kortbutiken', laneId: '1' }, { now: clock.now, payments: new ZvtPaymentTerminal(t, { currency: 'SEK', timeZone: 'Europe/Stockholm' }) });
  cleanups.push(() => t.stop(), () => s.dispose());
  return s;
}

/** Steps the core's clock (its timers ask the terminal) until `done`. */
async function stepUntil(what: string, s: LaneService, clock: ManualClock, done: () => boolean, stepMs = 2_000) {
  await until(what, () => {
    clock.advance(stepMs);
    s.tickIdle();
    return done();
  }, 20_000);
}

async function laneWithDecision() {
  const tmp = tempDir('kassa-card-restart-');
  const db = demoDb(tmp.dir);
  new Operators(db).add('8', 'Per (supervisor)', 'supervisor', '8888');
  const clock = new ManualClock(MONDAY);
  const sim = new ZvtSimulator({ thinkMs: 10, ackWaitMs: 300 });
  const port = await sim.listen(0);
  cleanups.push(() => tmp.cleanup(), () => void db.close(), () => sim.close());
  const first = await startLane(db, clock, port);
  run(first, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(first, { cmd: 'openTill', float: [] });
  run(first, { cmd: 'scan', code: DEMO_ITEMS.milk.codes[0]! });
  // The terminal charges the card, then loses power before the lane hears the result.
  sim.failAt = { step: 'print', mode: 'off' };
  run(first, { cmd: 'tenderCard' });
  await until('the terminal lost power', () => sim.steps.includes('print'));
  await stepUntil('a decision for a supervisor', first, clock, () => first.snapshot().payment.decision !== null);
  return { db, clock, sim, port, first, decision: first.snapshot().payment.decision! };
}

describe('a card decision across a restart of the core', () => {
  it('is open again at once as it was, still holds "not charged" for a second supervisor, and closes by itself when the terminal answers', async () => {
    const { db, clock, sim, port, first, decision } = await laneWithDecision();
    expect(decision.terminalAnswered).toBe(false);
    expect(decision.unreachableSince).not.toBeNull();
    const attemptId = first.snapshot().checkout!.cardAttempt!.attemptId;
    expect(kept(db)).toEqual([{ attempt_id: attemptId, terminal_answered: 0 }]);
    first.dispose(); // the core stops; what it held in memory is gone

    clock.advance(60_000);
    const again = await startLane(db, clock, port);
    // Before any question to the terminal: the same decision, not a fresh one after another 15 s.
    expect(again.snapshot().payment.decision).toEqual(decision);
    expect(refuse(again, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA })).toBe('CONFIRMATION_REQUIRED');
    // Asked again on its schedule while the terminal is still off: still open, not reachable since the same time.
    for (let i = 0; i < 3; i++) {
      clock.advance(REASK_MS);
      again.tickIdle();
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(again.snapshot().payment.decision).toMatchObject({ terminalAnswered: false, unreachableSince: decision.unreachableSince, terminalReceipt: decision.terminalReceipt });

    // The terminal is back: the schedule asks it, and its answer (charged) closes the decision.
    await sim.listen(port);
    await stepUntil('the decision closed by itself', again, clock, () => again.snapshot().checkout?.state === 'paid', REASK_MS);
    expect(again.snapshot().payment.decision).toBeNull();
    expect(again.snapshot().checkout!.tenders.filter((t) => t.kind === 'card').map((t) => t.amount)).toEqual(charged(sim).map((t) => t.amount));
    expect(sim.commands.filter((c) => c === '0601')).toHaveLength(1); // never authorised twice
    expect(kept(db)).toEqual([]); // gone with the commit that settled it
  });

  it('settled by two supervisors after the restart: the kept decision goes in the same transaction', async () => {
    const { db, clock, port, first, decision } = await laneWithDecision();
    first.dispose();
    const again = await startLane(db, clock, port);
    expect(again.snapshot().payment.decision).toEqual(decision);
    expect(refuse(again, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA, confirmation: SARA })).toBe('APPROVAL_DENIED');
    expect(kept(db)).toHaveLength(1);
    // (While the restarted lane asks the terminal, a decision waits for its answer.)
    await until('the terminal asked', () => refuse(again, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA }) === 'CONFIRMATION_REQUIRED');
    const snap = run(again, { cmd: 'resolvePayment', outcome: 'notCharged', approval: SARA, confirmation: PER });
    expect(snap.checkout!.state).toBe('subtotal');
    expect(snap.payment.decision).toBeNull();
    expect(kept(db)).toEqual([]);
  });
});

describe('the kept decision (card_decision)', () => {
  const d: Decision = { attemptId: 'a1', reason: 'no answer', terminalReceipt: ['ZAHLUNG ERFOLGT', '16,95 SEK'], terminalAnswered: true, unreachableSince: '2026-11-23T09:00:00.000Z' };

  function db() {
    const tmp = tempDir('kassa-card-kept-');
    const db = demoDb(tmp.dir);
    cleanups.push(() => tmp.cleanup(), () => void db.close());
    return db;
  }

  it('comes back whole for its attempt; a row of another attempt is dropped', () => {
    const file = db();
    new OpenDecision(file).set(d, '2026-11-23T09:01:00.000Z');
    expect(new OpenDecision(file).restore('a1')).toEqual(d);
    expect(new OpenDecision(file).restore('a2')).toBeNull();
    expect(file.prepare('SELECT count(*) AS n FROM card_decision').get()).toEqual({ n: 0 });
    expect(new OpenDecision(file).restore('a1')).toBeNull();
  });

  it('is written only when what it says changes; settled, it is gone', () => {
    const file = db();
    const open = new OpenDecision(file);
    const at = () => file.prepare<[], { updated_at: string }>('SELECT updated_at FROM card_decision').get()?.updated_at;
    open.set(d, 'T1');
    open.set({ ...d, terminalReceipt: [...d.terminalReceipt] }, 'T2');
    expect(at()).toBe('T1');
    open.set({ ...d, terminalAnswered: false }, 'T3');
    expect(at()).toBe('T3');
    file.transaction(() => open.settle())();
    open.closed();
    expect(open.current).toBeNull();
    expect(at()).toBeUndefined();
  });
});
