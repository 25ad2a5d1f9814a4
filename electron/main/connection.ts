/**
 * How the main process hands the core connection to the sandboxed preload: one command-line
 * switch `--kassa-connection=<base64url(JSON)>` (BrowserWindow additionalArguments).
 * Pure: no Electron, no Buffer (the sandboxed preload has neither Node nor its modules).
 */
import { ConnectionInfoSchema, type ConnectionInfo } from '../../protocol/terminal/process';

export const CONNECTION_SWITCH = '--kassa-connection=';
const MAX_ENCODED_LENGTH = 1024;

export function encodeConnectionArg(connection: ConnectionInfo): string {
  const bytes = new TextEncoder().encode(JSON.stringify(connection));
  const base64 = btoa(String.fromCharCode(...bytes));
  return CONNECTION_SWITCH + base64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Finds, decodes and validates the connection switch in `argv`; null when missing or invalid. */
export function decodeConnectionArg(argv: readonly string[]): ConnectionInfo | null {
  const arg = argv.find((a) => a.startsWith(CONNECTION_SWITCH));
  const encoded = arg?.slice(CONNECTION_SWITCH.length) ?? '';
  if (!/^[A-Za-z0-9_-]+$/.test(encoded) || encoded.length > MAX_ENCODED_LENGTH) return null;
  try {
    const binary = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    const json: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0))));
    const parsed = ConnectionInfoSchema.safeParse(json);
    return parsed.success ? { url: parsed.data.url, token: parsed.data.token } : null;
  } catch {
    return null;
  }
}
