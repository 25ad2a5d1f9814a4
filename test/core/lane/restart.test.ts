/**
 * A restart restores what the lane's machines hold: an open help call, a self-checkout's staff
 * session and the customer's idle prompt deadline (the attendance machine, its timers running
 * again from the deadlines it kept), and a card payment under way — asked about at the terminal,
 * never authorised again. Timers run under vi's fake timers; the lane's clock is the faked Date.
 */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Db } from '../../../core/db';
import { DEMO_ITEMS, generateCatalog } from '../../../core/catalog/demo';
import { Catalog } from '../../../core/catalog/repo';
import { LaneService, type LaneConfig } from '../../../core/lane/host';
import { Operators, seedDemoOperators } from '../../../core/operators';
import type { PaymentPort } from '../../../core/payments/port';
import { PROFILES } from '../../../core/profile';
import { exec, run } from '../../helpers/lane';
import { tempDir } from '../../helpers/tmp';

const SOAP = DEMO_ITEMS.dishSoap.codes[0]!;
const START = Date.parse('2026-11-25T10:00:00Z');

let tmp: ReturnType<typeof tempDir>;
let db: Db;
const lanes: LaneService[] = [];

beforeEach(() => {
  vi.useFakeTimers({ now: START });
  tmp = tempDir();
  db = openDatabase(join(tmp.dir, 'restart.db'));
  generateCatalog(db, {});
  seedDemoOperators(new Operators(db));
});
afterEach(() => {
  for (const s of lanes.splice(0)) s.dispose();
  db.close();
  tmp.cleanup();
  vi.useRealTimers();
});

function lane(config: Partial<LaneConfig> = {}, payments?: PaymentPort): LaneService {
  const s = new LaneService(db, new Catalog(db), PROFILES.SE, { storeId: 's', storeName: 'B', laneId: 'K1' }, {
    config: { mode: 'self', ...config },
    now: () => new Date(),
    ...(payments ? { payments } : {}),
  });
  lanes.push(s);
  if (s.snapshot().lane.state === 'signedOut') {
    run(s, { cmd: 'signIn', operator: '7', pin: '7777' });
    run(s, { cmd: 'openTill', float: [] });
  }
  return s;
}

/** The process stops (nothing more runs on the old lane) and a new one starts on the same database. */
function restart(old: LaneService, config: Partial<LaneConfig> = {}, payments?: PaymentPort): LaneService {
  old.dispose();
  return lane(config, payments);
}

const journalKinds = () => (db.prepare('SELECT kind FROM journal ORDER BY seq').all() as Array<{ kind: string }>).map((r) => r.kind);

describe('a restart restores the attendance machine', () => {
  it('an open help call stays open until staff clear it', () => {
    const s = lane();
    run(s, { cmd: 'callHelp' });
    const call = s.snapshot().lane.help;
    expect(call).toMatchObject({ reason: 'customer' });
    vi.advanceTimersByTime(5_000);
    const after = restart(s);
    expect(after.snapshot().lane.help).toEqual(call);
    after.handleAsAttendant({ id: 'a1', cmd: 'clearHelp' }, new Operators(db).authenticate('7', '7777'));
    expect(restart(after).snapshot().lane.help).toBeNull();
  });

  it('a staff session keeps its holder and its deadline; it lapses at that deadline by its own timer', () => {
    const s = lane();
    run(s, { cmd: 'scan', code: SOAP });
    exec(s, { cmd: 'staffCheck', approval: { operator: '9', pin: '9999' } });
    vi.advanceTimersByTime(60_000);
    const after = restart(s);
    expect(after.snapshot().lane.selfCheckout?.staff).toBe('9');
    // Still staff: a staff-only command goes through without a new staffCheck, and renews the session.
    run(after, { cmd: 'setQuantity', lineId: 'L1', quantity: 2 });
    vi.advanceTimersByTime(119_000);
    expect(after.snapshot().lane.selfCheckout?.staff).toBe('9');
    vi.advanceTimersByTime(1_000);
    expect(after.snapshot().lane.selfCheckout?.staff).toBeNull();
    // Its end was stored: another restart does not bring it back.
    expect(restart(after).snapshot().lane.selfCheckout?.staff).toBeNull();
  });

  it('an idle prompt keeps its deadline, and the unpaid basket is abandoned at that instant', () => {
    const s = lane({ idleAbandonMs: 120_000, idleWarnMs: 30_000 });
    run(s, { cmd: 'scan', code: SOAP });
    // The idle rules' own timer brings the prompt (no stepping: the delayed transitions fire).
    vi.advanceTimersByTime(91_000);
    const deadline = new Date(START + 120_000).toISOString();
    expect(s.snapshot().lane.selfCheckout?.idleUntil).toBe(deadline);
    vi.advanceTimersByTime(10_000);
    const after = restart(s, { idleAbandonMs: 120_000, idleWarnMs: 30_000 });
    expect(after.snapshot().lane.selfCheckout?.idleUntil).toBe(deadline);
    vi.advanceTimersByTime(18_000);
    expect(after.snapshot().checkout).not.toBeNull();
    vi.advanceTimersByTime(1_500);
    expect(after.snapshot().checkout).toBeNull();
    expect(journalKinds()).toContain('sale.abandoned');
  });
});

