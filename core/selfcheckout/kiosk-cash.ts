/**
 * Cash at a self-checkout kiosk. "Pay cash" books nothing: it opens a cash session (checkout state
 * cashPending). With a cash device the device accepts, every coin and note it counts is journalled
 * and committed with the sale; once enough is in, acceptance stops, the cash tender is booked with
 * what was put in and the change is paid out. A jam, a full cashbox or a device that goes away
 * stops acceptance: what was counted is booked, staff are called. The customer may cancel: the
 * device hands back what it took (what it cannot is booked, staff are called). Without a device
 * (or with one that refuses), an attendant takes the cash and confirms the amount in the attendant
 * view; until then nothing is paid. Every step is journalled (cash-journal.ts) before or as it
 * happens; after a restart the session and an interrupted payout are picked up from the journal
 * and the device (kiosk-cash-recovery.ts). The core's clock only.
 */
import type { CashView } from '../../protocol/cash';
import type { Tender } from '../../protocol/terminal';
import type { Clock } from '../clock';
import type { Db } from '../db';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import type { Journal } from '../journal';
import type { JournalBody, JournalKind } from '../journal/kinds';
import { JournalRepo } from '../journal/repo';
import type { CashDeviceEvent, CashDevicePort } from '../payments/cash-device';
import { foldCashEntries, type CashEntry, type PayoutPurpose } from './cash-journal';
import type { CheckoutContext, CheckoutEvent } from '../checkout/machines';

type CheckoutNow = { value: string; context: CheckoutContext };
export type CashStepOut = { to: 'checkout'; event: CheckoutEvent; after?: (at: string) => void };
/** What a command becomes (the lane service commits it like its own plans). */
export interface CashPlan {
  steps: CashStepOut[];
  effects?: Array<(at: string) => void>;
  afterCommit?: () => void;
}

/** What the kiosk cash flow needs from the lane service. */
export interface CashHost {
  readonly now: Clock;
  readonly db: Db;
  readonly journal: Journal;
  readonly laneId: string;
  log(line: string): void;
  checkout(): CheckoutNow | null;
  /** Commits machine events for the open sale as the lane commits a command (throws a CoreError). */
  commit(plan: CashPlan, logged: unknown): void;
  /** Calls staff to this kiosk (the lane's help call) with what they are needed for (a code the attendant view words). */
  callStaff(detail: CashCall): void;
  /** The cash help call is over (staff confirmed, or the customer cancelled). */
  endCashCall(by: string | null): void;
  changed(): void;
  disposed(): boolean;
}

/** Why staff are called to the kiosk's cash: take the cash, or one of the problems (CashView['problem']), or money owed. */
export type CashCall = 'takeCash' | 'owed' | NonNullable<CashView['problem']>;

const cashTender = (sessionId: string, amount: number): Tender => ({ tenderId: sessionId, kind: 'cash', amount, card: null, voucherCode: null });

export class KioskCash {
  port: CashDevicePort | null = null;
  private unlisten: (() => void) | null = null;
  view: CashView | null = null;

  constructor(readonly host: CashHost) {}

  /** The cash device (or none); a session under way picks it up (`recover`, one at a time). */
  setDevice(port: CashDevicePort | null, recover?: () => Promise<void>): Promise<void> {
    this.unlisten?.();
    this.port = port;
    this.unlisten = port ? port.listen((e) => this.onDevice(e)) : null;
    const run = this.recovering.then(() => recover?.());
    this.recovering = run.catch(() => undefined);
    return run;
  }
  private recovering: Promise<unknown> = Promise.resolve();

  viewFor(saleId: string): CashView | null {
    if (this.view?.saleId === saleId) return this.view;
    return null;
  }

  dispose(): void {
    this.unlisten?.();
    this.unlisten = null;
    void this.port?.accept(false).catch(() => false);
  }

