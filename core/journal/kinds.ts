/**
 * Every kind of journal entry the terminal writes, with the body it carries: one map from kind to
 * body type (`JournalEntryMap`), and a typed reader for rows read back from the journal table.
 *
 * The bodies are typed from what the writers put in them; a field some writers leave out is
 * optional. Reading is a cast, not a validation: the journal is the terminal's own (its chain is
 * checked by the verifier), so a row of a known kind carries that kind's body. A kind the map does
 * not know (a row from another program, or a kind since retired) reads as `null` from `readEntry`.
 *
 * test/core/journal/kinds.test.ts fails when code writes a kind that is missing here.
 */
import type { DenominationCount, Line, StoreReport, Tender, TillReport, Totals, VatRow } from '../../protocol/terminal';
import type { SaleRecord } from '../receipt/text';
import type { TseMark } from '../receipt/tse-block';
import type { SeMark } from '../receipt/se-block';
import type { ControlUnitOutageEntry, ControlUnitRecoveredEntry } from '../fiscal/control-unit/till';
import type { RefundPart, ReturnedLine } from '../returns';
import type { PaymentProgress } from '../payments/port';

/** What the lane adds to an entry it journals for a command (core/lane/guards.ts: `journalStep`). */
export interface ByCommand {
  operator: string | null;
  lane: string;
  training: boolean;
}

/** A sale's id, on every entry about one sale. */
interface OfSale {
  saleId: string;
}

/** A kiosk cash entry (core/selfcheckout/kiosk-cash.ts): the lane it happened on. */
interface OnLane {
  lane: string;
}

type PayoutPurpose = 'change' | 'return' | 'late';

/** A card reversal, resolved by the terminal (`amount`, `terminalRef`) or by a supervisor's decision (`resolvedBy`). */
interface CardReversal extends OfSale, Partial<ByCommand> {
  tenderId: string;
  kind: 'card';
  amount?: number;
  terminalRef?: string | null;
  training?: true;
  resolvedBy?: string;
}

/** A tender taken off the sale: a card by its reversal, any other tender by the cashier (with the command's fields). */
type TenderVoided = CardReversal | (OfSale & ByCommand & { tenderId: string; kind: Tender['kind']; amount: number });

/** A drawer movement (`cash.pickup`, `cash.paidIn`, `cash.paidOut`, `cash.privateWithdrawal`, `cash.privateDeposit`). */
interface CashMovement {
  sessionId: string;
  amount: number;
  reason: string;
  operator: string | null;
  approvedBy: string | null;
  /** Germany: the TSE's signature of the movement (Vorgangstyp Beleg), or the outage it was made in (core/fiscal/tse/transfer.ts). */
  tse?: TseMark;
}

interface Discount extends OfSale, ByCommand {
  lineId: string | null;
  kind: 'percent' | 'amount';
  value: number;
  reason: string;
  approvedBy: string | null;
}

interface CardRefund {
  returnId: string;
  refundId: string;
  amount: number;
  originalRef: string | null | undefined;
  ok: boolean;
  terminalRef?: string;
  reason?: string;
}

interface VoucherChange {
  code: string;
  amount: number;
  balanceAfter: number;
  returnId: string;
  originalSaleId: string | null;
}

/** A return's document (core/checkout: recordReturn), the return's sale row's body too. */
export interface ReturnDocument {
  type: 'return';
  saleId: string;
  sequence: number;
  originalSaleId: string | null;
  storeId: string;
  laneId: string;
  operator: string | null;
  approvedBy: string | null;
  completedAt: string;
  businessDate: string;
  currency: string;
  reason: string;
  lines: ReturnedLine[];
  refunds: RefundPart[];
  refund: number;
  rounding: number;
  vat: VatRow[];
  /** Germany: what the TSE signed, or the outage the return was made in. */
  tse?: TseMark;
  /** Sweden: the return receipt's registration with the control unit. */
  se?: SeMark;
}

/** Store IT's actions (core/it/tools.ts): who, on which lane, with the operator signed in there. */
interface ByIt {
  by: string;
  lane: string;
  operator: string | null;
}

