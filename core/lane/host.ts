/**
 * The lane host: the kernel every command goes through. It looks the command up in the registry
 * (each feature registers its own), applies the gates every command shares (a self-checkout's
 * staff session, the lane lock), lets the handler plan, and commits the plan — machine events,
 * journal entries and rows, command log and lane snapshot — in one SQLite transaction before
 * anyone is told. It also assembles the snapshot the screens show and sends it once per burst.
 */
import type { AttendanceContext, AttendanceEvent } from '../selfcheckout/attendance-machine';
import type { AckResult, Command, CompletedSale, DeviceStatus, ErrorCode, Profile, ReceiptCopy, CashMovementResult, ReturnResult, Slip, Snapshot, StoreReportResult, TillReport } from '../../protocol/terminal';
import { basketHandlers } from '../basket/commands';
import { LineBuilder } from '../basket/lines';
import { Lookups } from '../basket/lookups';
import type { Catalog } from '../catalog/repo';
import { completeHandlers } from '../checkout/complete';
import { KioskCash } from '../selfcheckout/kiosk-cash';
import { recoverKioskCash } from '../selfcheckout/kiosk-cash-recovery';
import type { Clock } from '../clock';
import { sellAtDatedVat } from '../markets/vat';
import type { Db } from '../db';
import { BASKET_EDITS, commitLight } from '../db/durability';
import { LaneDevices } from '../devices/lane-status';
import type { CashDrawer } from '../devices/drawer';
import { CoreError } from '../errors';
import { GiftCards } from '../giftcards';
import { Journal } from '../journal';
import { Operators, type Operator } from '../operators';
import { Approvals } from '../operators/approvals';
import { sessionHandlers } from '../operators/session';
import { CardFlow } from '../payments/card-flow';
import type { CashDevicePort } from '../payments/cash-device';
import { tenderHandlers } from '../payments/tenders';
import { applyPromotions, promotionIndex, type PromotionIndex } from '../pricing/promotions';
import type { LogoImage } from '../printing/logo';
import type { PrintQueue } from '../printing/queue';
import { StoreDay } from '../peers/store-day';
import { Returns } from '../returns/commands';
import { Attendance } from '../selfcheckout/attendance';
import { recoveryWait } from '../peers/recovery-pending';
import { ProvisioningGate, provisionedAlready } from '../provisioning/gate';
import { Help } from '../selfcheckout/help';
import { kioskCashHost } from '../selfcheckout/cash-host';
import { Suspended } from '../suspend/commands';
import { TillDay } from '../till/day';
import { TillTse, tseClientId } from '../fiscal/tse/till';
import { TillControlUnit } from '../fiscal/control-unit/till';
import { DEFAULT_LANE_CONFIG, type CheckoutSnap, type ErrorListener, type HandleResult, type Lane, type LaneConfig, type LaneServiceOptions, type LaneSnapshot, type Plan, type TerminalIdentity } from './context';
import { laneStore, type LaneStore } from './store';
import { laneLocked } from './guards';
import { CommandRegistry } from './registry';
import { LaneMachines } from './machines';
import { buildSnapshot } from './snapshot';
import { SnapshotFeed, type Listener } from './feed';
export { DEFAULT_LANE_CONFIG, type HandleResult, type LaneConfig, type LaneServiceOptions, type TerminalIdentity } from './context';

export class LaneService implements Lane {
  /** The lane machine and its children, with the delays and timers the host provides. */
  private machines!: LaneMachines;
  version = 0;
  lastSale: CompletedSale | null = null;
  readonly now: Clock;
  readonly config: LaneConfig;
  readonly journal: Journal;
  readonly operators: Operators;
  readonly giftCards: GiftCards;
  readonly printQueue: PrintQueue | null;
  readonly logo: LogoImage | null;
  readonly tse: TillTse | null;
  readonly controlUnit: TillControlUnit | null;
  readonly log: (line: string) => void;
  attendant: Operator | null = null;
  disposed = false;
  /** Every command's handler, by the feature that owns it. */
  readonly registry = new CommandRegistry();
  private readonly store: LaneStore;
  /** Supervisor approvals and role checks (also for commands answered outside the lane's transaction). */
  readonly approvals: Approvals;
  private readonly till: TillDay;
  private readonly card: CardFlow;
  private readonly help: Help;
  private readonly attendance: Attendance;
  private readonly recovering: () => boolean; // a reflashed till waiting for its journal (core/peers/recovery-pending.ts)
  /** First-boot provisioning (core/provisioning): nothing sells until the terminal has its identity. */
  readonly provisioning = new ProvisioningGate();
  private readonly kioskCash: KioskCash;
  private readonly devices: LaneDevices;
  private promotions: PromotionIndex;
  /** Set inside a transaction that takes or pays out cash; the drawer opens once it commits. */
  private drawerDue: string | null = null;
  private readonly errorListeners = new Set<ErrorListener>();
  private readonly feed = new SnapshotFeed(() => this.snapshot(), () => !this.disposed && this.db.open);
  private syncStatus: (() => NonNullable<Snapshot['sync']>) | null = null;
  private catalogStatus: (() => NonNullable<Snapshot['catalog']>) | null = null;
  private peerStatus: (() => Snapshot['peers'] | null) | null = null;

