/** Pure hardening rules used by the main process (no Electron import; unit-tested). */

/**
 * The renderer is served by the main process from this custom scheme (electron/main/app-protocol.ts),
 * not from file:// (which any local file shares) and not from the core's HTTP origin (a second
 * process anyone on the machine can reach).
 */
export const APP_SCHEME = 'kassa';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The lane UI. */
export const APP_URL = `${APP_ORIGIN}/`;

/**
 * True when `url` is on the app origin, kassa://app. Compared part by part rather than with
 * `URL.origin`: Node (tests) reports "null" as the origin of a scheme it does not know, Chromium
 * (the scheme is registered as standard) reports kassa://app. No port, no credentials; the host is
 * compared as given (Chromium lower-cases it before we see it).
 */
export function isAppUrl(url: string | URL): boolean {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  return u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

/**
 * The Content-Security-Policy of every app page. Scripts, styles and images only from the app
 * itself; the only connection allowed is the core's WebSocket (none before the core is ready).
 */
export function contentSecurityPolicy(port: number | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    port === null ? "connect-src 'none'" : `connect-src ws://127.0.0.1:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Adds `policy` as a Content-Security-Policy header. A policy the server already sent is kept
 * beside it: several policies all apply, so the result is never weaker than ours.
 */
export function withCsp(headers: Record<string, string[]> | undefined, policy: string): Record<string, string[]> {
  const result: Record<string, string[]> = { ...headers };
  const key = Object.keys(result).find((k) => k.toLowerCase() === 'content-security-policy') ?? 'Content-Security-Policy';
  result[key] = [...(result[key] ?? []), policy];
  return result;
}

/** An IPC peer as Electron describes it (event.senderFrame + event.sender, or a window we send to). */
export interface IpcPeer {
  /** URL of the frame; null when the frame is gone (navigated away or destroyed). */
  frameUrl: string | null;
  /** False for a subframe (an iframe): only a window's top document talks to the main process. */
  isMainFrame: boolean;
  /** webContents id of the sender. */
  contentsId: number;
}

/**
 * The check every IPC exchange with a renderer goes through: the frame is the top document of one
 * of our windows (`ours`: their webContents ids) and is showing the app (kassa://app). Any other
 * sender — a page that somehow got navigated elsewhere, an iframe, a webContents we did not
 * create — is refused.
 */
export function isTrustedIpcPeer(peer: IpcPeer | null, ours: ReadonlySet<number>): boolean {
  if (!peer || peer.frameUrl === null || !peer.isMainFrame) return false;
  return ours.has(peer.contentsId) && isAppUrl(peer.frameUrl);
}

export interface KeyInput {
  key: string;
  code: string;
  control: boolean;
  meta: boolean;
  shift: boolean;
  alt: boolean;
}

const ZOOM_KEYS = new Set(['+', '=', '-', '_', '0']);
const ZOOM_CODES = new Set(['Equal', 'Minus', 'Digit0', 'NumpadAdd', 'NumpadSubtract', 'Numpad0']);

/**
 * Reload, devtools and zoom shortcuts, swallowed in kiosk mode (before-input-event: a swallowed key
 * never reaches the page). Only Ctrl/Cmd combinations are blocked: the lane's own keys — F1–F12
 * (F5 discount, F11 cancel, F12 gift card), Escape, Enter, arrows — always go through. With the
 * application menu removed Electron binds none of F5, F11, F12 itself (those accelerators belong to
 * the default menu), so letting them through opens nothing.
 */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (/^F\d{1,2}$/.test(input.key)) return false;
  const mod = input.control || input.meta;
  if (!mod) return false;
  const key = input.key.toLowerCase();
  if (key === 'r' || input.code === 'KeyR') return true; // reload, hard reload (Ctrl+Shift+R)
  if ((input.shift || input.alt) && (key === 'i' || input.code === 'KeyI')) return true; // devtools (Cmd+Alt+I on macOS)
  return ZOOM_KEYS.has(input.key) || ZOOM_CODES.has(input.code);
}
