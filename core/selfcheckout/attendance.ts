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
import type { Help } from './help';

/** How long a self-checkout staff session lasts without a command. */
const STAFF_SESSION_MS = 120_000;

/** What a customer at a self-checkout may do without staff (approvals still apply where the command asks for one). */
const CUSTOMER_COMMANDS: ReadonlySet<Command['cmd']> = new Set<Command['cmd']>([
  'ping', 'scan', 'subtotal', 'backToSale', 'tenderCard', 'tenderCash', 'tenderVoucher', 'memberCard', 'complete', 'abortPayment',
  'callHelp', 'clearHelp', 'reportMissingItem', 'produceList', 'weighPreview', 'departments', 'priceCheck', 'confirmAge', 'voidLine', 'voidLast', 'cancelSale',
  'staffCheck', 'staffDone', 'customerLanguage', 'cancelCash',
]);

export class Attendance {
  /** Self-checkout: staff who proved who they are at the kiosk (staffCheck), until when. */
  private staffSession: { by: string; until: number } | null = null;
  /** The language the customer chose (the customer display follows it); the store's when null. */
  private customerLang: 'sv' | 'de' | 'en' | null = null;
  /** Self-checkout: the last command from the kiosk, and the idle prompt's deadline. */
  private lastActivity: number;
  private idleUntil: string | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly lane: Lane,
    private readonly d: { approvals: Approvals; help: Help; kioskCash: KioskCash; tillOpen(): boolean; paymentDecision(): string | null },
  ) {
    this.lastActivity = lane.now().getTime();
    if (lane.config.mode === 'self') {
      this.idleTimer = setInterval(() => this.tickIdle(), 1_000);
      this.idleTimer.unref();
    }
  }

  dispose(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = null;
  }

  view(): Pick<Snapshot['lane'], 'customerLang' | 'selfCheckout'> {
    const { config } = this.lane;
    return { customerLang: this.customerLang, selfCheckout: config.mode === 'self' ? { cashAllowed: config.selfCash, idleUntil: this.idleUntil, staff: this.staffSession?.by ?? null } : null };
  }

  /** Staff are at this kiosk now (an attendant's command, or a live staff session). */
  staffHere(): boolean {
    return this.lane.attendant !== null || (this.staffSession !== null && this.lane.now().getTime() < this.staffSession.until);
  }

  /** Every command is activity: the customer's idle clock starts again, staff keep their session. */
  touch(): void {
    this.lastActivity = this.lane.now().getTime();
    // Staff at a kiosk keep their session while they work there, whatever the command (scanning for the customer too).
    if (this.staffSession && !this.lane.attendant && this.lastActivity < this.staffSession.until) this.staffSession.until = this.lastActivity + STAFF_SESSION_MS;
    if (this.idleUntil) {
      this.idleUntil = null;
      this.lane.broadcast();
    }
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
    const now = lane.now().getTime();
    if (!this.staffSession || now >= this.staffSession.until) {
      this.staffSession = null;
      throw new CoreError('APPROVAL_REQUIRED', 'At a self-checkout this is for staff: sign in on the staff screen first.', { action: 'staff' });
    }
    this.staffSession.until = now + STAFF_SESSION_MS;
  }

  handlers(): LaneHandlers {
    const { lane, d } = this;
    return {
      staffCheck: {
        ungated: true,
        run: (cmd) => {
          // Staff at a self-checkout kiosk reach its staff screens (till, reports, sign-out) only with their own credentials.
          const by = d.approvals.authorizeRole('staffCheck', ['supervisor', 'it'], cmd.approval, (n) => `${n} is not a supervisor or store IT.`, 'Staff screens need a supervisor or store IT.');
          const at = lane.now().toISOString();
          lane.db.transaction(() => lane.journal.append('staff.access', null, { by, lane: lane.identity.laneId, mode: lane.config.mode }, at))();
          if (lane.config.mode === 'self') {
            this.staffSession = { by, until: lane.now().getTime() + STAFF_SESSION_MS };
            lane.broadcast();
          }
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
   * Self-checkout idle rules, checked every second. Nothing that was paid is ever lost: a paid
   * basket is completed (its receipt printed); a partly paid one calls staff; only an unpaid basket
   * nobody touched is abandoned, after an "are you still there?" prompt.
   */
  tickIdle(): void {
    const { lane, d } = this;
    if (lane.config.mode !== 'self' || lane.disposed) return;
    const co = lane.checkoutSnap();
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
      } else if ((co.value === 'scanning' || co.value === 'subtotal') && !this.staffSession) {
        // (Staff working at the kiosk pause the customer's clock: their hand-back starts it afresh.)
        // A customer waiting for staff (age check, help call) is never timed out; nor is money ever dropped.
        const waiting = pendingAgeCheck(co.context) !== null || help.current !== null;
        if (co.context.tenders.length === 0 && !waiting) {
          if (idle >= idleAbandonMs) this.abandonSale(co);
          else if (idle >= idleAbandonMs - idleWarnMs) idleUntil = new Date(this.lastActivity + idleAbandonMs).toISOString();
        } else if (idle >= idleAbandonMs && !help.current) {
          help.call('idle', null);
        }
      }
      if (this.staffSession && lane.now().getTime() >= this.staffSession.until) this.endStaffSession();
    } catch (err) {
      lane.log(`self-checkout idle: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (idleUntil !== this.idleUntil) {
      this.idleUntil = idleUntil;
      lane.broadcast();
    }
  }

  /** Staff hand the kiosk back (or walked away): their powers end, and the customer's idle clock starts afresh. */
  private endStaffSession(): void {
    this.staffSession = null;
    this.lastActivity = this.lane.now().getTime();
    this.lane.broadcast();
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
