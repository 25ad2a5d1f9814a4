/**
 * The lane's machines as the host runs them: the lane machine (with its checkout and attendance
 * children) restored from its persisted snapshot, with what the host provides — the attendance
 * machine's delays on the core's clock — and its delayed transitions scheduled on `LaneTimers`.
 * The host (host.ts) decides when events are sent (inside a commit or a `record`); this only runs
 * them, rolls back to a persisted snapshot, and starts the timers of a restored snapshot again.
 */
import { createActor, type Actor } from 'xstate';
import { checkoutMachine, type CheckoutEvent } from '../checkout/machines';
import { laneMachine, type LaneEvent } from './lane-machine';
import { terminalCall, untilStopped, type CardPaymentInput, type CardReversalInput, type TerminalCall } from '../checkout/terminal-calls';
import type { Clock } from '../clock';
import type { Profile } from '../../protocol/terminal';
import { CoreError } from '../errors';
import { attendanceMachine, type AttendanceContext, type AttendanceEvent } from '../selfcheckout/attendance-machine';
import type { CheckoutSnap, LaneSnapshot } from './context';
import { LaneTimers } from './timers';
import { terminalDayMachine, type EndOfDayInput } from '../payments/terminal-day-machine';

const NO_ATTENDANCE: AttendanceContext = { staff: null, help: null, idleUntil: null, idleSince: null };
export const notNow = () => new CoreError('NOT_ALLOWED_NOW', 'That is not possible at this point of the sale.');

type Delay = (args: { context: AttendanceContext }) => number;
export interface MachineHooks {
  /** The attendance machine's delays, measured on the core's clock. */
  delays: () => { staffLeft: Delay; promptLeft: Delay; idleCheck: Delay };
  /** A delayed transition is due: run `fire` (see LaneTimers). */
  onTimer: (fire: () => void, stepped: boolean) => void;
  /** What the checkout's card calls do at the payment terminal (payments/card-flow.ts). */
  card: () => { payment: TerminalCall<CardPaymentInput>; reversal: TerminalCall<CardReversalInput>; closeDay: TerminalCall<EndOfDayInput> };
  log: (line: string) => void;
  /** Runs `work` in one SQLite transaction. */
  transaction: (work: () => void) => void;
  /** Stores the lane's persisted snapshot (serialised) without a new version, inside that transaction. */
  save: (snapshotJson: string, at: string) => void;
}

export class LaneMachines {
  private actor: Actor<typeof laneMachine>;
  private readonly logic: typeof laneMachine;
  readonly timers: LaneTimers;
  /** Card calls the machines invoked, waiting for the commit that invoked them (see startCalls). */
  private readonly waiting: Array<() => void> = [];
  private rollingBack = false;

  constructor(
    now: Clock,
    private readonly profile: Profile,
    private readonly hooks: MachineHooks,
    stored: unknown,
  ) {
    this.timers = new LaneTimers(now, hooks.onTimer);
    const delay = (name: 'staffLeft' | 'promptLeft' | 'idleCheck'): Delay => (args) => hooks.delays()[name](args);
    this.logic = laneMachine.provide({
      actors: {
        attendance: attendanceMachine.provide({ delays: { staffLeft: delay('staffLeft'), promptLeft: delay('promptLeft'), idleCheck: delay('idleCheck') } }),
        checkout: checkoutMachine.provide({ actors: { cardPayment: terminalCall(this.afterCommit(() => hooks.card().payment)), cardReversal: terminalCall(this.afterCommit(() => hooks.card().reversal)) } }),
        terminalDay: terminalDayMachine.provide({ actors: { endOfDay: terminalCall(this.afterCommit(() => hooks.card().closeDay)) } }),
      },
    });
    this.actor = this.create(stored);
  }

  private create(snapshot: unknown): Actor<typeof laneMachine> {
    const actor = createActor(this.logic, { ...(snapshot ? { snapshot: snapshot as LaneSnapshot } : {}), input: { profile: this.profile }, clock: this.timers });
    actor.start();
    return actor;
  }

