/**
 * A cash unit on a ccTalk bus (coin acceptor, bill validator with escrow, change hoppers) as one
 * device: it finds what is on the bus and what each coin and note is worth, keeps everything
 * inhibited until asked to accept, polls the event buffers (credits, escrow, faults), routes notes
 * in escrow (stacked while accepting, returned otherwise) and pays change. A jam or a full stacker
 * is a fault that stays until the device's self-check (232) says it is cleared. Faults and lost
 * lines are events and state, never exceptions.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { CcTalkBus, type CcTalkBusOptions } from './bus';
import { readBillValues, readCoinValues, setAcceptance, EventTracker, type AcceptorEvent, type Source } from './acceptors';
import { hopperStatus, payout, type HopperInfo, type HopperStatus, type PayoutResult, type PayoutStep } from './payout';
import { ADDRESS, ascii, coinValue, countryOf, FAULT, FIRST_HOPPER, H, ROUTE } from './protocol';

export interface CashDeviceOptions {
  path: string;
  /** The store's currency (SEK, EUR): only its coins and notes are enabled. */
  currency: string;
  serial?: CcTalkBusOptions['serial'];
  /** How often the event buffers are read (ms); the specification asks for at least every 200 ms. */
  pollMs?: number;
  replyTimeoutMs?: number;
  /** The last event counter the terminal recorded per acceptor (events after it are still new at start). */
  recordedCounter?: (source: Source) => number | null;
  /** How long one coin may take to pay out before the payout is given up (ms). */
  coinMs?: number;
}

export type CashFault = 'jam' | 'full';

export interface CashDeviceEvents {
  event: [AcceptorEvent];
  state: [DriverStateChange];
  warning: [string];
}

export class CcTalkCashDevice extends EventEmitter<CashDeviceEvents> implements DeviceDriver {
  private readonly bus: CcTalkBus;
  private readonly country: string;
  private coinValues: number[] | null = null;
  private billValues: number[] | null = null;
  hoppers: HopperInfo[] = [];
  private readonly trackers: Record<Source, EventTracker>;
  private identified = false;
  private answering = false;
  private misses = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private accepting = false;
  /** Faults seen and not yet cleared (the self-check still reports them). */
  readonly faults = new Set<CashFault>();
  private lastSelfCheck = 0;

  constructor(private readonly opts: CashDeviceOptions) {
    super();
    this.country = countryOf(opts.currency);
    this.bus = new CcTalkBus({ path: opts.path, ...(opts.serial ? { serial: opts.serial } : {}), ...(opts.replyTimeoutMs ? { replyTimeoutMs: opts.replyTimeoutMs } : {}) });
    this.bus.on('warning', (w) => this.emit('warning', w));
    this.bus.on('state', (st) => {
      if (st === 'offline') this.setAnswering(false);
    });
    const recorded = (s: Source) => opts.recordedCounter?.(s) ?? null;
    this.trackers = {
      coin: new EventTracker('coin', () => this.coinValues ?? [], () => recorded('coin')),
      bill: new EventTracker('bill', () => this.billValues ?? [], () => recorded('bill')),
    };
  }

