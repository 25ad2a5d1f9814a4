/**
 * Card payments at the terminal, after the command that started them committed: authorise, ask
 * the terminal what became of an attempt whose outcome is unknown (never authorise twice), reverse,
 * refund, and the terminal's end of day. Each result is committed like a command; the terminal's
 * texts and a decision for a supervisor are shown on the lane. Training sales go to the training
 * terminal, never the real one.
 */
import { exponentialDelay } from '../../common/backoff';
import type { Approval, DeviceStatus, Snapshot, Tender } from '../../protocol/terminal';
import type { PaymentPrompt } from '../../protocol/terminal/payment-prompt';
import type { CheckoutEvent } from '../checkout/machines';
import { untilStopped, type CardPaymentInput, type CardReversalInput, type TerminalCall } from '../checkout/terminal-calls';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import type { CheckoutSnap, Lane, Step } from '../lane/context';
import type { Approvals } from '../operators/approvals';
import type { RefundPart } from '../returns';
import { trainingWords } from '../receipt/text';
import type { CardResult, PaymentPort, PaymentProgress, Recovery } from './port';
import { cardRepo, type CardRepo } from './card-repo';
import { OpenDecision, type Decision } from './card-decision';
import { refundToCard } from './card-refund';
import { TrainingPaymentPort } from './training';
import type { EndOfDayInput } from './terminal-day-machine';

type EndOfDayResult = { terminalTotal: number | null; laneTotal: number; match: boolean; text: string; receiptLines: string[] };
type EndOfDayAnswer = { ok: boolean; total: number | null; text: string; receiptLines: string[] };

type Offline = { pendingCount: number; pendingAmount: number; oldestAt: string | null };

/** Unreachable answers asked again at once (backing off) before a supervisor is asked to decide. */
const FIRST_TRIES = 5;
/** While a decision is open the terminal is asked again this often (and whenever it comes back online). */
export const REASK_MS = 30_000;

export class CardFlow {
  private readonly inFlight = new Set<string>();
  private readonly training: TrainingPaymentPort;
  private readonly repo: CardRepo;
  /** What the payment terminal shows right now (its intermediate texts), for the cashier. */
  private text: string | null = null;
  /** The Kassa prompt behind `text` (protocol/terminal/payment-prompt.ts), when the terminal sent no text of its own. */
  private prompt: PaymentPrompt | null = null;
  /** The open sale's last card payment was declined (the customer display says so until the next attempt). */
  private lastDecline: { saleId: string; at: string } | null = null;
  /** A payment whose outcome the terminal could not confirm: a supervisor decides, with this (kept across a restart). */
  private readonly open: OpenDecision;
  /** While the attempt is being recovered: the terminal answered about it, or since when it could not be asked. */
  private asked: { answered: boolean; unreachableSince: string | null } = { answered: false, unreachableSince: null };
  /** Cancels the next scheduled question to the terminal. */
  private cancelAsk: (() => void) | null = null;
  /** The terminal's device state was online at the last report (null: none yet). */
  private terminalUp: boolean | null = null;
  /** The terminal refused the till's registration, with its reason: card payments are refused until it accepts. */
  registrationRefused: string | null = null;
  /** The terminal's last payment was approved offline (it stores and forwards). */
  terminalOffline = false;
  /** Offline card payments awaiting the end of day; recomputed after approvals and end of day. */
  private offlineCache: Offline | null = null;

  constructor(
    private readonly lane: Lane,
    /** The payment terminal; without one, card tenders are refused. */
    readonly port: PaymentPort | null,
  ) {
    this.training = new TrainingPaymentPort(trainingWords(lane.profile));
    this.repo = cardRepo(lane.db);
    // A decision open when the core stopped is open again, as it was (the terminal is asked again when the call restarts).
    this.open = new OpenDecision(lane.db);
    const kept = this.open.restore(lane.checkoutSnap()?.value === 'cardPending' ? (lane.checkoutSnap()?.context.cardAttempt?.attemptId ?? null) : null);
    if (kept) this.asked = { answered: kept.terminalAnswered, unreachableSince: kept.unreachableSince };
  }

  /** The decision open for a supervisor, if any. */
  get decision(): Decision | null {
    return this.open.current;
  }

