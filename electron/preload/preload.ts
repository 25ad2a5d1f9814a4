/**
 * Sandboxed preload, bundled to CommonJS (dist/electron/preload.cjs by scripts/build.mjs);
 * `electron` is its only runtime require. Exposes exactly `window.kassa`:
 * - `connection`: `{ url, token }` of the core's WebSocket (when the main process passed a valid one);
 * - `onCoreState(callback)`: the supervisor's state of the core (CoreState, validated here before
 *   the page sees it); returns the function that unsubscribes.
 * Nothing goes from the page to the main process.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { config } from 'zod';
import type { CoreState } from '../../protocol/terminal/process';
import { decodeConnectionArg } from '../main/connection';
import { CORE_STATE_CHANNEL, createCoreStateRelay } from '../main/core-state';

// No `new Function` probing by zod: the page's CSP has no 'unsafe-eval'.
config({ jitless: true });

const relay = createCoreStateRelay((message) => console.error(`kassa preload: ${message}`));
// Listen from the start: a state sent before the page subscribes is kept for it.
ipcRenderer.on(CORE_STATE_CHANNEL, (_event, payload: unknown) => {
  relay.receive(payload);
});

const connection = decodeConnectionArg(process.argv);
if (!connection) console.error('kassa preload: missing or invalid --kassa-connection argument; no connection exposed');

contextBridge.exposeInMainWorld(
  'kassa',
  Object.freeze({
    ...(connection ? { connection: Object.freeze({ url: connection.url, token: connection.token }) } : {}),
    // A wrapper, so the page gets a plain function and never the relay object itself.
    onCoreState: (callback: (state: CoreState) => void): (() => void) => relay.subscribe(callback),
  }),
);
