/**
 * ESC/POS receipt printer over TCP (raw port 9100) or the Linux USB printer device file
 * (/dev/usb/lp*): connection with reconnect and backoff, real-time status polling (DLE EOT 1, 2,
 * 4), and printing a job: its bytes, then the printer's confirmation that it printed them (the
 * process ID response to GS ( H, or where the printer lacks it a status reply received after the
 * job went out). A fault is a status event, never an exception that reaches a sale.
 * Reachability is the drivers' `state` event (drivers/contract.ts); `status` carries more: paper,
 * cover, drawer pin and errors as the printer reports them — only once a complete reading came
 * twice in a row (./status-filter.ts); a port sending garbage is "unreadable" (offline for the
 * contract, with the reason), never paper out. Events are coalesced (a few a second at most) and
 * bad bytes logged a few a minute, then counted (common/rate-limit.ts).
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { Retry } from '../../common/backoff';
import { Coalescer, RateLimitedLog, type Elapsed } from '../../common/rate-limit';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { DeviceFileStream } from './device-file';
import { applyDleEot, blockingFault, DLE_EOT, processIdRequest, StatusStreamParser, UNKNOWN_STATUS, type PrinterStatus } from './status';
import { StatusFilter, type StatusFilterOptions, type Verdict } from './status-filter';

export interface PrinterOptions {
  /** TCP printer: host and port. */
  host?: string;
  port?: number;
  /** USB printer class device file, e.g. /dev/usb/lp0 (instead of host/port). */
  path?: string;
  /** Status polling interval; paper-out is seen within about this long. */
  pollMs?: number;
  /** Replies missing for this long: the printer is treated as unreachable. */
  silenceMs?: number;
  /**
   * How the printer confirms a job printed: 'processId' (GS ( H; the default), or 'status' for a
   * printer without it: the first status round asked after the job's last byte went out that
   * shows nothing blocking printing.
   */
  confirm?: 'processId' | 'status';
  /** When a port counts as unreadable (a burst of bytes that are no status reply). */
  garbage?: StatusFilterOptions;
  /** Status and state events are passed on at most once per this long (default 250 ms). */
  coalesceMs?: number;
  /** Bad bytes are logged singly this many times per window, then counted (default 5 a minute). */
  badByteLog?: { max: number; windowMs: number };
  /** Elapsed milliseconds (performance.now() by default). */
  elapsed?: Elapsed;
}

/** Healthy status rounds a process-ID request may go unanswered before the printer is taken to lack GS ( H. */
const PROCESS_ID_GIVE_UP = 20;

/** A job the printer has not confirmed yet. */
interface Unconfirmed {
  /** The process ID asked for, or null: confirmed by a status round numbered above `afterRound`. */
  id: string | null;
  afterRound: number;
  resolve: () => void;
  reject: (err: Error) => void;
}

/** Nothing of the job went out: the printer was not reachable when it was to be sent. */
export class PrinterNotReached extends Error {
  constructor() {
    super('printer not connected');
    this.name = 'PrinterNotReached';
  }
}

/**
 * Not connected (and why), or what the printer reports. `unreadable`: the link is up but what
 * comes back is garbage (not a printer, a wrong port, a garbling line); nothing is sent to it.
 */
export type PrinterState = { connected: false; reason: string; unreadable?: true } | ({ connected: true } & PrinterStatus);

export interface PrinterEvents {
  state: [DriverStateChange];
  status: [PrinterState];
  warning: [string];
}

export class EscPosPrinter extends EventEmitter<PrinterEvents> implements DeviceDriver {
  private socket: Socket | DeviceFileStream | null = null;
  private parser = new StatusStreamParser();
  private pendingPolls: Array<1 | 2 | 4> = [];
  /** The polling round being read (DLE EOT 1, 2, 4 in order), null when none is under way. */
  private round: PrinterStatus | null = null;
  private readonly filter: StatusFilter;
  private readonly events: Coalescer<PrinterState>;
  private readonly badBytes: RateLimitedLog;
  private readonly elapsed: Elapsed;
  /** The link as listeners last heard it (offline before the first status). */
  private emittedLink = false;
  private pollTimer: NodeJS.Timeout | null = null;
  private readonly retry = new Retry(() => this.connect(), 200, 5_000);
  private lastReply = 0;
  private lastPoll = 0;
  private stopped = false;
  private unconfirmed: Unconfirmed[] = [];
  private nextProcessId = 0;
  /** The printer left a process-ID request unanswered through PROCESS_ID_GIVE_UP healthy status rounds: it lacks GS ( H. */
  private noProcessId = false;
  /** Status rounds (DLE EOT 1, 2, 4) asked, and answered, on this connection. */
  private roundsAsked = 0;
  private roundsAnswered = 0;
  /** What the printer last reported (or why it is not connected). */
  status: PrinterState = { connected: false, reason: 'not connected yet' };