describe('a restart in the middle of a card payment', () => {
  it('asks the terminal what became of the attempt and never authorises it again', async () => {
    const authorize = vi.fn<PaymentPort['authorize']>(() => new Promise(() => {})); // the process dies before the terminal answers
    const first: PaymentPort = { authorize, reverse: vi.fn(), refund: vi.fn() };
    const s = lane({ mode: 'staffed' }, first);
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCard' });
    expect(s.snapshot().checkout?.state).toBe('cardPending');
    expect(authorize).toHaveBeenCalledTimes(1);
    const attemptId = authorize.mock.calls[0]![0].attemptId;

    const recover = vi.fn<NonNullable<PaymentPort['recover']>>(async () => ({
      outcome: 'approved' as const,
      result: { approved: true as const, brand: 'VISA', maskedPan: '************4242', authCode: '123456', terminalRef: 'T-1', receiptLines: [] },
    }));
    const again = vi.fn<PaymentPort['authorize']>();
    const after = restart(s, { mode: 'staffed' }, { authorize: again, recover, reverse: vi.fn(), refund: vi.fn() });
    expect(after.snapshot().checkout?.state).toBe('cardPending');
    await vi.advanceTimersByTimeAsync(10);
    expect(recover).toHaveBeenCalledTimes(1);
    expect(recover.mock.calls[0]![0]).toMatchObject({ attemptId });
    expect(again).not.toHaveBeenCalled();
    expect(after.snapshot().checkout).toMatchObject({ state: 'paid' });
    expect(journalKinds()).toContain('payment.recovered');
  });

  it('a lane saved before card calls were actors (no call in its snapshot) asks the terminal too', async () => {
    const authorize = vi.fn<PaymentPort['authorize']>(() => new Promise(() => {}));
    const s = lane({ mode: 'staffed' }, { authorize, reverse: vi.fn(), refund: vi.fn() });
    run(s, { cmd: 'scan', code: SOAP });
    run(s, { cmd: 'tenderCard' });
    s.dispose();
    const row = db.prepare('SELECT snapshot FROM lane_state WHERE id = 1').get() as { snapshot: string };
    const stored = JSON.parse(row.snapshot) as { actor: { context: { attending?: boolean }; children: { attendance?: unknown; checkout: { snapshot: { children: Record<string, unknown> } } } } };
    expect(Object.keys(stored.actor.children.checkout.snapshot.children)).toEqual(['card']);
    delete stored.actor.children.checkout.snapshot.children.card;
    // Nor had it an attendance machine: it gets a fresh one.
    delete stored.actor.children.attendance;
    delete stored.actor.context.attending;
    db.prepare('UPDATE lane_state SET snapshot = ? WHERE id = 1').run(JSON.stringify(stored));
    const recover = vi.fn<NonNullable<PaymentPort['recover']>>(async () => ({ outcome: 'notCharged' as const, reason: 'no such payment' }));
    const again = vi.fn<PaymentPort['authorize']>();
    const after = lane({ mode: 'staffed' }, { authorize: again, recover, reverse: vi.fn(), refund: vi.fn() });
    await vi.advanceTimersByTimeAsync(10);
    expect(recover).toHaveBeenCalledTimes(1);
    expect(again).not.toHaveBeenCalled();
    expect(after.snapshot().checkout?.state).toBe('subtotal');
    run(after, { cmd: 'callHelp' });
    expect(restart(after, { mode: 'staffed' }).snapshot().lane.help).toMatchObject({ reason: 'customer' });
  });
});