  constructor(
    readonly db: Db,
    readonly catalog: Catalog,
    readonly profile: Profile,
    readonly identity: TerminalIdentity,
    opts: LaneServiceOptions,
  ) {
    this.now = opts.now;
    sellAtDatedVat(catalog, profile, this.now); // VAT by the business date (Sweden's food VAT, 2026–2027)
    this.config = { ...DEFAULT_LANE_CONFIG, ...opts.config };
    this.journal = opts.journal ?? new Journal(db);
    this.giftCards = new GiftCards(db, this.now, this.journal);
    this.operators = new Operators(db, this.now);
    this.printQueue = opts.printQueue ?? null;
    this.logo = opts.receiptLogo ?? null;
    this.controlUnit = opts.controlUnit ? new TillControlUnit(db, opts.controlUnit, this.journal, { now: this.now, changed: () => this.broadcast() }) : null;
    this.log = opts.log ?? (() => {});
    this.store = laneStore(db);
    this.recovering = recoveryWait(db);
    this.printQueue?.on('changed', () => this.broadcast());
    this.promotions = promotionIndex(this.store.promotions(), this.log);
    this.restore();
    this.tse = opts.tse ? new TillTse(db, opts.tse, tseClientId(identity.storeId, identity.laneId), this.journal, { openSale: () => this.checkoutSnap()?.context.saleId ?? null, log: this.log, now: this.now, currency: profile.currency, storeName: identity.storeName, location: identity.legal?.address ?? '' }) : null;
    this.approvals = new Approvals(this);
    this.devices = new LaneDevices(this);
    this.till = new TillDay(this, this.approvals, opts.journalArchiveDir ?? null);
    this.card = new CardFlow(this, opts.payments ?? null);
    this.help = new Help(this, this.approvals);
    this.kioskCash = new KioskCash(kioskCashHost(this, this.help, () => this.attendance.activity())); // money going in restarts the customer's idle clock
    const cannotSell = () => (this.controlUnit ? this.controlUnit.view().state !== 'ok' : false); // Sweden's control unit out
    this.attendance = new Attendance(this, { approvals: this.approvals, help: this.help, kioskCash: this.kioskCash, tillOpen: () => this.till.view() !== null, paymentDecision: () => this.card.decision?.reason ?? null, cannotSell });
    this.registerFeatures(opts);
    this.machines.startAttendance(this.config.mode === 'self');
    const co = this.checkoutSnap();
    if (co) this.kioskCash.rebuildView(co.context.saleId);
    // Card calls under way when the till stopped start again restored: a payment asks the terminal (one saved before calls were actors, too).
    setImmediate(() => (this.machines.cardPendingWithoutCall() ? this.card.recover() : this.machines.startCalls()));
  }

  /** Each feature registers the commands it owns. */
  private registerFeatures(opts: LaneServiceOptions): void {
    const lines = new LineBuilder(this, opts.scale ?? null);
    const lookups = new Lookups(this, lines);
    const { approvals, till, card } = this;
    this.registry
      .add(sessionHandlers(this, approvals))
      .add(till.handlers())
      .add(new StoreDay(this.db).handlers(this))
      .add(lookups.handlers())
      .add(basketHandlers(this, approvals, till, lines, lookups))
      .add(tenderHandlers(this, { approvals, card, kioskCash: this.kioskCash, staffHere: () => this.attendance.staffHere(), giftCardAnswer: (code) => lookups.giftCard(code, true)! }))
      .add(completeHandlers(this, opts.digitalReceiptLink ?? (() => null)))
      .add(new Returns(this, { approvals, till, lines, card, storeSales: opts.storeSales ?? null }).handlers())
      .add(new Suspended(this, till, lines, opts.storeSales ?? null).handlers())
      .add(this.help.handlers())
      .add(this.attendance.handlers())
      .addAsync('cardEndOfDay', async (cmd) => ({ cardEndOfDay: await this.card.endOfDay(approvals, cmd.approval) }))
      .addAsync('provisionSubmit', provisionedAlready).addAsync('provisionRetry', provisionedAlready);
  }

