/**
 * The attendance machine (XState v5): who is at the lane besides its cashier or customer, and for
 * how long — the call for staff, a self-checkout's staff session and the customer's idle prompt.
 * The lane machine spawns it once (ATTEND) and it lives as long as the lane; its context is part
 * of the lane's persisted snapshot, so a restart restores an open help call, a staff session and
 * an idle prompt's deadline.
 *
 * Its timers are delayed transitions. Deadlines are instants of the core's clock kept in context
 * (ISO); the delays below only say how long from the moment a state is entered, and the lane host
 * provides them measured against its clock (`.provide({ delays })`), so a restored deadline keeps
 * its instant. A restored snapshot has no running timers (XState does not restart them): the host
 * sends RESUME, which enters the timed states again.
 *
 * attendance (parallel):
 *   staff: absent ─STAFF_IN→ present ─STAFF_DONE | its deadline→ absent   (STAFF_RENEW moves the deadline)
 *   help:  quiet ─HELP_CALLED→ called ─HELP_CLEARED→ quiet
 *   idle:  off ─WATCH→ watching ─IDLE_PROMPT→ prompting ─ACTIVITY | IDLE_CLEAR | its deadline→ watching
 *          (watching looks at the idle rules again when the next of their thresholds is due)
 */
import { assign, setup } from 'xstate';
import type { Snapshot } from '../../protocol/terminal';

export type HelpCall = NonNullable<Snapshot['lane']['help']>;

export interface StaffSession {
  by: string;
  /** When the session ends unless a command renews it (ISO, core clock). */
  until: string;
  /** When it was started or last renewed (ISO, core clock). */
  since: string;
}

export interface AttendanceContext {
  /** Self-checkout: staff who proved who they are at the kiosk (staffCheck). */
  staff: StaffSession | null;
  /** A call for staff, shown in the attendant view until staff clear it. */
  help: HelpCall | null;
  /** Self-checkout: the "are you still there?" prompt's deadline; its start is `idleSince`. */
  idleUntil: string | null;
  idleSince: string | null;
}

export type AttendanceEvent =
  | { type: 'STAFF_IN'; by: string; since: string; until: string }
  | { type: 'STAFF_RENEW'; since: string; until: string }
  | { type: 'STAFF_DONE' }
  | { type: 'HELP_CALLED'; call: HelpCall }
  | { type: 'HELP_CLEARED' }
  | { type: 'IDLE_PROMPT'; since: string; until: string }
  | { type: 'IDLE_CLEAR' }
  | { type: 'ACTIVITY' }
  | { type: 'WATCH' }
  /** After a restore: enter the timed states again so their timers run. */
  | { type: 'RESUME' };

const span = (since: string | null | undefined, until: string | null | undefined) => (since && until ? Math.max(0, Date.parse(until) - Date.parse(since)) : 0);

export const attendanceMachine = setup({
  types: { context: {} as AttendanceContext, events: {} as AttendanceEvent },
  // Defaults measure from when a deadline was set (right for a fresh one); the host measures from its clock.
  delays: {
    staffLeft: ({ context }) => span(context.staff?.since, context.staff?.until),
    promptLeft: ({ context }) => span(context.idleSince, context.idleUntil),
    idleCheck: 1_000,
  },
  actions: {
    startStaff: assign({ staff: ({ event }) => (event.type === 'STAFF_IN' ? { by: event.by, since: event.since, until: event.until } : null) }),
    renewStaff: assign({ staff: ({ context, event }) => (event.type === 'STAFF_RENEW' && context.staff ? { ...context.staff, since: event.since, until: event.until } : context.staff) }),
    endStaff: assign({ staff: null }),
    prompt: assign(({ event }) => (event.type === 'IDLE_PROMPT' ? { idleSince: event.since, idleUntil: event.until } : {})),
    clearPrompt: assign({ idleSince: null, idleUntil: null }),
  },
}).createMachine({
  id: 'attendance',
  context: { staff: null, help: null, idleUntil: null, idleSince: null },
  type: 'parallel',
  states: {
    staff: {
      initial: 'absent',
      states: {
        absent: { on: { STAFF_IN: { target: 'present', actions: 'startStaff' } } },
        present: {
          after: { staffLeft: { target: 'absent', actions: 'endStaff' } },
          on: {
            STAFF_IN: { target: 'present', reenter: true, actions: 'startStaff' },
            STAFF_RENEW: { target: 'present', reenter: true, actions: 'renewStaff' },
            STAFF_DONE: { target: 'absent', actions: 'endStaff' },
            RESUME: { target: 'present', reenter: true },
          },
        },
      },
    },
    help: {
      initial: 'quiet',
      states: {
        quiet: { on: { HELP_CALLED: { target: 'called', actions: assign({ help: ({ event }) => event.call }) } } },
        called: { on: { HELP_CLEARED: { target: 'quiet', actions: assign({ help: null }) } } },
      },
    },
    idle: {
      initial: 'off',
      states: {
        // A staffed lane has no idle rules; a self-checkout's host sends WATCH.
        off: { on: { WATCH: 'watching' } },
        watching: {
          after: { idleCheck: { target: 'watching', reenter: true } },
          on: {
            IDLE_PROMPT: { target: 'prompting', actions: 'prompt' },
            ACTIVITY: { target: 'watching', reenter: true },
            RESUME: { target: 'watching', reenter: true },
          },
        },
        prompting: {
          after: { promptLeft: { target: 'watching', actions: 'clearPrompt' } },
          on: {
            IDLE_PROMPT: { target: 'prompting', reenter: true, actions: 'prompt' },
            ACTIVITY: { target: 'watching', actions: 'clearPrompt' },
            IDLE_CLEAR: { target: 'watching', actions: 'clearPrompt' },
            RESUME: { target: 'prompting', reenter: true },
          },
        },
      },
    },
  },
});
