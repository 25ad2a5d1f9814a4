/**
 * What a feature module sees of its lane (core/lane/host.ts implements it), and the shapes every
 * command handler speaks: a Plan (machine events and effects the host commits in one transaction)
 * or an Answer (a read that changes nothing). Feature modules import this file, never the host.
 */
import type { SnapshotFrom } from 'xstate';
import type { AckResult, Command, CommandResult, CompletedSale, ErrorCode, Profile, StoreLegal, ReceiptCopy, CashMovementResult, ReturnResult, Slip, StoreReportResult, TillReport } from '../../protocol/terminal';
import type { CheckoutContext, CheckoutEvent, CheckoutTag } from '../checkout/machines';
import type { LaneEvent, laneMachine } from './lane-machine';
import type { AttendanceContext, AttendanceEvent } from '../selfcheckout/attendance-machine';
import type { Catalog } from '../catalog/repo';
import type { Clock } from '../clock';
import type { Db } from '../db';
import type { GiftCards } from '../giftcards';
import type { Journal } from '../journal';
import type { Operator, Operators } from '../operators';
import type { PrintQueue } from '../printing/queue';
import type { WeightSource } from '../devices/scale';
import type { PaymentPort } from '../payments/port';
import type { LogoImage } from '../printing/logo';
import type { TsePort } from '../fiscal/tse/port';
import type { TillTse } from '../fiscal/tse/till';
import type { TillControlUnit, TillControlUnitOptions } from '../fiscal/control-unit/till';

export interface TerminalIdentity {
  storeId: string;
  storeName: string;
  laneId: string;
  /** The store's address, organisation number and VAT id, for the market's legal lines on receipts (core/markets/receipt.ts). */
  legal?: StoreLegal | null;
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

export const DEFAULT_LANE_CONFIG: LaneConfig = { mode: 'staffed', cancelApprovalAbove: 50_000, discountLimitPercentBp: 1_000, discountLimitAmount: 2_000, offlineCardLimit: 50_000, offlineCardPendingLimit: 200_000, selfCash: false, voidApprovalAbove: 100_000, openPriceApprovalAbove: 50_000, idleAbandonMs: 120_000, idleWarnMs: 30_000, paidCompleteMs: 30_000 };

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
  /** The store's other tills' sales this till holds (core/peers): a receipt of any lane can be returned here, HQ or not. */
  storeSales?: StoreSales;
  /** Germany (KassenSichV): the TSE that signs every sale (core/fiscal/tse); without one, sales are not TSE-signed. */
  tse?: TsePort;
  /** Sweden (SKVFS 2014:9): the control unit every receipt is registered with, and the store's registration; without one, receipts carry no control code. */
  controlUnit?: TillControlUnitOptions;
}

/** Sales of the store's other tills as this till holds them (verified copies of their journals). */
export interface StoreSales {
  /** A sale (not a return) of another till by its id: its upload sequence, lane and document; null when none is held. */
  saleById(saleId: string): { sequence: number; laneId: string | null; body: string } | null;
  /** The documents of returns other tills made of this sale. */
  returnsOf(saleId: string): string[];
  /** A sale of another till with its journal entry, so its receipt can be printed again here; null when none is held. */
  receiptOf(saleId: string): { body: string; journalSeq: number; hash: string; signature: string | null } | null;
  /** The body of the `sale.suspended` entry (core/journal/kinds.ts) of a basket another till parked, by its suspend id; null when none is held. */
  parkedBasket(suspendId: string): string | null;
  /** The lane of another till that took up a parked basket (its `sale.resumed` entry); null when none is held. */
  resumedOn(suspendId: string): string | null;
}

/** What a command answers besides its version: its entry in the protocol's command → result map. */
export type CommandAnswer = CommandResult<Command['cmd']>;

export interface HandleResult {
  version: number;
  result?: CommandAnswer;
}

export type LaneSnapshot = SnapshotFrom<typeof laneMachine>;
/** The open sale's checkout: its state, context, and what its state is for (tags: core/checkout/machines.ts). */
export type CheckoutSnap = { value: string; context: CheckoutContext; hasTag(tag: CheckoutTag): boolean };