  constructor(private readonly opts: PrinterOptions) {
    super();
    this.elapsed = opts.elapsed ?? (() => performance.now());
    this.filter = new StatusFilter(opts.garbage);
    this.events = new Coalescer((s) => this.announce(s), opts.coalesceMs ?? 250, (a, b) => JSON.stringify(a) === JSON.stringify(b));
    const limit = opts.badByteLog ?? { max: 5, windowMs: 60_000 };
    this.badBytes = new RateLimitedLog((line) => this.emit('warning', line), { ...limit, what: 'bad bytes from the printer', elapsed: this.elapsed });
  }

  get state(): DriverState {
    return this.status.connected ? 'online' : 'offline';
  }
  get reason(): string {
    return this.status.connected ? 'connected' : this.status.reason;
  }

  /** Connects in the background (retrying with backoff) and resolves at once. */
  async start(): Promise<void> {
    this.stopped = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.failUnconfirmed('the printer was let go before it confirmed the job');
    if (this.pollTimer) clearInterval(this.pollTimer);
    this.retry.cancel();
    this.events.cancel();
    this.badBytes.stop();
    this.socket?.destroy();
    this.socket = null;
  }

  /** Connected and nothing blocks printing. */
  ready(): boolean {
    return this.socket !== null && !this.socket.destroyed && this.status.connected && blockingFault(this.status) === null;
  }

  /** Takes the state at once (ready(), write()); tells listeners coalesced, so a flapping port cannot flood them. */
  private setState(s: PrinterState): void {
    if (JSON.stringify(s) === JSON.stringify(this.status)) return;
    this.status = s;
    this.events.push(s);
  }

  private announce(s: PrinterState): void {
    if (s.connected !== this.emittedLink) {
      this.emittedLink = s.connected;
      this.emit('state', { state: s.connected ? 'online' : 'offline', reason: s.connected ? 'connected' : s.reason });
    }
    this.emit('status', s);
  }

  private connect(): void {
    if (this.stopped) return;
    const sock = this.opts.path ? new DeviceFileStream(this.opts.path) : new Socket();
    this.socket = sock;
    if (sock instanceof Socket) sock.setNoDelay(true);
    sock.once('connect', () => {
      this.retry.reset();
      this.parser = new StatusStreamParser();
      this.filter.reset();
      this.pendingPolls = [];
      this.round = null;
      this.roundsAsked = 0;
      this.roundsAnswered = 0;
      this.lastReply = this.elapsed();
      this.lastPoll = this.lastReply;
      this.poll();
      this.pollTimer = setInterval(() => this.poll(), this.opts.pollMs ?? 200);
    });
    sock.on('data', (d) => this.onData(d));
    sock.on('error', () => {});
    sock.on('close', () => {
      if (this.pollTimer) clearInterval(this.pollTimer);
      this.pollTimer = null;
      if (this.socket === sock) this.socket = null;
      this.failUnconfirmed('connection closed before the printer confirmed the job');
      if (this.stopped) return; // stopping is not a fault to report
      this.setState({ connected: false, reason: 'connection closed' });
      this.retry.schedule();
    });
    if (sock instanceof Socket) sock.connect(this.opts.port ?? 9100, this.opts.host ?? '127.0.0.1');
    else sock.connect();
  }

  private poll(): void {
    const sock = this.socket;
    if (!sock || sock.destroyed) return;
    const now = this.elapsed();
    // A tick far later than due means this process was stalled (a long disk flush, a busy machine):
    // the printer's replies may be waiting unread, so silence is judged on the next tick, not this one.
    const stalled = now - this.lastPoll > 3 * (this.opts.pollMs ?? 200);
    this.lastPoll = now;
    if (!stalled && now - this.lastReply > (this.opts.silenceMs ?? 2_000)) {
      this.emit('warning', 'printer stopped answering status requests; reconnecting');
      sock.destroy();
      return;
    }
    if (this.pendingPolls.length > 6) return; // replies are late; do not pile up requests
    this.roundsAsked++;
    for (const n of [1, 2, 4] as const) {
      this.pendingPolls.push(n);
      sock.write(DLE_EOT(n));
    }
  }

