/**
 * A German till for tests and benches: a real SQLite lane database with the demo catalog at German
 * VAT rates (food 7 %, standard 19 %), the lane service with the TSE simulator (its own file), a
 * manual clock, a signed-in cashier and an open till (with `float`, in cents, counted in).
 */
import { join } from 'node:path';
import { openDatabase, type Db } from '../../core/db';
import { generateCatalog } from '../../core/catalog/demo';
import { Catalog } from '../../core/catalog/repo';
import { LaneService } from '../../core/lane/host';
import { Operators, seedDemoOperators } from '../../core/operators';
import { PROFILES } from '../../core/profile';
import { Journal } from '../../core/journal';
import { loadOrCreateTerminalSigner } from '../../core/journal/signer';
import { TseSimulator } from '../../core/fiscal/tse/simulator';
import { TseThread } from '../../core/fiscal/tse/thread';
import { tseClientId } from '../../core/fiscal/tse/till';
import type { TsePort } from '../../core/fiscal/tse/port';
import { ManualClock } from '../../core/clock';
import type { PaymentPort } from '../../core/payments/port';
import type { DenominationCount, TillReport } from '../../protocol/terminal';
import { exec, run } from './lane';

export const DE_IDENTITY = { storeId: 'berlin-01', storeName: 'Kassa Berlin', laneId: '3' };
export const DE_CLIENT = tseClientId(DE_IDENTITY.storeId, DE_IDENTITY.laneId);
export const SUPERVISOR = { operator: '7', pin: '7777' };

export interface GermanTill {
  db: Db;
  dbPath: string;
  clock: ManualClock;
  /** The simulator: on the lane's thread, or (`thread`) on its own. */
  sim: TseSimulator | TseThread;
  lane: LaneService;
  close(): void;
}

/**
 * `tse` wraps the simulator (a TSE that fails in some way); the simulator itself by default, on the
 * lane's thread, or on its own with `thread` (as core/fiscal/tse/setup.ts runs it); `tse: null` is a
 * till without a TSE (benches compare).
 */
export function openGermanTill(dir: string, start: string, opts: { payments?: PaymentPort; tse?: ((sim: TseSimulator | TseThread) => TsePort) | null; thread?: boolean; float?: number } = {}): GermanTill {
  const dbPath = join(dir, 'lane.db');
  const clock = new ManualClock(start);
  const db = openDatabase(dbPath);
  generateCatalog(db, {});
  db.exec("UPDATE vat_class SET rate_bp = CASE id WHEN 'standard' THEN 1900 ELSE 700 END");
  seedDemoOperators(new Operators(db));
  const sim = opts.thread ? new TseThread({ kind: 'simulator', file: join(dir, 'tse.sqlite') }, { now: clock.now }) : new TseSimulator(join(dir, 'tse.sqlite'), { now: clock.now });
  sim.registerClient(DE_CLIENT);
  const lane = new LaneService(db, new Catalog(db), PROFILES.DE, DE_IDENTITY, {
    now: clock.now,
    journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db, clock.now) }),
    ...(opts.tse === null ? {} : { tse: opts.tse ? opts.tse(sim) : sim }),
    ...(opts.payments ? { payments: opts.payments } : {}),
  });
  run(lane, { cmd: 'signIn', operator: '1', pin: '1111' });
  run(lane, { cmd: 'openTill', float: euros(opts.float ?? 0) });
  return {
    db,
    dbPath,
    clock,
    sim,
    lane,
    close: () => {
      lane.dispose();
      db.close();
      sim.close();
    },
  };
}

/** Scans the codes, pays cash and completes; the sale as the lane reports it. */
export function sellCash(t: GermanTill, codes: readonly string[], cash: number) {
  for (const code of codes) run(t.lane, { cmd: 'scan', code });
  run(t.lane, { cmd: 'tenderCash', amount: cash });
  t.clock.advance(1_500);
  return run(t.lane, { cmd: 'complete' }).lastSale!;
}

/** Notes and coins that make `amount` (euro cents, at least 0), fewest first. */
export function euros(amount: number): DenominationCount {
  const out: DenominationCount = [];
  let rest = amount;
  for (const denomination of PROFILES.DE.denominations) {
    const count = Math.floor(rest / denomination);
    if (count > 0) out.push({ denomination, count });
    rest -= count * denomination;
  }
  return out;
}

/**
 * The Z: the till closed (a supervisor approves) with the drawer counted — by default as the X
 * report expects it (nothing where it expects less than nothing), so no difference is booked;
 * `counted` gives the count in cents.
 */
export function closeDay(t: GermanTill, counted?: number) {
  const expected = (exec(t.lane, { cmd: 'xReport' }).result as TillReport).cash.expected;
  run(t.lane, { cmd: 'closeTill', counted: euros(counted ?? Math.max(0, expected)), approval: SUPERVISOR });
}
