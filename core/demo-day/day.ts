/**
 * A demo day (`npm run demo:day`): a store of any market profile sells a day through the real lane
 * service — its demo catalog, the demo staff, a simulated payment terminal, and the market's fiscal
 * device (Germany's TSE simulator, Sweden's control unit simulator) — and closes it with a Z. The
 * day's time is the core's clock: a ManualClock set to the store's opening on the chosen date,
 * moved on by each scan and sale. What it sells (deterministic for a count): baskets of 1–4 items,
 * deposits with their drinks, empties taken back, cash, card, cash and card, gift card and cash, a
 * voided line, a cancelled basket, a cash pickup and a paid-in, and a return of the first sale.
 */
import { existsSync } from 'node:fs';
import { CommandSchema, type Command, type CommandBody, type Profile, type TillReport } from '../../protocol/terminal';
import { ensureDemoCatalog, prng, seedDemoVouchers, DEMO_VOUCHERS } from '../catalog/demo';
import { Catalog } from '../catalog/repo';
import { instantAt, ManualClock } from '../clock';
import { openDatabase } from '../db';
import { controlUnitFor } from '../fiscal/control-unit/setup';
import { loadControlUnitConfig, saveControlUnitConfig } from '../fiscal/control-unit/config';
import { tseFor } from '../fiscal/tse/setup';
import { Journal } from '../journal';
import { loadOrCreateTerminalSigner } from '../journal/signer';
import type { HandleResult } from '../lane/context';
import { LaneService } from '../lane/host';
import { DEMO_MARKETS } from '../markets/demo';
import { saveStoreLegal } from '../markets/store-legal';
import { Operators, seedDemoOperators } from '../operators';
import { SimulatedPaymentTerminal } from '../payments/port';
import { profileFor } from '../profile';
import { renderTillReport } from '../till/report';
import { denominationCount, demoPool, type PoolItem } from './pool';

export interface DemoDayOptions {
  profile: string;
  sales: number;
  dbPath: string;
  /** The business date (YYYY-MM-DD) in the store's time zone. */
  date: string;
  log: (line: string) => void;
}

export interface DemoDayResult {
  profile: Profile;
  report: TillReport;
  /** The Z report as printed (Sweden's Z-dagrapport for a till with a control unit). */
  reportText: string;
  completed: number;
  returns: number;
  cancelled: number;
  tse: boolean;
  controlUnit: boolean;
}

const SUPERVISOR = { operator: '7', pin: '7777' };
const OPENING_HOUR = 8;
const DAY_MS = 12 * 3_600_000;
/** The float counted in: 100 of the currency's units. */
const FLOAT = 10_000;

export class DemoDayError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DemoDayError';
  }
}

/** The store's particulars and registration: the market's demo store. */
function identityFor(profile: Profile) {
  const market = DEMO_MARKETS[profile.country];
  return { storeId: `demo-${profile.country.toLowerCase()}`, storeName: `Kassa Demo ${profile.country}`, laneId: '1', legal: market.store };
}

export async function sellDemoDay(o: DemoDayOptions): Promise<DemoDayResult> {
  if (!Number.isSafeInteger(o.sales) || o.sales < 2 || o.sales > 100_000) throw new DemoDayError(`--sales is a whole number from 2 to 100000, got ${o.sales}`);
  const profile = profileFor(o.profile);
  const opening = instantAt(o.date, OPENING_HOUR, 0, profile.timeZone);
  if (existsSync(o.dbPath)) throw new DemoDayError(`${o.dbPath} exists: a demo day is sold into a new database (nothing was changed)`);
  const clock = new ManualClock(opening);
  const db = openDatabase(o.dbPath);
  const identity = identityFor(profile);
  ensureDemoCatalog(db, profile.country, clock.now);
  seedDemoOperators(new Operators(db, clock.now));
  seedDemoVouchers(db);
  saveStoreLegal(db, identity.legal); // the demo store's particulars, kept as store IT provisions them (the DSFinV-K master data reads them)
  // The TSE is the simulator, as a German till's without a provisioned choice.
  const tse = tseFor(profile.country, db, o.dbPath, identity, clock.now, o.log);
  // Sweden: the demo day's till is provisioned with the control unit simulator.
  if (profile.country === 'SE') saveControlUnitConfig(db, { kind: 'simulator' });
  const cu = controlUnitFor(profile.country, o.dbPath, identity, clock.now, o.log, loadControlUnitConfig(db));
  const lane = new LaneService(db, new Catalog(db), profile, identity, {
    now: clock.now,
    journal: new Journal(db, { signer: loadOrCreateTerminalSigner(db, clock.now) }),
    payments: new SimulatedPaymentTerminal({ delayMs: 0 }),
    ...(tse ? { tse } : {}),
    ...(cu ? { controlUnit: cu } : {}),
    log: o.log,
  });
  try {
    const day = new Seller(lane, clock, profile, o);
    const report = await day.sellAll();
    const head = `${identity.storeName}\n${identity.laneId}  ${report.operator ?? ''}  ${report.currency}\n`;
    const z = db.prepare<[], { seq: number; hash: string }>("SELECT seq, hash FROM journal WHERE kind = 'report.z' ORDER BY seq DESC LIMIT 1").get();
    return { profile, report, reportText: head + renderTillReport(report, profile, z), completed: day.completed, returns: 1, cancelled: 1, tse: tse !== null, controlUnit: cu !== null && cu.port !== null };
  } finally {
    lane.dispose();
    db.close();
    tse?.close();
    cu?.port?.close();
  }
}