  get state(): DriverState {
    return this.answering && this.identified ? 'online' : 'offline';
  }
  get reason(): string {
    if (this.bus.lineState === 'offline') return this.bus.lineReason;
    if (!this.identified) return 'no coin acceptor or note validator answers on the ccTalk bus';
    return this.answering ? 'answering' : 'not answering polls';
  }
  /** What is on the bus, for store IT. */
  describe(): string {
    const coins = (this.coinValues ?? []).filter((v) => v > 0).length;
    const notes = (this.billValues ?? []).filter((v) => v > 0).length;
    return `${coins} coin(s), ${notes} note(s), ${this.hoppers.length} hopper(s)`;
  }
  get lineErrors(): { badChecksums: number; noiseBytes: number } {
    return { badChecksums: this.bus.badChecksums, noiseBytes: this.bus.noiseBytes };
  }
  get isAccepting(): boolean {
    return this.accepting;
  }
  /** The event counters last read (for the terminal's record). */
  lastCounter(source: Source): number | null {
    return this.trackers[source].lastCounter;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.bus.start();
    await this.tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.bus.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), this.opts.pollMs ?? 100);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    try {
      if (!this.identified) await this.identify();
      else await this.poll();
    } catch (err) {
      this.emit('warning', `cash device: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.schedule();
  }

  private setAnswering(on: boolean): void {
    if (on) this.misses = 0;
    if (on === this.answering) return;
    this.answering = on;
    this.emit('state', { state: this.state, reason: this.reason });
  }

  private async identify(): Promise<void> {
    if (this.bus.lineState !== 'online') return;
    const coin = (await this.bus.request(ADDRESS.coin, H.simplePoll)).ok;
    const bill = (await this.bus.request(ADDRESS.bill, H.simplePoll)).ok;
    if (!coin && !bill) return;
    this.coinValues = coin ? await readCoinValues(this.bus, this.country) : null;
    this.billValues = bill ? await readBillValues(this.bus, this.country) : null;
    const hoppers: HopperInfo[] = [];
    for (let address = FIRST_HOPPER; address <= 10; address++) {
      if (!(await this.bus.request(address, H.simplePoll, [], 80)).ok) continue;
      const r = await this.bus.request(address, H.hopperCoin);
      const value = r.ok ? coinValue(ascii(r.data), this.country) : null;
      if (value) hoppers.push({ address, value });
    }
    this.hoppers = hoppers;
    // Nothing is taken until the terminal asks: all inhibited.
    await this.applyAcceptance(false);
    this.identified = true;
    this.setAnswering(true);
    this.emit('warning', `cash device found: ${this.describe()}`);
    // The first reading of the buffers sets where counting starts (after the terminal's last recorded event).
    await this.poll();
  }

  private async poll(): Promise<void> {
    let answered = false;
    for (const [source, address, header] of [['coin', ADDRESS.coin, H.readCredits], ['bill', ADDRESS.bill, H.readBills]] as const) {
      if ((source === 'coin' ? this.coinValues : this.billValues) === null) continue;
      const r = await this.bus.request(address, header);
      if (!r.ok) continue;
      answered = true;
      const events = this.trackers[source].take(r.data);
      if (!events) {
        this.emit('warning', `ccTalk: the ${source} buffer answer has ${r.data.length} bytes, not 11; ignored`);
        continue;
      }
      for (const e of events) await this.onEvent(e);
    }
    if (answered) this.setAnswering(true);
    else if (++this.misses >= 3) this.setAnswering(false);
    if (this.faults.size && performance.now() - this.lastSelfCheck > 2_000) await this.selfCheck();
  }

  private async onEvent(e: AcceptorEvent): Promise<void> {
    if (e.kind === 'escrow') {
      // A note is held: stacked while money is wanted, handed back otherwise. Its credit comes as its own event.
      const stack = this.accepting && e.value > 0;
      const r = await this.bus.request(ADDRESS.bill, H.routeBill, [stack ? ROUTE.stack : ROUTE.return]);
      if (!r.ok || r.data.length > 0) this.emit('warning', `cash device: the note in escrow could not be ${stack ? 'stacked' : 'returned'}`);
    }
    if (e.kind === 'fault') {
      this.faults.add(e.fault);
      this.lastSelfCheck = performance.now();
      if (this.accepting) await this.accept(false);
    }
    this.emit('event', e);
  }

  /** A fault stays until every part's self-check is clean again. */
  private async selfCheck(): Promise<void> {
    this.lastSelfCheck = performance.now();
    let clean = true;
    for (const address of [ADDRESS.coin, ADDRESS.bill]) {
      if ((address === ADDRESS.coin ? this.coinValues : this.billValues) === null) continue;
      const r = await this.bus.request(address, H.selfCheck);
      if (!r.ok || (r.data[0] ?? FAULT.ok) !== FAULT.ok) clean = false;
    }
    if (clean && this.faults.size) {
      this.faults.clear();
      this.emit('state', { state: this.state, reason: this.reason });
    }
  }

  private async applyAcceptance(on: boolean): Promise<boolean> {
    let ok = true;
    if (this.coinValues) ok = (await setAcceptance(this.bus, ADDRESS.coin, this.coinValues, on)) && ok;
    if (this.billValues) ok = (await setAcceptance(this.bus, ADDRESS.bill, this.billValues, on)) && ok;
    return ok;
  }

  /**
   * Starts or stops taking money. Starting is refused (false) while the device is offline or a
   * fault has not cleared; stopping always inhibits, whatever the device answers.
   */
  async accept(on: boolean): Promise<boolean> {
    if (on) {
      if (this.state !== 'online') return false;
      if (this.faults.size) await this.selfCheck();
      if (this.faults.size) return false;
    }
    this.accepting = on;
    const ok = await this.applyAcceptance(on);
    if (on && !ok) {
      this.accepting = false;
      await this.applyAcceptance(false);
    }
    return ok;
  }

  /** Pays an amount out of the hoppers (change, or money handed back). */
  payout(amount: number, progress: (s: PayoutStep) => void = () => {}): Promise<PayoutResult> {
    if (amount <= 0 || this.state !== 'online') return Promise.resolve({ requested: Math.max(0, amount), paid: 0 });
    return payout(this.bus, this.hoppers, amount, progress, this.opts.coinMs ?? 500);
  }

  /** One hopper's status (after a restart mid-payout: did the payout it was given finish?). */
  hopperStatus(address: number): Promise<HopperStatus | null> {
    return hopperStatus(this.bus, address);
  }
}
