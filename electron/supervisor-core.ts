/**
 * Pure parts of the core supervisor: no Electron, no processes, no timers. Unit-tested.
 */
import { CoreReadySchema, type CoreReady } from '../protocol/terminal';

/** Longest line kept whole; a longer run of bytes without a newline is emitted in pieces. */
export const MAX_LINE_LENGTH = 64 * 1024;

export interface LineSplitter {
  /** Feeds a chunk of text; calls `onLine` for every complete line in it. */
  push(chunk: string): void;
  /** Emits what is left after the last newline (call when the stream ends). */
  flush(): void;
}

/** Splits a text stream into lines, whatever the chunk boundaries. Accepts `\n` and `\r\n`. */
export function createLineSplitter(onLine: (line: string) => void, maxLength = MAX_LINE_LENGTH): LineSplitter {
  let rest = '';
  const emit = (line: string): void => onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  return {
    push(chunk) {
      rest += chunk;
      let newline: number;
      while ((newline = rest.indexOf('\n')) !== -1) {
        emit(rest.slice(0, newline));
        rest = rest.slice(newline + 1);
      }
      while (rest.length > maxLength) {
        onLine(rest.slice(0, maxLength));
        rest = rest.slice(maxLength);
      }
    },
    flush() {
      if (rest !== '') emit(rest);
      rest = '';
    },
  };
}

/**
 * Returns the ready message if `line` is the core's ready line carrying `expectedToken`,
 * otherwise null (the line is then just a log line).
 */
export function parseReadyLine(line: string, expectedToken: string): CoreReady | null {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"kassa"')) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = CoreReadySchema.safeParse(json);
  if (!parsed.success) return null;
  const ready = parsed.data;
  if (ready.token !== expectedToken || ready.port < 1 || ready.port > 65_535) return null;
  return ready;
}

export interface BackoffOptions {
  /** Delay before the first restart. */
  initialMs: number;
  /** Upper bound of any delay. */
  maxMs: number;
  /** A core that stayed ready this long before dying restarts from `initialMs` again. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, resetAfterMs: 30_000 };

/** Delay before restart number `attempt` (0-based): initial · 2^attempt, capped at max. */
export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.min(Math.max(0, Math.floor(attempt)), 30);
  return Math.min(options.maxMs, options.initialMs * 2 ** exponent);
}

export type CoreProfile = 'SE' | 'DE';

export interface CoreArgsOptions {
  db: string;
  /** 0 lets the OS pick a free port. */
  port: number;
  profile: CoreProfile;
  demo?: boolean;
}

/** Command-line arguments for the core entry bundle. */
export function buildCoreArgs({ db, port, profile, demo = false }: CoreArgsOptions): string[] {
  return ['--db', db, '--port', String(port), '--profile', profile, ...(demo ? ['--demo'] : [])];
}