/** Sells the day's baskets one by one through the lane's commands, as a cashier would. */
class Seller {
  completed = 0;
  private n = 0;
  private readonly pool: PoolItem[];
  private readonly random = prng(21);
  private voucherLeft: number[] = DEMO_VOUCHERS.map((v) => v.balance);
  private readonly stepMs: number;

  constructor(
    private readonly lane: LaneService,
    private readonly clock: ManualClock,
    private readonly profile: Profile,
    private readonly o: DemoDayOptions,
  ) {
    this.pool = demoPool(profile.country);
    // The day's sales spread over twelve hours (each scan, tender and completion takes a step).
    this.stepMs = Math.max(200, Math.floor(DAY_MS / (o.sales * 8 + 40)));
  }

  private run(body: CommandBody): HandleResult {
    this.clock.advance(this.stepMs);
    return this.lane.handle(CommandSchema.parse({ ...body, id: `demo-${++this.n}` }) as Command);
  }

  private checkout() {
    const co = this.lane.snapshot().checkout;
    if (!co) throw new DemoDayError('no open sale where one was expected');
    return co;
  }

  async sellAll(): Promise<TillReport> {
    this.run({ cmd: 'signIn', operator: '1', pin: '1111' });
    this.run({ cmd: 'openTill', float: denominationCount(this.profile, FLOAT) });
    let first: string | null = null;
    for (let i = 0; i < this.o.sales; i++) {
      const saleId = await this.sellOne(i);
      first ??= saleId;
      if (i === Math.floor(this.o.sales / 2)) {
        this.run({ cmd: 'cashMovement', kind: 'paidIn', amount: 5_000, reason: 'Wechselgeld' });
        this.run({ cmd: 'cashMovement', kind: 'pickup', amount: 10_000, reason: 'Abschöpfung', approval: SUPERVISOR });
      }
      if ((i + 1) % 500 === 0) this.o.log(`sold ${i + 1} of ${this.o.sales}`);
    }
    // A basket the customer leaves behind: cancelled before payment (a supervisor approves).
    await this.scan(this.pool[0]!);
    this.run({ cmd: 'cancelSale', approval: SUPERVISOR });
    // The first sale's first line comes back (with its deposit, if it has one), refunded as paid.
    this.run({ cmd: 'returnLines', receiptCode: `R${first!.replace(/-/g, '')}`, lines: [{ lineId: 'L1', quantity: 1 }], reason: 'Demo return' });
    await this.lane.tse?.starts.settled(); // the cancelled basket's transaction finished as aborted before the day closes
    const x = this.run({ cmd: 'xReport', print: false }).result as TillReport;
    const z = this.run({ cmd: 'closeTill', counted: denominationCount(this.profile, x.cash.expected), approval: SUPERVISOR }).result as TillReport;
    this.run({ cmd: 'signOut' });
    return z;
  }

  /** A scan, then the event loop turns (as between a cashier's scans): a German sale's TSE start runs off the scan's path. */
  private async scan(item: PoolItem): Promise<void> {
    this.run({ cmd: 'scan', code: item.code });
    await new Promise((r) => setImmediate(r));
  }

  /** One basket: 1–4 items, sometimes empties and a voided line, paid by the sale's tender mix. */
  private async sellOne(i: number): Promise<string> {
    const lines = 1 + Math.floor(this.random() * 4);
    for (let k = 0; k < lines; k++) await this.scan(this.pool[Math.floor(this.random() * this.pool.length)]!);
    const deposit = this.pool.find((p) => p.depositItemId)?.depositItemId;
    if (i % 9 === 4 && deposit) this.run({ cmd: 'returnDeposit', itemId: deposit, quantity: 1 });
    if (i === 1) {
      // A line scanned by mistake and voided (its deposit goes with it).
      const before = this.checkout().lines.length;
      await this.scan(this.pool[0]!);
      this.run({ cmd: 'voidLine', lineId: this.checkout().lines[before]!.lineId });
    }
    this.run({ cmd: 'subtotal' });
    await this.pay(i % 4);
    const saleId = this.checkout().saleId;
    this.run({ cmd: 'complete' });
    this.completed++;
    return saleId;
  }

  private async pay(mix: number): Promise<void> {
    const { remaining } = this.checkout().totals;
    const voucher = this.voucherLeft.findIndex((b) => b >= Math.min(remaining, 500));
    if (mix === 1) await this.card();
    else if (mix === 2 && remaining >= 200) {
      await this.card(Math.floor(remaining / 2));
      this.cash();
    } else if (mix === 3 && voucher >= 0 && remaining > 0) {
      const amount = Math.min(remaining, 500);
      this.voucherLeft[voucher]! -= amount;
      this.run({ cmd: 'tenderVoucher', code: DEMO_VOUCHERS[voucher]!.code, amount });
      if (this.checkout().totals.remaining > 0) this.cash();
    } else this.cash();
  }

  /** Cash: the next round note above what is owed in cash (change given). */
  private cash(): void {
    const owed = this.checkout().totals.remainingCash;
    const note = this.profile.denominations.filter((d) => d >= 500).at(-1)!;
    this.run({ cmd: 'tenderCash', amount: Math.max(note, Math.ceil(owed / note) * note) });
  }

  /** Card (all of what is owed, or `amount`): the simulated terminal answers off the command, the sale is paid when it approves. */
  private async card(amount?: number): Promise<void> {
    const before = this.checkout().tenders.length;
    this.run(amount ? { cmd: 'tenderCard', amount } : { cmd: 'tenderCard' });
    const t0 = performance.now();
    while (this.checkout().tenders.length === before || this.checkout().state === 'cardPending') {
      if (performance.now() - t0 > 10_000) throw new DemoDayError('the simulated card terminal did not answer in 10 s');
      await new Promise((r) => setTimeout(r, 0));
    }
  }
}