export interface JournalEntryMap {
  // The journal itself (core/journal/index.ts)
  'signer.outage.start': { keyId: string };
  'signer.outage.end': { keyId: string };
  /**
   * A reflashed till's first entry of its own (core/peers/recover.ts): its journal up to `through`
   * came back from its peers; from here it signs with `keyId`, HQ's enrollment having retired
   * `previousKeyId` (protocol/journal-chain-check.ts RECOVERED_KIND).
   */
  'terminal.recovered': { terminalId: string; keyId: string; previousKeyId: string; through: { seq: number; hash: string }; sales: number; from: string[] };

  // Lane, operators, training
  'lane.opened': ByCommand;
  'lane.closed': ByCommand;
  'operator.signIn': { operator: string; role: 'cashier' | 'supervisor' | 'it'; lane: string };
  'operator.signOut': ByCommand & { afterZ?: true; removedFromStaff?: true };
  'training.start': ByCommand & { approvedBy: string | null };
  'training.end': ByCommand & { approvedBy: string | null };
  approval: { action: string; approvedBy: string; self: boolean; operator: string | null; lane: string; saleId: string | null };
  'staff.access': { by: string; lane: string; mode: 'staffed' | 'self' };
  'help.called': { reason: string; detail: string | null; lane: string; operator: string | null };
  'help.cleared': { reason?: string; since?: string; by: string | null; why: string; lane: string };
  'device.test': { device: string; action: string; by: string; operator: string | null; lane: string };
  'drawer.leftOpen': { lane: string; openSince: string | null; operator: string | null };
  'drawer.noSale': { reason: string; operator: string | null; approvedBy: string | null; lane: string };

  // Till day
  /** `tse`: Germany, the float signed as Anfangsbestand. */
  'till.opened': { sessionId: string; floatTotal: number; float: DenominationCount; operator: string | null; lane: string; tse?: TseMark };
  'cash.pickup': CashMovement;
  'cash.paidIn': CashMovement;
  'cash.paidOut': CashMovement;
  'cash.privateWithdrawal': CashMovement;
  'cash.privateDeposit': CashMovement;
  /** Germany: the counted cash less the expected at the Z (DifferenzSollIst), signed; journalled just before its `report.z`. */
  'cash.difference': { sessionId: string; differenceId: string; amount: number; counted: number; expected: number; operator: string | null; approvedBy: string; tse: TseMark };
  'report.x': TillReport;
  /** The store's day (core/peers/store-day.ts): every lane's figures as this till held them when asked. */
  'report.store': StoreReport;
  /** The Z report, with the drawer count given (`counted`; the report's own total of it is `cash.counted`). */
  'report.z': TillReport & { counted: DenominationCount; approvedBy: string };

  // Basket
  'item.notFound': { code: string; lane: string; operator: string | null };
  'item.openPrice': ByCommand & { saleId?: string; lineId: string; code: string | null | undefined; departmentId: string; unitPrice: number; quantity: number; approvedBy: string | null };
  'line.voided': OfSale & ByCommand & { lineId: string; itemId: string; name: string; quantity: number; total: number; approvedBy: string | null };
  'age.confirmed': OfSale & ByCommand & { age: number; mode: 'staffed' | 'self'; approvedBy: string | null };
  'price.override': OfSale & ByCommand & { lineId: string; itemId: string; from: number; to: number; reason: string; approvedBy: string | null };
  'discount.line': Discount;
  /** Empties brought back (core/basket/deposit-return.ts). */
  'deposit.returned': OfSale & ByCommand & { lineId: string; itemId: string; name: string; quantity: number; amount: number };
  'discount.sale': Discount;

  // Sale outcomes
  'sale.completed': SaleRecord;
  'sale.training': SaleRecord;
  'sale.return': ReturnDocument;
  'sale.cancelled': OfSale & ByCommand & { approvedBy: string | null; lines: Line[]; totals: Totals };
  'sale.abandoned': OfSale & { lines: Line[]; totals: Totals; operator: string | null; lane: string; idleMs: number };
  /**
   * `member`: the loyalty card on the basket (absent in entries from before issue 19.4; another lane resumes from this entry).
   * `lines` and `totals`: the basket as parked, for its DSFinV-K receipt (AVBelegabbruch; absent in entries from before issue 21).
   */
  'sale.suspended': OfSale & ByCommand & { suspendId: string; items: Array<{ code: string; quantity: number; weightGrams: number | null }>; total: number; member?: string | null; lines?: Line[]; totals?: Totals };
  'sale.resumed': OfSale & ByCommand & { suspendId: string; fromLane: string; items: number };
  /** Sweden: the copied receipt's total (`amount`) and the copy's registration with the control unit (`se`). */
  'receipt.copy': OfSale & { operator: string | null; amount?: number; se?: SeMark };

