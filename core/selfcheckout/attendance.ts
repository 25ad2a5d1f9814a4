/**
 * Who is at a self-checkout and for how long: staff sessions (staff prove who they are at the
 * kiosk and may then do what a lane's staff do, until they hand it back or walk away), the
 * customer's idle clock (an "are you still there?" prompt, then an unpaid basket is abandoned —
 * nothing paid is ever lost), the language the customer chose, and the kiosk's cash commands.
 */
import type { Command, Snapshot } from '../../protocol/terminal';
import type { KioskCash } from './kiosk-cash';
import { pendingAgeCheck, totalsOf } from '../checkout/machines';
import { CoreError } from '../errors';
import { uuidv7 } from '../ids';
import type { CheckoutSnap, Lane, LaneHandlers } from '../lane/context';
import { requireCheckout } from '../lane/guards';
import type { Approvals } from '../operators/approvals';
import type { AttendanceContext, AttendanceEvent, StaffSession } from './attendance-machine';
import type { Help } from './help';
import { laneWorked } from '../busy';

/** How long a self-checkout staff session lasts without a command. */
const STAFF_SESSION_MS = 120_000;

/** What a customer at a self-checkout may do without staff (approvals still apply where the command asks for one). */
const CUSTOMER_COMMANDS: ReadonlySet<Command['cmd']> = new Set<Command['cmd']>([
  'ping', 'scan', 'subtotal', 'backToSale', 'tenderCard', 'tenderCash', 'tenderVoucher', 'memberCard', 'complete', 'abortPayment',
  'callHelp', 'clearHelp', 'reportMissingItem', 'produceList', 'weighPreview', 'departments', 'priceCheck', 'confirmAge', 'voidLine', 'voidLast', 'cancelSale',
  'staffCheck', 'staffDone', 'customerLanguage', 'cancelCash',
]);

export class Attendance {
  /** The language the customer chose (the customer display follows it); the store's when null. */
  private customerLang: 'sv' | 'de' | 'en' | null = null;
  /** Self-checkout: the last command from the kiosk (the customer's idle clock; not persisted — a restart is activity). */
  private lastActivity: number;
  /** Staff were at the kiosk when the rules last looked (their leaving starts the customer's clock afresh). */
  private hadStaff: boolean;

  constructor(
    private readonly lane: Lane,
    private readonly d: { approvals: Approvals; help: Help; kioskCash: KioskCash; tillOpen(): boolean; paymentDecision(): string | null; cannotSell(): boolean },
  ) {
    const { idleUntil, staff } = lane.attendanceContext();
    // A restored idle prompt keeps its deadline: the customer's clock ran from before the restart.
    this.lastActivity = idleUntil ? Date.parse(idleUntil) - lane.config.idleAbandonMs : lane.now().getTime();
    this.hadStaff = staff !== null;
  }

  /**
   * How long the attendance machine's delayed transitions wait, measured on the core's clock from
   * the deadlines in its context (the lane host provides these to the machine).
   */
  delays() {
    const left = (until: string | null | undefined) => (until ? Math.max(0, Date.parse(until) - this.lane.now().getTime()) : 0);
    return {
      staffLeft: ({ context }: { context: AttendanceContext }) => left(context.staff?.until),
      promptLeft: ({ context }: { context: AttendanceContext }) => left(context.idleUntil),
      /** Until the next threshold of the idle rules from the customer's last activity (a second once all have passed). */
      idleCheck: () => {
        const { idleAbandonMs, idleWarnMs, paidCompleteMs } = this.lane.config;
        const idle = this.lane.now().getTime() - this.lastActivity;
        const next = [idleAbandonMs - idleWarnMs, idleAbandonMs, paidCompleteMs].map((t) => t - idle).filter((ms) => ms > 0);
        return next.length ? Math.min(...next) : 1_000;
      },
    };
  }

  private get staffSession(): StaffSession | null {
    return this.lane.attendanceContext().staff;
  }

  /** The staff session while it lasts by the core's clock (a session past its deadline is not yet ended by its timer). */
  private liveStaff(): StaffSession | null {
    const staff = this.staffSession;
    return staff && this.lane.now().getTime() < Date.parse(staff.until) ? staff : null;
  }