  /** The payment terminal a sale's card payments go to: the training terminal in training, never the real one. */
  portFor(co: CheckoutSnap | null): PaymentPort | null {
    return co?.context.training ? this.training : this.port;
  }

  /** The terminal is still working on this attempt or reversal. */
  busy(id: string): boolean {
    return this.inFlight.has(id);
  }

  snapshot(): Snapshot['payment'] {
    return {
      offline: { terminalOffline: this.terminalOffline, ...this.offlinePending() },
      text: this.text,
      prompt: this.text === null ? null : this.prompt,
      declined: this.lastDecline,
      decision: this.decision ? { reason: this.decision.reason, terminalReceipt: this.decision.terminalReceipt, terminalAnswered: this.decision.terminalAnswered, unreachableSince: this.decision.unreachableSince } : null,
    };
  }

  /** Offline card payments not yet settled by an end-of-day at the terminal. */
  offlinePending(): Offline {
    // Every snapshot shows it, but it only changes with a card approval or an end of day.
    this.offlineCache ??= this.repo.offlineSince(this.repo.lastEndOfDaySeq());
    return this.offlineCache;
  }

  /**
   * The checkout's `cardPayment` call (invoked by `cardPending`, started after the commit that
   * entered it): authorises — or, restored from disk after a restart, asks the terminal what became
   * of the attempt, never authorising it again. It lasts until the state is left.
   */
  readonly payment: TerminalCall<CardPaymentInput> = (input, restored, signal) => {
    if (restored) this.recover();
    else this.start(input.attemptId, input.amount);
    return untilStopped(signal);
  };

  /**
   * The checkout's `cardReversal` call (invoked by `reversing`). A reversal restored from disk is not
   * sent again: staff settle it from what the terminal shows (resolvePayment).
   */
  readonly reversal: TerminalCall<CardReversalInput> = (input, restored, signal) => {
    if (!restored) this.reverse(input.tenderId, input.terminalRef, input.amount);
    return untilStopped(signal);
  };

  /** Sends an authorisation to the terminal; its result is committed like a command. */
  private start(attemptId: string, amount: number): void {
    const { lane } = this;
    const port = this.portFor(lane.checkoutSnap());
    if (!port) return;
    this.inFlight.add(attemptId);
    const saleIdAtStart = lane.checkoutSnap()?.context.saleId ?? null;
    this.text = null;
    this.open.closed();
    this.asked = { answered: false, unreachableSince: null };
    this.lastDecline = null;
    port
      .authorize({ attemptId, amount, currency: lane.profile.currency }, (p) => this.step(saleIdAtStart, attemptId, p))
      .catch((err: unknown): CardResult => ({ approved: false, reason: `terminal error: ${err instanceof Error ? err.message : String(err)}`, uncertain: true }))
      .then((res) => this.authorised(attemptId, amount, res));
  }

