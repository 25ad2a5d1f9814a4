/** Pure hardening rules used by the main process (no Electron import; unit-tested). */

export function coreOrigin(port: number): string {
  return `http://127.0.0.1:${port}`;
}

/** True when `url` is on the core's UI origin. */
export function isCoreUrl(url: string, port: number | null): boolean {
  if (port === null) return false;
  try {
    return new URL(url).origin === coreOrigin(port);
  } catch {
    return false;
  }
}

/** The Content-Security-Policy the main process adds to every response. */
export function contentSecurityPolicy(port: number | null): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    port === null ? "connect-src 'self'" : `connect-src 'self' ws://127.0.0.1:${port}`,
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

/** Reload, devtools and zoom shortcuts, swallowed in kiosk mode. */
export function isBlockedShortcut(input: KeyInput): boolean {
  if (input.key === 'F5' || input.key === 'F12') return true;
  const mod = input.control || input.meta;
  if (!mod) return false;
  const key = input.key.toLowerCase();
  if (key === 'r' || input.code === 'KeyR') return true; // reload, hard reload
  if ((input.shift || input.alt) && (key === 'i' || input.code === 'KeyI')) return true; // devtools (Cmd+Alt+I on macOS)
  return ZOOM_KEYS.has(input.key) || ZOOM_CODES.has(input.code);
}
