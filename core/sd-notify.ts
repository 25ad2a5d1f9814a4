/**
 * systemd's notify protocol (sd_notify(3)) for the kiosk image's kassa-core.service (Type=notify,
 * image/rootfs/etc/systemd/system): READY=1 once the core serves (the moment /health says ok),
 * WATCHDOG=1 from a timer on the core's own event loop (so a wedged loop stops the pings and
 * systemd kills and restarts the core), STATUS= lines for what it is doing ("waiting for
 * provisioning", "provisioning: catalog 120000/500000", "selling"), STOPPING=1 when it shuts down.
 * Off when NOTIFY_SOCKET is not set (a core outside systemd, the Electron app, tests).
 *
 * Node has no unix datagram sockets and a native addon would need a compiler on every build, so
 * each message is sent by systemd's own `systemd-notify` (it is on any systemd system) spawned by
 * the core. systemd accepts a child's messages with NotifyAccess=all; `systemd-notify` waits until
 * systemd has read the message (its BARRIER=1), so the sender is still alive to be counted as the
 * service's. One child at a time: what comes meanwhile is merged into the next (the latest STATUS).
 *
 * Elapsed time is performance.now(), never the wall clock (core/clock.ts).
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export interface NotifyEnv {
  /** NOTIFY_SOCKET: the datagram socket systemd listens on. */
  socket: string;
  /** WATCHDOG_USEC in ms (for this process: WATCHDOG_PID, when set, is its pid); null: no watchdog. */
  watchdogMs: number | null;
}

/**
 * The notify settings systemd gave this process, taken out of `env` (as sd_notify's
 * unset_environment does) so processes the core starts do not speak for it; null without NOTIFY_SOCKET.
 */
export function takeNotifyEnv(env: NodeJS.ProcessEnv, pid = process.pid): NotifyEnv | null {
  const socket = env.NOTIFY_SOCKET;
  const usec = Number(env.WATCHDOG_USEC);
  const forPid = env.WATCHDOG_PID === undefined || Number(env.WATCHDOG_PID) === pid;
  delete env.NOTIFY_SOCKET;
  delete env.WATCHDOG_USEC;
  delete env.WATCHDOG_PID;
  if (!socket) return null;
  return { socket, watchdogMs: !forPid || !Number.isFinite(usec) || usec <= 0 ? null : usec / 1000 };
}

export interface NotifierOptions {
  log: (line: string) => void;
  /** The program that sends a message (default systemd-notify from PATH). */
  command?: string;
  /** A stall of the event loop at least this long is logged (ms, default 2 s). */
  stallLogMs?: number;
}

/** Sends the core's state to systemd; every method does nothing once stopped. */
export class SystemdNotifier {
  /** Assignments waiting to be sent (VARIABLE → value), in the order first set. */
  private pending = new Map<string, string>();
  private inFlight = false;
  private idle: Array<() => void> = [];
  private timer: NodeJS.Timeout | null = null;
  private status: (() => string) | null = null;
  private lastStatus = '';
  private lastPing = 0;
  private lastTick = 0;
  /** systemd-notify cannot run here: nothing more is tried. */
  private failed = false;
  private lastProblem = '';
  private stopped = false;

  constructor(
    private readonly env: NotifyEnv,
    private readonly o: NotifierOptions,
  ) {}

  /** How often the loop looks at the status and the watchdog (ms): half the watchdog time at most. */
  get tickMs(): number {
    return Math.max(50, Math.min(1_000, this.env.watchdogMs === null ? 1_000 : this.env.watchdogMs / 2));
  }

  /** Starts the timer: the watchdog pings (at half its time, as systemd asks) and STATUS when `status` says something new. */
  start(status: () => string): void {
    this.status = status;
    if (this.timer || this.stopped) return;
    this.lastTick = this.lastPing = performance.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** READY=1 with the status now: the core serves. */
  ready(): void {
    this.set(['READY', '1']);
    const text = this.status?.();
    if (text !== undefined && text !== this.lastStatus) this.say(text);
  }

  /** STATUS= now (before start, or a one-off). */
  say(text: string): void {
    this.lastStatus = text;
    this.set(['STATUS', text]);
  }

  /** STOPPING=1: no more pings; resolves once it is sent (or could not be, after `withinMs`). */
  async stopping(text = 'stopping', withinMs = 3_000): Promise<void> {
    if (this.stopped) return;
    this.set(['STOPPING', '1'], ['STATUS', text]);
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    let t: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((r) => (this.inFlight || this.pending.size ? this.idle.push(r) : r())), new Promise<void>((r) => (t = setTimeout(r, withinMs)))]);
    clearTimeout(t);
  }

  /** One turn of the loop: it runs, so the loop does — the watchdog ping when due, the status when it changed. */
  private tick(): void {
    const now = performance.now();
    const late = now - this.lastTick - this.tickMs;
    this.lastTick = now;
    if (late >= (this.o.stallLogMs ?? 2_000)) this.o.log(`the event loop was held for ${(late / 1000).toFixed(1)} s`);
    const text = this.status?.() ?? this.lastStatus;
    if (text !== this.lastStatus) this.say(text);
    if (this.env.watchdogMs !== null && now - this.lastPing >= this.env.watchdogMs / 2 - this.tickMs / 2) {
      this.lastPing = now;
      this.set(['WATCHDOG', '1']);
    }
  }

  private set(...assignments: Array<[string, string]>): void {
    if (this.stopped || this.failed) return;
    for (const [name, value] of assignments) this.pending.set(name, value.replace(/\n/g, ' ').slice(0, 200));
    this.flush();
  }

  private flush(): void {
    if (this.inFlight) return;
    if (!this.pending.size) {
      for (const r of this.idle.splice(0)) r();
      return;
    }
    const args = [...this.pending].map(([k, v]) => `${k}=${v}`);
    this.pending.clear();
    this.inFlight = true;
    const child = spawn(this.o.command ?? 'systemd-notify', args, { stdio: 'ignore', env: { ...process.env, NOTIFY_SOCKET: this.env.socket } });
    let done = false;
    const finish = (problem: string | null, lasting: boolean) => {
      if (done) return;
      done = true;
      this.inFlight = false;
      // Said once (not every 15 s); without the program at all nothing more is tried (a watchdog then restarts the core: the log says why).
      if (problem && problem !== this.lastProblem) this.o.log(`systemd notify: ${problem}${lasting ? '; no more messages to systemd' : ''}`);
      this.lastProblem = problem ?? '';
      if (lasting) {
        this.failed = true;
        this.pending.clear();
      }
      this.flush();
    };
    child.once('error', (err) => finish(`${this.o.command ?? 'systemd-notify'} could not run (${err.message})`, true));
    child.once('exit', (code, signal) => finish(code === 0 ? null : `${args[0]?.split('=')[0] ?? ''}… was not taken (${code ?? signal})`, false));
  }
}
