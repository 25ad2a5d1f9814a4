/**
 * The lane machine (XState v5): closed ⇄ signedOut ⇄ signedIn ⇄ selling. It spawns one `checkout`
 * per sale (core/checkout/machines.ts), the `attendance` machine once (help call, staff session,
 * idle prompt: selfcheckout/attendance-machine.ts) and a `terminalDay` while the payment terminal
 * closes its day (payments/terminal-day-machine.ts). Pure, like the checkout: everything from
 * outside arrives in events.
 */
import { assign, setup, spawnChild, stopChild } from 'xstate';
import type { Profile } from '../../protocol/terminal';
import { checkoutMachine } from '../checkout/machines';
import { attendanceMachine } from '../selfcheckout/attendance-machine';
import { terminalDayMachine, type EndOfDayInput } from '../payments/terminal-day-machine';

export interface LaneContext {
  operator: string | null;
  operatorName: string | null;
  role: Role | null;
  locked: boolean;
  training: boolean;
  profile: Profile;
  saleId: string | null;
  /** The attendance child (help, staff session, idle prompt) was spawned; absent in lanes saved before it existed. */
  attending?: boolean;
  /** The terminal's end of day is running (its terminalDay child). */
  closingDay?: boolean;
}

export type Role = 'cashier' | 'supervisor' | 'it';

export type LaneEvent =
  | { type: 'OPEN' }
  | { type: 'CLOSE' }
  | { type: 'SIGN_IN'; operator: string; name: string; role: Role }
  | { type: 'SIGN_OUT' }
  | { type: 'LOCK' }
  | { type: 'UNLOCK' }
  | { type: 'SET_TRAINING'; on: boolean }
  | { type: 'START_SALE'; saleId: string; startedAt: string }
  | { type: 'SALE_ENDED'; saleId: string }
  /** Spawns the lane's attendance machine once (the host sends it when the lane starts). */
  | { type: 'ATTEND' }
  /** The terminal's end of day starts (a supervisor asked), and is over (its answer is journalled). */
  | { type: 'END_OF_DAY'; day: EndOfDayInput }
  | { type: 'END_OF_DAY_DONE' };

export const laneMachine = setup({
  types: {
    context: {} as LaneContext,
    events: {} as LaneEvent,
    input: {} as { profile: Profile },
    children: {} as { checkout: 'checkout'; attendance: 'attendance'; terminalDay: 'terminalDay' },
  },
  actors: { checkout: checkoutMachine, attendance: attendanceMachine, terminalDay: terminalDayMachine },
}).createMachine({
  id: 'lane',
  on: {
    ATTEND: { guard: ({ context }) => context.attending !== true, actions: [spawnChild('attendance', { id: 'attendance' }), assign({ attending: true })] },
    LOCK: { actions: assign({ locked: true }) },
    UNLOCK: { actions: assign({ locked: false }) },
    // The terminal's end of day, one at a time, in any state of the lane (payments/terminal-day-machine.ts).
    END_OF_DAY: {
      guard: ({ context }) => context.closingDay !== true,
      actions: [spawnChild('terminalDay', { id: 'terminalDay', input: ({ event }) => (event.type === 'END_OF_DAY' ? event.day : { dayId: '', by: '', laneTotal: 0 }) }), assign({ closingDay: true })],
    },
    END_OF_DAY_DONE: { guard: ({ context }) => context.closingDay === true, actions: [stopChild('terminalDay'), assign({ closingDay: false })] },
  },
  context: ({ input }) => ({ operator: null, operatorName: null, role: null, locked: false, training: false, profile: input.profile, saleId: null }),
  initial: 'signedOut',
  states: {
    closed: { on: { OPEN: 'signedOut' } },
    signedOut: {
      on: {
        SIGN_IN: {
          target: 'signedIn',
          actions: assign({ operator: ({ event }) => event.operator, operatorName: ({ event }) => event.name, role: ({ event }) => event.role, locked: false }),
        },
        CLOSE: 'closed',
      },
    },
    signedIn: {
      on: {
        SIGN_OUT: { target: 'signedOut', actions: assign({ operator: null, operatorName: null, role: null, locked: false, training: false }) },
        SET_TRAINING: { actions: assign({ training: ({ event }) => event.on }) },
        START_SALE: {
          target: 'selling',
          actions: [
            assign({ saleId: ({ event }) => (event.type === 'START_SALE' ? event.saleId : null) }),
            spawnChild('checkout', {
              id: 'checkout',
              input: ({ context, event }) => {
                if (event.type !== 'START_SALE') throw new Error('checkout spawned without START_SALE');
                return { saleId: event.saleId, startedAt: event.startedAt, profile: context.profile, training: context.training };
              },
            }),
          ],
        },
      },
    },
    selling: {
      on: {
        SALE_ENDED: { target: 'signedIn', actions: [stopChild('checkout'), assign({ saleId: null })] },
      },
    },
  },
});
