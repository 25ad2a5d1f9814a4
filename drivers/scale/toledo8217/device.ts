/**
 * A Toledo 8217 scale on a serial port: polls the weight, keeps the latest reading with its time,
 * reports faults as state (no reply → offline), and ignores garbage with a warning.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DriverState, DriverStateChange } from '../../contract';
import { SerialLink } from '../../serial/link';
import { ReplyFramer, SERIAL_OPTIONS, WEIGHT_REQUEST, type ScaleReply } from './protocol';

export interface ScaleReading {
  reply: ScaleReply;
  /** When it arrived: performance.now() milliseconds (elapsed time, not the wall clock). */
  at: number;
}

export interface ScaleEvents {
  reading: [ScaleReading];
  state: [DriverStateChange];
  warning: [string];
}

export class ToledoScale extends EventEmitter<ScaleEvents> implements DeviceDriver {
  private link: SerialLink;
  private framer = new ReplyFramer();
  private timer: NodeJS.Timeout | null = null;
  private lastReplyAt = 0;
  private online = false;

  /** Answering polls (a reply within five poll intervals). */
  isOnline(): boolean {
    return this.online;
  }
  latest: ScaleReading | null = null;

  /** Online while it answers polls. */
  get state(): DriverState {
    return this.online ? 'online' : 'offline';
  }

  constructor(
    private readonly path: string,
    private readonly pollMs = 150,
  ) {
    super();
    this.link = new SerialLink({ path: this.path, ...SERIAL_OPTIONS });
    this.link.on('data', (d) => this.onData(d));
    this.link.on('warning', (w) => this.emit('warning', `scale port: ${w}`));
    this.link.on('state', (st) => {
      this.framer = new ReplyFramer();
      if (st === 'offline' && this.online) {
        this.online = false;
        this.changed();
      }
    });
  }

  private changed(): void {
    this.emit('state', { state: this.state, reason: this.reason });
  }

  /** Why the scale is offline, for store IT. */
  get reason(): string {
    return this.link.state === 'offline' ? this.link.reason : this.online ? 'answering' : 'not answering weight requests';
  }

  /** Opens the line (retrying in the background if the scale is not there) and starts polling. */
  async start(): Promise<void> {
    await this.link.start();
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.poll();
  }

  private poll(): void {
    if (this.online && performance.now() - this.lastReplyAt > this.pollMs * 5) {
      this.online = false;
      this.changed();
    }
    this.link.write(WEIGHT_REQUEST);
  }

  private onData(d: Buffer): void {
    let garbage = 0;
    for (const ev of this.framer.push(d)) {
      if ('garbage' in ev) {
        garbage++;
        continue;
      }
      this.lastReplyAt = performance.now();
      if (!this.online) {
        this.online = true;
        this.changed();
      }
      if (ev.reply.kind === 'invalid') this.emit('warning', `scale: ${ev.reply.reason}`);
      this.latest = { reply: ev.reply, at: this.lastReplyAt };
      this.emit('reading', this.latest);
    }
    if (garbage) this.emit('warning', `scale: ${garbage} stray byte(s) ignored`);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.link.stop();
  }
}