  // Card payments
  'payment.started': OfSale & ByCommand & { attemptId: string; amount: number };
  'payment.step': { attemptId: string; step: PaymentProgress['step']; text?: string; ref?: PaymentProgress['ref'] };
  'payment.approved': OfSale & { attemptId: string; amount: number; brand?: string; maskedPan?: string; authCode?: string; terminalRef: string; offline: boolean };
  'payment.training': OfSale & { attemptId: string; amount: number; brand?: string; maskedPan?: string; authCode?: string; terminalRef: string; offline: boolean };
  'payment.declined': OfSale & { attemptId: string; amount: number; reason: string };
  'payment.abortRequested': OfSale & { attemptId: string };
  'payment.recovered': OfSale & { attemptId: string; amount: number; outcome: string; terminalRef?: string; brand?: string; maskedPan?: string; reason?: string };
  'payment.resolved': OfSale & ByCommand & { attemptId: string; amount: number; outcome: 'approved' | 'notCharged'; approvedBy: string; confirmedBy?: string; terminalReceipt: string[] };
  'payment.reversalStarted': OfSale & ByCommand & { tenderId: string; amount: number; terminalRef: string | null | undefined };
  'payment.reversalFailed': CardReversal & { reason?: string };
  'tender.voided': TenderVoided;
  'payment.refunded': CardRefund;
  'payment.refundFailed': CardRefund;
  'payment.endOfDay': { terminalTotal: number | null; laneTotal: number; match: boolean; ok: boolean; text: string; by: string; lane: string };

  // Gift cards (core/giftcards)
  'voucher.redeemed': { code: string; amount: number; saleId: string; balanceAfter: number };
  'voucher.credited': VoucherChange;
  'voucher.issued': VoucherChange & { prefix: string };

  // Kiosk cash (core/selfcheckout/kiosk-cash.ts, cash-journal.ts)
  'cash.session.started': OnLane & { sessionId: string; saleId: string; due: number; via: 'device' | 'attendant'; reason: string | null };
  'cash.session.via': OnLane & { sessionId: string; via: 'attendant'; reason: string | null };
  'cash.session.ended': OnLane & { sessionId: string; outcome: string; inserted: number; booked: number | null; returned?: number; change?: number; problem?: string; detail?: string };
  'cash.inserted': OnLane & { sessionId: string | null; source: 'coin' | 'note'; value: number; counter: number; late?: true };
  'cash.confirmed': OnLane & { sessionId: string; amount: number; by: string; due: number };
  'cash.lost': OnLane & { source: 'coin' | 'note'; count: number | null };
  'cash.payout.started': OnLane & { sessionId: string | null; purpose: PayoutPurpose; amount: number };
  'cash.payout.step': OnLane & {
    sessionId: string | null;
    purpose: PayoutPurpose;
    step: 'dispensing' | 'dispensed' | 'failed';
    unit: number;
    value: number;
    coins: number | null;
    counter?: number;
    paid?: number;
    reason?: string;
    recovered?: true;
  };
  'cash.payout': OnLane & { sessionId: string | null; purpose: PayoutPurpose; amount: number; paid: number; owed: number; unknown?: true };

  // Store IT (core/it/tools.ts)
  'device.config': ByIt & { file: string; sha256: string; devices: string[] };
  'diagnostics.export': ByIt & { folder: string };
  'kiosk.exit': ByIt;

  // Germany: the till's TSE (core/fiscal/tse/till.ts) failed, and answered again
  'tse.outage': { clientId: string; outageId: number; reason: string };
  'tse.recovered': { clientId: string; outageId: number; since: string; unsignedSales: number; abortedTransactions: number[] };

  // Sweden: the till's control unit (core/fiscal/control-unit/till.ts) stopped answering, and answered again
  'controlUnit.outage': ControlUnitOutageEntry;
  'controlUnit.recovered': ControlUnitRecoveredEntry;
}

export type JournalKind = keyof JournalEntryMap;
export type JournalBody<K extends JournalKind> = JournalEntryMap[K];

