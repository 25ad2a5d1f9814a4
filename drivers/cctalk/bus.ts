/**
 * The host end of a ccTalk bus on a serial line (drivers/serial/link.ts: reconnects with the
 * project's backoff). One request at a time: a frame to one device address, then its reply within
 * the timeout. Frames not addressed to the host (a half-duplex line echoes the host's own bytes)
 * are skipped; a frame with a bad checksum or line noise is dropped, counted and reported as a
 * warning in words — the request it belonged to times out and the caller asks again (polls are
 * harmless to repeat; a payout never is, see payout.ts). ccTalk replies carry no sequence number,
 * so after a timeout the line is left quiet for a moment and whatever arrives late is dropped:
 * a late answer is never taken for the answer to the next request.
 */
import { EventEmitter } from 'node:events';
import type { DriverState } from '../contract';
import { SerialLink, type SerialLinkOptions } from '../serial/link';
import { CCTALK_SERIAL, CcTalkFramer, encodeFrame, H, HOST_ADDRESS, type Frame } from './protocol';

const QUIET_AFTER_TIMEOUT_MS = 150;

export type Reply = { ok: true; data: Uint8Array } | { ok: false; reason: 'nak' | 'timeout' | 'offline' };

export interface CcTalkBusOptions {
  path: string;
  serial?: Partial<Pick<SerialLinkOptions, 'baudRate' | 'minBackoffMs' | 'maxBackoffMs'>>;
  /** How long a device may take to answer (ms). */
  replyTimeoutMs?: number;
}

export class CcTalkBus extends EventEmitter<{ state: [DriverState, string]; warning: [string] }> {
  private readonly link: SerialLink;
  private readonly framer = new CcTalkFramer();
  private waiter: { dest: number; done: (f: Frame | null) => void } | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** After a timeout: no request before then (late replies are drained). */
  private quietUntil = 0;
  /** Frames dropped for a bad checksum and bytes of line noise, since start. */
  get badChecksums(): number {
    return this.framer.badChecksums;
  }
  get noiseBytes(): number {
    return this.framer.noiseBytes;
  }

  constructor(private readonly opts: CcTalkBusOptions) {
    super();
    this.link = new SerialLink({ path: opts.path, ...CCTALK_SERIAL, ...opts.serial });
    this.link.on('data', (d) => this.onData(d));
    this.link.on('warning', (w) => this.emit('warning', `cash device port: ${w}`));
    this.link.on('state', (st, why) => {
      this.framer.reset();
      if (st === 'offline') this.waiter?.done(null);
      this.emit('state', st, why);
    });
  }

  get lineState(): DriverState {
    return this.link.state;
  }
  get lineReason(): string {
    return this.link.reason;
  }

  start(): Promise<unknown> {
    return this.link.start();
  }

  async stop(): Promise<void> {
    this.waiter?.done(null);
    await this.link.stop();
  }

  private onData(d: Buffer): void {
    for (const e of this.framer.push(d)) {
      if (e.kind === 'badChecksum') {
        this.emit('warning', `ccTalk: a frame with a bad checksum was dropped (${this.framer.badChecksums} so far)`);
        continue;
      }
      if (e.kind === 'noise') {
        this.emit('warning', `ccTalk: ${e.bytes} byte(s) of line noise dropped`);
        continue;
      }
      const f = e.frame;
      if (f.dest !== HOST_ADDRESS) continue; // our own request echoed, or traffic for another device
      const w = this.waiter;
      if (w && f.src === w.dest) w.done(f);
      else this.emit('warning', `ccTalk: a late or unexpected answer from address ${f.src} was dropped`);
    }
  }

  /** Sends one command and waits for its reply; never throws. */
  request(dest: number, header: number, data: ArrayLike<number> = [], timeoutMs = this.opts.replyTimeoutMs ?? 300): Promise<Reply> {
    const run = this.queue.then(() => this.exchange(dest, header, data, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async exchange(dest: number, header: number, data: ArrayLike<number>, timeoutMs: number): Promise<Reply> {
    const wait = this.quietUntil - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    return new Promise<Reply>((resolve) => {
      // Bytes left from before (noise, or a late part of an answer) belong to no request now.
      const stray = this.framer.reset();
      if (stray) this.emit('warning', `ccTalk: ${stray} byte(s) of line noise dropped`);
      let timer: NodeJS.Timeout | null = null;
      const done = (f: Frame | null) => {
        if (timer) clearTimeout(timer);
        if (this.waiter?.done === done) this.waiter = null;
        if (!f) {
          this.quietUntil = performance.now() + QUIET_AFTER_TIMEOUT_MS;
          return resolve({ ok: false, reason: this.link.state === 'online' ? 'timeout' : 'offline' });
        }
        resolve(f.header === H.nak ? { ok: false, reason: 'nak' } : { ok: true, data: f.data });
      };
      if (!this.link.write(encodeFrame({ dest, src: HOST_ADDRESS, header, data }))) return resolve({ ok: false, reason: 'offline' });
      this.waiter = { dest, done };
      timer = setTimeout(() => done(null), timeoutMs);
    });
  }
}