  view(): Pick<Snapshot['lane'], 'customerLang' | 'selfCheckout'> {
    const { config } = this.lane;
    const { staff, idleUntil } = this.lane.attendanceContext();
    return { customerLang: this.customerLang, selfCheckout: config.mode === 'self' ? { cashAllowed: config.selfCash, idleUntil, staff: staff?.by ?? null } : null };
  }

  /** Staff are at this kiosk now (an attendant's command, or a live staff session). */
  staffHere(): boolean {
    return this.lane.attendant !== null || this.liveStaff() !== null;
  }

  /** Every command is activity: the customer's idle clock starts again, staff keep their session. */
  touch(): void {
    const { lane } = this;
    this.lastActivity = lane.now().getTime();
    laneWorked(); // uploaders to store peers in this process make way (core/busy.ts)
    const events: AttendanceEvent[] = [];
    // Staff at a kiosk keep their session while they work there, whatever the command (scanning for the customer too).
    if (!lane.attendant && this.liveStaff()) events.push(this.renewal());
    if (lane.attendanceContext().idleUntil) events.push({ type: 'ACTIVITY' });
    if (events.length) lane.attend(() => events);
  }

  /** Money going in is the customer at work. */
  activity(): void {
    this.lastActivity = this.lane.now().getTime();
  }

  /**
   * At an open self-checkout only the customer's commands are taken from whoever stands there;
   * anything else (discounts, returns, cash, reports, closing the till, signing out …) needs a staff
   * session (staffCheck with a supervisor's or store IT's credentials), which each such command renews.
   */
  requireStaff(cmd: Command['cmd']): void {
    const { lane } = this;
    if (lane.config.mode !== 'self' || lane.attendant || CUSTOMER_COMMANDS.has(cmd)) return;
    const state = lane.laneSnap().value;
    const open = (state === 'signedIn' || state === 'selling') && this.d.tillOpen();
    if (!open) return; // opening the kiosk in the morning: sign-in and till need their own credentials
    const staff = this.liveStaff();
    if (!staff) {
      if (this.staffSession) lane.attend(() => [{ type: 'STAFF_DONE' }]);
      throw new CoreError('APPROVAL_REQUIRED', 'At a self-checkout this is for staff: sign in on the staff screen first.', { action: 'staff' });
    }
    const renewal = this.renewal();
    if (renewal.until !== staff.until) lane.attend(() => [renewal]);
  }

  private renewal(): Extract<AttendanceEvent, { type: 'STAFF_RENEW' }> {
    const now = this.lane.now();
    return { type: 'STAFF_RENEW', since: now.toISOString(), until: new Date(now.getTime() + STAFF_SESSION_MS).toISOString() };
  }

  handlers(): LaneHandlers {
    const { lane, d } = this;
    return {
      staffCheck: {
        ungated: true,
        run: (cmd) => {
          // Staff at a self-checkout kiosk reach its staff screens (till, reports, sign-out) only with their own credentials.
          const by = d.approvals.authorizeRole('staffCheck', ['supervisor', 'it'], cmd.approval, (n) => `${n} is not a supervisor or store IT.`, 'Staff screens need a supervisor or store IT.');
          lane.attend((at) => {
            lane.journal.append('staff.access', null, { by, lane: lane.identity.laneId, mode: lane.config.mode }, at);
            return lane.config.mode === 'self' ? [{ type: 'STAFF_IN', by, since: at, until: new Date(Date.parse(at) + STAFF_SESSION_MS).toISOString() }] : [];
          });
          this.hadStaff = lane.config.mode === 'self';
          return { answer: null };
        },
      },
      staffDone: {
        ungated: true,
        run: () => {
          if (this.staffSession) this.endStaffSession();
          return { answer: null };
        },
      },
      customerLanguage: {
        ungated: true,
        run: (cmd) => {
          // What the customer reads in, for the customer display; not part of any sale, not journalled.
          if (this.customerLang !== cmd.lang) {
            this.customerLang = cmd.lang;
            lane.broadcast();
          }
          return { answer: null };
        },
      },
      cancelCash: { run: () => d.kioskCash.cancel(requireCheckout(lane)) },
      confirmCash: {
        run: (cmd) => {
          const co = requireCheckout(lane);
          const by = lane.attendant?.id ?? d.approvals.approve('confirmCash', cmd.approval).id;
          return d.kioskCash.confirm(co, cmd.sessionId, cmd.amount, by);
        },
      },
    };
  }