/** One entry of a known kind: switching on `kind` narrows `body`. */
export type JournalRecord = { [K in JournalKind]: { kind: K; body: JournalEntryMap[K] } }[JournalKind];
export type JournalRecordOf<K extends JournalKind> = Extract<JournalRecord, { kind: K }>;

// A record over every kind: the compiler refuses this object when a kind is added without it.
const KINDS: { [K in JournalKind]: true } = {
  'signer.outage.start': true, 'signer.outage.end': true, 'terminal.recovered': true,
  'lane.opened': true, 'lane.closed': true, 'operator.signIn': true, 'operator.signOut': true, 'training.start': true, 'training.end': true,
  approval: true, 'staff.access': true, 'help.called': true, 'help.cleared': true, 'device.test': true, 'drawer.leftOpen': true, 'drawer.noSale': true,
  'till.opened': true, 'cash.pickup': true, 'cash.paidIn': true, 'cash.paidOut': true, 'cash.privateWithdrawal': true, 'cash.privateDeposit': true, 'cash.difference': true, 'report.x': true, 'report.z': true, 'report.store': true,
  'item.notFound': true, 'item.openPrice': true, 'line.voided': true, 'age.confirmed': true, 'price.override': true, 'discount.line': true, 'discount.sale': true, 'deposit.returned': true,
  'sale.completed': true, 'sale.training': true, 'sale.return': true, 'sale.cancelled': true, 'sale.abandoned': true, 'sale.suspended': true, 'sale.resumed': true, 'receipt.copy': true,
  'payment.started': true, 'payment.step': true, 'payment.approved': true, 'payment.training': true, 'payment.declined': true, 'payment.abortRequested': true,
  'payment.recovered': true, 'payment.resolved': true, 'payment.reversalStarted': true, 'payment.reversalFailed': true, 'tender.voided': true,
  'payment.refunded': true, 'payment.refundFailed': true, 'payment.endOfDay': true,
  'voucher.redeemed': true, 'voucher.credited': true, 'voucher.issued': true,
  'cash.session.started': true, 'cash.session.via': true, 'cash.session.ended': true, 'cash.inserted': true, 'cash.confirmed': true, 'cash.lost': true,
  'cash.payout.started': true, 'cash.payout.step': true, 'cash.payout': true,
  'device.config': true, 'diagnostics.export': true, 'kiosk.exit': true,
  'tse.outage': true, 'tse.recovered': true,
  'controlUnit.outage': true, 'controlUnit.recovered': true,
};

/** Every kind, at runtime (the test that keeps this file complete compares the writers' kinds with it). */
export const JOURNAL_KINDS: readonly JournalKind[] = Object.keys(KINDS) as JournalKind[];

export function isJournalKind(kind: string): kind is JournalKind {
  return Object.prototype.hasOwnProperty.call(KINDS, kind);
}

/** A body as written (canonical JSON text), read as its kind's body. Throws on text that is not JSON. */
export function parseBody<K extends JournalKind>(_kind: K, body: string): JournalBody<K> {
  return JSON.parse(body) as JournalBody<K>;
}

/** A journal row of a known kind with its body read: `kind` narrows `body`. Null for a kind this code does not know. */
export function readEntry<R extends { kind: string; body: string }>(row: R): (Omit<R, 'kind' | 'body'> & JournalRecord) | null {
  if (!isJournalKind(row.kind)) return null;
  return { ...row, body: parseBody(row.kind, row.body) } as Omit<R, 'kind' | 'body'> & JournalRecord;
}

/** An entry whose body was already read (as JSON): typed by its kind. Null for a kind this code does not know. */
export function knownEntry<R extends { kind: string; body: unknown }>(e: R): (Omit<R, 'kind' | 'body'> & JournalRecord) | null {
  return isJournalKind(e.kind) ? (e as unknown as Omit<R, 'kind' | 'body'> & JournalRecord) : null;
}

/** A row's body read: as its kind's type where the kind is known, as the JSON written otherwise (exports, archives, the verifier). Throws on text that is not JSON. */
export function bodyOf(row: { kind: string; body: string }): JournalRecord['body'] | unknown {
  return isJournalKind(row.kind) ? parseBody(row.kind, row.body) : (JSON.parse(row.body) as unknown);
}
