/**
 * The payment terminal's end of day as a machine the lane spawns while it runs: one state,
 * `closing`, that invokes the `endOfDay` call (its work supplied by the host: payments/card-flow.ts,
 * and by tests with `.provide()`). The call commits the terminal's answer (journal entry and the
 * lane's END_OF_DAY_DONE, which stops this machine) in one transaction. Persisted with the lane: a
 * call restored after a restart knows it (`restored`) and does not close the day a second time.
 */
import { setup } from 'xstate';
import { terminalCall, waitForTerminal } from '../checkout/terminal-calls';

export interface EndOfDayInput {
  /** Names this end of day (the command that asked for it waits for this id). */
  dayId: string;
  /** The supervisor who asked for it. */
  by: string;
  /** The lane's own card total since the last end of day, to compare with the terminal's. */
  laneTotal: number;
}

export const terminalDayMachine = setup({
  types: { context: {} as EndOfDayInput, input: {} as EndOfDayInput },
  actors: { endOfDay: terminalCall<EndOfDayInput>(waitForTerminal()) },
}).createMachine({
  id: 'terminalDay',
  context: ({ input }) => input,
  initial: 'closing',
  states: {
    closing: { invoke: { id: 'call', src: 'endOfDay', input: ({ context }) => context } },
  },
});
