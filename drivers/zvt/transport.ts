/**
 * ZVT transports. TCP carries bare APDUs (junk before the first APDU of a connection is skipped);
 * a serial line carries DLE STX frames answered with ACK/NAK, retransmitted up to three times.
 * Both reconnect with backoff and report faults as events.
 */
import { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { decodeApdu, encodeApdu, type Apdu } from './apdu';
import { ACK, frame, NAK, SerialFramer } from './serial-frame';
import type { DeviceDriver, DriverState, DriverStateChange } from '../contract';
import { SerialLink } from '../serial/link';
import { Retry } from '../../common/backoff';

export interface ZvtTransportEvents {
  apdu: [Apdu];
  state: [DriverStateChange];
  warning: [string];
}

/** The payment terminal's link: a device driver (drivers/contract.ts) that carries APDUs. */
export interface ZvtTransport extends EventEmitter<ZvtTransportEvents> {
  readonly state: DriverState;
  readonly reason: string;
  start(): Promise<void>;
  /** Sends one APDU; rejects if it could not be delivered (link down, no ACK on serial). */
  send(a: Apdu): Promise<void>;
  stop(): Promise<void>;
}

const CLASSES = new Set([0x80, 0x84, 0x04, 0x06, 0x05, 0x08]);

/** Cuts APDUs out of a TCP byte stream. */
export class ApduStream {
  private buf = new Uint8Array(0);
  private synced = false;
  push(chunk: Uint8Array): { apdus: Apdu[]; skipped: number } {
    const joined = new Uint8Array(this.buf.length + chunk.length);
    joined.set(this.buf);
    joined.set(chunk, this.buf.length);
    let at = 0;
    let skipped = 0;
    const apdus: Apdu[] = [];
    for (;;) {
      if (!this.synced) {
        // Before the first APDU: skip until a known class byte starts a plausible APDU.
        while (at < joined.length && !CLASSES.has(joined[at]!)) {
          at++;
          skipped++;
        }
      }
      const r = decodeApdu(joined.subarray(at));
      if (r === 'incomplete') break;
      this.synced = true;
      apdus.push(r.apdu);
      at += r.size;
    }
    this.buf = joined.slice(at);
    if (this.buf.length > 70_000) {
      this.buf = new Uint8Array(0);
      this.synced = false;
    }
    return { apdus, skipped };
  }
}

export class TcpZvtTransport extends EventEmitter<ZvtTransportEvents> implements ZvtTransport, DeviceDriver {
  private socket: Socket | null = null;
  private stopped = true;
  private readonly retry: Retry;
  state: DriverState = 'offline';
  reason = 'not connected yet';

  constructor(private readonly opts: { host: string; port: number }) {
    super();
    this.retry = new Retry(() => this.connect(), 200, 5_000);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await new Promise<void>((res) => {
      this.connect(res);
    });
  }

  private set(state: DriverState, reason: string): void {
    if (state === this.state) return;
    this.state = state;
    this.reason = reason;
    this.emit('state', { state, reason });
  }

  private connect(first?: () => void): void {
    if (this.stopped) return first?.();
    const sock = new Socket();
    this.socket = sock;
    const stream = new ApduStream();
    sock.setNoDelay(true);
    sock.once('connect', () => {
      this.retry.reset();
      this.set('online', 'connected');
      first?.();
    });
    sock.on('data', (d) => {
      const { apdus, skipped } = stream.push(d);
      if (skipped) this.emit('warning', `${skipped} stray byte(s) before the first APDU skipped`);
      for (const a of apdus) this.emit('apdu', a);
    });
    sock.on('error', () => {});
    sock.on('close', () => {
      if (this.socket === sock) this.socket = null;
      this.set('offline', 'connection closed');
      first?.();
      first = undefined;
      if (!this.stopped) this.retry.schedule();
    });
    sock.connect(this.opts.port, this.opts.host);
  }

  send(a: Apdu): Promise<void> {
    const sock = this.socket;
    if (!sock || sock.destroyed || this.state !== 'online') return Promise.reject(new Error('payment terminal not connected'));
    return new Promise((res, rej) => sock.write(encodeApdu(a), (err) => (err ? rej(err) : res())));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.retry.cancel();
    this.socket?.destroy();
    this.socket = null;
  }
}

export class SerialZvtTransport extends EventEmitter<ZvtTransportEvents> implements ZvtTransport, DeviceDriver {
  private readonly link: SerialLink;
  private framer = new SerialFramer();
  private ackWaiter: ((ok: boolean) => void) | null = null;
  private sending: Promise<void> = Promise.resolve();

  constructor(private readonly opts: { path: string; baudRate?: number; parity?: 'none' | 'even' | 'odd'; stopBits?: 1 | 2; ackTimeoutMs?: number }) {
    super();
    this.link = new SerialLink({ path: opts.path, baudRate: opts.baudRate ?? 9600, dataBits: 8, parity: opts.parity ?? 'none', stopBits: opts.stopBits ?? 2 });
    this.link.on('data', (d) => this.onData(d));
    this.link.on('state', (state, reason) => {
      this.framer = new SerialFramer();
      this.emit('state', { state, reason });
    });
    this.link.on('warning', (w) => this.emit('warning', w));
  }

  get state(): DriverState {
    return this.link.state;
  }
  get reason(): string {
    return this.link.reason;
  }

  async start(): Promise<void> {
    await this.link.start();
  }

  private onData(d: Buffer): void {
    for (const ev of this.framer.push(d)) {
      if (ev.kind === 'ack' || ev.kind === 'nak') {
        const w = this.ackWaiter;
        this.ackWaiter = null;
        w?.(ev.kind === 'ack');
      } else if (ev.kind === 'frame') {
        this.link.write([ACK]);
        const r = decodeApdu(ev.apdu);
        if (r === 'incomplete' || r.size !== ev.apdu.length) this.emit('warning', 'a frame held a malformed APDU; ignored');
        else this.emit('apdu', r.apdu);
      } else if (ev.kind === 'badFrame') {
        this.link.write([NAK]);
        this.emit('warning', `bad frame from the terminal (${ev.reason}); asked for it again`);
      } else this.emit('warning', `${ev.bytes} stray byte(s) from the terminal ignored`);
    }
  }

  send(a: Apdu): Promise<void> {
    const run = this.sending.then(() => this.sendNow(a));
    this.sending = run.catch(() => {});
    return run;
  }

  private async sendNow(a: Apdu): Promise<void> {
    const bytes = frame(encodeApdu(a));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const acked = new Promise<boolean>((res) => {
        const t = setTimeout(() => {
          if (this.ackWaiter === done) this.ackWaiter = null;
          res(false);
        }, this.opts.ackTimeoutMs ?? 1_000);
        const done = (ok: boolean) => {
          clearTimeout(t);
          res(ok);
        };
        this.ackWaiter = done;
      });
      if (!this.link.write(bytes)) {
        this.ackWaiter = null;
        throw new Error('payment terminal line is down');
      }
      if (await acked) return;
    }
    throw new Error('the payment terminal did not acknowledge the frame (3 tries)');
  }

  async stop(): Promise<void> {
    this.ackWaiter?.(false);
    await this.link.stop();
  }
}
