/**
 * Sandboxed preload, bundled to CommonJS (dist/electron/preload.cjs); `electron` is its only
 * runtime require. Exposes exactly `window.kassa.connection = { url, token }` and nothing else.
 */
import { contextBridge } from 'electron';
import { config } from 'zod';
import { decodeConnectionArg } from './connection';

// No `new Function` probing by zod: the page's CSP has no 'unsafe-eval'.
config({ jitless: true });

const connection = decodeConnectionArg(process.argv);
if (connection) {
  contextBridge.exposeInMainWorld(
    'kassa',
    Object.freeze({ connection: Object.freeze({ url: connection.url, token: connection.token }) }),
  );
} else {
  console.error('kassa preload: missing or invalid --kassa-connection argument; nothing exposed');
}
