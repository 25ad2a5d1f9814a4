/**
 * The card calls the checkout machine invokes while it waits on the payment terminal: the card
 * payment (`cardPending`) and the reversal of a card tender (`reversing`). The machine names them;
 * the lane host supplies what they do (`.provide({ actors })`, core/lane/machines.ts), and so do tests.
 *
 * A call is an XState promise actor that settles only when its state is left (a commit sends the
 * terminal's answer, or staff resolve it): leaving the state stops it. Its persisted snapshot says
 * `restored: true`: XState starts a restored promise actor again, and a call restored from disk may
 * already have reached the terminal — so a restored card payment must ask the terminal what became
 * of it (recover), never authorise again. `terminalCall` is the only way to make these actors.
 */
import { fromPromise, type PromiseSnapshot } from 'xstate';

export interface CardPaymentInput {
  saleId: string;
  training: boolean;
  attemptId: string;
  amount: number;
  startedAt: string;
}

export interface CardReversalInput {
  saleId: string;
  training: boolean;
  tenderId: string;
  terminalRef: string;
  amount: number;
}

/** What a call is told: its input, whether it was restored from a persisted snapshot, and the signal that it was stopped. */
export type TerminalCall<I> = (input: I, restored: boolean, signal: AbortSignal) => Promise<void>;

type Restorable<I> = I & { restored?: true };

export function terminalCall<I extends object>(run: TerminalCall<I>) {
  const logic = fromPromise<void, Restorable<I>>(({ input, signal }) => run(input, input.restored === true, signal));
  return {
    ...logic,
    // A call under way is persisted as restored: whoever starts it from disk knows it may have reached the terminal.
    getPersistedSnapshot: (snapshot: PromiseSnapshot<void, Restorable<I>>, options?: unknown) => {
      const persisted = logic.getPersistedSnapshot(snapshot, options as never) as PromiseSnapshot<void, Restorable<I>>;
      return persisted.status === 'active' && persisted.input ? { ...persisted, input: { ...persisted.input, restored: true as const } } : persisted;
    },
  };
}

/** Until the call is stopped (its state left). */
export function untilStopped(signal: AbortSignal): Promise<void> {
  return signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

/** A machine without a payment terminal wired waits until its state is left. */
export const waitForTerminal = <I>(): TerminalCall<I> => (_input, _restored, signal) => untilStopped(signal);
