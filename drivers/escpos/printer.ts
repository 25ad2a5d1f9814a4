/**
 * ESC/POS receipt printer over TCP (raw port 9100) or the Linux USB printer device file
 * (/dev/usb/lp*): connection with reconnect and backoff, real-time status polling (DLE EOT 1, 2,
 * 4), and printing a job: its bytes, then the printer's confirmation that it printed them (the
 * process ID response to GS ( H, or where the printer lacks it a status reply received after the
 * job went out). A fault is a status event, never an exception that reaches a sale.
 * Reachability is the drivers' `state` event (drivers/contract.ts); `status` carries more: paper,
 * cover, drawer pin and errors as the printer reports them.
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { Retry } from '../../common/backoff';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { DeviceFileStream } from './device-file';
import { applyDleEot, blockingFault, DLE_EOT, processIdRequest, StatusStreamParser, UNKNOWN_STATUS, type PrinterStatus } from './status';

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

export type PrinterState = { connected: false; reason: string } | ({ connected: true } & PrinterStatus);

export interface PrinterEvents {
  state: [DriverStateChange];
  status: [PrinterState];
  warning: [string];
}

export class EscPosPrinter extends EventEmitter<PrinterEvents> implements DeviceDriver {
  private socket: Socket | DeviceFileStream | null = null;
  private parser = new StatusStreamParser();
  private pendingPolls: Array<1 | 2 | 4> = [];
  private round: PrinterStatus = { ...UNKNOWN_STATUS, online: true };
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
    this.socket?.destroy();
    this.socket = null;
  }

  /** Connected and nothing blocks printing. */
  ready(): boolean {
    return this.socket !== null && !this.socket.destroyed && this.status.connected && blockingFault(this.status) === null;
  }

  private setState(s: PrinterState): void {
    const changed = JSON.stringify(s) !== JSON.stringify(this.status);
    const linkChanged = s.connected !== this.status.connected;
    this.status = s;
    if (linkChanged) this.emit('state', { state: this.state, reason: this.reason });
    if (changed) this.emit('status', s);
  }

  private connect(): void {
    if (this.stopped) return;
    const sock = this.opts.path ? new DeviceFileStream(this.opts.path) : new Socket();
    this.socket = sock;
    if (sock instanceof Socket) sock.setNoDelay(true);
    sock.once('connect', () => {
      this.retry.reset();
      this.parser = new StatusStreamParser();
      this.pendingPolls = [];
      this.roundsAsked = 0;
      this.roundsAnswered = 0;
      this.lastReply = performance.now();
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
    const now = performance.now();
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

  private onData(d: Buffer): void {
    for (const ev of this.parser.push(d)) {
      if (ev.type === 'garbage') {
        this.emit('warning', `unexpected byte 0x${ev.byte.toString(16)} from the printer ignored`);
        continue;
      }
      this.lastReply = performance.now();
      if (ev.type === 'processId') {
        this.confirm((u) => u.id === ev.id);
        continue;
      }
      if (ev.type === 'asb') {
        this.setState({ connected: true, ...ev.status });
        continue;
      }
      const n = this.pendingPolls.shift();
      if (!n) continue;
      this.round = applyDleEot(n === 1 ? { ...UNKNOWN_STATUS, online: true } : this.round, n, ev.byte);
      if (n === 4) {
        this.roundsAnswered++;
        this.setState({ connected: true, ...this.round });
        if (blockingFault(this.round) === null) {
          // A printer configured for GS ( H that lacks it would hold every receipt back for ever:
          // answered status rounds without a fault and still no process ID — confirm by status from now on.
          if (!this.noProcessId && this.unconfirmed.some((u) => u.id !== null && this.roundsAnswered - u.afterRound >= PROCESS_ID_GIVE_UP)) {
            this.noProcessId = true;
            this.emit('warning', `the printer did not answer the process-ID request (GS ( H) in ${PROCESS_ID_GIVE_UP} status rounds: jobs are confirmed by its status from now on (set "confirm": "status" for this printer)`);
            for (const u of this.unconfirmed) u.id = null;
          }
          this.confirm((u) => u.id === null && this.roundsAnswered > u.afterRound);
        }
      }
    }
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