  /**
   * The attendance machine: spawned once (a lane saved before it existed gets a fresh one), its
   * timers started again after a restore (XState does not restart them), its idle rules watching
   * at a self-checkout. None of this changes what a restart would restore.
   */
  startAttendance(selfCheckout: boolean): void {
    if (this.lane().context.attending !== true) this.actor.send({ type: 'ATTEND' });
    else this.tellAttendance({ type: 'RESUME' });
    if (selfCheckout) this.tellAttendance({ type: 'WATCH' });
  }

  lane(): LaneSnapshot {
    return this.actor.getSnapshot();
  }

  persisted(): unknown {
    return this.actor.getPersistedSnapshot();
  }

  checkout(): CheckoutSnap | null {
    const child = this.lane().children.checkout;
    if (!child) return null;
    const s = child.getSnapshot();
    return { value: String(s.value), context: s.context, hasTag: (tag) => s.hasTag(tag) };
  }

  attendance(): AttendanceContext {
    return this.lane().children.attendance?.getSnapshot().context ?? NO_ATTENDANCE;
  }

  /** An event for the lane machine; one it would refuse refuses the command (its own rules, asked with can()). */
  sendLane(event: LaneEvent): void {
    if (!this.lane().can(event)) throw notNow();
    this.actor.send(event);
  }

  sendCheckout(event: CheckoutEvent, refusable = false): void {
    const child = this.lane().children.checkout;
    if (!child) throw new CoreError('NO_OPEN_SALE', 'There is no open sale.');
    if (refusable && !child.getSnapshot().can(event)) throw notNow();
    child.send(event);
  }

  tellAttendance(event: AttendanceEvent): void {
    this.lane().children.attendance?.send(event);
  }

  /**
   * Records a change of attendance that is no command (a help call, a staff session, the idle
   * prompt): `work` appends its journal entries and returns the attendance machine's events; they
   * are sent and the lane's snapshot stored in one transaction, or nothing changes.
   */
  record(at: string, work: (at: string) => AttendanceEvent[]): void {
    const before = this.persisted();
    try {
      this.hooks.transaction(() => {
        for (const event of work(at)) this.tellAttendance(event);
        this.hooks.save(JSON.stringify(this.persisted()), at);
      });
    } catch (err) {
      this.rollBack(before);
      throw err;
    }
  }

  /**
   * A card call starts while its state is entered, inside the transaction that commits it: it waits
   * for `startCalls` (after the commit; a roll-back stops it first). A call that a roll-back brought
   * back is still under way in this process — its answer commits as usual — so nothing is started.
   */
  private afterCommit<I>(call: () => TerminalCall<I>): TerminalCall<I> {
    return (input, restored, signal) => {
      if (restored && this.rollingBack) return untilStopped(signal);
      return new Promise<void>((resolve) => {
        this.waiting.push(() => {
          if (signal.aborted) return resolve();
          // A call that fails stays under way (a restart asks again); it never fails the commit that started it.
          new Promise<void>((started) => started(call()(input, restored, signal)))
            .catch((err: unknown) => {
              this.hooks.log(`card call: ${err instanceof Error ? err.message : String(err)}`);
              return untilStopped(signal);
            })
            .then(resolve);
        });
      });
    };
  }

  /** A lane saved before card calls were actors: in cardPending with no call to restore. */
  cardPendingWithoutCall(): boolean {
    const co = this.lane().children.checkout?.getSnapshot();
    return co?.value === 'cardPending' && !co.children.card;
  }

  /** Starts the card calls the last commit invoked (or a restart restored). */
  startCalls(): void {
    for (const start of this.waiting.splice(0)) start();
  }

  /** The in-memory machines go back to what is on disk (a transaction failed); their timers run again. */
  rollBack(before: unknown): void {
    this.actor.stop();
    this.rollingBack = true;
    try {
      this.actor = this.create(before);
    } finally {
      this.rollingBack = false;
    }
    this.tellAttendance({ type: 'RESUME' });
    this.startCalls(); // the stopped ones settle
  }

  dispose(): void {
    this.timers.dispose();
  }
}
