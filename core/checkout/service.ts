/**
 * The lane service: turns validated Terminal API commands into machine events, and persists
 * every change (command log + lane snapshot, and for a completed sale the sale, its journal
 * entry and its outbox row) in one SQLite transaction before anyone is told.
 */
import { exponentialDelay } from '../../common/backoff';
import { createActor, type Actor, type SnapshotFrom } from 'xstate';
import type { Approval, Command, DepartmentList, ErrorCode, ProduceList, SuspendedList, ReceiptCopy, ReturnResult, SaleLookup, Slip, Tender, CompletedSale, DenominationCount, Line, PriceCheckResult, WeighPreview, Profile, DeviceStatus, Snapshot, TillReport } from '../../protocol/terminal';
import type { PaymentPrompt } from '../../protocol/terminal/payment-prompt';
import { buildTillReport, renderTillReport, type ReportEntry } from '../till/report';
import type { Db } from '../db';
import { BASKET_EDITS, commitLight } from '../db/durability';
import type { Catalog, CatalogItem } from '../catalog/repo';
import { resolveBarcode } from '../catalog/barcode';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import { Journal } from '../journal';
import { cashToPay, lineTotal } from '../pricing';
import { applyPromotions, loadPromotions, PromotionIndex } from '../pricing/promotions';
import { renderReceipt, renderReturnReceipt, renderSlip, trainingWords, type SaleRecord } from '../receipt/text';
import { refundKey, returnable, returnLines, returnVat, splitRefund, type OriginalSale, type RefundPart, type ReturnedLine } from '../returns';
import { checkoutGuards, laneMachine, pendingAgeCheck, totalsOf, type CheckoutContext, type CheckoutEvent, type LaneEvent } from './machines';
import { Operators, type Operator } from '../operators';
import type { CardResult, PaymentPort, PaymentProgress, PaymentRef, Recovery } from '../payments/port';
import { TrainingPaymentPort } from '../payments/training';
import type { PrintQueue } from '../printing/queue';
import type { WeightSource } from '../devices/scale';
import { encodeReceipt } from '../printing/escpos-receipt';
import type { CashDrawer } from '../devices/drawer';
import type { LogoImage } from '../printing/logo';
import { storeDate, type Clock } from '../clock';
import { packReceipt, SALE_BODY, unpackReceipt } from '../db/sale-body';
import { archiveJournal } from '../journal/archive';
import { KioskCash } from './kiosk-cash';
import { recoverKioskCash } from './kiosk-cash-recovery';
import type { CashDevicePort } from '../payments/cash-device';
import { GiftCards, routeGiftCardRefund } from '../giftcards';
import type { GiftCardResult } from '../../protocol/gift-card';

export interface TerminalIdentity {
  storeId: string;
  storeName: string;
  laneId: string;
}

export interface LaneServiceOptions {
  /** The core's clock (core/clock.ts): every instant the lane records or reasons about. */
  now: Clock;
  /** The payment terminal; without one, card tenders are refused. */
  payments?: PaymentPort;
  /** Durable receipt printing; without one, receipts are shown on screen only. */
  printQueue?: PrintQueue;
  /** The checkout scale: weighed items without a weight in their barcode take its stable weight. */
  scale?: WeightSource;
  config?: Partial<LaneConfig>;
  /** Printed at the top of every receipt. */
  receiptLogo?: LogoImage | null;
  /** Signs journal entries (the terminal's Ed25519 key in production). */
  journal?: Journal;
  /** Where older journal entries are archived after each Z (journal/archive.ts); without it the journal is kept whole. */
  journalArchiveDir?: string;
  log?: (line: string) => void;
  /** The link of a digital receipt (core/receipt/digital.ts), made when the customer chose one; null when none can be made. */
  digitalReceiptLink?: (receiptText: string) => string | null;
}

type LaneActor = Actor<typeof laneMachine>;
type LaneSnapshot = SnapshotFrom<typeof laneMachine>;
type CheckoutSnap = { value: string; context: CheckoutContext };

interface StoredState {
  actor: unknown;
  lastSale: CompletedSale | null;
}

export interface LaneConfig {
  /** Staffed lane (the cashier confirms age) or self-checkout (a supervisor approves). */
  mode: 'staffed' | 'self';
  /** Cancelling a sale whose total is above this (minor units) needs a supervisor. */
  cancelApprovalAbove: number;
  /** A cashier alone may discount up to this percent (basis points) … */
  discountLimitPercentBp: number;
  /** … and up to this amount (minor units), per line or per sale; more needs a supervisor. */
  discountLimitAmount: number;
  /** While the card terminal is offline (store and forward): largest card payment (minor units) … */
  offlineCardLimit: number;
  /** … and most unsettled offline card money on this lane (minor units). */
  offlineCardPendingLimit: number;
  /** Self-checkout: whether the kiosk takes cash (card only by default). */
  selfCash: boolean;
  /** Voiding a line worth more than this (minor units) on a staffed lane needs a supervisor. */
  voidApprovalAbove: number;
  /** An item sold at a keyed price (not in the catalog) above this (minor units) needs a supervisor. */
  openPriceApprovalAbove: number;
  /** Self-checkout idle rules: an unpaid basket nobody touched for this long is abandoned … */
  idleAbandonMs: number;
  /** … after an "are you still there?" prompt this long; */
  idleWarnMs: number;
  /** a paid basket is completed (receipt printed) after this long without a receipt choice. */
  paidCompleteMs: number;
}

/** How long a self-checkout staff session lasts without a command. */
const STAFF_SESSION_MS = 120_000;

/** What a customer at a self-checkout may do without staff (approvals still apply where the command asks for one). */
const CUSTOMER_COMMANDS: ReadonlySet<Command['cmd']> = new Set<Command['cmd']>([
  'ping', 'scan', 'subtotal', 'backToSale', 'tenderCard', 'tenderCash', 'tenderVoucher', 'memberCard', 'complete', 'abortPayment',
  'callHelp', 'clearHelp', 'reportMissingItem', 'produceList', 'weighPreview', 'departments', 'priceCheck', 'confirmAge', 'voidLine', 'voidLast', 'cancelSale',
  'staffCheck', 'staffDone', 'customerLanguage', 'cancelCash',
]);

export const DEFAULT_LANE_CONFIG: LaneConfig = { mode: 'staffed', cancelApprovalAbove: 50_000, discountLimitPercentBp: 1_000, discountLimitAmount: 2_000, offlineCardLimit: 50_000, offlineCardPendingLimit: 200_000, selfCash: false, voidApprovalAbove: 100_000, openPriceApprovalAbove: 50_000, idleAbandonMs: 120_000, idleWarnMs: 30_000, paidCompleteMs: 30_000 };

export interface HandleResult {
  version: number;
  result?: PriceCheckResult | GiftCardResult | TillReport | SaleLookup | ReturnResult | Slip | ReceiptCopy | ProduceList | WeighPreview | DepartmentList | SuspendedList;
}

type Listener = (snapshot: Snapshot) => void;

export class LaneService {
  private lane!: LaneActor;
  private version = 0;
  private lastSale: CompletedSale | null = null;
  private readonly operators: Operators;
  private readonly config: LaneConfig;
  private readonly payments: PaymentPort | null;
  private readonly trainingPayments: TrainingPaymentPort;
  private readonly printQueue: PrintQueue | null;
  private readonly scale: WeightSource | null;
  private printerState: Snapshot['devices']['printer']['state'] = 'none';
  private drawer: Snapshot['devices']['drawer'] = { state: 'none', openSince: null, leftOpen: false };
  private drawerTimer: NodeJS.Timeout | null = null;
  private readonly deviceList = new Map<string, DeviceStatus>();
  private cashDrawer: CashDrawer | null = null;
  /** A price-computing scale is weighing; its weight for this code, once it answered. */
  private weighing = false;
  private weighed: { code: string; grams: number } | null = null;
  private wedge = { maxKeyGapMs: 30, minLength: 4 };
  /** Set inside a transaction that takes or pays out cash; the drawer opens once it commits. */
  private drawerDue: string | null = null;
  private readonly log: (line: string) => void;
  private readonly logo: LogoImage | null;
  private readonly cardInFlight = new Set<string>();
  /** What the payment terminal shows right now (its intermediate texts), for the cashier. */
  private paymentText: string | null = null;
  /** The open sale's last card payment was declined (the customer display says so until the next attempt). */
  private lastDecline: { saleId: string; at: string } | null = null;
  /** Kassa's prompt code behind paymentText, when the terminal sent no text of its own. */
  private paymentPrompt: PaymentPrompt | null = null;
  /** A payment whose outcome the terminal could not confirm: a supervisor decides, with this. */
  private paymentDecision: { attemptId: string; reason: string; terminalReceipt: string[] } | null = null;
  /** The terminal's last payment was approved offline (it stores and forwards). */
  private terminalOffline = false;
  /** Offline card payments awaiting the end of day; recomputed after approvals and end of day. */
  private offlineCache: { pendingCount: number; pendingAmount: number; oldestAt: string | null } | null = null;
  /** Shut down: late answers from devices and terminals are dropped, not written. */
  private disposed = false;
  private pendingApproval: { action: string; approvedBy: string; self: boolean } | null = null;
  /** An attendant authenticated by the attendant API: their approval for the command being handled. */
  private attendant: Operator | null = null;
  /** Self-checkout: staff who proved who they are at the kiosk (staffCheck), until when. */
  private staffSession: { by: string; until: number } | null = null;
  /** The language the customer chose (the customer display follows it); the store's when null. */
  private customerLang: 'sv' | 'de' | 'en' | null = null;
  /** A call for staff, shown in the attendant view until staff clear it. */
  private help: NonNullable<Snapshot['lane']['help']> | null = null;
  /** Self-checkout: the last command from the kiosk, and the idle prompt's deadline. */
  private lastActivity = 0;
  private idleUntil: string | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private promotions: PromotionIndex;
  private readonly errorListeners = new Set<(code: ErrorCode, message: string, params?: Record<string, string | number>) => void>();
  private readonly listeners = new Set<Listener>();
  private snapshotStale = false;
  private readonly journal: Journal;
  private readonly giftCards: GiftCards;
  private readonly journalArchiveDir: string | null;
  private readonly digitalReceiptLink: (receiptText: string) => string | null;
  /** The core's clock, for the parts composed around the lane (API, attendant listener). */
  readonly now: Clock;
  private readonly stmts;
  /** Cash at a self-checkout: through the cash device, or confirmed by an attendant (kiosk-cash.ts). */
  private readonly kioskCash: KioskCash;

