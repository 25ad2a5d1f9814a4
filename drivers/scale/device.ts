/**
 * A Toledo 8217 scale on a serial port: polls the weight, keeps the latest reading with its time,
 * reports faults as state (no reply → offline), and ignores garbage with a warning.
 */
import { EventEmitter } from 'node:events';
import { SerialPort } from 'serialport';
import { ReplyFramer, SERIAL_OPTIONS, WEIGHT_REQUEST, type ScaleReply } from './toledo8217';

export interface ScaleReading {
  reply: ScaleReply;
  at: number;
}

export interface ScaleEvents {
  reading: [ScaleReading];
  state: ['online' | 'offline'];
  warning: [string];
}

export class ToledoScale extends EventEmitter<ScaleEvents> {
  private port: SerialPort | null = null;
  private framer = new ReplyFramer();
  private timer: NodeJS.Timeout | null = null;
  private lastReplyAt = 0;
  private online = false;

  /** Answering polls (a reply within five poll intervals). */
  isOnline(): boolean {
    return this.online;
  }
  latest: ScaleReading | null = null;

  constructor(
    private readonly path: string,
    private readonly pollMs = 150,
  ) {
    super();
  }

  async start(): Promise<void> {
    this.port = new SerialPort({ path: this.path, ...SERIAL_OPTIONS, autoOpen: false });
    await new Promise<void>((res, rej) => this.port!.open((err) => (err ? rej(err) : res())));
    this.port.on('data', (d: Buffer) => this.onData(d));
    this.port.on('error', (e) => this.emit('warning', `scale port: ${e.message}`));
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.poll();
  }

  private poll(): void {
    if (this.online && Date.now() - this.lastReplyAt > this.pollMs * 5) {
      this.online = false;
      this.emit('state', 'offline');
    }
    this.port?.write(Buffer.from(WEIGHT_REQUEST));
  }

  private onData(d: Buffer): void {
    let garbage = 0;
    for (const ev of this.framer.push(d)) {
      if ('garbage' in ev) {
        garbage++;
        continue;
      }
      this.lastReplyAt = Date.now();
      if (!this.online) {
        this.online = true;
        this.emit('state', 'online');
      }
      if (ev.reply.kind === 'invalid') this.emit('warning', `scale: ${ev.reply.reason}`);
      this.latest = { reply: ev.reply, at: this.lastReplyAt };
      this.emit('reading', this.latest);
    }
    if (garbage) this.emit('warning', `scale: ${garbage} stray byte(s) ignored`);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    const p = this.port;
    this.port = null;
    if (p?.isOpen) await new Promise<void>((res) => p.close(() => res()));
  }
}