  /**
   * Reads what the printer sent. Any byte shows the line is alive (a port sending garbage is
   * unreadable, not silent). Garbage breaks the polling round under way and drops the requests
   * still waiting for replies (the next round starts clean); only complete readings go to the filter.
   */
  private onData(d: Buffer): void {
    const now = this.elapsed();
    this.lastReply = now;
    for (const ev of this.parser.push(d)) {
      if (ev.type === 'garbage') {
        this.badBytes.log(`unexpected byte 0x${ev.byte.toString(16)} from the printer ignored`);
        this.round = null;
        this.pendingPolls = [];
        this.judge(this.filter.garbage(ev.byte, now));
        continue;
      }
      if (ev.type === 'processId') {
        this.confirm((u) => u.id === ev.id);
        continue;
      }
      if (ev.type === 'asb') {
        this.judge(this.filter.reading(ev.status, now));
        continue;
      }
      const n = this.pendingPolls.shift();
      if (!n) continue;
      if (n === 1) this.round = { ...UNKNOWN_STATUS, online: true };
      if (!this.round) continue;
      this.round = applyDleEot(this.round, n, ev.byte);
      if (n !== 4) continue;
      const reading = this.round;
      this.round = null;
      this.roundsAnswered++;
      this.judge(this.filter.reading(reading, now));
      if (blockingFault(reading) === null) this.confirmByStatus();
    }
  }

  /**
   * A complete status round showing nothing that blocks printing confirms the jobs that wait for
   * one asked after their last byte. A printer configured for GS ( H that lacks it would hold every
   * receipt back for ever: healthy rounds without a process ID — confirm by status from now on.
   */
  private confirmByStatus(): void {
    if (!this.noProcessId && this.unconfirmed.some((u) => u.id !== null && this.roundsAnswered - u.afterRound >= PROCESS_ID_GIVE_UP)) {
      this.noProcessId = true;
      this.emit('warning', `the printer did not answer the process-ID request (GS ( H) in ${PROCESS_ID_GIVE_UP} status rounds: jobs are confirmed by its status from now on (set "confirm": "status" for this printer)`);
      for (const u of this.unconfirmed) u.id = null;
    }
    this.confirm((u) => u.id === null && this.roundsAnswered > u.afterRound);
  }

  /** Settles the unconfirmed jobs the printer just confirmed. */
  private confirm(which: (u: Unconfirmed) => boolean): void {
    const done = this.unconfirmed.filter(which);
    if (done.length === 0) return;
    this.unconfirmed = this.unconfirmed.filter((u) => !which(u));
    for (const u of done) u.resolve();
  }

  private failUnconfirmed(why: string): void {
    const lost = this.unconfirmed;
    this.unconfirmed = [];
    for (const u of lost) u.reject(new Error(why));
  }

  private judge(v: Verdict | null): void {
    if (!v) return;
    if (v.kind === 'unreadable') {
      this.setState({ connected: false, unreadable: true, reason: v.reason });
      return;
    }
    if (!this.status.connected && this.status.unreadable) this.badBytes.flush();
    this.setState({ connected: true, ...v.status });
  }

  /**
   * Kicks the cash drawer now with the real-time pulse DLE DC4 1 m t (pin 2, 500 ms), which the
   * printer carries out even while paper is out or a job is held; false if the printer is unreachable.
   */
  pulseDrawer(pin: 2 | 5 = 2): boolean {
    const sock = this.socket;
    if (!sock || sock.destroyed || !this.status.connected) return false;
    sock.write(Uint8Array.of(0x10, 0x14, 0x01, pin === 2 ? 0x00 : 0x01, 0x05));
    return true;
  }

  /**
   * Prints a job: writes its bytes and resolves once the printer confirmed it printed them (never
   * merely because they were handed to the network: a crash or a dropped link in between must
   * leave the job in doubt, not printed). Rejects with PrinterNotReached when the link is down
   * before any byte went out (the job can wait and go again), with another error when the link
   * dropped before the printer confirmed (some or all of the job may have printed). A printer that
   * takes the bytes and never confirms leaves the promise pending.
   */
  write(bytes: Uint8Array): Promise<void> {
    const sock = this.socket;
    if (!sock || sock.destroyed || !this.status.connected) return Promise.reject(new PrinterNotReached());
    const id = this.opts.confirm === 'status' || this.noProcessId ? null : String(this.nextProcessId++ % 10_000).padStart(4, '0');
    return new Promise((resolve, reject) => {
      // Awaited from before the first byte (a fast printer may answer before the write callback);
      // by status, only a round asked after the last byte went out says anything about this job.
      const u: Unconfirmed = { id, afterRound: Infinity, resolve, reject };
      this.unconfirmed.push(u);
      sock.write(id === null ? bytes : Buffer.concat([bytes, processIdRequest(id)]), (err) => {
        if (err) {
          this.unconfirmed = this.unconfirmed.filter((x) => x !== u);
          reject(err);
        } else u.afterRound = this.roundsAsked;
      });
    });
  }
}