  /** Loads the persisted lane (and its open checkout, if any) or starts a fresh one. */
  private restore(): void {
    const stored = this.store.load();
    this.version = stored?.version ?? 0;
    this.lastSale = stored?.lastSale ?? null;
    this.machines = new LaneMachines(this.now, this.profile, {
      delays: () => this.attendance.delays(),
      card: () => this.card,
      log: (line) => this.log(line),
      onTimer: (fire, stepped) => this.timerFired(fire, stepped),
      transaction: (work) => this.db.transaction(work)(),
      save: (json, at) => this.store.save(this.version, json, this.lastSale, at),
    }, stored?.actor ?? null);
  }

  attendanceContext(): AttendanceContext { return this.machines.attendance(); }
  /** Records a change of attendance (help call, staff session, idle prompt) with the lane's snapshot, in one transaction; no new version. */
  attend(work: (at: string) => AttendanceEvent[]): void {
    this.machines.record(this.now().toISOString(), work);
    this.broadcast();
  }

  /** A delayed transition fired: what it changed is stored; one that fired on its own has the idle rules look at the lane. */
  private timerFired(fire: () => void, stepped: boolean): void {
    const before = this.attendanceContext();
    fire();
    if (this.disposed || !this.db.open) return;
    try {
      if (this.attendanceContext() !== before) this.attend(() => []);
    } catch (err) {
      this.log(`lane timer: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!stepped) this.attendance.tickIdle();
  }

  subscribe(listener: Listener): () => void { return this.feed.subscribe(listener); }
  get currentVersion(): number { return this.version; }
  laneSnap(): LaneSnapshot { return this.machines.lane(); }
  checkoutSnap(): CheckoutSnap | null { return this.machines.checkout(); }

  snapshot(): Snapshot {
    return buildSnapshot(this, {
      till: this.till.view(),
      help: this.help.current,
      attendance: this.attendance.view(),
      cash: (saleId) => this.kioskCash.viewFor(saleId),
      sync: this.syncStatus ? this.syncStatus() : null,
      catalog: this.catalogStatus ? this.catalogStatus() : null,
      peers: this.peerStatus ? (this.peerStatus() ?? null) : null,
      payment: this.card.snapshot(),
      devices: this.devices.view(),
      provisioning: this.provisioning.view(),
    });
  }

  // ---- what the composition root wires in (core/main.ts, devices, sync) ----
  setPrinterState(state: Snapshot['devices']['printer']['state']): void { this.devices.setPrinterState(state); }
  /** A device's live status; the payment terminal's also tells card payments whether it is there and registered. */
  setDeviceStatus(status: Omit<DeviceStatus, 'since'>): void { this.devices.setStatus(status); if (status.kind === 'payment') this.card.terminalStatus(status); }
  removeDeviceStatus(id: string): void { this.devices.removeStatus(id); }
  setWedge(w: { maxKeyGapMs: number; minLength: number }): void { this.devices.setWedge(w); }
  setCashDrawer(drawer: CashDrawer | null): void { this.devices.setCashDrawer(drawer); }
  setDrawerOpen(open: boolean, leftOpenMs = 30_000): void { this.devices.setDrawerOpen(open, leftOpenMs); }
  /** A self-checkout's cash device (none: an attendant takes the cash); a cash payment under way picks it up. */
  setCashDevice(port: CashDevicePort | null): void {
    void this.kioskCash.setDevice(port, () => recoverKioskCash(this.kioskCash)).catch((err: unknown) => this.log(`kiosk cash recovery: ${err instanceof Error ? err.message : String(err)}`));
  }
  /** Statuses shown to the lane that others own: replication to HQ (the uploader), the catalog (its updater), the store's peers (core/peers). */
  setSyncStatus(provider: (() => NonNullable<Snapshot['sync']>) | null): void { this.syncStatus = provider; this.broadcast(); }
  setCatalogStatus(provider: (() => NonNullable<Snapshot['catalog']>) | null): void { this.catalogStatus = provider; this.broadcast(); }
  setPeerStatus(provider: (() => Snapshot['peers'] | null) | null): void { this.peerStatus = provider; this.broadcast(); }
  /** A new catalog version is in use: promotions are read again (prices are looked up per scan). */
  catalogChanged(): void { this.promotions = promotionIndex(this.store.promotions(), this.log); this.broadcast(); }
  /** Re-sends the snapshot (a status outside the lane changed). */
  refresh(): void { this.broadcast(); }
  /** Fires the machines' timers due by the core's clock, then the self-checkout idle rules (they run on their own; tests step them). */
  tickIdle(): void { this.machines.timers.runDue(); this.attendance.tickIdle(); }

  /** Stops timers (the core is shutting down). */
  dispose(): void {
    this.disposed = true;
    this.tse?.starts.dispose();
    this.controlUnit?.stop();
    this.kioskCash.dispose();
    this.devices.dispose();
    this.machines.dispose();
  }

  notifyError(code: ErrorCode, message: string, params?: Record<string, string | number>): void { for (const l of this.errorListeners) l(code, message, params); }
  /** An error from a device-originated command (a hardware scan), shown on the lane like any other. */
  reportError(code: ErrorCode, message: string, params?: Record<string, string | number>): void {
    this.notifyError(code, message, params);
  }
  /** Errors that arrive later than the command that caused them (a declined card). */
  subscribeErrors(listener: ErrorListener): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  /** Runs `fn` after `ms` of the core's clock, on the machines' timers (a test's clock steps them). */
  after(ms: number, fn: () => void): () => void { const id = this.machines.timers.setTimeout(() => !this.disposed && fn(), ms); return () => this.machines.timers.clearTimeout(id); }

  /** Marks the snapshot stale: it is sent once per burst (feed.ts). */
  broadcast(): void { this.feed.broadcast(); }
  /** Sends the snapshot now if something changed since the last one was sent (before an ack). */
  flush(): void { this.feed.flush(); }

  // ---- the kernel ----

  /**
   * A command from the attendant view: `by` was authenticated there (supervisor credentials) and
   * approves what the command needs (age check, void, help), journalled as their approval.
   */
  handleAsAttendant(cmd: Command, by: Operator): HandleResult {
    this.attendant = by;
    try {
      return this.handle(cmd);
    } finally {
      this.attendant = null;
    }
  }

  /**
   * Executes one validated lane command. Returns the new version (and the command's answer), or
   * throws a CoreError and changes nothing.
   */
  handle(cmd: Command): HandleResult {
    this.attendance.touch();
    this.provisioning.check(cmd.cmd);
    const handler = this.registry.laneHandler(cmd.cmd);
    if (!handler) {
      throw new CoreError('NOT_ALLOWED_NOW', `${cmd.cmd} is answered by the Terminal API, not as a lane command.`);
    }
    if (!handler.ungated) {
      if (this.recovering()) throw new CoreError('RECOVERING', 'This till is getting its journal back from the store’s other tills or HQ; it sells again when that is done.');
      this.attendance.requireStaff(cmd.cmd);
      if (this.laneSnap().context.locked && cmd.cmd !== 'unlock') throw laneLocked();
    }
    this.approvals.reset();
    const out = handler.run(cmd); // validates; throws CoreError before anything changes
    if ('answer' in out) return out.answer ? { version: this.version, result: out.answer } : { version: this.version };
    const approval = this.approvals.take();
    if (approval) {
      const laneCtx = this.laneSnap().context;
      const saleId = this.checkoutSnap()?.context.saleId ?? null;
      out.before = (at) => {
        this.journal.append('approval', saleId, { ...approval, operator: laneCtx.operator, lane: this.identity.laneId, saleId }, at);
      };
    }
    const r = this.commitPlan(out, cmd, BASKET_EDITS.has(cmd.cmd));
    out.afterCommit?.();
    return out.answerAfter ? { ...r, result: out.answerAfter() } : r;
  }

  /**
   * Any command, through its registered handler: a lane command commits before this resolves; an
   * async one (device tests, store IT, the terminal's end of day) resolves with its answer.
   */
  async dispatch(cmd: Command): Promise<{ version: number; result?: AckResult }> {
    const run = this.registry.asyncHandler(cmd.cmd);
    if (!run) return this.handle(cmd);
    this.provisioning.check(cmd.cmd);
    const result = await run(cmd);
    return result ? { version: this.version, result } : { version: this.version };
  }

  /** Commits a plan no command carried (a terminal's answer, an idle rule). */
  commit(plan: Plan, logged: unknown): HandleResult {
    return this.commitPlan(plan, logged, false);
  }

  openDrawerAfterCommit(reason: string): void {
    this.drawerDue = reason;
  }

  /**
   * Runs a plan's machine events and effects, persisting everything in one transaction. A basket
   * edit that records nothing else is committed without its own fsync (core/db/durability.ts).
   */
  private commitPlan(plan: Plan, logged: unknown, basketEdit: boolean): HandleResult {
    if (plan.steps.length === 0 && !plan.effects?.length && !plan.before) return { version: this.version };
    const before = this.machines.persisted();
    const lastSaleBefore = this.lastSale;
    const coBefore = this.checkoutSnap();
    let result: TillReport | StoreReportResult | ReturnResult | Slip | ReceiptCopy | CashMovementResult | undefined;
    this.drawerDue = null;
    try {
      const at = this.now().toISOString();
      const write = this.db.transaction(() => {
        plan.before?.(at);
        for (const step of plan.steps) {
          // A machine that would refuse the event refuses the command (its own rules, asked with can()).
          if (step.to === 'lane') this.machines.sendLane(step.event);
          else this.machines.sendCheckout(step.event, true);
          if (step.after) step.after(at);
        }
        this.repriceIfNeeded();
        const version = this.version + 1;
        const co = this.checkoutSnap();
        const afterJson = JSON.stringify(this.machines.persisted());
        for (const effect of plan.effects ?? []) result = effect(at) ?? result;
        this.store.logCommand(version, at, co?.context.saleId ?? plan.saleId ?? null, { cmd: logged, events: plan.steps.map((s) => s.event) });
        // A sale completed and journalled in this transaction needs its command log no more.
        if (this.lastSale && this.lastSale !== lastSaleBefore) this.store.pruneSaleCommands(this.lastSale.saleId);
        this.store.save(version, afterJson, this.lastSale, at);
        return version;
      });
      const light = basketEdit && !plan.before && !plan.effects?.length && !plan.afterCommit && plan.steps.every((st) => !st.after);
      this.version = light ? commitLight(this.db, () => write.immediate()) : write.immediate();
    } catch (err) {
      this.drawerDue = null;
      // Roll the in-memory actors back to what is on disk.
      this.machines.rollBack(before);
      this.lastSale = lastSaleBefore;
      if (err instanceof CoreError) throw err;
      throw new CoreError('STORAGE_FAILED', `The change could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
    // Committed: the card calls it invoked go to the terminal now; a sale begun or ended has its TSE transaction started or aborted (off this path).
    this.machines.startCalls();
    this.tse?.starts.follow(coBefore, this.checkoutSnap()?.context.saleId ?? null, this.lastSale?.saleId ?? null);
    // A self-checkout's help call belongs to its customer: it ends with their sale (the next customer starts clean).
    if (this.config.mode === 'self' && coBefore && this.help.current && !this.checkoutSnap()) this.help.end(null, 'saleEnded');
    // Committed: a cash movement opens the drawer now.
    const due = this.drawerDue;
    this.drawerDue = null;
    if (due) this.devices.openDrawer(due);
    this.broadcast();
    return result ? { version: this.version, result } : { version: this.version };
  }

  /**
   * Re-evaluates promotions after any change to an open basket (before payment) and records the
   * result in the checkout, so a restored basket shows exactly the prices it had.
   */
  private repriceIfNeeded(): void {
    const co = this.checkoutSnap();
    if (!co || co.context.tenders.length > 0 || !co.hasTag('basket')) return;
    const promos = applyPromotions(co.context.lines, this.promotions, { now: this.now(), timeZone: this.profile.timeZone, member: co.context.member !== null });
    if (JSON.stringify(promos) !== JSON.stringify(co.context.promotions)) this.machines.sendCheckout({ type: 'REPRICE', promotions: promos });
  }
}