  constructor(
    private readonly db: Db,
    private readonly catalog: Catalog,
    private readonly profile: Profile,
    private readonly identity: TerminalIdentity,
    opts: LaneServiceOptions,
  ) {
    this.now = opts.now;
    this.journal = opts.journal ?? new Journal(db);
    this.giftCards = new GiftCards(db, this.now, this.journal);
    this.journalArchiveDir = opts.journalArchiveDir ?? null;
    this.operators = new Operators(db, this.now);
    this.payments = opts.payments ?? null;
    this.trainingPayments = new TrainingPaymentPort(trainingWords(profile));
    this.printQueue = opts.printQueue ?? null;
    this.scale = opts.scale ?? null;
    this.log = opts.log ?? (() => {});
    this.logo = opts.receiptLogo ?? null;
    this.digitalReceiptLink = opts.digitalReceiptLink ?? (() => null);
    this.printQueue?.on('changed', () => this.broadcast());
    this.promotions = this.loadPromotionIndex();
    this.config = { ...DEFAULT_LANE_CONFIG, ...opts.config };
    this.stmts = {
      loadState: db.prepare<[], { version: number; snapshot: string }>('SELECT version, snapshot FROM lane_state WHERE id = 1'),
      saveState: db.prepare(
        `INSERT INTO lane_state (id, version, snapshot, updated_at) VALUES (1, @version, @snapshot, @at)
         ON CONFLICT (id) DO UPDATE SET version = excluded.version, snapshot = excluded.snapshot, updated_at = excluded.updated_at`,
      ),
      logCommand: db.prepare('INSERT INTO command_log (version, at, sale_id, command) VALUES (?, ?, ?, ?)'),
      // Retention (docs/retention.md): a completed sale's commands are in its journal entry; a Z closes the day's log.
      pruneSaleCommands: db.prepare('DELETE FROM command_log WHERE sale_id = ?'),
      pruneCommandsThrough: db.prepare('DELETE FROM command_log WHERE version <= ?'),
      // Sales and returns share the outbox's gapless sequence; acknowledged outbox rows are compacted, the sales stay.
      nextSequence: db.prepare<[], { next: number }>('SELECT coalesce(max(sequence), 0) + 1 AS next FROM sale'),
      lastEndOfDay: db.prepare<[], { seq: number | null }>("SELECT max(seq) AS seq FROM journal WHERE kind = 'payment.endOfDay'"),
      insertSale: db.prepare(
        // The body is kept once, in the journal entry (journal_seq); archiving the journal writes it back.
        `INSERT INTO sale (sale_id, sequence, completed_at, business_date, operator, total, rounding, body, receipt_text, journal_seq, original_sale_id)
         VALUES (@saleId, @sequence, @completedAt, @businessDate, @operator, @total, @rounding, '', '', @journalSeq, @originalSaleId)`,
      ),
      // The payload is read from the sale's journal entry when sent (sync/uploader.ts, OUTBOX_BATCH_SQL).
      insertOutbox: db.prepare("INSERT INTO outbox (sequence, sale_id, kind, payload, created_at) VALUES (?, ?, ?, '', ?)"),
      // The text is stored deflated: pass packReceipt(text) (db/sale-body.ts).
      insertReceipt: db.prepare<[string, string, string, string, Buffer]>("INSERT INTO receipt (receipt_id, sale_id, kind, created_at, text, packed) VALUES (?, ?, ?, ?, '', ?)"),
      openSession: db.prepare<[], TillSessionRow>('SELECT session_id, opened_at, opened_by, open_seq, float_total FROM till_session WHERE closed_at IS NULL'),
      insertSession: db.prepare('INSERT INTO till_session (session_id, opened_at, opened_by, open_seq, float_total) VALUES (?, ?, ?, ?, ?)'),
      closeSession: db.prepare(
        'UPDATE till_session SET closed_at = ?, closed_by = ?, counted_total = ?, expected_cash = ?, over_short = ?, z_number = ? WHERE session_id = ?',
      ),
      nextZ: db.prepare<[], { next: number }>('SELECT coalesce(max(z_number), 0) + 1 AS next FROM till_session'),
      // Retention (docs/retention.md): a printed job's row (its hash and outcome) stays through the
      // next day; at a Z those made before the previous Z go (partial index print_job_sent).
      printedBefore: db.prepare<[], { value: string }>("SELECT value FROM terminal_meta WHERE key = 'print_job.prune_before'"),
      setPrintedBefore: db.prepare("INSERT INTO terminal_meta (key, value) VALUES ('print_job.prune_before', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
      prunePrinted: db.prepare("DELETE FROM print_job WHERE state = 'sent' AND created_at < ?"),
      insertMovement: db.prepare('INSERT INTO cash_movement (movement_id, session_id, kind, amount, reason, operator, approved_by, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      journalFrom: db.prepare<[number], { seq: number; kind: string; body: string }>('SELECT seq, kind, body FROM journal WHERE seq >= ? ORDER BY seq'),
      lastZ: db.prepare<[], { body: string }>("SELECT body FROM journal WHERE kind = 'report.z' ORDER BY seq DESC LIMIT 1"),
      saleById: db.prepare<[string], { sale_id: string; sequence: number; completed_at: string; body: string }>(
        `SELECT s.sale_id, s.sequence, s.completed_at, ${SALE_BODY} AS body FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.sale_id = ?`,
      ),
      returnedQty: db.prepare<[string], { line_id: string; q: number }>('SELECT line_id, sum(quantity) AS q FROM return_line WHERE original_sale_id = ? GROUP BY line_id'),
      earlierRefunds: db.prepare<[string], { body: string }>(`SELECT ${SALE_BODY} AS body FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq WHERE s.original_sale_id = ?`),
      receiptOf: db.prepare<[string], { text: string; packed: Buffer | null }>("SELECT text, packed FROM receipt WHERE sale_id = ? AND kind IN ('sale', 'training') ORDER BY created_at LIMIT 1"),
      insertSuspended: db.prepare('INSERT INTO suspended_sale (suspend_id, created_at, operator, payload) VALUES (?, ?, ?, ?)'),
      suspended: db.prepare<[string], { payload: string; resumed_at: string | null }>('SELECT payload, resumed_at FROM suspended_sale WHERE suspend_id = ?'),
      openSuspended: db.prepare<[], { suspend_id: string; created_at: string; operator: string | null; payload: string }>(
        'SELECT suspend_id, created_at, operator, payload FROM suspended_sale WHERE resumed_at IS NULL ORDER BY created_at DESC, suspend_id DESC LIMIT 50',
      ),
      markResumed: db.prepare('UPDATE suspended_sale SET resumed_at = ?, resumed_sale = ? WHERE suspend_id = ? AND resumed_at IS NULL'),
      insertReturnLine: db.prepare('INSERT INTO return_line (return_id, original_sale_id, line_id, quantity, amount) VALUES (?, ?, ?, ?, ?)'),
    };
    this.restore();
    this.kioskCash = new KioskCash({
      now: this.now,
      db,
      journal: this.journal,
      laneId: this.identity.laneId,
      log: (l) => this.log(l),
      checkout: () => this.checkoutSnap(),
      commit: (plan, logged) => {
        this.commit(plan, logged);
        this.lastActivity = this.now().getTime(); // money going in is the customer at work
      },
      callStaff: (detail) => this.help === null && this.setHelp('cash', detail),
      endCashCall: (by) => this.help?.reason === 'cash' && this.endHelp(by, 'answered'),
      changed: () => this.broadcast(),
      disposed: () => this.disposed,
    });
    const co = this.checkoutSnap();
    if (co) this.kioskCash.rebuildView(co.context.saleId);
    this.lastActivity = this.now().getTime();
    if (this.config.mode === 'self') {
      this.idleTimer = setInterval(() => this.tickIdle(), 1_000);
      this.idleTimer.unref();
    }
    // A card payment that was under way when the till stopped: ask the terminal what became of it.
    if (this.checkoutSnap()?.value === 'cardPending') setImmediate(() => this.recoverPayment());
  }

  /** Loads the persisted lane (and its open checkout, if any) or starts a fresh one. */
  private restore(): void {
    const row = this.stmts.loadState.get();
    if (row) {
      const stored = JSON.parse(row.snapshot) as StoredState;
      this.version = row.version;
      this.lastSale = stored.lastSale ?? null;
      this.lane = createActor(laneMachine, { snapshot: stored.actor as LaneSnapshot, input: { profile: this.profile } });
    } else {
      this.version = 0;
      this.lane = createActor(laneMachine, { input: { profile: this.profile } });
    }
    this.lane.start();
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get currentVersion(): number {
    return this.version;
  }

  private laneSnap(): LaneSnapshot {
    return this.lane.getSnapshot();
  }

  private checkoutSnap(): CheckoutSnap | null {
    const child = this.laneSnap().children.checkout;
    if (!child) return null;
    const s = child.getSnapshot();
    return { value: String(s.value), context: s.context };
  }

  snapshot(): Snapshot {
    const lane = this.laneSnap();
    const co = this.checkoutSnap();
    return {
      version: this.version,
      terminal: { ...this.identity },
      profile: this.profile,
      lane: {
        state: lane.value as Snapshot['lane']['state'],
        operator: lane.context.operator,
        operatorName: lane.context.operatorName,
        role: lane.context.role,
        locked: lane.context.locked,
        training: lane.context.training,
        mode: this.config.mode,
        till: this.tillView(),
        help: this.help,
        customerLang: this.customerLang,
        selfCheckout: this.config.mode === 'self' ? { cashAllowed: this.config.selfCash, idleUntil: this.idleUntil, staff: this.staffSession?.by ?? null } : null,
      },
      checkout:
        co && (co.value === 'scanning' || co.value === 'subtotal' || co.value === 'cardPending' || co.value === 'cashPending' || co.value === 'reversing' || co.value === 'paid')
          ? {
              saleId: co.context.saleId,
              state: co.value,
              cardAttempt: co.context.cardAttempt,
              saleDiscount: co.context.saleDiscount,
              member: co.context.member ? `…${co.context.member.slice(-4)}` : null,
              lines: co.context.lines,
              totals: totalsOf(co.context),
              tenders: co.context.tenders,
              startedAt: co.context.startedAt,
              ageCheckPending: pendingAgeCheck(co.context),
              training: co.context.training,
              cash: this.kioskCash.viewFor(co.context.saleId),
            }
          : null,
      lastSale: this.lastSale,
      sync: this.syncStatus ? this.syncStatus() : null,
      catalog: this.catalogStatus ? this.catalogStatus() : null,
      payment: {
        offline: { terminalOffline: this.terminalOffline, ...this.offlinePending() },
        text: this.paymentText,
        prompt: this.paymentText === null ? null : this.paymentPrompt,
        declined: this.lastDecline,
        decision: this.paymentDecision ? { reason: this.paymentDecision.reason, terminalReceipt: this.paymentDecision.terminalReceipt } : null,
      },
      devices: {
        printer: { state: this.printQueue ? this.printerState : 'none', ...(this.printQueue ? this.printQueue.counts() : { queued: 0, uncertain: 0 }) },
        drawer: this.drawer,
        list: [...this.deviceList.values()],
        wedge: this.wedge,
      },
    };
  }

  /** Device status changes are shown at once; they are not commands and change no version. */
  setPrinterState(state: Snapshot['devices']['printer']['state']): void {
    if (state === this.printerState) return;
    this.printerState = state;
    this.broadcast();
  }

  /**
   * Store IT's device tests are for IT or a supervisor (signed in, or approving with their
   * credentials); each one is journaled, so a drawer opened from the service screen is accounted for.
   */
  authorizeDeviceTest(device: string, action: string, approval: Approval | undefined): string {
    const ctx = this.laneSnap().context;
    const by = this.authorizeRole('deviceTest', ['it', 'supervisor'], approval, () => 'Device tests are for store IT or a supervisor.', 'Device tests are for store IT or a supervisor.');
    if (action !== 'info') {
      const at = this.now().toISOString();
      this.db.transaction(() => this.journal.append('device.test', null, { device, action, by, operator: ctx.operator, lane: this.identity.laneId }, at))();
    }
    return by;
  }

  /**
   * Actions outside a lane command (device tests, the card end of day): allowed to an operator of
   * one of these roles who is signed in, or who approves with their credentials. Returns who.
   */
  private authorizeRole(action: string, roles: readonly string[], approval: Approval | undefined, denied: (name: string) => string, required: string): string {
    const ctx = this.laneSnap().context;
    // At a self-checkout the signed-in operator only opened the kiosk: whoever stands there proves who they are.
    if (this.config.mode === 'staffed' && ctx.operator && ctx.role && roles.includes(ctx.role)) return ctx.operator;
    if (!approval) throw new CoreError('APPROVAL_REQUIRED', required, { action });
    const op = 'badge' in approval ? this.operators.authenticateBadge(approval.badge) : this.operators.authenticate(approval.operator, approval.pin);
    if (!roles.includes(op.role)) throw new CoreError('APPROVAL_DENIED', denied(op.name), { action });
    return op.id;
  }

  private syncStatus: (() => NonNullable<Snapshot['sync']>) | null = null;

  /** Replication status shown to the lane (the uploader owns it). */
  setSyncStatus(provider: (() => NonNullable<Snapshot['sync']>) | null): void {
    this.syncStatus = provider;
    this.broadcast();
  }

  private catalogStatus: (() => NonNullable<Snapshot['catalog']>) | null = null;

  /** Catalog status shown to the lane (the catalog updater owns it). */
  setCatalogStatus(provider: (() => NonNullable<Snapshot['catalog']>) | null): void {
    this.catalogStatus = provider;
    this.broadcast();
  }

  private loadPromotionIndex(): PromotionIndex {
    return new PromotionIndex(loadPromotions(this.db.prepare<[], { id: string; spec: string }>('SELECT id, spec FROM promotion').all(), this.log));
  }

  /** A new catalog version is in use: promotions are read again (prices are looked up per scan). */
  catalogChanged(): void {
    this.promotions = this.loadPromotionIndex();
    this.broadcast();
  }

  /** Re-sends the snapshot (a status outside the lane changed). */
  refresh(): void {
    this.broadcast();
  }

  /** Keyboard-wedge timing from the device configuration, passed on to the UI. */
  setWedge(w: { maxKeyGapMs: number; minLength: number }): void {
    this.wedge = w;
    this.broadcast();
  }

  /**
   * Weighs an item on a price-computing scale, then sells it with the weight the scale reported, if
   * the scale's own price for it is the line's price. One weighing at a time; refusals are told to
   * the lane with the scale's reason.
   */
  private startWeighing(cmd: Extract<Command, { cmd: 'scan' }>, item: CatalogItem): void {
    if (this.weighing) return;
    this.weighing = true;
    const scale = this.scale!;
    void scale
      .weigh!({ unitPricePerKg: item.price, name: item.name })
      .then((r) => {
        if ('refused' in r) {
          this.reportError('WEIGHT_REQUIRED', `${item.name}: no weight from the scale (${r.detail ?? r.refused}).`, { name: item.name, reason: r.refused });
          return;
        }
        if (r.priceToPay !== lineTotal('weight', item.price, 1, r.grams)) {
          this.log(`scale: price to pay ${r.priceToPay} for ${r.grams} g of ${item.id} differs from the till's ${lineTotal('weight', item.price, 1, r.grams)}; line refused`);
          this.reportError('WEIGHT_REQUIRED', `${item.name}: the scale's price does not match the till's; weigh again or call IT.`, { name: item.name, reason: 'invalid' });
          return;
        }
        this.weighed = { code: cmd.code, grams: r.grams };
        try {
          const { id: _id, ...rest } = cmd;
          this.handle({ ...rest, id: `scale-${uuidv7(this.now().getTime())}` } as Command);
        } catch (err) {
          if (err instanceof CoreError) this.reportError(err.code, err.message, err.params);
          else this.log(`scale: ${err instanceof Error ? err.message : String(err)}`);
        } finally {
          this.weighed = null;
        }
      })
      .catch((err: unknown) => this.log(`scale: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        this.weighing = false;
      });
  }

  /** A self-checkout's cash device (none: an attendant takes the cash); a cash payment under way picks it up. */
  setCashDevice(port: CashDevicePort | null): void {
    void this.kioskCash.setDevice(port, () => recoverKioskCash(this.kioskCash)).catch((err: unknown) => this.log(`kiosk cash recovery: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** The lane's cash drawer (kicked through the printer, or on its own serial line). */
  setCashDrawer(drawer: CashDrawer | null): void {
    this.cashDrawer = drawer;
  }

  /** Opens the drawer after a committed cash movement; a drawer that cannot open is told to the lane. */
  private openDrawer(reason: string): void {
    if (!this.cashDrawer) return;
    let ok = false;
    try {
      ok = this.cashDrawer.open();
    } catch (err) {
      this.log(`drawer: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!ok) this.reportError('DRAWER_UNAVAILABLE', `The cash drawer did not open (${reason}); open it with the key.`);
  }

  /** A device's live status (online, warning, offline and why); shown to the lane and store IT. */
  setDeviceStatus(status: Omit<DeviceStatus, 'since'>): void {
    const old = this.deviceList.get(status.id);
    if (old && old.state === status.state && old.detail === status.detail && old.connection === status.connection) return;
    this.deviceList.set(status.id, { ...status, since: old && old.state === status.state ? old.since : this.now().toISOString() });
    this.broadcast();
  }

  /** A device left the configuration (store IT saved a new one): it leaves the list. */
  removeDeviceStatus(id: string): void {
    if (this.deviceList.delete(id)) this.broadcast();
  }

  /**
   * The drawer sensor (through the printer). A drawer left open longer than `leftOpenMs` is an
   * event on the lane and in the journal; it never blocks a sale.
   */
  setDrawerOpen(open: boolean, leftOpenMs = 30_000): void {
    const state = open ? 'open' : 'closed';
    if (this.drawer.state === state) return;
    if (this.drawerTimer) clearTimeout(this.drawerTimer);
    this.drawerTimer = null;
    this.drawer = { state, openSince: open ? this.now().toISOString() : null, leftOpen: false };
    if (open) {
      this.drawerTimer = setTimeout(() => {
        this.drawer = { ...this.drawer, leftOpen: true };
        try {
          this.db.transaction(() => this.journal.append('drawer.leftOpen', null, { lane: this.identity.laneId, openSince: this.drawer.openSince, operator: this.laneSnap().context.operator }, this.now().toISOString()))();
          this.broadcast();
        } catch {
          // an alert must never take the lane down
        }
      }, leftOpenMs);
      this.drawerTimer.unref();
    }
    this.broadcast();
  }

  /** Stops timers (the core is shutting down). */
  dispose(): void {
    this.disposed = true;
    this.kioskCash.dispose();
    if (this.drawerTimer) clearTimeout(this.drawerTimer);
    this.drawerTimer = null;
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
  }

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
   * Self-checkout idle rules, checked every second. Nothing that was paid is ever lost: a paid
   * basket is completed (its receipt printed); a partly paid one calls staff; only an unpaid basket
   * nobody touched is abandoned, after an "are you still there?" prompt.
   */
  tickIdle(): void {
    if (this.config.mode !== 'self' || this.disposed) return;
    const co = this.checkoutSnap();
    const idle = this.now().getTime() - this.lastActivity;
    let idleUntil: string | null = null;
    try {
      if (!co) {
        // nothing to look after
      } else if (co.value === 'paid') {
        if (idle >= this.config.paidCompleteMs) this.systemCommand({ id: `idle-${uuidv7(this.now().getTime())}`, cmd: 'complete', receipt: 'print' });
      } else if (co.value === 'cashPending') {
        // A cash payment nobody finishes (money half in, or the attendant never came): staff are called, nothing is dropped.
        if (idle >= this.config.idleAbandonMs && !this.help) this.setHelp('idle', null);
      } else if (co.value === 'cardPending' && this.paymentDecision) {
        // The terminal could not say whether the card was charged: staff decide.
        if (!this.help) this.setHelp('payment', this.paymentDecision.reason);
      } else if ((co.value === 'scanning' || co.value === 'subtotal') && !this.staffSession) {
        // (Staff working at the kiosk pause the customer's clock: their hand-back starts it afresh.)
        // A customer waiting for staff (age check, help call) is never timed out; nor is money ever dropped.
        const waiting = pendingAgeCheck(co.context) !== null || this.help !== null;
        if (co.context.tenders.length === 0 && !waiting) {
          if (idle >= this.config.idleAbandonMs) this.abandonSale(co);
          else if (idle >= this.config.idleAbandonMs - this.config.idleWarnMs) idleUntil = new Date(this.lastActivity + this.config.idleAbandonMs).toISOString();
        } else if (idle >= this.config.idleAbandonMs && !this.help) {
          this.setHelp('idle', null);
        }
      }
      if (this.staffSession && this.now().getTime() >= this.staffSession.until) this.endStaffSession();
    } catch (err) {
      this.log(`self-checkout idle: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (idleUntil !== this.idleUntil) {
      this.idleUntil = idleUntil;
      this.broadcast();
    }
  }

  /**
   * At an open self-checkout only the customer's commands are taken from whoever stands there;
   * anything else (discounts, returns, cash, reports, closing the till, signing out …) needs a staff
   * session (staffCheck with a supervisor's or store IT's credentials), which each such command renews.
   */
  private requireStaffAtKiosk(cmd: Command): void {
    if (this.config.mode !== 'self' || this.attendant || CUSTOMER_COMMANDS.has(cmd.cmd)) return;
    const lane = this.laneSnap();
    const open = (lane.value === 'signedIn' || lane.value === 'selling') && this.tillView() !== null;
    if (!open) return; // opening the kiosk in the morning: sign-in and till need their own credentials
    const now = this.now().getTime();
    if (!this.staffSession || now >= this.staffSession.until) {
      this.staffSession = null;
      throw new CoreError('APPROVAL_REQUIRED', 'At a self-checkout this is for staff: sign in on the staff screen first.', { action: 'staff' });
    }
    this.staffSession.until = now + STAFF_SESSION_MS;
  }

  /** Staff hand the kiosk back (or walked away): their powers end, and the customer's idle clock starts afresh. */
  private endStaffSession(): void {
    this.staffSession = null;
    this.lastActivity = this.now().getTime();
    this.broadcast();
  }

  /** A command the lane gives itself (idle rules): not customer activity. */
  private systemCommand(cmd: Command): void {
    const last = this.lastActivity;
    this.handle(cmd);
    this.lastActivity = last;
  }

  /** An unpaid self-checkout basket left alone: cancelled without approval (no money was taken), journalled as abandoned. */
  private abandonSale(co: CheckoutSnap): void {
    const saleId = co.context.saleId;
    const totals = totalsOf(co.context);
    const operator = this.laneSnap().context.operator;
    this.commit(
      {
        steps: [
          { to: 'checkout', event: { type: 'CANCEL' } },
          { to: 'lane', event: { type: 'SALE_ENDED', saleId }, after: (at) => this.journal.append('sale.abandoned', saleId, { saleId, lines: co.context.lines, totals, operator, lane: this.identity.laneId, idleMs: this.config.idleAbandonMs }, at) },
        ],
      },
      { cmd: 'abandonSale', saleId },
    );
    this.log(`self-checkout: an unpaid basket (${co.context.lines.length} lines) was left for ${Math.round(this.config.idleAbandonMs / 1000)} s and abandoned`);
  }

  /** Help calls: the customer or cashier calls, staff clear; an unknown item set aside calls too. */
  private helpCommand(cmd: Extract<Command, { cmd: 'callHelp' | 'clearHelp' | 'reportMissingItem' }>): HandleResult {
    const lane = this.laneSnap();
    if (lane.value === 'closed' || lane.value === 'signedOut') throw new CoreError(lane.value === 'closed' ? 'LANE_CLOSED' : 'NOT_SIGNED_IN', 'The lane is not open.');
    if (lane.context.locked) throw new CoreError('LANE_LOCKED', 'The lane is locked. Unlock it with your PIN.');
    if (cmd.cmd === 'callHelp') {
      if (!this.help) this.setHelp('customer', null);
      return { version: this.version };
    }
    if (cmd.cmd === 'reportMissingItem') {
      const code = printable(cmd.code);
      const at = this.now().toISOString();
      // For the back office: HQ adds the item; the journal says which code and where.
      this.db.transaction(() => this.journal.append('item.notFound', null, { code, lane: this.identity.laneId, operator: lane.context.operator }, at))();
      this.log(`item not found, set aside for a supervisor: ${code}`);
      this.setHelp('itemNotFound', code);
      return { version: this.version };
    }
    if (!this.help) return { version: this.version };
    this.pendingApproval = null;
    const by = this.config.mode === 'staffed' && !cmd.approval && !this.attendant ? lane.context.operator : this.approve('clearHelp', cmd.approval).id;
    this.pendingApproval = null;
    this.endHelp(by, 'answered');
    return { version: this.version };
  }

  private endHelp(by: string | null, why: 'answered' | 'saleEnded'): void {
    const at = this.now().toISOString();
    try {
      this.db.transaction(() => this.journal.append('help.cleared', null, { reason: this.help?.reason, since: this.help?.since, by, why, lane: this.identity.laneId }, at))();
    } catch (err) {
      this.log(`help call: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.help = null;
    this.broadcast();
  }

  /** An X or Z report on the receipt printer: store, lane, who, then the report. */
  private printReport(report: TillReport, at: string): void {
    const head = `${this.identity.storeName}\n${this.identity.laneId}  ${report.operator ?? ''}  ${report.currency}\n`;
    const key = report.kind === 'Z' ? `z:${report.zNumber}` : `x:${report.sessionId}:${at}`;
    this.printQueue?.enqueue(key, 'report', encodeReceipt(head + renderTillReport(report, this.profile), { logo: null }), at);
  }

  private setHelp(reason: NonNullable<Snapshot['lane']['help']>['reason'], detail: string | null): void {
    const at = this.now().toISOString();
    this.db.transaction(() => this.journal.append('help.called', null, { reason, detail, lane: this.identity.laneId, operator: this.laneSnap().context.operator }, at))();
    this.help = { since: at, reason, detail };
    this.broadcast();
  }

  /**
   * Changes are sent to the listeners once per burst: a command, device events and timers mark the
   * snapshot stale and it is built and sent once, on the next turn of the event loop — or at once
   * when the API flushes before acknowledging a command (the ack never overtakes its snapshot).
   */
  private broadcast(): void {
    if (this.snapshotStale) return;
    this.snapshotStale = true;
    setImmediate(() => this.flush());
  }

  /** Sends the snapshot now if something changed since the last one was sent. */
  flush(): void {
    if (!this.snapshotStale) return;
    this.snapshotStale = false;
    // A lane shut down (or its database closed) while a burst was pending tells nobody.
    if (this.listeners.size === 0 || this.disposed || !this.db.open) return;
    const snap = this.snapshot();
    for (const l of this.listeners) l(snap);
  }

  /**
   * Executes one validated command. Returns the new version, or throws a CoreError and
   * changes nothing.
   */
  handle(cmd: Command): HandleResult {
    this.lastActivity = this.now().getTime();
    // Staff at a kiosk keep their session while they work there, whatever the command (scanning for the customer too).
    if (this.staffSession && !this.attendant && this.lastActivity < this.staffSession.until) this.staffSession.until = this.lastActivity + STAFF_SESSION_MS;
    if (this.idleUntil) {
      this.idleUntil = null;
      this.broadcast();
    }
    if (cmd.cmd === 'ping') return { version: this.version };
    if (cmd.cmd === 'produceList') return { version: this.version, result: { produce: this.catalog.produce(cmd.query ?? '') } };
    if (cmd.cmd === 'weighPreview') return { version: this.version, result: { weighPreview: this.weighPreview(cmd.code) } };
    if (cmd.cmd === 'suspendedList') return { version: this.version, result: { suspended: this.suspendedList() } };
    if (cmd.cmd === 'departments') return { version: this.version, result: { departments: this.catalog.departments() } };
    if (cmd.cmd === 'callHelp' || cmd.cmd === 'clearHelp' || cmd.cmd === 'reportMissingItem') return this.helpCommand(cmd);
    if (cmd.cmd === 'staffCheck') {
      // Staff at a self-checkout kiosk reach its staff screens (till, reports, sign-out) only with their own credentials.
      const by = this.authorizeRole('staffCheck', ['supervisor', 'it'], cmd.approval, (n) => `${n} is not a supervisor or store IT.`, 'Staff screens need a supervisor or store IT.');
      const at = this.now().toISOString();
      this.db.transaction(() => this.journal.append('staff.access', null, { by, lane: this.identity.laneId, mode: this.config.mode }, at))();
      if (this.config.mode === 'self') {
        this.staffSession = { by, until: this.now().getTime() + STAFF_SESSION_MS };
        this.broadcast();
      }
      return { version: this.version };
    }
    if (cmd.cmd === 'customerLanguage') {
      // What the customer reads in, for the customer display; not part of any sale, not journalled.
      if (this.customerLang !== cmd.lang) {
        this.customerLang = cmd.lang;
        this.broadcast();
      }
      return { version: this.version };
    }
    if (cmd.cmd === 'staffDone') {
      if (this.staffSession) this.endStaffSession();
      return { version: this.version };
    }
    this.requireStaffAtKiosk(cmd);
    // A gift card scanned, or typed with F3, answers with its balance and sells nothing (issue 16).
    const giftCard = cmd.cmd === 'scan' || cmd.cmd === 'priceCheck' ? this.giftCardLookup(cmd.code) : null;
    if (giftCard) return { version: this.version, result: giftCard };
    if (cmd.cmd === 'priceCheck') return { version: this.version, result: this.priceCheck(cmd.code) };
    if (cmd.cmd === 'findSale') return { version: this.version, result: this.findSale(cmd.receiptCode) };
    if (cmd.cmd === 'deviceTest' || cmd.cmd === 'deviceInfo' || cmd.cmd === 'cardEndOfDay') throw new CoreError('NOT_ALLOWED_NOW', `${cmd.cmd} is answered by the Terminal API, not as a lane command.`);
    this.pendingApproval = null;
    const plan = this.plan(cmd); // validates; throws CoreError before anything changes
    const approval = this.pendingApproval as { action: string; approvedBy: string; self: boolean } | null;
    this.pendingApproval = null;
    if (approval) {
      const laneCtx = this.laneSnap().context;
      const saleId = this.checkoutSnap()?.context.saleId ?? null;
      plan.before = (at) => {
        this.journal.append('approval', saleId, { ...approval, operator: laneCtx.operator, lane: this.identity.laneId, saleId }, at);
      };
    }
    const r = this.commit(plan, cmd, BASKET_EDITS.has(cmd.cmd));
    plan.afterCommit?.();
    return cmd.cmd === 'tenderVoucher' ? { ...r, result: this.giftCardLookup(cmd.code, true)! } : r;
  }

  /**
   * Runs a plan's machine events and effects, persisting everything in one transaction. A basket
   * edit that records nothing else is committed without its own fsync (core/db/durability.ts).
   */
  private commit(plan: Plan, logged: unknown, basketEdit = false): HandleResult {
    if (plan.steps.length === 0 && !plan.effects?.length && !plan.before) return { version: this.version };
    const before = this.lane.getPersistedSnapshot();
    const lastSaleBefore = this.lastSale;
    const hadSale = this.checkoutSnap() !== null;
    let result: TillReport | ReturnResult | Slip | ReceiptCopy | undefined;
    this.drawerDue = null;
    try {
      const at = this.now().toISOString();
      const write = this.db.transaction(() => {
        plan.before?.(at);
        for (const step of plan.steps) {
          if (step.to === 'lane') this.lane.send(step.event);
          else this.sendCheckout(step.event);
          if (step.after) step.after(at);
        }
        this.repriceIfNeeded();
        const version = this.version + 1;
        const co = this.checkoutSnap();
        const beforeJson = JSON.stringify(before);
        const afterJson = JSON.stringify(this.lane.getPersistedSnapshot());
        // A machine that silently refused an event would otherwise be acknowledged as a change.
        if (plan.steps.length > 0 && beforeJson === afterJson) throw new CoreError('NOT_ALLOWED_NOW', 'That is not possible at this point of the sale.');
        for (const effect of plan.effects ?? []) result = effect(at) ?? result;
        this.stmts.logCommand.run(version, at, co?.context.saleId ?? plan.saleId ?? null, JSON.stringify({ cmd: logged, events: plan.steps.map((s) => s.event) }, redactSecrets));
        // A sale completed and journalled in this transaction needs its command log no more.
        if (this.lastSale && this.lastSale !== lastSaleBefore) this.stmts.pruneSaleCommands.run(this.lastSale.saleId);
        this.stmts.saveState.run({ version, snapshot: `{"actor":${afterJson},"lastSale":${JSON.stringify(this.lastSale)}}`, at });
        return version;
      });
      const light = basketEdit && !plan.before && !plan.effects?.length && !plan.afterCommit && plan.steps.every((st) => !st.after);
      this.version = light ? commitLight(this.db, () => write.immediate()) : write.immediate();
    } catch (err) {
      this.drawerDue = null;
      // Roll the in-memory actors back to what is on disk.
      this.lane.stop();
      this.lane = createActor(laneMachine, { snapshot: before as LaneSnapshot, input: { profile: this.profile } });
      this.lane.start();
      this.lastSale = lastSaleBefore;
      if (err instanceof CoreError) throw err;
      throw new CoreError('STORAGE_FAILED', `The change could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
    // A self-checkout's help call belongs to its customer: it ends with their sale (the next customer starts clean).
    if (this.config.mode === 'self' && hadSale && this.help && !this.checkoutSnap()) this.endHelp(null, 'saleEnded');
    // Committed: a cash movement opens the drawer now.
    const due = this.drawerDue;
    this.drawerDue = null;
    if (due) this.openDrawer(due);
    this.broadcast();
    return result ? { version: this.version, result } : { version: this.version };
  }

  /**
   * Re-evaluates promotions after any change to an open basket (before payment) and records the
   * result in the checkout, so a restored basket shows exactly the prices it had.
   */
  private repriceIfNeeded(): void {
    const co = this.checkoutSnap();
    if (!co || co.context.tenders.length > 0 || (co.value !== 'scanning' && co.value !== 'subtotal')) return;
    const promos = applyPromotions(co.context.lines, this.promotions, { now: this.now(), timeZone: this.profile.timeZone, member: co.context.member !== null });
    if (JSON.stringify(promos) !== JSON.stringify(co.context.promotions)) this.sendCheckout({ type: 'REPRICE', promotions: promos });
  }

  /** The payment terminal a sale's card payments go to: the training terminal in training, never the real one. */
  private portFor(co: CheckoutSnap | null): PaymentPort | null {
    return co?.context.training ? this.trainingPayments : this.payments;
  }

  /** Card payments run in the background; their result is committed like a command. */
  private startCardPayment(attemptId: string, amount: number): void {
    const port = this.portFor(this.checkoutSnap());
    if (!port) return;
    this.cardInFlight.add(attemptId);
    const saleIdAtStart = this.checkoutSnap()?.context.saleId ?? null;
    this.paymentText = null;
    this.paymentDecision = null;
    this.lastDecline = null;
    port
      .authorize({ attemptId, amount, currency: this.profile.currency }, (p) => this.paymentStep(saleIdAtStart, attemptId, p))
      .catch((err: unknown): CardResult => ({ approved: false, reason: `terminal error: ${err instanceof Error ? err.message : String(err)}`, uncertain: true }))
      .then((res) => {
        this.cardInFlight.delete(attemptId);
        this.paymentText = null;
        if (this.disposed) return;
        const co = this.checkoutSnap();
        if (!co || co.value !== 'cardPending' || co.context.cardAttempt?.attemptId !== attemptId) return; // resolved otherwise meanwhile
        if (!res.approved && res.uncertain) {
          // The card may have been charged: never send it again; ask the terminal what happened.
          this.recoverPayment();
          return;
        }
        const saleId = co.context.saleId;
        if (res.approved) {
          this.terminalOffline = res.offline === true;
          this.offlineCache = null;
        }
        const steps: Step[] = res.approved
          ? [
              {
                to: 'checkout',
                event: { type: 'CARD_APPROVED', tender: cardTender(attemptId, amount, res) },
                // A training payment is journalled as one: it never counts towards the card end of day.
                after: (at) => this.journal.append(co.context.training ? 'payment.training' : 'payment.approved', saleId, { saleId, attemptId, amount, brand: res.brand, maskedPan: res.maskedPan, authCode: res.authCode, terminalRef: res.terminalRef, offline: res.offline ?? false }, at),
              },
            ]
          : [
              {
                to: 'checkout',
                event: { type: 'CARD_FAILED', attemptId },
                after: (at) => this.journal.append('payment.declined', saleId, { saleId, attemptId, amount, reason: res.reason }, at),
              },
            ];
        try {
          this.commit({ steps }, { internal: 'cardResult', attemptId, approved: res.approved });
          if (!res.approved) {
            this.lastDecline = { saleId, at: this.now().toISOString() };
            this.notifyError('PAYMENT_DECLINED', `Card payment declined: ${res.reason}`);
          }
        } catch (err) {
          this.notifyError('STORAGE_FAILED', `The card result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
  }

  /** Journal sequence of the last card end-of-day (0 if none). */
  private lastEndOfDaySeq(): number {
    return this.stmts.lastEndOfDay.get()?.seq ?? 0;
  }

  /** Offline card payments not yet settled by an end-of-day at the terminal. */
  private offlinePending(): { pendingCount: number; pendingAmount: number; oldestAt: string | null } {
    // Every snapshot shows it, but it only changes with a card approval or an end of day.
    if (this.offlineCache) return this.offlineCache;
    const r = this.db
      .prepare<[number], { n: number; total: number | null; oldest: string | null }>(
        "SELECT count(*) AS n, sum(json_extract(body, '$.amount')) AS total, min(at) AS oldest FROM journal WHERE kind = 'payment.approved' AND json_extract(body, '$.offline') = 1 AND seq > ?",
      )
      .get(this.lastEndOfDaySeq())!;
    this.offlineCache = { pendingCount: r.n, pendingAmount: r.total ?? 0, oldestAt: r.oldest };
    return this.offlineCache;
  }

  /**
   * End of day at the card terminal (a supervisor's): the terminal settles its batch (and forwards
   * offline payments); its total is compared with the lane's own card tenders since the last one.
   */
  async cardEndOfDay(approval: Approval | undefined): Promise<{ terminalTotal: number | null; laneTotal: number; match: boolean; text: string; receiptLines: string[] }> {
    if (!this.payments?.endOfDay) throw new CoreError('PAYMENT_UNAVAILABLE', 'No payment terminal that can close the day is connected.');
    const by = this.authorizeRole('cardEndOfDay', ['supervisor'], approval, (name) => `${name} may not approve this; a supervisor must.`, 'A supervisor must approve this.');
    const since = this.lastEndOfDaySeq();
    const sum = (kinds: string, extra = '') =>
      this.db.prepare<[number], { t: number | null }>(`SELECT sum(json_extract(body, '$.amount')) AS t FROM journal WHERE kind IN (${kinds}) AND seq > ? ${extra}`).get(since)?.t ?? 0;
    const laneTotal =
      sum("'payment.approved'") +
      sum("'payment.recovered'", "AND json_extract(body, '$.outcome') = 'approved'") -
      sum("'payment.refunded'") -
      sum("'tender.voided'", "AND json_extract(body, '$.kind') = 'card' AND json_extract(body, '$.amount') IS NOT NULL AND json_extract(body, '$.training') IS NULL");
    const r = await this.payments.endOfDay();
    const match = r.ok && r.total === laneTotal;
    this.db.transaction(() => this.journal.append('payment.endOfDay', null, { terminalTotal: r.total, laneTotal, match, ok: r.ok, text: r.text, by, lane: this.identity.laneId }, this.now().toISOString()))();
    if (r.ok) this.terminalOffline = false;
    this.offlineCache = null;
    this.broadcast();
    return { terminalTotal: r.total, laneTotal, match, text: r.text, receiptLines: r.receiptLines };
  }

  /** Records a payment step durably as it happens (the journal is the payment's own record). */
  private paymentStep(saleId: string | null, attemptId: string, p: PaymentProgress): void {
    if (this.disposed) return;
    if (p.step === 'intermediate' && p.text) {
      this.paymentText = p.text;
      this.paymentPrompt = p.prompt ?? null;
      this.broadcast();
    }
    try {
      this.db.transaction(() => this.journal.append('payment.step', saleId, { attemptId, step: p.step, ...(p.text ? { text: p.text } : {}), ...(p.ref ? { ref: p.ref } : {}) }, this.now().toISOString()))();
    } catch (err) {
      this.log(`payment step not journaled: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** What the terminal told us about this attempt before the crash, from the journal. */
  private knownRef(attemptId: string): PaymentRef | null {
    const rows = this.db.prepare<[string], { body: string }>("SELECT body FROM journal WHERE kind = 'payment.step' AND json_extract(body, '$.attemptId') = ? ORDER BY seq").all(attemptId);
    let ref: PaymentRef | null = null;
    for (const r of rows) {
      const b = JSON.parse(r.body) as { step: string; ref?: PaymentRef };
      if (b.step === 'statusInfo' && b.ref) ref = b.ref;
    }
    return ref;
  }

  /**
   * Resolves a card attempt whose outcome is not known (after a restart, or a link that broke mid
   * payment) by asking the terminal — never by sending the authorization again. Approved → the
   * tender is recorded; declined or never there → closed as not charged; cannot tell → a supervisor
   * decides, shown the terminal's last receipt.
   */
  recoverPayment(attemptNo = 0): void {
    if (this.disposed) return;
    const port = this.payments;
    const co = this.checkoutSnap();
    const attempt = co?.value === 'cardPending' ? co.context.cardAttempt : null;
    if (!port || !attempt || this.cardInFlight.has(attempt.attemptId)) return;
    if (!port.recover) {
      this.paymentDecision = { attemptId: attempt.attemptId, reason: 'the terminal cannot be asked about this payment', terminalReceipt: [] };
      this.broadcast();
      return;
    }
    const saleId = co!.context.saleId;
    const usedRefs = this.db
      .prepare<[], { ref: string | null }>("SELECT json_extract(body, '$.terminalRef') AS ref FROM journal WHERE kind IN ('payment.approved', 'payment.recovered') ORDER BY seq DESC LIMIT 500")
      .all()
      .map((r) => r.ref)
      .filter((r): r is string => !!r);
    this.cardInFlight.add(attempt.attemptId);
    this.paymentText = 'Asking the payment terminal what happened…';
    this.paymentPrompt = null;
    this.broadcast();
    void port
      .recover({ attemptId: attempt.attemptId, amount: attempt.amount, startedAt: attempt.startedAt, known: this.knownRef(attempt.attemptId), usedRefs })
      .catch((err: unknown): Recovery => ({ outcome: 'unknown', reason: err instanceof Error ? err.message : String(err), terminalReceipt: [] }))
      .then((r) => {
        this.cardInFlight.delete(attempt.attemptId);
        this.paymentText = null;
        if (this.disposed) return;
        const now = this.checkoutSnap();
        if (!now || now.value !== 'cardPending' || now.context.cardAttempt?.attemptId !== attempt.attemptId) return;
        if (r.outcome === 'unknown') {
          // The terminal may not be reachable yet (it restarts too): ask again a few times first.
          if (attemptNo < 5 && r.unreachable) {
            setTimeout(() => this.recoverPayment(attemptNo + 1), exponentialDelay(attemptNo, 500, 8_000)).unref();
            return;
          }
          this.paymentDecision = { attemptId: attempt.attemptId, reason: r.reason, terminalReceipt: r.terminalReceipt };
          this.broadcast();
          return;
        }
        const res = r.outcome === 'approved' ? r.result : null;
        if (res) this.terminalOffline = res.offline === true;
        const event: CheckoutEvent = res ? { type: 'CARD_APPROVED', tender: cardTender(attempt.attemptId, attempt.amount, res) } : { type: 'CARD_FAILED', attemptId: attempt.attemptId };
        try {
          this.commit(
            {
              steps: [
                {
                  to: 'checkout',
                  event,
                  after: (at) =>
                    this.journal.append(
                      'payment.recovered',
                      saleId,
                      { saleId, attemptId: attempt.attemptId, amount: attempt.amount, outcome: r.outcome, ...(res ? { terminalRef: res.terminalRef, brand: res.brand, maskedPan: res.maskedPan } : { reason: r.outcome === 'notCharged' ? r.reason : '' }) },
                      at,
                    ),
                },
              ],
            },
            { internal: 'paymentRecovered', attemptId: attempt.attemptId, outcome: r.outcome },
          );
          this.paymentDecision = null;
          if (!res) this.notifyError('PAYMENT_DECLINED', `The card was not charged (${r.outcome === 'notCharged' ? r.reason : ''}); take the payment again.`);
        } catch (err) {
          this.notifyError('STORAGE_FAILED', `The payment result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
  }

  private startReversal(tenderId: string, terminalRef: string, amount: number): void {
    const port = this.portFor(this.checkoutSnap());
    if (!port) return;
    this.cardInFlight.add(tenderId);
    void port
      .reverse(terminalRef, amount)
      .catch((err: unknown) => ({ ok: false, reason: err instanceof Error ? err.message : String(err) }))
      .then((res) => {
        this.cardInFlight.delete(tenderId);
        if (this.disposed) return;
        const co = this.checkoutSnap();
        if (!co || co.value !== 'reversing' || co.context.reversing !== tenderId) return;
        const saleId = co.context.saleId;
        try {
          this.commit(
            {
              steps: [
                {
                  to: 'checkout',
                  event: res.ok ? { type: 'REVERSAL_DONE', tenderId } : { type: 'REVERSAL_FAILED', tenderId },
                  after: (at) => this.journal.append(res.ok ? 'tender.voided' : 'payment.reversalFailed', saleId, { saleId, tenderId, kind: 'card', amount, terminalRef, ...(co.context.training ? { training: true } : {}), ...(res.ok ? {} : { reason: res.reason ?? 'refused' }) }, at),
                },
              ],
            },
            { internal: 'reversalResult', tenderId, ok: res.ok },
          );
          if (!res.ok) this.notifyError('PAYMENT_DECLINED', 'The terminal did not reverse the card payment; it stays on the sale.');
        } catch (err) {
          this.notifyError('STORAGE_FAILED', `The reversal result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
  }

  private notifyError(code: ErrorCode, message: string, params?: Record<string, string | number>): void {
    for (const l of this.errorListeners) l(code, message, params);
  }

  /** An error from a device-originated command (a hardware scan), shown on the lane like any other. */
  reportError(code: ErrorCode, message: string, params?: Record<string, string | number>): void {
    this.notifyError(code, message, params);
  }

  /** Errors that arrive later than the command that caused them (a declined card). */
  subscribeErrors(listener: (code: ErrorCode, message: string, params?: Record<string, string | number>) => void): () => void {
    this.errorListeners.add(listener);
    return () => this.errorListeners.delete(listener);
  }

  private sendCheckout(event: CheckoutEvent): void {
    const child = this.laneSnap().children.checkout;
    if (!child) throw new CoreError('NO_OPEN_SALE', 'There is no open sale.');
    child.send(event);
  }

  // ---- planning: validation and the list of machine events a command becomes ----

  private plan(cmd: Command): Plan {
    const lane = this.laneSnap();
    const state = lane.value as Snapshot['lane']['state'];
    const steps: Step[] = [];
    const needLaneState = (...ok: Snapshot['lane']['state'][]) => {
      if (ok.includes(state)) return;
      if (state === 'closed') throw new CoreError('LANE_CLOSED', 'The lane is closed. Open it first.');
      if (state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', 'Sign in first.');
      throw new CoreError('NOT_ALLOWED_NOW', 'Finish or cancel the open sale first.');
    };
    if (lane.context.locked && cmd.cmd !== 'unlock') throw new CoreError('LANE_LOCKED', 'The lane is locked. Unlock it with your PIN.');
    const operator = lane.context.operator;
    const journal = (kind: string, ref: string | null, body: Record<string, unknown>) => (at: string) => {
      this.journal.append(kind, ref, { ...body, operator, lane: this.identity.laneId, training: lane.context.training }, at);
    };
    switch (cmd.cmd) {
      case 'openLane':
        needLaneState('closed');
        return { steps: [{ to: 'lane', event: { type: 'OPEN' }, after: journal('lane.opened', null, {}) }] };
      case 'closeLane':
        needLaneState('signedOut');
        return { steps: [{ to: 'lane', event: { type: 'CLOSE' }, after: journal('lane.closed', null, {}) }] };
      case 'signIn': {
        needLaneState('signedOut');
        const who = this.operators.authenticate(cmd.operator, cmd.pin);
        return {
          steps: [
            {
              to: 'lane',
              event: { type: 'SIGN_IN', operator: who.id, name: who.name, role: who.role },
              after: (at) => this.journal.append('operator.signIn', who.id, { operator: who.id, role: who.role, lane: this.identity.laneId }, at),
            },
          ],
        };
      }
      case 'signOut':
        needLaneState('signedIn');
        return { steps: [{ to: 'lane', event: { type: 'SIGN_OUT' }, after: journal('operator.signOut', operator, {}) }] };
      case 'lock':
        needLaneState('signedIn', 'selling');
        return { steps: [{ to: 'lane', event: { type: 'LOCK' } }] };
      case 'unlock': {
        if (!lane.context.locked) throw new CoreError('NOT_ALLOWED_NOW', 'The lane is not locked.');
        const by = this.operators.authenticate(cmd.operator ?? operator ?? '', cmd.pin);
        if (by.id !== operator && by.role !== 'supervisor') throw new CoreError('APPROVAL_DENIED', 'Only the signed-in operator or a supervisor can unlock this lane.');
        if (by.id !== operator) this.pendingApproval = { action: 'unlock', approvedBy: by.id, self: false };
        return { steps: [{ to: 'lane', event: { type: 'UNLOCK' } }] };
      }
      case 'setTraining': {
        needLaneState('signedIn');
        if (lane.context.training === cmd.on) return { steps: [] };
        // Entering or leaving training is a supervisor's decision, journalled with their name.
        const approvedBy = this.approve('setTraining', cmd.approval).id;
        return { steps: [{ to: 'lane', event: { type: 'SET_TRAINING', on: cmd.on }, after: journal(cmd.on ? 'training.start' : 'training.end', null, { approvedBy }) }] };
      }
      case 'openTill': {
        needLaneState('signedIn');
        if (this.stmts.openSession.get()) throw new CoreError('TILL_ALREADY_OPEN', 'The till is already open.');
        const floatTotal = this.countTotal(cmd.float);
        const sessionId = uuidv7(this.now().getTime());
        return {
          steps: [],
          effects: [
            (at) => {
              const e = this.journal.append('till.opened', sessionId, { sessionId, floatTotal, float: cmd.float, operator, lane: this.identity.laneId }, at);
              this.stmts.insertSession.run(sessionId, at, operator, e.seq, floatTotal);
            },
          ],
        };
      }
      case 'cashMovement': {
        needLaneState('signedIn');
        const session = this.requireTill();
        // Money leaving the drawer needs a supervisor; money coming in does not.
        const approvedBy = cmd.kind === 'paidIn' ? null : this.approve(cmd.kind, cmd.approval).id;
        return {
          steps: [],
          effects: [
            (at) => {
              const movementId = uuidv7(this.now().getTime());
              this.journal.append(`cash.${cmd.kind}`, movementId, { sessionId: session.session_id, amount: cmd.amount, reason: cmd.reason, operator, approvedBy }, at);
              this.stmts.insertMovement.run(movementId, session.session_id, cmd.kind, cmd.amount, cmd.reason, operator, approvedBy, at);
            },
          ],
        };
      }
      case 'xReport': {
        needLaneState('signedIn', 'selling');
        const session = this.requireTill();
        return {
          steps: [],
          effects: [
            (at) => {
              const report = this.report(session, 'X', null, at, null);
              this.journal.append('report.x', session.session_id, report, at);
              if (cmd.print) this.printReport(report, at);
              return report;
            },
          ],
        };
      }
      case 'closeTill': {
        needLaneState('signedIn');
        const session = this.requireTill();
        const counted = this.countTotal(cmd.counted);
        const approvedBy = this.approve('closeTill', cmd.approval).id;
        return {
          steps: [],
          effects: [
            (at) => {
              const zNumber = this.stmts.nextZ.get()!.next;
              const report = this.report(session, 'Z', zNumber, at, counted);
              this.journal.append('report.z', session.session_id, { ...report, counted: cmd.counted, approvedBy }, at);
              this.stmts.closeSession.run(at, operator, counted, report.cash.expected, report.cash.overShort, zNumber, session.session_id);
              // The day is closed and journalled: its command log (sign-ins, cancelled baskets, …) goes.
              this.stmts.pruneCommandsThrough.run(this.version);
              const printedBefore = this.stmts.printedBefore.get()?.value;
              if (printedBefore) this.stmts.prunePrinted.run(printedBefore);
              this.stmts.setPrintedBefore.run(at);
              // The Z report is always printed (kept with the day's cash); it commits with the close.
              this.printReport(report, at);
              return report;
            },
          ],
          // The day is closed: what the law no longer wants on the terminal goes to a signed archive.
          afterCommit: () => this.archiveJournal(),
          // A self-checkout closed for the day is left signed out: opening it again takes credentials.
          ...(this.config.mode === 'self' ? { steps: [{ to: 'lane' as const, event: { type: 'SIGN_OUT' as const }, after: journal('operator.signOut', operator, { afterZ: true }) }] } : {}),
        };
      }
      case 'scan': {
        needLaneState('signedIn', 'selling');
        const co = this.checkoutSnap();
        if (!co) this.requireTill();
        let saleId = co?.context.saleId;
        if (co) {
          this.requireAgeClearedToScan(co);
          this.backToScanning(co, steps);
        }
        const item = this.resolve(cmd.code);
        if (!co) {
          saleId = uuidv7(this.now().getTime());
          steps.push({ to: 'lane', event: { type: 'START_SALE', saleId, startedAt: this.now().toISOString() } });
        }
        const nextIndex = (co?.context.lines.length ?? 0) + 1;
        const lines = this.buildLines(item, cmd, nextIndex);
        steps.push({ to: 'checkout', event: { type: 'ADD_LINES', lines } });
        return { steps, saleId };
      }
      case 'setQuantity': {
        const co = this.requireCheckout();
        const line = this.requireLine(co, cmd.lineId);
        if (!checkoutGuards.canSetQuantity(co.context, cmd.lineId)) {
          throw new CoreError('QUANTITY_NOT_ALLOWED', 'The quantity of this line cannot be changed (weighed, priced by its barcode, a deposit, or voided).', { lineId: cmd.lineId });
        }
        if (line.quantity === cmd.quantity) return { steps: [] }; // already so: nothing to write
        this.backToScanning(co, steps);
        steps.push({ to: 'checkout', event: { type: 'SET_QUANTITY', lineId: cmd.lineId, quantity: cmd.quantity } });
        return { steps };
      }
      case 'voidLine':
      case 'voidLast': {
        const co = this.requireCheckout();
        let lineId: string;
        if (cmd.cmd === 'voidLine') lineId = cmd.lineId;
        else {
          const last = [...co.context.lines].reverse().find((l) => !l.voided && l.depositFor === null);
          if (!last) throw new CoreError('EMPTY_SALE', 'There is no line to void.');
          lineId = last.lineId;
        }
        const line = this.requireLine(co, lineId);
        if (!checkoutGuards.canVoid(co.context, lineId)) {
          throw new CoreError('NOT_ALLOWED_NOW', 'This line cannot be voided on its own (already voided, or a deposit that goes with its item).', { lineId });
        }
        // At a self-checkout only staff take an item off the basket — except an age-restricted one the customer gives up.
        // On a staffed lane, voiding a line worth more than the limit needs a supervisor.
        const customerGivesUp = line.ageLimit !== null && line.ageLimit > co.context.ageConfirmed;
        const needsStaff = this.config.mode === 'self' ? !customerGivesUp : line.total > this.config.voidApprovalAbove;
        const approvedBy = needsStaff ? this.approve('voidLine', cmd.approval).id : null;
        this.backToScanning(co, steps);
        steps.push({
          to: 'checkout',
          event: { type: 'VOID_LINE', lineId },
          after: journal('line.voided', co.context.saleId, { saleId: co.context.saleId, lineId, itemId: line.itemId, name: line.name, quantity: line.quantity, total: line.total, approvedBy }),
        });
        return { steps };
      }
      case 'confirmAge': {
        const co = this.requireCheckout();
        const age = pendingAgeCheck(co.context);
        if (age === null) throw new CoreError('NOT_ALLOWED_NOW', 'No age check is pending.');
        const approvedBy = this.config.mode === 'self' || this.attendant ? this.approve('ageCheck', cmd.approval).id : null;
        return {
          steps: [
            {
              to: 'checkout',
              event: { type: 'CONFIRM_AGE', age },
              after: journal('age.confirmed', co.context.saleId, { saleId: co.context.saleId, age, mode: this.config.mode, approvedBy }),
            },
          ],
        };
      }
      case 'cancelSale': {
        const co = this.requireCheckout();
        if (co.context.tenders.length > 0) throw new CoreError('NOT_ALLOWED_NOW', 'Money has been taken for this sale; it cannot be cancelled now.');
        const saleId = co.context.saleId;
        const totals = totalsOf(co.context);
        const approvedBy = totals.total > this.config.cancelApprovalAbove ? this.approve('cancelSale', cmd.approval).id : null;
        steps.push(
          { to: 'checkout', event: { type: 'CANCEL' } },
          {
            to: 'lane',
            event: { type: 'SALE_ENDED', saleId },
            after: (at) => {
              journal('sale.cancelled', saleId, { saleId, approvedBy, lines: co.context.lines, totals })(at);
            },
          },
        );
        return { steps };
      }
      case 'subtotal': {
        const co = this.requireCheckout();
        if (co.value !== 'scanning') throw new CoreError('NOT_ALLOWED_NOW', 'The sale is already at subtotal.');
        if (!checkoutGuards.hasActiveLines(co.context)) throw new CoreError('EMPTY_SALE', 'Scan an item first.');
        this.requireAgeCleared(co);
        return { steps: [{ to: 'checkout', event: { type: 'SUBTOTAL' } }] };
      }
      case 'backToSale': {
        const co = this.requireCheckout();
        if (co.value !== 'subtotal' || co.context.tenders.length > 0) throw new CoreError('NOT_ALLOWED_NOW', 'Payment has started; the sale cannot be changed now.');
        return { steps: [{ to: 'checkout', event: { type: 'BACK_TO_SALE' } }] };
      }
      case 'tenderCash':
      case 'tenderCard':
      case 'tenderVoucher': {
        const co = this.requireCheckout();
        if (co.value === 'paid') throw new CoreError('NOT_ALLOWED_NOW', 'The sale is already paid; complete it.');
        if (co.value === 'cardPending' || co.value === 'reversing') throw new CoreError('PAYMENT_PENDING', 'A card payment is in progress at the terminal.');
        if (co.value === 'cashPending') throw new CoreError('PAYMENT_PENDING', 'A cash payment is in progress.');
        if (!checkoutGuards.hasActiveLines(co.context)) throw new CoreError('EMPTY_SALE', 'Scan an item first.');
        this.requireAgeCleared(co);
        const totals = totalsOf(co.context);
        // Card and voucher pay exactly; only cash is rounded.
        const exactLeft = Math.max(0, totals.total - co.context.tenders.reduce((a, t) => a + t.amount, 0));
        const id = uuidv7(this.now().getTime());
        if (cmd.cmd === 'tenderCash') {
          if (this.config.mode === 'self' && !this.config.selfCash) throw new CoreError('NOT_ALLOWED_NOW', 'This self-checkout takes cards only.', { reason: 'cardOnly' });
          // A customer's "pay cash" at a kiosk books nothing: the cash device counts it, or an attendant confirms it (staff at the kiosk take cash as on a lane).
          const staffHere = this.attendant !== null || (this.staffSession !== null && this.now().getTime() < this.staffSession.until);
          if (this.config.mode === 'self' && !staffHere) return this.kioskCash.start(co, cashToPay(co.context.lines, co.context.tenders, this.profile));
          const amount = cmd.amount ?? cashToPay(co.context.lines, co.context.tenders, this.profile);
          if (amount <= 0) throw new CoreError('INSUFFICIENT_TENDER', 'Nothing is left to pay.');
          return { steps: [{ to: 'checkout', event: { type: 'TENDER', tender: { tenderId: id, kind: 'cash', amount, card: null, voucherCode: null } } }] };
        }
        if (exactLeft <= 0) throw new CoreError('INSUFFICIENT_TENDER', 'Nothing is left to pay.');
        if (cmd.cmd === 'tenderVoucher') {
          const available = this.giftCards.available(cmd.code, co.context.tenders);
          const amount = Math.min(cmd.amount ?? exactLeft, exactLeft, available);
          return { steps: [{ to: 'checkout', event: { type: 'TENDER', tender: { tenderId: id, kind: 'voucher', amount, card: null, voucherCode: cmd.code, ...(co.context.training ? {} : { voucherLeft: available - amount }) } } }] };
        }
        if (!this.portFor(co)) throw new CoreError('PAYMENT_UNAVAILABLE', 'No payment terminal is connected; take another tender.');
        const amount = Math.min(cmd.amount ?? exactLeft, exactLeft);
        if (this.terminalOffline && !co.context.training) {
          // The terminal carries the risk of offline payments only up to the store's caps.
          const pending = this.offlinePending();
          if (amount > this.config.offlineCardLimit || pending.pendingAmount + amount > this.config.offlineCardPendingLimit)
            throw new CoreError('PAYMENT_UNAVAILABLE', 'The card terminal is offline and this payment is above its offline limit; take another tender.', { reason: 'offlineLimit' });
        }
        const saleId = co.context.saleId;
        return {
          steps: [
            {
              to: 'checkout',
              event: { type: 'CARD_STARTED', attemptId: id, amount, startedAt: this.now().toISOString() },
              // Journal the intent durably before the request goes to the terminal.
              after: journal('payment.started', saleId, { saleId, attemptId: id, amount }),
            },
          ],
          afterCommit: () => this.startCardPayment(id, amount),
        };
      }
      case 'discount': {
        const co = this.requireCheckout();
        const target = cmd.lineId ? this.requireLine(co, cmd.lineId) : null;
        if (target && (target.voided || target.depositFor !== null)) throw new CoreError('NOT_ALLOWED_NOW', 'That line cannot be discounted.', { lineId: target.lineId });
        if (cmd.kind === 'percent' && cmd.value > 10_000) throw new CoreError('INVALID_COMMAND', 'A discount cannot be more than 100 %.');
        const base = target ? target.total + (target.discounts.find((d) => d.source === 'manual')?.amount ?? 0) : totalsOf(co.context).total;
        const amount = cmd.kind === 'percent' ? Math.round((base * cmd.value) / 10_000) : cmd.value;
        const overLimit =
          (cmd.kind === 'percent' && cmd.value > this.config.discountLimitPercentBp) || amount > this.config.discountLimitAmount;
        const approvedBy = cmd.value > 0 && overLimit ? this.approve('discount', cmd.approval).id : null;
        const discount = cmd.value === 0 ? null : { kind: cmd.kind, value: cmd.value, reason: cmd.reason, approvedBy };
        this.backToScanning(co, steps);
        const saleId = co.context.saleId;
        steps.push({
          to: 'checkout',
          event: target ? { type: 'SET_LINE_DISCOUNT', lineId: target.lineId, discount } : { type: 'SET_SALE_DISCOUNT', discount },
          after: journal(target ? 'discount.line' : 'discount.sale', saleId, { saleId, lineId: target?.lineId ?? null, kind: cmd.kind, value: cmd.value, reason: cmd.reason, approvedBy }),
        });
        return { steps };
      }
      case 'overridePrice': {
        const co = this.requireCheckout();
        const line = this.requireLine(co, cmd.lineId);
        if (line.voided || line.depositFor !== null || line.priceFromCode) throw new CoreError('NOT_ALLOWED_NOW', 'The price of that line cannot be changed.', { lineId: line.lineId });
        if (line.unitPrice === cmd.unitPrice) return { steps: [] };
        const approvedBy = this.approve('overridePrice', cmd.approval).id;
        this.backToScanning(co, steps);
        const saleId = co.context.saleId;
        steps.push({
          to: 'checkout',
          event: { type: 'OVERRIDE_PRICE', lineId: line.lineId, unitPrice: cmd.unitPrice, reason: cmd.reason, approvedBy },
          after: journal('price.override', saleId, { saleId, lineId: line.lineId, itemId: line.itemId, from: line.unitPrice, to: cmd.unitPrice, reason: cmd.reason, approvedBy }),
        });
        return { steps };
      }
      case 'returnLines':
      case 'returnWithoutReceipt': {
        needLaneState('signedIn');
        this.requireTill();
        let original: (OriginalSale & SaleRecord) | null = null;
        let originalSequence: number | null = null;
        let lines: ReturnedLine[];
        let approvedBy: string | null = null;
        if (cmd.cmd === 'returnLines') {
          const found = this.loadSale(cmd.receiptCode);
          original = found.sale;
          originalSequence = found.sequence;
          lines = returnLines(original, this.returnedSoFar(original.saleId), cmd.lines);
        } else {
          approvedBy = this.approve('returnWithoutReceipt', cmd.approval).id;
          lines = cmd.items.map((it, i) => {
            const { item, priceMinor } = this.resolve(it.code);
            const unit = priceMinor ?? item.price;
            return { lineId: `N${i + 1}`, itemId: item.id, name: item.name, quantity: it.quantity, amount: unit * it.quantity, vatRate: item.vatRate, depositFor: null };
          });
        }
        const amount = lines.reduce((a, l) => a + l.amount, 0);
        const orig = original;
        const split = orig
          ? splitRefund(amount, cmd.cmd === 'returnLines' && cmd.refundTo === 'cash' ? [] : orig.tenders, orig.totals.change, this.refundedSoFar(orig.saleId), this.profile, this.payments !== null)
          : splitRefund(amount, [], 0, new Map(), this.profile, false);
        if (orig && cmd.cmd === 'returnLines') split.parts = routeGiftCardRefund(split.parts, cmd.refundTo, orig.tenders);
        const returnId = uuidv7(this.now().getTime());
        return {
          steps: [],
          effects: [(at) => this.recordReturn({ returnId, original: orig, originalSequence, lines, amount, split, reason: cmd.reason, approvedBy, at })],
          afterCommit: () => this.refundCards(returnId, split.parts),
        };
      }
      case 'reprintReceipt': {
        needLaneState('signedIn');
        const saleId = cmd.saleId ?? this.lastSale?.saleId;
        const original = saleId ? this.stmts.receiptOf.get(saleId) : undefined;
        if (!saleId || !original) throw new CoreError('RECEIPT_NOT_FOUND', 'There is no receipt to copy.');
        const mark = '*** KOPIA / COPY ***';
        const copyText = `${mark}\n${unpackReceipt(original)}${mark}\n`;
        return {
          steps: [],
          effects: [
            (at) => {
              this.journal.append('receipt.copy', saleId, { saleId, operator }, at);
              this.stmts.insertReceipt.run(uuidv7(this.now().getTime()), saleId, 'copy', at, packReceipt(copyText));
              this.printQueue?.enqueue(`copy:${uuidv7(this.now().getTime())}`, 'copy', encodeReceipt(copyText, { logo: this.logo }), at);
              return { saleId, copyText };
            },
          ],
        };
      }
      case 'noSale': {
        needLaneState('signedIn');
        this.requireTill();
        const approvedBy = this.approve('noSale', cmd.approval).id;
        // Without a drawer device the approved no-sale is still journaled (the drawer opens by key).
        return {
          steps: [],
          effects: [
            (at) => {
              this.journal.append('drawer.noSale', null, { reason: cmd.reason, operator, approvedBy, lane: this.identity.laneId }, at);
              this.drawerDue = 'noSale';
            },
          ],
        };
      }
      case 'suspendSale': {
        const co = this.requireCheckout();
        if (co.context.tenders.length > 0 || (co.value !== 'scanning' && co.value !== 'subtotal')) {
          throw new CoreError('NOT_ALLOWED_NOW', 'Payment has started; the sale cannot be parked now.');
        }
        const items = co.context.lines
          .filter((l) => !l.voided && l.depositFor === null)
          .map((l) => ({ code: l.code, quantity: l.priceFromCode ? 1 : l.quantity, weightGrams: l.unit === 'weight' && !l.priceFromCode ? l.weightGrams : null }));
        if (items.length === 0) throw new CoreError('EMPTY_SALE', 'There is nothing to park.');
        const suspendId = uuidv7(this.now().getTime());
        const saleId = co.context.saleId;
        const payload = { suspendId, storeId: this.identity.storeId, laneId: this.identity.laneId, member: co.context.member, items };
        return {
          steps: [
            { to: 'checkout', event: { type: 'SUSPEND' } },
            {
              to: 'lane',
              event: { type: 'SALE_ENDED', saleId },
              after: (at) => {
                this.stmts.insertSuspended.run(suspendId, at, operator, JSON.stringify(payload));
                journal('sale.suspended', saleId, { saleId, suspendId, items, total: totalsOf(co.context).total })(at);
              },
            },
          ],
          effects: [() => this.slipFor(payload, totalsOf(co.context).total)],
        };
      }
      case 'resumeSale': {
        needLaneState('signedIn');
        this.requireTill();
        const payload = this.readSlip(cmd.slip);
        const saleId = uuidv7(this.now().getTime());
        steps.push({ to: 'lane', event: { type: 'START_SALE', saleId, startedAt: this.now().toISOString() } });
        let index = 1;
        for (const it of payload.items) {
          const res = this.resolve(it.code);
          const lines = this.buildLines(res, { id: 'resume', cmd: 'scan', code: it.code, source: 'keyboard', quantity: it.quantity, ...(it.weightGrams ? { weightGrams: it.weightGrams } : {}) }, index);
          index += lines.length;
          steps.push({ to: 'checkout', event: { type: 'ADD_LINES', lines } });
        }
        if (payload.member) steps.push({ to: 'checkout', event: { type: 'SET_MEMBER', card: payload.member } });
        const last = steps[steps.length - 1]!;
        last.after = (at) => {
          this.stmts.markResumed.run(at, saleId, payload.suspendId);
          journal('sale.resumed', saleId, { saleId, suspendId: payload.suspendId, fromLane: payload.laneId, items: payload.items.length })(at);
        };
        return { steps, saleId };
      }
      case 'memberCard': {
        const co = this.requireCheckout();
        this.backToScanning(co, steps);
        steps.push({ to: 'checkout', event: { type: 'SET_MEMBER', card: cmd.card } });
        return { steps };
      }
      case 'cancelCash':
        return this.kioskCash.cancel(this.requireCheckout());
      case 'confirmCash': {
        const co = this.requireCheckout();
        const by = this.attendant?.id ?? this.approve('confirmCash', cmd.approval).id;
        return this.kioskCash.confirm(co, cmd.sessionId, cmd.amount, by);
      }
      case 'abortPayment': {
        const co = this.requireCheckout();
        const attempt = co.context.cardAttempt;
        if (co.value !== 'cardPending' || !attempt || !this.cardInFlight.has(attempt.attemptId)) throw new CoreError('NOT_ALLOWED_NOW', 'No card payment is under way at the terminal.');
        if (!this.payments?.abort) throw new CoreError('PAYMENT_UNAVAILABLE', 'This terminal cannot be asked to abort; cancel at the terminal.');
        const saleId = co.context.saleId;
        // The terminal answers the running payment with an abort; its result ends the attempt as usual.
        return { steps: [], effects: [(at) => void this.journal.append('payment.abortRequested', saleId, { saleId, attemptId: attempt.attemptId }, at)], afterCommit: () => void this.payments!.abort!() };
      }
      case 'resolvePayment': {
        const co = this.requireCheckout();
        if (co.value === 'reversing' && co.context.reversing) {
          const tenderId = co.context.reversing;
          if (this.cardInFlight.has(tenderId)) throw new CoreError('PAYMENT_PENDING', 'The terminal is still working on this reversal.');
          const approvedBy = this.approve('resolvePayment', cmd.approval).id;
          const saleId = co.context.saleId;
          // 'notCharged': the terminal shows the payment reversed; 'approved': the card is still charged.
          const done = cmd.outcome === 'notCharged';
          return {
            steps: [
              {
                to: 'checkout',
                event: done ? { type: 'REVERSAL_DONE', tenderId } : { type: 'REVERSAL_FAILED', tenderId },
                after: journal(done ? 'tender.voided' : 'payment.reversalFailed', saleId, { saleId, tenderId, kind: 'card', resolvedBy: approvedBy }),
              },
            ],
          };
        }
        const attempt = co.context.cardAttempt;
        if (co.value !== 'cardPending' || !attempt) throw new CoreError('NOT_ALLOWED_NOW', 'No card payment is waiting for a decision.');
        if (this.cardInFlight.has(attempt.attemptId)) throw new CoreError('PAYMENT_PENDING', 'The terminal is still working on this payment.');
        const approvedBy = this.approve('resolvePayment', cmd.approval).id;
        const saleId = co.context.saleId;
        const after = journal('payment.resolved', saleId, { saleId, attemptId: attempt.attemptId, amount: attempt.amount, outcome: cmd.outcome, approvedBy, terminalReceipt: this.paymentDecision?.terminalReceipt ?? [] });
        const event: CheckoutEvent =
          cmd.outcome === 'approved'
            ? {
                type: 'CARD_APPROVED',
                tender: {
                  tenderId: attempt.attemptId,
                  kind: 'card',
                  amount: attempt.amount,
                  card: { brand: 'UNKNOWN', maskedPan: '', authCode: 'MANUAL', terminalRef: 'RECONCILED', attemptId: attempt.attemptId },
                  voucherCode: null,
                },
              }
            : { type: 'CARD_FAILED', attemptId: attempt.attemptId };
        return {
          steps: [{ to: 'checkout', event, after }],
          afterCommit: () => {
            this.paymentDecision = null;
          },
        };
      }
      case 'voidTender': {
        const co = this.requireCheckout();
        const tender = co.context.tenders.find((t) => t.tenderId === cmd.tenderId);
        if (!tender) throw new CoreError('NOT_ALLOWED_NOW', 'That payment is not part of this sale.');
        const saleId = co.context.saleId;
        if (tender.kind === 'card') {
          // Reversed at the payment terminal first; the tender goes only when the terminal confirms.
          if (!this.portFor(co) || !tender.card) throw new CoreError('PAYMENT_UNAVAILABLE', 'No payment terminal is connected to reverse this card payment.');
          const card = tender.card;
          return {
            steps: [
              {
                to: 'checkout',
                event: { type: 'REVERSAL_STARTED', tenderId: tender.tenderId },
                after: journal('payment.reversalStarted', saleId, { saleId, tenderId: tender.tenderId, amount: tender.amount, terminalRef: card.terminalRef }),
              },
            ],
            afterCommit: () => this.startReversal(tender.tenderId, card.terminalRef, tender.amount),
          };
        }
        return {
          steps: [
            {
              to: 'checkout',
              event: { type: 'VOID_TENDER', tenderId: tender.tenderId },
              after: journal('tender.voided', saleId, { saleId, tenderId: tender.tenderId, kind: tender.kind, amount: tender.amount }),
            },
          ],
        };
      }
      case 'complete': {
        const co = this.requireCheckout();
        if (co.value !== 'paid') {
          throw new CoreError('INSUFFICIENT_TENDER', 'The sale is not fully paid yet.', { remaining: totalsOf(co.context).remaining });
        }
        const saleId = co.context.saleId;
        const receipt = cmd.receipt ?? 'print';
        steps.push(
          { to: 'checkout', event: { type: 'COMPLETE' } },
          { to: 'lane', event: { type: 'SALE_ENDED', saleId }, after: (at) => this.recordSale(co.context, at, receipt) },
        );
        return { steps };
      }
      case 'openItem': {
        needLaneState('signedIn', 'selling');
        if (this.config.mode === 'self' && !this.attendant) throw new CoreError('NOT_ALLOWED_NOW', 'At a self-checkout staff sell an unknown item.');
        const co = this.checkoutSnap();
        if (!co) this.requireTill();
        const dept = this.catalog.departments().find((d) => d.id === cmd.departmentId);
        if (!dept) throw new CoreError('INVALID_COMMAND', `There is no department "${printable(cmd.departmentId)}".`);
        const quantity = cmd.quantity ?? 1;
        const approvedBy = cmd.unitPrice * quantity > this.config.openPriceApprovalAbove ? this.approve('openItem', cmd.approval).id : null;
        let saleId = co?.context.saleId;
        if (co) {
          this.requireAgeClearedToScan(co);
          this.backToScanning(co, steps);
        } else {
          saleId = uuidv7(this.now().getTime());
          steps.push({ to: 'lane', event: { type: 'START_SALE', saleId, startedAt: this.now().toISOString() } });
        }
        const code = cmd.code ? printable(cmd.code) : '';
        const lineId = `L${(co?.context.lines.length ?? 0) + 1}`;
        const gross = lineTotal('piece', cmd.unitPrice, quantity, null);
        const line: Line = {
          lineId,
          itemId: `open:${dept.id}`,
          name: dept.name,
          code,
          unit: 'piece',
          quantity,
          weightGrams: null,
          unitPrice: cmd.unitPrice,
          grossTotal: gross,
          discounts: [],
          total: gross,
          departmentId: dept.id,
          vatRate: dept.vatRate,
          manualDiscount: null,
          priceOverride: null,
          ageLimit: null,
          depositFor: null,
          priceFromCode: false,
          voided: false,
        };
        steps.push({
          to: 'checkout',
          event: { type: 'ADD_LINES', lines: [line] },
          // The code goes to the back office, so HQ can add the item to the catalog.
          after: journal('item.openPrice', saleId ?? null, { saleId, lineId, code, departmentId: dept.id, unitPrice: cmd.unitPrice, quantity, approvedBy }),
        });
        return { steps, saleId };
      }
      case 'ping':
      case 'priceCheck':
      case 'findSale':
      case 'deviceTest':
      case 'deviceInfo':
      case 'cardEndOfDay':
      case 'produceList':
      case 'weighPreview':
      case 'departments':
      case 'callHelp':
      case 'clearHelp':
      case 'reportMissingItem':
      case 'staffCheck':
      case 'staffDone':
      case 'customerLanguage':
      case 'suspendedList':
      case 'serviceInfo':
      case 'serviceLog':
      case 'deviceConfig':
      case 'saveDeviceConfig':
      case 'exportDiagnostics':
      case 'exitKiosk':
        throw new CoreError('NOT_ALLOWED_NOW', `${cmd.cmd} changes nothing`);
    }
  }

  /**
   * Supervisor approval for a gated action: a signed-in supervisor approves their own action;
   * otherwise a second operator with the supervisor role gives their PIN on this lane.
   */
  private approve(action: string, approval: Approval | undefined): Operator {
    const ctx = this.laneSnap().context;
    if (this.attendant) {
      this.pendingApproval = { action, approvedBy: this.attendant.id, self: false };
      return this.attendant;
    }
    // At a self-checkout the signed-in operator only opened the kiosk: the customer at it approves nothing.
    if (this.config.mode === 'staffed' && ctx.role === 'supervisor' && ctx.operator && ctx.operatorName) {
      this.pendingApproval = { action, approvedBy: ctx.operator, self: true };
      return { id: ctx.operator, name: ctx.operatorName, role: 'supervisor' };
    }
    if (!approval) throw new CoreError('APPROVAL_REQUIRED', 'A supervisor must approve this.', { action });
    const by = 'badge' in approval ? this.operators.authenticateBadge(approval.badge) : this.operators.authenticate(approval.operator, approval.pin);
    if (by.role !== 'supervisor') throw new CoreError('APPROVAL_DENIED', `${by.name} may not approve this; a supervisor must.`, { action });
    // Four eyes on a staffed lane; at a self-checkout the signed-in operator only opened the kiosk.
    if (this.config.mode === 'staffed' && by.id === ctx.operator) throw new CoreError('APPROVAL_DENIED', 'An approval must come from a second operator.', { action });
    // Journalled (as its own entry) in the transaction of the action it approves.
    this.pendingApproval = { action, approvedBy: by.id, self: false };
    return by;
  }

  private loadSale(receiptCode: string): { sale: OriginalSale & SaleRecord; sequence: number } {
    const h = receiptCode.slice(1);
    const saleId = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    const row = this.stmts.saleById.get(saleId);
    const body = row ? (JSON.parse(row.body) as SaleRecord & { type?: string }) : null;
    if (!row || !body || body.type === 'return') throw new CoreError('RECEIPT_NOT_FOUND', 'No sale with that receipt on this lane.', { receiptCode });
    return { sale: body, sequence: row.sequence };
  }

  private returnedSoFar(saleId: string): Map<string, number> {
    return new Map(this.stmts.returnedQty.all(saleId).map((r) => [r.line_id, r.q]));
  }

  private refundedSoFar(saleId: string): Map<string, number> {
    const m = new Map<string, number>();
    for (const r of this.stmts.earlierRefunds.all(saleId)) {
      for (const p of (JSON.parse(r.body) as { refunds: RefundPart[] }).refunds) {
        const key = refundKey(p);
        if (key) m.set(key, (m.get(key) ?? 0) + p.amount);
      }
    }
    return m;
  }

  private findSale(receiptCode: string): SaleLookup {
    const state = this.laneSnap().value;
    if (state === 'closed' || state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', 'Sign in first.');
    const { sale, sequence } = this.loadSale(receiptCode);
    const left = returnable(sale, this.returnedSoFar(sale.saleId));
    return {
      saleId: sale.saleId,
      sequence,
      completedAt: sale.completedAt,
      total: sale.totals.due,
      lines: sale.lines
        .filter((l) => !l.voided)
        .map((l) => ({ lineId: l.lineId, name: l.name, quantity: l.quantity, total: l.total, returned: l.quantity - (left.get(l.lineId) ?? 0), returnable: left.get(l.lineId) ?? 0, isDeposit: l.depositFor !== null })),
      tenders: sale.tenders.map((t) => ({ kind: t.kind, amount: t.amount })),
      giftCards: this.giftCards.ofSale(sale.tenders),
    };
  }

  private recordReturn(r: {
    returnId: string;
    original: (OriginalSale & SaleRecord) | null;
    originalSequence: number | null;
    lines: ReturnedLine[];
    amount: number;
    split: { parts: RefundPart[]; rounding: number };
    reason: string;
    approvedBy: string | null;
    at: string;
  }): ReturnResult {
    const sequence = this.stmts.nextSequence.get()!.next;
    const operator = this.laneSnap().context.operator;
    const businessDate = storeDate(r.at, this.profile.timeZone);
    const vat = returnVat(r.lines);
    // The gift-card part onto the card chosen (or a new one), journalled with its balance after.
    const refunds = this.giftCards.creditRefund(r.split.parts, { returnId: r.returnId, originalSaleId: r.original?.saleId ?? null }, r.at);
    const doc = {
      type: 'return' as const,
      saleId: r.returnId,
      sequence,
      originalSaleId: r.original?.saleId ?? null,
      storeId: this.identity.storeId,
      laneId: this.identity.laneId,
      operator,
      approvedBy: r.approvedBy,
      completedAt: r.at,
      businessDate,
      currency: this.profile.currency,
      reason: r.reason,
      lines: r.lines,
      refunds,
      refund: r.amount,
      rounding: r.split.rounding,
      vat,
    };
    if (r.original) for (const l of r.lines) this.stmts.insertReturnLine.run(r.returnId, r.original.saleId, l.lineId, l.quantity, l.amount);
    const entry = this.journal.append('sale.return', r.returnId, doc, r.at);
    const receiptText = renderReturnReceipt(
      {
        returnId: r.returnId,
        sequence,
        originalSequence: r.originalSequence,
        storeName: this.identity.storeName,
        laneId: this.identity.laneId,
        operator,
        completedAt: r.at,
        businessDate,
        currency: this.profile.currency,
        lines: r.lines,
        refunds,
        rounding: r.split.rounding,
        vat,
        reason: r.reason,
      },
      this.profile,
    ) + `Journal ${entry.seq}\n`;
    const total = -(r.amount + r.split.rounding);
    this.stmts.insertSale.run({ saleId: r.returnId, sequence, completedAt: r.at, businessDate, operator, total, rounding: -r.split.rounding, journalSeq: entry.seq, originalSaleId: doc.originalSaleId });
    this.stmts.insertOutbox.run(sequence, r.returnId, 'return', r.at);
    this.stmts.insertReceipt.run(uuidv7(new Date(r.at).getTime()), r.returnId, 'sale', r.at, packReceipt(receiptText));
    this.printQueue?.enqueue(`return:${r.returnId}`, 'return', encodeReceipt(receiptText, { logo: this.logo }), r.at);
    if (r.split.parts.some((p) => p.kind === 'cash')) this.drawerDue = 'return';
    return { returnId: r.returnId, sequence, refund: r.amount + r.split.rounding, refunds: r.split.parts.map((p) => ({ kind: p.kind, amount: p.amount })), receiptText };
  }

  /** Archives the journal's older part (after a Z); a failure is logged and leaves the journal whole. */
  private archiveJournal(): void {
    const dir = this.journalArchiveDir;
    if (!dir) return;
    try {
      for (const a of archiveJournal(this.db, { dir, now: this.now, keepDays: this.profile.journalKeepDays, journal: this.journal })) {
        this.log(`journal: entries ${a.firstSeq}–${a.throughSeq} archived to ${a.file}`);
      }
    } catch (err) {
      this.log(`journal: archiving failed, the journal stays whole: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Card parts of a refund go back to the card through the payment terminal, after the commit. */
  private refundCards(returnId: string, parts: RefundPart[]): void {
    const port = this.payments;
    if (!port) return;
    for (const p of parts) {
      if (p.kind !== 'card' || !p.terminalRef) continue;
      const refundId = uuidv7(this.now().getTime());
      void port
        .refund({ refundId, amount: p.amount, currency: this.profile.currency, originalRef: p.terminalRef })
        .catch((err: unknown) => ({ ok: false, reason: err instanceof Error ? err.message : String(err) }))
        .then((res) => {
          if (this.disposed) return;
          try {
            this.db.transaction(() => {
              this.journal.append(res.ok ? 'payment.refunded' : 'payment.refundFailed', returnId, { returnId, refundId, amount: p.amount, originalRef: p.terminalRef, ...res }, this.now().toISOString());
            })();
            if (!res.ok) this.notifyError('PAYMENT_DECLINED', 'The card refund failed at the terminal; refund in cash.');
          } catch (err) {
            this.notifyError('STORAGE_FAILED', `The card refund result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
          }
        });
    }
  }

  /** The slip printed for a parked basket: a barcode for this lane, a QR that works on any lane. */
  /** Baskets parked on this lane, not resumed: when, by whom, how many items and the first names. */
  private suspendedList(): SuspendedList['suspended'] {
    return this.stmts.openSuspended.all().map((r) => {
      const payload = JSON.parse(r.payload) as SuspendPayload;
      const names: string[] = [];
      for (const it of payload.items.slice(0, 3)) {
        try {
          names.push(this.resolve(it.code).item.name);
        } catch {
          names.push(printable(it.code)); // no longer in the catalog: the code
        }
      }
      return { suspendId: r.suspend_id, barcode: `S${r.suspend_id.replace(/-/g, '')}`, createdAt: r.created_at, operator: r.operator, items: payload.items.length, names };
    });
  }

  private slipFor(payload: SuspendPayload, total: number): Slip {
    const barcode = `S${payload.suspendId.replace(/-/g, '')}`;
    const qr = ['KS1', payload.suspendId, payload.storeId, payload.laneId, payload.member ?? '', payload.items.map((i) => [encodeURIComponent(i.code), i.quantity, i.weightGrams ?? ''].join('*')).join(';')].join('|');
    const slipText = renderSlip({ storeName: this.identity.storeName, laneId: payload.laneId, items: payload.items.reduce((n, i) => n + (i.weightGrams ? 1 : i.quantity), 0), total, barcode, qr }, this.profile);
    return { suspendId: payload.suspendId, barcode, qr, slipText };
  }

  /** Reads a slip: its barcode (parked on this lane) or its QR text (parked on any lane of the store). */
  private readSlip(slip: string): SuspendPayload {
    let payload: SuspendPayload | null = null;
    if (/^S[0-9a-f]{32}$/.test(slip)) {
      const h = slip.slice(1);
      const id = `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
      const row = this.stmts.suspended.get(id);
      if (!row) throw new CoreError('SLIP_NOT_FOUND', 'That slip was not parked on this lane; scan its QR code instead.');
      if (row.resumed_at) throw new CoreError('SLIP_ALREADY_RESUMED', 'That basket was already resumed.');
      payload = JSON.parse(row.payload) as SuspendPayload;
    } else {
      const parts = slip.split('|');
      if (parts.length !== 6 || parts[0] !== 'KS1' || !/^[0-9a-f-]{36}$/.test(parts[1]!)) throw new CoreError('SLIP_NOT_FOUND', 'That is not a parked-basket slip.');
      if (parts[2] !== this.identity.storeId) throw new CoreError('SLIP_NOT_FOUND', 'That slip belongs to another store.');
      const items = parts[5]!.split(';').map((x) => {
        const [code, qty, grams] = x.split('*');
        const quantity = Number(qty);
        const weightGrams = grams ? Number(grams) : null;
        if (!code || !Number.isInteger(quantity) || quantity < 1 || quantity > 999 || (weightGrams !== null && !(Number.isInteger(weightGrams) && weightGrams > 0 && weightGrams <= 100_000))) {
          throw new CoreError('SLIP_NOT_FOUND', 'The slip cannot be read; park the basket again.');
        }
        let decoded: string;
        try {
          decoded = decodeURIComponent(code);
        } catch {
          throw new CoreError('SLIP_NOT_FOUND', 'The slip cannot be read; park the basket again.');
        }
        if (decoded.length > 128) throw new CoreError('SLIP_NOT_FOUND', 'The slip cannot be read; park the basket again.');
        return { code: decoded, quantity, weightGrams };
      });
      const member = parts[4] && /^\d{8,20}$/.test(parts[4]) ? parts[4] : null;
      payload = { suspendId: parts[1]!, storeId: parts[2]!, laneId: parts[3]!, member, items };
      const local = this.stmts.suspended.get(payload.suspendId);
      if (local?.resumed_at) throw new CoreError('SLIP_ALREADY_RESUMED', 'That basket was already resumed.');
    }
    if (payload.items.length === 0 || payload.items.length > 500) throw new CoreError('SLIP_NOT_FOUND', 'The slip cannot be read; park the basket again.');
    return payload;
  }

  /** A gift card's balance (scanned, F3, or just paid with: `anyCode`); null for a code in no gift card range (issue 16). */
  private giftCardLookup(code: string, anyCode = false): GiftCardResult | null {
    if (!anyCode && !this.giftCards.range(code)) return null;
    const lane = this.laneSnap();
    if (lane.value === 'closed' || lane.value === 'signedOut') throw new CoreError(lane.value === 'closed' ? 'LANE_CLOSED' : 'NOT_SIGNED_IN', 'Sign in first.');
    if (lane.context.locked) throw new CoreError('LANE_LOCKED', 'The lane is locked. Unlock it with your PIN.');
    const co = this.checkoutSnap();
    const payable = co && (co.value === 'scanning' || co.value === 'subtotal') && pendingAgeCheck(co.context) === null ? totalsOf(co.context).remaining : 0;
    return { giftCard: this.giftCards.lookup(code, co ? { tenders: co.context.tenders, payable } : null) };
  }

  private tillView(): Snapshot['lane']['till'] {
    const s = this.stmts.openSession.get();
    return s ? { sessionId: s.session_id, openedAt: s.opened_at, openedBy: s.opened_by } : null;
  }

  private requireTill(): TillSessionRow {
    const s = this.stmts.openSession.get();
    if (!s) throw new CoreError('TILL_NOT_OPEN', 'Open the till first: count the float.');
    return s;
  }

  /** Total of a drawer count; only the profile's notes and coins, each at most once. */
  private countTotal(counts: DenominationCount): number {
    const seen = new Set<number>();
    let total = 0;
    for (const c of counts) {
      if (!this.profile.denominations.includes(c.denomination) || seen.has(c.denomination)) {
        throw new CoreError('INVALID_COUNT', 'The count lists a note or coin twice or one this currency does not have.', { denomination: c.denomination });
      }
      seen.add(c.denomination);
      total += c.denomination * c.count;
    }
    return total;
  }

  private report(session: TillSessionRow, kind: 'X' | 'Z', zNumber: number | null, at: string, counted: number | null): TillReport {
    const entries: ReportEntry[] = this.stmts.journalFrom.all(session.open_seq).map((r) => ({ seq: r.seq, kind: r.kind, body: JSON.parse(r.body) as unknown }));
    const lastZ = this.stmts.lastZ.get();
    const previousGrandTotal = lastZ ? (JSON.parse(lastZ.body) as TillReport).grandTotal : 0;
    return buildTillReport(entries, {
      kind,
      zNumber,
      sessionId: session.session_id,
      openedAt: session.opened_at,
      at,
      operator: this.laneSnap().context.operator,
      currency: this.profile.currency,
      previousGrandTotal,
      counted,
    });
  }

  /**
   * At a staffed lane the cashier checks the age at once, before the next item. At a self-checkout
   * the customer scans on and staff approve the check before payment (subtotal and tenders wait).
   */
  private requireAgeClearedToScan(co: CheckoutSnap): void {
    if (this.config.mode !== 'self') this.requireAgeCleared(co);
  }

  private requireAgeCleared(co: CheckoutSnap): void {
    const age = pendingAgeCheck(co.context);
    if (age !== null) {
      throw new CoreError('AGE_CHECK_REQUIRED', `Check the customer's age (${age}+) before going on.`, { age });
    }
  }

  /** What the scale reads now for an item sold by weight (the kiosk shows it before the customer adds it). */
  private weighPreview(code: string): WeighPreview['weighPreview'] {
    const { item } = this.resolve(code);
    if (item.unit !== 'weight') throw new CoreError('NOT_ALLOWED_NOW', `${item.name} is not sold by weight.`, { reason: 'notByWeight' });
    const w = this.scale ? this.scale.weight() : { refused: 'noScale' as const };
    const grams = 'grams' in w ? w.grams : null;
    return { itemId: item.id, name: item.name, pricePerKg: item.price, grams, total: grams === null ? null : lineTotal('weight', item.price, 1, grams), refused: 'refused' in w ? w.refused : null };
  }

  private priceCheck(code: string): PriceCheckResult {
    const state = this.laneSnap().value;
    if (state === 'closed') throw new CoreError('LANE_CLOSED', 'The lane is closed. Open it first.');
    if (state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', 'Sign in first.');
    if (this.laneSnap().context.locked) throw new CoreError('LANE_LOCKED', 'The lane is locked. Unlock it with your PIN.');
    const { item, code: shown } = this.resolve(code);
    const dep = item.depositItemId ? this.catalog.getItem(item.depositItemId) : null;
    return {
      code: shown,
      itemId: item.id,
      name: item.name,
      unit: item.unit,
      price: item.price,
      vatRate: item.vatRate,
      ageLimit: item.ageLimit,
      deposit: dep ? { name: dep.name, price: dep.price } : null,
    };
  }

  private backToScanning(co: CheckoutSnap, steps: Step[]): void {
    if (co.value === 'scanning') return;
    if (co.value === 'subtotal' && co.context.tenders.length === 0) {
      steps.push({ to: 'checkout', event: { type: 'BACK_TO_SALE' } });
      return;
    }
    throw new CoreError('NOT_ALLOWED_NOW', 'Payment has started; the sale cannot be changed now.');
  }

  private requireCheckout(): CheckoutSnap {
    const state = this.laneSnap().value;
    if (state === 'closed') throw new CoreError('LANE_CLOSED', 'The lane is closed. Open it first.');
    if (state === 'signedOut') throw new CoreError('NOT_SIGNED_IN', 'Sign in first.');
    const co = this.checkoutSnap();
    if (!co) throw new CoreError('NO_OPEN_SALE', 'There is no open sale.');
    return co;
  }

  private requireLine(co: CheckoutSnap, lineId: string): Line {
    const line = co.context.lines.find((l) => l.lineId === lineId);
    if (!line) throw new CoreError('LINE_NOT_FOUND', 'That line is not in this sale.', { lineId });
    return line;
  }

  private resolve(code: string): Resolved {
    const r = resolveBarcode(code, this.profile.country);
    if (!r.ok) throw new CoreError('INVALID_BARCODE', `Invalid barcode: ${r.reason}.`, { code: printable(code), reason: r.reason });
    const item = r.kind === 'plu' ? this.catalog.findByPlu(r.plu) : this.catalog.findByCode(r.lookupCode);
    if (!item) throw new CoreError('ITEM_NOT_FOUND', `No item with the code ${printable(code)}.`, { code: printable(code) });
    if (item.blocked) throw new CoreError('ITEM_BLOCKED', `${item.name} may not be sold.`, { code: printable(code), name: item.name });
    const displayCode = r.kind === 'plu' ? r.plu : r.lookupCode.replace(/^0+(?=\d{8})/, '');
    if (r.kind === 'variable') return { item, code: displayCode, priceMinor: r.priceMinor, weightGrams: r.weightGrams, count: r.count };
    if (r.kind === 'gs1') return { item, code: displayCode, priceMinor: r.priceMinor, weightGrams: r.weightGrams, count: null };
    return { item, code: displayCode, priceMinor: null, weightGrams: null, count: null };
  }

  private buildLines(res: Resolved, cmd: Extract<Command, { cmd: 'scan' }>, index: number): Line[] {
    const { item } = res;
    const lineId = `L${index}`;
    const base = {
      lineId,
      itemId: item.id,
      name: item.name,
      code: cmd.code,
      departmentId: item.departmentId,
      vatRate: item.vatRate,
      ageLimit: item.ageLimit,
      depositFor: null,
      voided: false,
      discounts: [],
      manualDiscount: null,
      priceOverride: null,
    };
    let line: Line;
    if (res.priceMinor !== null) {
      // Price embedded in the barcode: the label is the price of this one package.
      line = { ...base, unit: item.unit, quantity: 1, weightGrams: res.weightGrams, unitPrice: res.priceMinor, grossTotal: res.priceMinor, total: res.priceMinor, priceFromCode: true };
    } else if (item.unit === 'weight') {
      const weighed = this.weighed?.code === cmd.code ? this.weighed.grams : null;
      let grams = res.weightGrams ?? weighed ?? cmd.weightGrams ?? null;
      if (grams === null && this.scale?.weigh) {
        // A price-computing scale weighs this item at its price; the line follows when it answers.
        this.startWeighing(cmd, item);
        throw new CoreError('WEIGHT_REQUIRED', `${item.name}: weighing on the scale…`, { name: item.name, reason: 'weighing' });
      }
      if (grams === null && this.scale) {
        // Only a stable, positive weight from the scale makes a line; anything else says why not.
        const w = this.scale.weight();
        if ('refused' in w) throw new CoreError('WEIGHT_REQUIRED', `${item.name}: no stable weight on the scale (${w.refused}).`, { name: item.name, reason: w.refused });
        grams = w.grams;
      }
      if (grams === null) throw new CoreError('WEIGHT_REQUIRED', `${item.name} is sold by weight: put it on the scale.`, { name: item.name });
      const gross = lineTotal('weight', item.price, 1, grams);
      line = { ...base, unit: 'weight', quantity: 1, weightGrams: grams, unitPrice: item.price, grossTotal: gross, total: gross, priceFromCode: false };
    } else {
      const quantity = res.count ?? cmd.quantity ?? 1;
      const gross = lineTotal('piece', item.price, quantity, null);
      line = { ...base, unit: 'piece', quantity, weightGrams: null, unitPrice: item.price, grossTotal: gross, total: gross, priceFromCode: res.count !== null };
    }
    const lines = [line];
    if (item.depositItemId) {
      const dep: CatalogItem | null = this.catalog.getItem(item.depositItemId);
      if (dep) {
        const qty = line.unit === 'piece' ? line.quantity : 1;
        lines.push({
          lineId: `L${index + 1}`,
          itemId: dep.id,
          name: dep.name,
          code: '',
          unit: 'piece',
          quantity: qty,
          weightGrams: null,
          unitPrice: dep.price,
          grossTotal: lineTotal('piece', dep.price, qty, null),
          discounts: [],
          total: lineTotal('piece', dep.price, qty, null),
          departmentId: dep.departmentId,
          vatRate: dep.vatRate,
          manualDiscount: null,
          priceOverride: null,
          ageLimit: null,
          depositFor: lineId,
          priceFromCode: false,
          voided: false,
        });
      }
    }
    return lines;
  }

  /** Writes the completed sale, its journal entry and its outbox row (inside the command's transaction). */
  private recordSale(ctx: CheckoutContext, at: string, receipt: 'print' | 'digital' | 'none'): void {
    // Training sales never count: no sale sequence, no sale row, no outbox row; only the journal
    // (as a training receipt) and the receipt itself, marked TRAINING.
    const sequence = ctx.training ? null : this.stmts.nextSequence.get()!.next;
    const completed = new Date(at);
    const sale: SaleRecord = {
      saleId: ctx.saleId,
      sequence,
      training: ctx.training,
      storeId: this.identity.storeId,
      storeName: this.identity.storeName,
      laneId: this.identity.laneId,
      operator: this.laneSnap().context.operator,
      startedAt: ctx.startedAt,
      completedAt: at,
      businessDate: storeDate(completed, this.profile.timeZone),
      currency: this.profile.currency,
      lines: ctx.lines,
      // Gift cards are debited when (and only when) the sale completes, each with its balance left; training never debits.
      tenders: ctx.training ? ctx.tenders : this.giftCards.redeem(ctx.tenders, ctx.saleId, at),
      totals: totalsOf(ctx),
    };
    // The journal entry first: the receipt carries its sequence number and signature.
    const entry = this.journal.append(sequence !== null ? 'sale.completed' : 'sale.training', sale.saleId, sale, at);
    const receiptText = renderReceipt(sale, this.profile, {
      journalSeq: entry.seq,
      hash: entry.hash,
      signature: entry.signature,
      outage: this.journal.signerState() === 'outage',
    });
    if (sequence !== null) {
      this.stmts.insertSale.run({
        saleId: sale.saleId,
        sequence,
        completedAt: at,
        businessDate: sale.businessDate,
        operator: sale.operator,
        total: sale.totals.due,
        rounding: sale.totals.rounding,
        // The receipt's text is kept once, in `receipt` (sale.receipt_text is left empty); the body
        // once, in the journal entry.
        journalSeq: entry.seq,
        originalSaleId: null,
      });
      this.stmts.insertOutbox.run(sequence, sale.saleId, 'sale', at);
    }
    this.stmts.insertReceipt.run(uuidv7(completed.getTime()), sale.saleId, ctx.training ? 'training' : 'sale', at, packReceipt(receiptText));
    // The receipt job commits with the sale; a dead printer never stops the sale. A customer who
    // chose a digital receipt or none gets no paper (the receipt is kept; a copy can be printed).
    if (receipt === 'print') this.printQueue?.enqueue(`receipt:${sale.saleId}`, 'receipt', encodeReceipt(receiptText, { logo: this.logo }), at);
    // Only tenders that put cash in the drawer open it (card and voucher do not).
    // Training moves no real money: the drawer stays shut.
    if (ctx.tenders.some((t) => t.kind === 'cash') && !ctx.training) this.drawerDue = 'sale';
    this.lastSale = { saleId: sale.saleId, sequence, training: ctx.training, total: sale.totals.due, change: sale.totals.change, receiptText, completedAt: at, receipt, receiptLink: receipt === 'digital' ? this.digitalReceiptLink(receiptText) : null };
  }
}

/** The card tender of an approved payment: only what the terminal let the till know (no card data). */
function cardTender(attemptId: string, amount: number, res: Extract<CardResult, { approved: true }>): Tender {
  const receiptLines = res.receiptLines.slice(0, 60).map((l) => l.slice(0, 80));
  return {
    tenderId: attemptId,
    kind: 'card',
    amount,
    card: { brand: res.brand, maskedPan: res.maskedPan, authCode: res.authCode, terminalRef: res.terminalRef, attemptId, receiptLines, ...(res.offline ? { offline: true } : {}) },
    voucherCode: null,
  };
}

interface SuspendPayload {
  suspendId: string;
  storeId: string;
  laneId: string;
  member: string | null;
  items: Array<{ code: string; quantity: number; weightGrams: number | null }>;
}

interface TillSessionRow {
  session_id: string;
  opened_at: string;
  opened_by: string;
  open_seq: number;
  float_total: number;
}

type Step =
  | { to: 'lane'; event: LaneEvent; after?: (at: string) => void }
  | { to: 'checkout'; event: CheckoutEvent; after?: (at: string) => void };

interface Plan {
  steps: Step[];
  saleId?: string | undefined;
  /** Changes outside the machines (till, cash movements, reports), run in the same transaction. */
  effects?: Array<(at: string) => TillReport | ReturnResult | Slip | ReceiptCopy | void>;
  /** Runs first inside the transaction (the approval entry precedes what it approves). */
  before?: (at: string) => void;
  /** Runs after the commit (e.g. sending a card request to the payment terminal). */
  afterCommit?: () => void;
}

interface Resolved {
  item: CatalogItem;
  code: string;
  priceMinor: number | null;
  weightGrams: number | null;
  count: number | null;
}

/** PINs and badge secrets never reach storage or logs. */
function redactSecrets(key: string, value: unknown): unknown {
  return key === 'pin' || key === 'badge' ? undefined : value;
}

/** A scanned code made safe to echo back in a message. */
function printable(code: string): string {
  const clean = code.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
