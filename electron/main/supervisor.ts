/**
 * Runs the core process, tells when it is ready, restarts it with backoff when it dies, and passes
 * on store IT's exit request (a line the core prints after verifying an IT PIN).
 * No Electron import here: the Electron spawner (utilityProcess) lives in spawn-utility.ts,
 * so this file also runs under plain Node (tests, headless).
 */
import { spawn } from 'node:child_process';
import { CORE_NODE_FLAGS } from '../../protocol/core-node-flags';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { CoreExitRequest, CoreReady, CoreState } from '../../protocol/terminal/process';
import {
  DEFAULT_BACKOFF,
  backoffDelay,
  buildCoreArgs,
  createLineSplitter,
  parseExitRequestLine,
  parseReadyLine,
  type BackoffOptions,
  type CoreProfile,
} from './supervisor-core';

/** A running core process, whatever started it. */
export interface CoreProcess {
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
  /** Asks the process to terminate (SIGTERM); `force` kills it outright where possible. */
  kill(force?: boolean): void;
  /** Called exactly once, when the process has ended (or could not be started). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
}

export type SpawnCore = (path: string, args: readonly string[], env: NodeJS.ProcessEnv) => CoreProcess;

/** Spawns the core with a Node binary through node:child_process (tests, development, headless). */
export function createChildProcessSpawner(nodePath: string = process.execPath): SpawnCore {
  return (path, args, env) => {
    const child = spawn(nodePath, [...CORE_NODE_FLAGS, path, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let exitListener: ((code: number | null, signal: NodeJS.Signals | null) => void) | null = null;
    let ended: [number | null, NodeJS.Signals | null] | null = null;
    const end = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (ended) return;
      ended = [code, signal];
      exitListener?.(code, signal);
    };
    child.once('exit', end);
    // A spawn failure (ENOENT…) may come without an 'exit' event.
    child.once('error', () => {
      if (child.pid === undefined) end(null, null);
    });
    return {
      stdout: child.stdout,
      stderr: child.stderr,
      kill: (force = false) => {
        child.kill(force ? 'SIGKILL' : 'SIGTERM');
      },
      onExit: (listener) => {
        exitListener = listener;
        if (ended) listener(...ended);
      },
    };
  };
}

export interface CoreSupervisorOptions {
  /** Path of the core entry bundle (dist/core/main.js). */
  corePath: string;
  /** SQLite database path. */
  db: string;
  profile: CoreProfile;
  /** Seed the demo catalog on first start. */
  demo?: boolean;
  /** Further core options (coreArgsFromEnv). */
  extraArgs?: readonly string[];
  spawn: SpawnCore;
  /** Base environment for the core; KASSA_TOKEN is added. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Per-launch API token; generated (32 random bytes, base64url) when omitted. */
  token?: string;
  backoff?: Partial<BackoffOptions>;
  /** How long stop() waits for a graceful exit before killing outright. */
  stopTimeoutMs?: number;
  /**
   * After this many restarts in a row without the core staying up, the state says 'failed'
   * (the screen tells the cashier to call store IT); restarts go on regardless. Default 5.
   */
  failedAfterAttempts?: number;
}

export interface CoreSupervisorEvents {
  ready: [ready: CoreReady];
  exit: [code: number | null, signal: NodeJS.Signals | null];
  log: [line: string];
  /**
   * Every change of the core's state, for the window: 'starting' on each start (attempt = restarts
   * so far), 'ready', 'restarting' after an unexpected exit with the backoff delay before the next
   * start, 'failed' instead of 'restarting' once the restarts keep failing. Not emitted by stop().
   */
  state: [state: CoreState];
  /** The ready core printed the exit line: store IT asked the kiosk to exit. */
  exitRequest: [request: CoreExitRequest];
}

interface Run {
  readonly child: CoreProcess;
  readonly exited: Promise<void>;
  ready: CoreReady | null;
  readyAt: number;
  done: boolean;
  exitRequested: boolean;
}

export class CoreSupervisor extends EventEmitter<CoreSupervisorEvents> {
  /**
   * The token every core started by this supervisor gets. It stays the same across restarts,
   * so a window created with it keeps working after the core comes back.
   */
  readonly token: string;
  private readonly backoff: BackoffOptions;
  private run: Run | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private attempt = 0;
  /** Port for the next start: the last ready port after a crash (so the window can just reload), else 0. */
  private nextPort = 0;
  private running = false;
  private lastState: CoreState = { state: 'starting', attempt: 0, retryInMs: null };

  constructor(private readonly options: CoreSupervisorOptions) {
    super();
    this.token = options.token ?? randomBytes(32).toString('base64url');
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  /** The ready message of the current core, or null while it is starting or down. */
  get current(): CoreReady | null {
    return this.run?.ready ?? null;
  }

  /** The last state emitted (a copy). */
  get state(): CoreState {
    return { ...this.lastState };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.attempt = 0;
    this.launch();
  }

  /** Stops the core and any pending restart; resolves once the core has exited (or was killed). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const run = this.run;
    if (!run || run.done) return;
    run.child.kill();
    const timeoutMs = this.options.stopTimeoutMs ?? 5_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      run.exited.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (timedOut) {
      this.emit('log', `core did not exit within ${timeoutMs} ms; killing it`);
      run.child.kill(true);
    }
  }

  private launch(): void {
    this.restartTimer = null;
    const { corePath, db, profile, demo } = this.options;
    const args = buildCoreArgs({ db, port: this.nextPort, profile, demo, extra: this.options.extraArgs ?? [] });
    const env = { ...(this.options.env ?? process.env), KASSA_TOKEN: this.token };
    let child: CoreProcess;
    try {
      child = this.options.spawn(corePath, args, env);
    } catch (error) {
      this.emit('log', `core could not be started: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleRestart();
      return;
    }
    let markExited = (): void => {};
    const run: Run = { child, exited: new Promise((resolve) => (markExited = resolve)), ready: null, readyAt: 0, done: false, exitRequested: false };
    this.run = run;
    this.setState({ state: 'starting', attempt: this.attempt, retryInMs: null });

    this.readLines(child.stdout, (line) => {
      if (run.done) return this.emit('log', line);
      if (run.ready === null) {
        const ready = parseReadyLine(line, this.token);
        if (ready === null) return this.emit('log', line);
        run.ready = ready;
        run.readyAt = performance.now();
        this.nextPort = ready.port;
        this.setState({ state: 'ready', attempt: this.attempt, retryInMs: null });
        this.emit('ready', ready);
        return;
      }
      // Only a ready core verifies PINs, so only a ready core's exit line counts; once per run.
      const exit = run.exitRequested ? null : parseExitRequestLine(line);
      if (exit === null) return this.emit('log', line);
      run.exitRequested = true;
      this.emit('exitRequest', exit);
    });
    this.readLines(child.stderr, (line) => this.emit('log', line));

    child.onExit((code, signal) => {
      run.done = true;
      markExited();
      if (this.run === run) this.run = null;
      this.emit('exit', code, signal);
      if (!this.running) return;
      if (!run.ready) this.nextPort = 0; // maybe the port was taken: let the OS pick next time
      else if (performance.now() - run.readyAt >= this.backoff.resetAfterMs) this.attempt = 0;
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    if (!this.running) return;
    const delay = backoffDelay(this.attempt++, this.backoff);
    this.emit('log', `core restarts in ${delay} ms`);
    const failed = this.attempt >= (this.options.failedAfterAttempts ?? 5);
    this.setState({ state: failed ? 'failed' : 'restarting', attempt: this.attempt, retryInMs: delay });
    this.restartTimer = setTimeout(() => this.launch(), delay);
  }

  private setState(state: CoreState): void {
    this.lastState = state;
    this.emit('state', { ...state });
  }

  private readLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
    if (!stream) return;
    const splitter = createLineSplitter(onLine);
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => splitter.push(chunk));
    stream.on('end', () => splitter.flush());
    stream.on('error', (error: Error) => this.emit('log', `core output stream error: ${error.message}`));
  }
}