  private authorised(attemptId: string, amount: number, res: CardResult): void {
    const { lane } = this;
    this.inFlight.delete(attemptId);
    this.text = null;
    if (lane.disposed) return;
    const co = lane.checkoutSnap();
    if (!co || co.value !== 'cardPending' || co.context.cardAttempt?.attemptId !== attemptId) return; // resolved otherwise meanwhile
    if (!res.approved && res.uncertain) {
      // The card may have been charged: never send it again; ask the terminal what happened.
      this.recover();
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
            after: (at) => lane.journal.append(co.context.training ? 'payment.training' : 'payment.approved', saleId, { saleId, attemptId, amount, brand: res.brand, maskedPan: res.maskedPan, authCode: res.authCode, terminalRef: res.terminalRef, offline: res.offline ?? false }, at),
          },
        ]
      : [{ to: 'checkout', event: { type: 'CARD_FAILED', attemptId }, after: (at) => lane.journal.append('payment.declined', saleId, { saleId, attemptId, amount, reason: res.reason }, at) }];
    try {
      lane.commit({ steps }, { internal: 'cardResult', attemptId, approved: res.approved });
      if (!res.approved) {
        this.lastDecline = { saleId, at: lane.now().toISOString() };
        lane.notifyError('PAYMENT_DECLINED', `Card payment declined: ${res.reason}`);
      }
    } catch (err) {
      lane.notifyError('STORAGE_FAILED', `The card result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * End of day at the card terminal (a supervisor's): the terminal settles its batch (and forwards
   * offline payments); its total is compared with the lane's own card tenders since the last one.
   * The lane spawns its `terminalDay` machine for it (one at a time); its `endOfDay` call (below)
   * talks to the terminal and commits the answer; this waits for that answer.
   */
  async endOfDay(approvals: Approvals, approval: Approval | undefined): Promise<EndOfDayResult> {
    const { lane } = this;
    if (!this.port?.endOfDay) throw new CoreError('PAYMENT_UNAVAILABLE', 'No payment terminal that can close the day is connected.');
    const by = approvals.authorizeRole('cardEndOfDay', ['supervisor'], approval, (name) => `${name} may not approve this; a supervisor must.`, 'A supervisor must approve this.');
    const day: EndOfDayInput = { dayId: uuidv7(lane.now().getTime()), by, laneTotal: this.repo.cardTotalSince(this.repo.lastEndOfDaySeq()) };
    const answer = new Promise<EndOfDayResult>((resolve, reject) => this.closingDays.set(day.dayId, { resolve, reject }));
    try {
      lane.commit({ steps: [{ to: 'lane', event: { type: 'END_OF_DAY', day } }] }, { internal: 'endOfDay', dayId: day.dayId });
    } catch (err) {
      this.closingDays.delete(day.dayId);
      throw err instanceof CoreError && err.code === 'NOT_ALLOWED_NOW' ? new CoreError('PAYMENT_PENDING', 'The terminal is already closing its day.') : err;
    }
    return answer;
  }

  /** Who waits for which end of day's answer (the command, in this process). */
  private readonly closingDays = new Map<string, { resolve: (r: EndOfDayResult) => void; reject: (err: Error) => void }>();

  /**
   * The `terminalDay` machine's `endOfDay` call, started after the commit that spawned it. One
   * restored from disk (the core stopped while the terminal closed its day) is not sent again: it is
   * journalled as not done, for the supervisor to run again.
   */
  readonly closeDay: TerminalCall<EndOfDayInput> = async (day, restored) => {
    const r: EndOfDayAnswer = restored
      ? { ok: false, total: null, text: 'the core stopped while the terminal closed its day; run the end of day again', receiptLines: [] }
      : await this.port!.endOfDay!().catch((err: unknown): EndOfDayAnswer => ({ ok: false, total: null, text: `terminal error: ${err instanceof Error ? err.message : String(err)}`, receiptLines: [] }));
    const { lane } = this;
    const waiter = this.closingDays.get(day.dayId);
    this.closingDays.delete(day.dayId);
    if (lane.disposed) return waiter?.reject(new CoreError('PAYMENT_UNAVAILABLE', 'The core stopped while the terminal closed its day; run the end of day again.'));
    const match = r.ok && r.total === day.laneTotal;
    const body = { terminalTotal: r.total, laneTotal: day.laneTotal, match, ok: r.ok, text: r.text, by: day.by, lane: lane.identity.laneId };
    try {
      lane.commit({ steps: [{ to: 'lane', event: { type: 'END_OF_DAY_DONE' }, after: (at) => lane.journal.append('payment.endOfDay', null, body, at) }] }, { internal: 'endOfDayDone', dayId: day.dayId });
    } catch (err) {
      lane.notifyError('STORAGE_FAILED', `The terminal's end of day could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (r.ok) this.terminalOffline = false;
    this.offlineCache = null;
    lane.broadcast();
    waiter?.resolve({ terminalTotal: r.total, laneTotal: day.laneTotal, match, text: r.text, receiptLines: r.receiptLines });
  };

  /** Records a payment step durably as it happens (the journal is the payment's own record). */
  private step(saleId: string | null, attemptId: string, p: PaymentProgress): void {
    const { lane } = this;
    if (lane.disposed) return;
    if (p.step === 'intermediate' && p.text) {
      this.text = p.text;
      this.prompt = p.prompt ?? null;
      lane.broadcast();
    }
    try {
      lane.db.transaction(() => lane.journal.append('payment.step', saleId, { attemptId, step: p.step, ...(p.text ? { text: p.text } : {}), ...(p.ref ? { ref: p.ref } : {}) }, lane.now().toISOString()))();
    } catch (err) {
      lane.log(`payment step not journaled: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * Resolves a card attempt whose outcome is not known (after a restart, or a link that broke mid
   * payment) by asking the terminal — never by sending the authorization again. Approved → the
   * tender is recorded; declined or never there → closed as not charged; cannot tell → a supervisor
   * decides, shown the terminal's last receipt.
   */
  recover(attemptNo = 0): void {
    const { lane } = this;
    if (lane.disposed) return;
    const port = this.port;
    const co = lane.checkoutSnap();
    const attempt = co?.value === 'cardPending' ? co.context.cardAttempt : null;
    if (!port || !attempt || this.inFlight.has(attempt.attemptId)) return;
    this.cancelAsk?.();
    this.cancelAsk = null;
    if (!port.recover) {
      this.decide({ attemptId: attempt.attemptId, reason: 'the terminal cannot be asked about this payment', terminalReceipt: [], terminalAnswered: false, unreachableSince: null });
      return;
    }
    this.inFlight.add(attempt.attemptId);
    this.text = 'Asking the payment terminal what happened…';
    this.prompt = 'askingTerminal';
    lane.broadcast();
    void port
      .recover({ attemptId: attempt.attemptId, amount: attempt.amount, startedAt: attempt.startedAt, known: this.repo.knownRef(attempt.attemptId), usedRefs: this.repo.usedRefs() })
      .catch((err: unknown): Recovery => ({ outcome: 'unknown', reason: err instanceof Error ? err.message : String(err), terminalReceipt: [] }))
      .then((r) => this.recovered(co!.context.saleId, attempt, r, attemptNo));
  }

  /** Shows a decision for a supervisor, kept on disk first (card-decision.ts); one that cannot be kept is shown all the same. */
  private decide(d: Decision): void {
    const { lane } = this;
    try {
      this.open.set(d, lane.now().toISOString());
    } catch (err) {
      this.open.current = d;
      lane.notifyError('STORAGE_FAILED', `The card decision could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
    lane.broadcast();
  }

  private recovered(saleId: string, attempt: { attemptId: string; amount: number }, r: Recovery, attemptNo: number): void {
    const { lane } = this;
    this.inFlight.delete(attempt.attemptId);
    this.text = null;
    if (lane.disposed) return;
    const now = lane.checkoutSnap();
    if (!now || now.value !== 'cardPending' || now.context.cardAttempt?.attemptId !== attempt.attemptId) return;
    if (r.outcome === 'unknown') {
      this.asked = r.unreachable ? { ...this.asked, unreachableSince: this.asked.unreachableSince ?? lane.now().toISOString() } : { answered: true, unreachableSince: null };
      // The terminal may not be reachable yet (it restarts too): ask again a few times first.
      if (attemptNo < FIRST_TRIES && r.unreachable && !this.decision) {
        this.cancelAsk = lane.after(exponentialDelay(attemptNo, 500, 8_000), () => this.recover(attemptNo + 1));
        return;
      }
      // A supervisor decides — but the terminal is asked again until it answers (its answer closes the decision).
      const receipt = r.terminalReceipt.length || !this.decision ? r.terminalReceipt : this.decision.terminalReceipt;
      this.decide({ attemptId: attempt.attemptId, reason: r.reason, terminalReceipt: receipt, terminalAnswered: this.asked.answered, unreachableSince: this.asked.unreachableSince });
      this.cancelAsk = lane.after(REASK_MS, () => this.recover(FIRST_TRIES));
      return;
    }
    const res = r.outcome === 'approved' ? r.result : null;
    if (res) this.terminalOffline = res.offline === true;
    const event: CheckoutEvent = res ? { type: 'CARD_APPROVED', tender: cardTender(attempt.attemptId, attempt.amount, res) } : { type: 'CARD_FAILED', attemptId: attempt.attemptId };
    const body = { saleId, attemptId: attempt.attemptId, amount: attempt.amount, outcome: r.outcome, ...(res ? { terminalRef: res.terminalRef, brand: res.brand, maskedPan: res.maskedPan } : { reason: r.outcome === 'notCharged' ? r.reason : '' }) };
    try {
      const after = (at: string) => {
        lane.journal.append('payment.recovered', saleId, body, at);
        this.open.settle();
      };
      lane.commit({ steps: [{ to: 'checkout', event, after }] }, { internal: 'paymentRecovered', attemptId: attempt.attemptId, outcome: r.outcome });
      this.open.closed();
      if (!res) lane.notifyError('PAYMENT_DECLINED', `The card was not charged (${r.outcome === 'notCharged' ? r.reason : ''}); take the payment again.`);
    } catch (err) {
      lane.notifyError('STORAGE_FAILED', `The payment result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * The terminal's device state (core/devices/kinds/payment.ts): a registration it refused refuses
   * card payments (with its reason); when it comes back online, a payment waiting on it is asked about again.
   */
  terminalStatus(s: Pick<DeviceStatus, 'state' | 'detail' | 'detailCode'>): void {
    const refused = s.detailCode === 'registrationRefused' ? s.detail.replace(/^registration refused: /, '') : null;
    const cameBack = s.state === 'online' && this.terminalUp === false;
    this.terminalUp = s.state === 'online';
    if (refused !== this.registrationRefused) this.lane.broadcast();
    this.registrationRefused = refused;
    if (cameBack && (this.decision || this.cancelAsk)) this.recover(this.decision ? FIRST_TRIES : 0);
  }

  /** The terminal answered about this attempt (a supervisor alone may then close it as not charged). */
  terminalAnswered(attemptId: string): boolean {
    return this.decision?.attemptId === attemptId && this.decision.terminalAnswered;
  }

  /** Inside the transaction of a supervisor's decision: the kept decision goes with it. */
  settleDecision(): void {
    this.open.settle();
  }

  /** A supervisor's decision committed. */
  decided(): void {
    this.open.closed();
    this.cancelAsk?.();
    this.cancelAsk = null;
  }

  /** Reverses a card tender at the terminal; the tender goes only when the terminal confirms. */
  private reverse(tenderId: string, terminalRef: string, amount: number): void {
    const { lane } = this;
    const port = this.portFor(lane.checkoutSnap());
    if (!port) return;
    this.inFlight.add(tenderId);
    void port
      .reverse(terminalRef, amount)
      .catch((err: unknown) => ({ ok: false, reason: err instanceof Error ? err.message : String(err) }))
      .then((res) => {
        this.inFlight.delete(tenderId);
        if (lane.disposed) return;
        const co = lane.checkoutSnap();
        if (!co || co.value !== 'reversing' || co.context.reversing !== tenderId) return;
        const saleId = co.context.saleId;
        const body = { saleId, tenderId, kind: 'card' as const, amount, terminalRef, ...(co.context.training ? { training: true as const } : {}), ...(res.ok ? {} : { reason: res.reason ?? 'refused' }) };
        try {
          lane.commit(
            { steps: [{ to: 'checkout', event: res.ok ? { type: 'REVERSAL_DONE', tenderId } : { type: 'REVERSAL_FAILED', tenderId }, after: (at) => lane.journal.append(res.ok ? 'tender.voided' : 'payment.reversalFailed', saleId, body, at) }] },
            { internal: 'reversalResult', tenderId, ok: res.ok },
          );
          if (!res.ok) lane.notifyError('PAYMENT_DECLINED', 'The terminal did not reverse the card payment; it stays on the sale.');
        } catch (err) {
          lane.notifyError('STORAGE_FAILED', `The reversal result could not be saved: ${err instanceof Error ? err.message : String(err)}`);
        }
      });
  }

  /** Card parts of a refund go back to the card through the payment terminal, after the return committed (card-refund.ts). */
  refund(returnId: string, parts: RefundPart[]): void {
    if (this.port) refundToCard(this.lane, this.port, returnId, parts);
  }
}

/** The card tender of an approved payment: only what the terminal let the till know (no card data). */
export function cardTender(attemptId: string, amount: number, res: Extract<CardResult, { approved: true }>): Tender {
  const receiptLines = res.receiptLines.slice(0, 60).map((l) => l.slice(0, 80));
  return {
    tenderId: attemptId,
    kind: 'card',
    amount,
    card: { brand: res.brand, maskedPan: res.maskedPan, authCode: res.authCode, terminalRef: res.terminalRef, attemptId, receiptLines, ...(res.offline ? { offline: true } : {}) },
    voucherCode: null,
  };
}