export type Step =
  | { to: 'lane'; event: LaneEvent; after?: (at: string) => void }
  | { to: 'checkout'; event: CheckoutEvent; after?: (at: string) => void };

/** What a changing command becomes: the host validates nothing more, it commits this in one transaction. */
export interface Plan {
  steps: Step[];
  saleId?: string | undefined;
  /** Changes outside the machines (till, cash movements, reports), run in the same transaction. */
  effects?: Array<(at: string) => TillReport | StoreReportResult | ReturnResult | Slip | ReceiptCopy | CashMovementResult | void>;
  /** Runs first inside the transaction (the approval entry precedes what it approves). */
  before?: (at: string) => void;
  /** Runs after the commit (e.g. asking the payment terminal to abort). */
  afterCommit?: () => void;
  /** The command's answer, read after the commit. */
  answerAfter?: () => CommandAnswer;
}

/** A command that reads (or records outside the lane's version, like a help call): nothing for the host to commit. */
export interface Answer<C extends Command['cmd'] = Command['cmd']> {
  answer: CommandResult<C> | null;
}

export type CommandOf<C extends Command['cmd']> = Extract<Command, { cmd: C }>;

/**
 * One command's handler. `ungated`: a lookup or call answered whatever the lane's state — no staff
 * session at an open self-checkout (selfcheckout/attendance.ts) and no check that the lane is
 * unlocked (the handler checks what it needs itself). Every other command passes both.
 */
export interface LaneHandler<C extends Command['cmd']> {
  ungated?: true;
  run(cmd: CommandOf<C>): Plan | Answer<C>;
}

/** Commands answered off the lane's transaction (they wait on a device, the terminal, or disk). */
export type AsyncHandler<C extends Command['cmd']> = (cmd: CommandOf<C>) => Promise<AckResult | undefined>;

export type LaneHandlers = { [C in Command['cmd']]?: LaneHandler<C> };

export type ErrorListener = (code: ErrorCode, message: string, params?: Record<string, string | number>) => void;

/** The lane as its feature modules see it. */
export interface Lane {
  readonly db: Db;
  readonly catalog: Catalog;
  readonly profile: Profile;
  readonly identity: TerminalIdentity;
  readonly config: LaneConfig;
  readonly now: Clock;
  readonly journal: Journal;
  readonly operators: Operators;
  readonly giftCards: GiftCards;
  readonly printQueue: PrintQueue | null;
  readonly logo: LogoImage | null;
  /** Germany: the till's TSE, null where the store has none. */
  readonly tse: TillTse | null;
  /** Sweden: the till's control unit, null where the store has none. */
  readonly controlUnit: TillControlUnit | null;
  log(line: string): void;
  readonly version: number;
  laneSnap(): LaneSnapshot;
  checkoutSnap(): CheckoutSnap | null;
  /** The last completed sale (the host persists it with the lane). */
  lastSale: CompletedSale | null;
  /** An attendant authenticated by the attendant API, approving the command being handled. */
  readonly attendant: Operator | null;
  /** The lane's attendance machine (help call, staff session, idle prompt): its context. */
  attendanceContext(): AttendanceContext;
  /**
   * Records a change of attendance in one transaction with the lane's persisted snapshot (no new
   * version): `work` appends its journal entries and returns the attendance machine's events.
   */
  attend(work: (at: string) => AttendanceEvent[]): void;
  /** Handles a command the lane gives itself (a weighed item, the idle rules). */
  handle(cmd: Command): HandleResult;
  /** Commits a plan that no command carried (a terminal's answer, an idle rule). */
  commit(plan: Plan, logged: unknown): HandleResult;
  /** A cash movement committed in this transaction: the drawer opens once it is on disk. */
  openDrawerAfterCommit(reason: string): void;
  broadcast(): void;
  /** Runs `fn` after `ms` of the core's clock (on the lane's timers: a test's clock steps it); returns its cancel. */
  after(ms: number, fn: () => void): () => void;
  notifyError(code: ErrorCode, message: string, params?: Record<string, string | number>): void;
  readonly disposed: boolean;
}

/** A scanned code made safe to echo back in a message. */
export function printable(code: string): string {
  const clean = code.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 40 ? `${clean.slice(0, 40)}…` : clean;
}