  /**
   * Self-checkout idle rules, looked at when one of the attendance machine's timers fired (or a
   * test steps them). Nothing that was paid is ever lost: a paid
   * basket is completed (its receipt printed); a partly paid one calls staff; only an unpaid basket
   * nobody touched is abandoned, after an "are you still there?" prompt.
   */
  tickIdle(): void {
    const { lane, d } = this;
    if (lane.config.mode !== 'self' || lane.disposed) return;
    const co = lane.checkoutSnap();
    // Staff handed the kiosk back or their session lapsed: the customer's idle clock starts afresh.
    if (this.hadStaff && !this.staffSession) this.lastActivity = lane.now().getTime();
    this.hadStaff = this.staffSession !== null;
    const idle = lane.now().getTime() - this.lastActivity;
    const { idleAbandonMs, idleWarnMs, paidCompleteMs } = lane.config;
    const help = d.help;
    let idleUntil: string | null = null;
    try {
      if (!co) {
        // nothing to look after
      } else if (co.value === 'paid') {
        if (idle >= paidCompleteMs) this.systemCommand({ id: `idle-${uuidv7(lane.now().getTime())}`, cmd: 'complete', receipt: 'print' });
      } else if (co.value === 'cashPending') {
        // A cash payment nobody finishes (money half in, or the attendant never came): staff are called, nothing is dropped.
        if (idle >= idleAbandonMs && !help.current) help.call('idle', null);
      } else if (co.value === 'cardPending' && d.paymentDecision() !== null) {
        // The terminal could not say whether the card was charged: staff decide.
        if (!help.current) help.call('payment', d.paymentDecision());
      } else if (co.hasTag('basket') && !this.staffSession) {
        // (Staff working at the kiosk pause the customer's clock: their hand-back starts it afresh.)
        // A customer waiting for staff (age check, help call, a kiosk that cannot sell: their basket is kept for them) is never timed out; nor is money ever dropped.
        const waiting = pendingAgeCheck(co.context) !== null || help.current !== null || d.cannotSell();
        if (co.context.tenders.length === 0 && !waiting) {
          if (idle >= idleAbandonMs) this.abandonSale(co);
          else if (idle >= idleAbandonMs - idleWarnMs) idleUntil = new Date(this.lastActivity + idleAbandonMs).toISOString();
        } else if (idle >= idleAbandonMs && !help.current) {
          help.call('idle', null);
        }
      }
      const staff = this.staffSession;
      if (staff && lane.now().getTime() >= Date.parse(staff.until)) this.endStaffSession();
      // The prompt's deadline is kept in the attendance machine (a restart shows it again).
      if (idleUntil !== lane.attendanceContext().idleUntil) {
        lane.attend((at) => [idleUntil ? { type: 'IDLE_PROMPT', since: at, until: idleUntil } : { type: 'IDLE_CLEAR' }]);
      }
    } catch (err) {
      lane.log(`self-checkout idle: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Staff hand the kiosk back (or walked away): their powers end, and the customer's idle clock starts afresh. */
  private endStaffSession(): void {
    this.lane.attend(() => [{ type: 'STAFF_DONE' }]);
    this.hadStaff = false;
    this.lastActivity = this.lane.now().getTime();
  }

  /** A command the lane gives itself (idle rules): not customer activity. */
  private systemCommand(cmd: Command): void {
    const last = this.lastActivity;
    this.lane.handle(cmd);
    this.lastActivity = last;
  }

  /** An unpaid self-checkout basket left alone: cancelled without approval (no money was taken), journalled as abandoned. */
  private abandonSale(co: CheckoutSnap): void {
    const { lane } = this;
    const saleId = co.context.saleId;
    const totals = totalsOf(co.context);
    const operator = lane.laneSnap().context.operator;
    const idleMs = lane.config.idleAbandonMs;
    lane.commit(
      {
        steps: [
          { to: 'checkout', event: { type: 'CANCEL' } },
          { to: 'lane', event: { type: 'SALE_ENDED', saleId }, after: (at) => lane.journal.append('sale.abandoned', saleId, { saleId, lines: co.context.lines, totals, operator, lane: lane.identity.laneId, idleMs }, at) },
        ],
      },
      { cmd: 'abandonSale', saleId },
    );
    lane.log(`self-checkout: an unpaid basket (${co.context.lines.length} lines) was left for ${Math.round(idleMs / 1000)} s and abandoned`);
  }
}