  /** Appends journal entries in their own transaction (device events and payout steps are not commands). */
  record<K extends JournalKind>(kind: K, saleId: string | null, body: Omit<JournalBody<K>, 'lane'>): void {
    if (this.host.disposed() || !this.host.db.open) return;
    try {
      const full = { ...body, lane: this.host.laneId } as unknown as JournalBody<K>; // (Omit<Body, 'lane'> & lane is Body)
      this.host.db.transaction(() => this.host.journal.append(kind, saleId, full, this.host.now().toISOString()))();
    } catch (err) {
      this.host.log(`kiosk cash: ${kind} not journalled: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  entries(saleId: string): CashEntry[] {
    this.journalRepo ??= new JournalRepo(this.host.db);
    return this.journalRepo.ofRef(saleId, 'cash.');
  }
  private journalRepo: JournalRepo | null = null;

  rebuildView(saleId: string): ReturnType<typeof foldCashEntries> {
    const folded = foldCashEntries(saleId, this.entries(saleId));
    this.view = folded.view;
    return folded;
  }

  /** "Pay cash" at the kiosk: a cash session for what is due in cash. */
  start(co: CheckoutNow, due: number): CashPlan {
    if (due <= 0) throw new CoreError('INSUFFICIENT_TENDER', 'Nothing is left to pay.');
    const saleId = co.context.saleId;
    const port = this.port;
    const usable = !co.context.training && port !== null && port.online && port.fault === null;
    const via = usable ? 'device' : 'attendant';
    const reason = usable ? null : co.context.training ? 'training' : !port ? 'noDevice' : port.fault ?? 'offline';
    const sessionId = uuidv7(this.host.now().getTime());
    return {
      steps: [
        {
          to: 'checkout',
          event: { type: 'CASH_STARTED', sessionId, due, startedAt: this.host.now().toISOString() },
          after: (at) => this.host.journal.append('cash.session.started', saleId, { sessionId, saleId, due, via, reason, lane: this.host.laneId }, at),
        },
      ],
      afterCommit: () => {
        this.view = { sessionId, saleId, via, due, inserted: 0, stillToPay: due, phase: via === 'device' ? 'accepting' : 'waitingAttendant', change: 0, changePaid: null, owed: 0, booked: null, problem: null };
        if (via === 'device') this.enable();
        else this.host.callStaff('takeCash');
      },
    };
  }

  /** Turns the device on for the open session; a device that refuses hands the session to an attendant. */
  enable(): void {
    const port = this.port;
    const v = this.view;
    if (!port || !v) return;
    void port
      .accept(true)
      .catch(() => false)
      .then((ok) => {
        if (ok || this.view !== v || v.phase !== 'accepting') return;
        this.toAttendant(port.fault ?? 'offline');
      });
  }

  toAttendant(reason: string): void {
    const v = this.view;
    if (!v) return;
    this.record('cash.session.via', v.saleId, { sessionId: v.sessionId, via: 'attendant', reason });
    v.via = 'attendant';
    v.phase = 'waitingAttendant';
    this.host.log(`kiosk cash: the cash device cannot take this payment (${reason}); an attendant takes the cash`);
    this.host.callStaff('takeCash');
    this.host.changed();
  }

  /** The customer stops paying cash. */
  cancel(co: CheckoutNow): CashPlan {
    const s = co.context.cashSession;
    const v = this.view;
    if (co.value !== 'cashPending' || !s) throw new CoreError('NOT_ALLOWED_NOW', 'No cash payment is under way.');
    if (v && v.sessionId === s.sessionId && (v.phase === 'returning' || v.phase === 'paying')) throw new CoreError('PAYMENT_PENDING', 'The cash machine is handing the money back.');
    const saleId = co.context.saleId;
    if (s.inserted === 0) {
      return {
        steps: [{ to: 'checkout', event: { type: 'CASH_ENDED', sessionId: s.sessionId }, after: (at) => this.host.journal.append('cash.session.ended', saleId, { sessionId: s.sessionId, outcome: 'cancelled', inserted: 0, booked: null, lane: this.host.laneId }, at) }],
        afterCommit: () => {
          void this.port?.accept(false).catch(() => false);
          this.view = null;
          this.host.endCashCall(null);
        },
      };
    }
    return {
      steps: [],
      effects: [(at) => void this.host.journal.append('cash.payout.started', saleId, { sessionId: s.sessionId, purpose: 'return', amount: s.inserted, lane: this.host.laneId }, at)],
      afterCommit: () => {
        if (v) v.phase = 'returning';
        void this.returnInserted(s.sessionId, s.inserted);
      },
    };
  }

  /** Hands back what the session took; what the device could not hand back stays booked as paid. */
  async returnInserted(sessionId: string, amount: number, alreadyPaid = 0): Promise<void> {
    await this.port?.accept(false).catch(() => false);
    const co = this.host.checkout();
    const saleId = co?.context.saleId ?? null;
    const paid = alreadyPaid + (await this.pay(sessionId, saleId, 'return', amount - alreadyPaid, amount, alreadyPaid));
    const now = this.host.checkout();
    if (this.host.disposed() || !now || now.value !== 'cashPending' || now.context.cashSession?.sessionId !== sessionId) return;
    const kept = amount - Math.min(paid, amount);
    const end = (booked: number | null, outcome: string) => (at: string) =>
      this.host.journal.append('cash.session.ended', now.context.saleId, { sessionId, outcome, inserted: amount, returned: paid, booked, lane: this.host.laneId }, at);
    try {
      if (kept === 0) {
        this.host.commit({ steps: [{ to: 'checkout', event: { type: 'CASH_ENDED', sessionId }, after: end(null, 'cancelled') }] }, { internal: 'cashReturned', sessionId });
        this.view = null;
        this.host.endCashCall(null);
      } else {
        this.host.commit({ steps: [{ to: 'checkout', event: { type: 'CASH_TENDER', sessionId, tender: cashTender(sessionId, kept) }, after: end(kept, 'returnFailed') }] }, { internal: 'cashReturnFailed', sessionId });
        if (this.view?.sessionId === sessionId) Object.assign(this.view, { phase: 'stopped', booked: kept, problem: 'returnFailed' });
        this.host.callStaff('returnFailed');
      }
    } catch (err) {
      this.host.log(`kiosk cash: the end of the return could not be saved: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.host.changed();
  }

  /** An attendant received the customer's cash (no cash device, or it refused). */
  confirm(co: CheckoutNow, sessionId: string, amount: number, by: string): CashPlan {
    const s = co.context.cashSession;
    if (co.value !== 'cashPending' || !s || s.sessionId !== sessionId) throw new CoreError('NOT_ALLOWED_NOW', 'That cash payment has ended or changed; look at the kiosk again.');
    if (this.view?.sessionId === sessionId && this.view.via === 'device') throw new CoreError('NOT_ALLOWED_NOW', 'This kiosk takes the cash in its cash machine.');
    const saleId = co.context.saleId;
    return {
      steps: [
        {
          to: 'checkout',
          event: { type: 'CASH_TENDER', sessionId, tender: cashTender(sessionId, amount) },
          after: (at) => this.host.journal.append('cash.confirmed', saleId, { sessionId, amount, by, due: s.due, lane: this.host.laneId }, at),
        },
      ],
      afterCommit: () => {
        const v = this.view?.sessionId === sessionId ? this.view : null;
        if (v) Object.assign(v, { inserted: amount, booked: amount, stillToPay: Math.max(0, v.due - amount), change: Math.max(0, amount - v.due), phase: 'done' });
        this.host.endCashCall(by);
      },
    };
  }

  private onDevice(e: CashDeviceEvent): void {
    if (this.host.disposed()) return;
    try {
      if (e.type === 'credit') this.onCredit(e);
      else if (e.type === 'fault') this.stop(e.fault, e.detail);
      else if (e.type === 'lost') {
        this.record('cash.lost', this.host.checkout()?.context.saleId ?? null, { source: e.source, count: e.count });
        this.stop('lost', 'the cash device lost track of money put in');
      } else if (!e.online) this.stop('offline', 'the cash device went offline');
      else if (this.view?.phase === 'accepting') this.enable(); // back: take money again
    } catch (err) {
      this.host.log(`kiosk cash: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** A coin or note counted: journalled with the sale, and the sale finishes once enough is in. */
  private onCredit(e: Extract<CashDeviceEvent, { type: 'credit' }>): void {
    const co = this.host.checkout();
    const s = co?.context.cashSession;
    const v = this.view;
    if (!co || co.value !== 'cashPending' || !s || !v || v.sessionId !== s.sessionId || v.phase !== 'accepting') return this.lateMoney(e);
    const { source, value, counter } = e;
    this.host.commit(
      { steps: [{ to: 'checkout', event: { type: 'CASH_INSERTED', sessionId: s.sessionId, amount: value }, after: (at) => this.host.journal.append('cash.inserted', co.context.saleId, { sessionId: s.sessionId, source, value, counter, lane: this.host.laneId }, at) }] },
      { internal: 'cashInserted', sessionId: s.sessionId, value },
    );
    v.inserted = s.inserted + value;
    v.stillToPay = Math.max(0, v.due - v.inserted);
    if (v.inserted >= v.due) this.finish();
  }

  /** Money the device counted while no session wanted it: journalled, and handed back. */
  private lateMoney(e: Extract<CashDeviceEvent, { type: 'credit' }>): void {
    const saleId = this.host.checkout()?.context.saleId ?? this.view?.saleId ?? null;
    const sessionId = this.view?.sessionId ?? null;
    this.record('cash.inserted', saleId, { sessionId, source: e.source, value: e.value, counter: e.counter, late: true });
    this.record('cash.payout.started', saleId, { sessionId, purpose: 'late', amount: e.value });
    void this.pay(sessionId, saleId, 'late', e.value, e.value, 0);
  }

  /** Enough is in: stop taking money, book what was put in, pay the change. */
  finish(): void {
    const co = this.host.checkout();
    const s = co?.context.cashSession;
    const v = this.view;
    if (!co || !s || !v || v.sessionId !== s.sessionId) return;
    void this.port?.accept(false).catch(() => false);
    const change = Math.max(0, s.inserted - s.due);
    const saleId = co.context.saleId;
    this.host.commit(
      {
        steps: [
          {
            to: 'checkout',
            event: { type: 'CASH_TENDER', sessionId: s.sessionId, tender: cashTender(s.sessionId, s.inserted) },
            after: (at) => {
              this.host.journal.append('cash.session.ended', saleId, { sessionId: s.sessionId, outcome: 'paid', inserted: s.inserted, booked: s.inserted, change, lane: this.host.laneId }, at);
              if (change > 0) this.host.journal.append('cash.payout.started', saleId, { sessionId: s.sessionId, purpose: 'change', amount: change, lane: this.host.laneId }, at);
            },
          },
        ],
      },
      { internal: 'cashPaid', sessionId: s.sessionId },
    );
    Object.assign(v, { inserted: s.inserted, stillToPay: 0, booked: s.inserted, change, phase: change > 0 ? 'paying' : 'done' });
    if (change > 0) void this.payChange(s.sessionId, saleId, change, 0);
  }

  async payChange(sessionId: string, saleId: string, change: number, alreadyPaid: number): Promise<void> {
    const paid = alreadyPaid + (await this.pay(sessionId, saleId, 'change', change - alreadyPaid, change, alreadyPaid));
    const v = this.view?.sessionId === sessionId ? this.view : null;
    if (v) Object.assign(v, { changePaid: paid, phase: v.phase === 'stopped' ? 'stopped' : 'done' });
    if (paid < change) {
      if (v) v.problem = 'shortChange';
      this.host.callStaff('shortChange');
    }
    this.host.changed();
  }

  /** The device stopped (jam, full, offline, lost events): what it counted is booked, staff are called. */
  stop(problem: NonNullable<CashView['problem']>, detail: string): void {
    const co = this.host.checkout();
    const s = co?.context.cashSession;
    const v = this.view;
    if (!co || co.value !== 'cashPending' || !s || !v || v.sessionId !== s.sessionId || v.phase !== 'accepting') return;
    void this.port?.accept(false).catch(() => false);
    const saleId = co.context.saleId;
    const body = { sessionId: s.sessionId, outcome: 'stopped', problem, detail, inserted: s.inserted, booked: s.inserted > 0 ? s.inserted : null, lane: this.host.laneId };
    const event: CheckoutEvent = s.inserted > 0 ? { type: 'CASH_TENDER', sessionId: s.sessionId, tender: cashTender(s.sessionId, s.inserted) } : { type: 'CASH_ENDED', sessionId: s.sessionId };
    this.host.commit({ steps: [{ to: 'checkout', event, after: (at) => this.host.journal.append('cash.session.ended', saleId, body, at) }] }, { internal: 'cashStopped', sessionId: s.sessionId, problem });
    Object.assign(v, { phase: 'stopped', problem, booked: s.inserted > 0 ? s.inserted : null });
    this.host.log(`kiosk cash: the cash device stopped (${detail}); ${s.inserted} booked as paid, staff called`);
    this.host.callStaff(problem);
  }

  /** Pays out and journals every step; resolves with what was paid. */
  async pay(sessionId: string | null, saleId: string | null, purpose: PayoutPurpose, amount: number, total: number, before: number): Promise<number> {
    let paid = 0;
    if (amount > 0 && this.port) {
      try {
        paid = (await this.port.payout(amount, (step) => this.record('cash.payout.step', saleId, { sessionId, purpose, ...step }))).paid;
      } catch (err) {
        this.host.log(`kiosk cash: payout failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const owed = Math.max(0, total - before - paid);
    this.record('cash.payout', saleId, { sessionId, purpose, amount: total, paid: before + paid, owed });
    if (owed > 0 && purpose === 'late') {
      if (this.view && this.view.sessionId === sessionId) this.view.owed += owed;
      this.host.callStaff('owed');
    }
    this.host.changed();
    return paid;
  }
}
