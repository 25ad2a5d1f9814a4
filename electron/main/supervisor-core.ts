/**
 * Pure parts of the core supervisor: no Electron, no processes, no timers. Unit-tested.
 */
import { exponentialDelay } from '../../common/backoff';
import { LIMITS } from '../../protocol/terminal/commands';
import { COUNTRIES } from '../../protocol/terminal/profile';
import { CoreExitRequestSchema, CoreReadySchema, EXIT_BY_STORE_IT, type CoreExitRequest, type CoreReady } from '../../protocol/terminal/process';

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

/**
 * Returns the exit request if `line` is the core's exit line, `{"kassa":"exit","operator":"<id>"}`,
 * otherwise null. The core prints it on stdout only after it has verified an IT operator's PIN; the
 * supervisor reads it from stdout only (stderr is log text) and only from a core that is ready.
 */
export function parseExitRequestLine(line: string): CoreExitRequest | null {
  const text = line.trim();
  if (!text.startsWith('{') || !text.includes('"exit"')) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = CoreExitRequestSchema.safeParse(json);
  if (!parsed.success) return null;
  const { operator } = parsed.data;
  if (operator.length < 1 || operator.length > LIMITS.operator) return null;
  return { kassa: 'exit', operator };
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
  return exponentialDelay(attempt, options.initialMs, options.maxMs);
}

/** A market profile's country (core/markets/profiles/), or a store's own profile file. */
export type CoreProfile = (typeof COUNTRIES)[number] | `${string}.json`;

/** KASSA_PROFILE as a market profile's country (any case) or a store's own profile file (.json, checked by the core); unset is SE, an unknown country is refused by name. */
export function profileFromEnv(value: string | undefined): CoreProfile {
  if (value?.endsWith('.json')) return value as `${string}.json`;
  const v = (value ?? 'SE').toUpperCase();
  const found = COUNTRIES.find((c) => c === v);
  if (!found) throw new Error(`KASSA_PROFILE "${value}" is no market profile; known: ${COUNTRIES.join(', ')}`);
  return found;
}

export interface CoreArgsOptions {
  db: string;
  /** 0 lets the OS pick a free port. */
  port: number;
  profile: CoreProfile;
  demo?: boolean;
  /** Further core options (mode, attendant listener, devices …), see coreArgsFromEnv. */
  extra?: readonly string[];
}

/** Command-line arguments for the core entry bundle. */
export function buildCoreArgs({ db, port, profile, demo = false, extra = [] }: CoreArgsOptions): string[] {
  return ['--db', db, '--port', String(port), '--profile', profile, ...(demo ? ['--demo'] : []), ...extra];
}

/**
 * The terminal's own core options from the kiosk's environment (set by the systemd unit or the
 * provisioning): self-checkout mode, the attendant listener, the store peers' listener, device file, payment terminal.
 * Values that do not look right are left out (the core would refuse to start on them).
 */
export function coreArgsFromEnv(env: NodeJS.ProcessEnv): string[] {
  const args: string[] = [];
  if (env.KASSA_MODE === 'self') args.push('--mode', 'self');
  if (env.KASSA_SELF_CASH === '1') args.push('--self-cash');
  if (env.KASSA_ATTENDANT && /^[A-Za-z0-9.:[\]-]{1,260}:\d{1,5}$/.test(env.KASSA_ATTENDANT)) args.push('--attendant', env.KASSA_ATTENDANT);
  if (env.KASSA_ATTENDANT_PEERS && /^[A-Za-z0-9.-]{1,253}:\d{1,5}(,[A-Za-z0-9.-]{1,253}:\d{1,5}){0,31}$/.test(env.KASSA_ATTENDANT_PEERS)) args.push('--attendant-peers', env.KASSA_ATTENDANT_PEERS);
  // The store peers' listener, and the address HQ tells the other tills (who they are comes only from HQ's signed roster).
  if (env.KASSA_PEER_LISTEN && /^[A-Za-z0-9.:[\]-]{1,260}:\d{1,5}$/.test(env.KASSA_PEER_LISTEN)) args.push('--peer-listen', env.KASSA_PEER_LISTEN);
  if (env.KASSA_PEER_ADDRESS && /^[A-Za-z0-9.-]{1,253}:\d{1,5}$/.test(env.KASSA_PEER_ADDRESS)) args.push('--peer-address', env.KASSA_PEER_ADDRESS);
  if (env.KASSA_DEVICES && env.KASSA_DEVICES.startsWith('/')) args.push('--devices', env.KASSA_DEVICES);
  if (env.KASSA_ZVT && /^(tcp:[A-Za-z0-9.-]+:\d{1,5}|serial:\/dev\/[A-Za-z0-9_/-]+|simulated)$/.test(env.KASSA_ZVT)) args.push('--zvt', env.KASSA_ZVT);
  if (env.KASSA_LANE && /^[A-Za-z0-9][A-Za-z0-9-]{0,15}$/.test(env.KASSA_LANE)) args.push('--lane', env.KASSA_LANE);
  return args;
}

export { EXIT_BY_STORE_IT };
