/**
 * The core's state as the window sees it (starting / ready / restarting / failed, with the restart
 * backoff), sent by the main process on one IPC channel. Pure: the preload wires the relay to
 * ipcRenderer, the tests drive it directly.
 */
import { CoreStateSchema, type CoreState } from '../../protocol/terminal/process';

/** main → renderer: the supervisor's state (CoreState). The only IPC channel of the app. */
export const CORE_STATE_CHANNEL = 'kassa:core-state';

export type CoreStateListener = (state: CoreState) => void;

export interface CoreStateRelay {
  /** A message from the main process: validated, remembered, passed to every listener. Invalid ones are dropped. */
  receive(payload: unknown): boolean;
  /**
   * Adds a listener; it is called with the last valid state at once (asynchronously) if there is
   * one, then with every new one. Returns the function that removes it.
   */
  subscribe(listener: CoreStateListener): () => void;
}

export function createCoreStateRelay(log: (message: string) => void = () => {}): CoreStateRelay {
  let latest: CoreState | null = null;
  const listeners = new Set<CoreStateListener>();
  // Each listener gets its own copy: one listener cannot change what the next one sees.
  const call = (listener: CoreStateListener, state: CoreState): void => {
    try {
      listener({ ...state });
    } catch (error) {
      log(`core state listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  return {
    receive(payload) {
      const parsed = CoreStateSchema.safeParse(payload);
      if (!parsed.success) {
        log('ignored an invalid core state message');
        return false;
      }
      const { state, attempt, retryInMs } = parsed.data;
      latest = { state, attempt, retryInMs };
      for (const listener of [...listeners]) call(listener, latest);
      return true;
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('onCoreState expects a function');
      listeners.add(listener);
      const current = latest;
      if (current) queueMicrotask(() => listeners.has(listener) && call(listener, current));
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
