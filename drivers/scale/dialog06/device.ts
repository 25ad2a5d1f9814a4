/**
 * A Dialog 06 price-computing scale on a serial line. One weighing at a time: send the unit price
 * (and tare), wait for ACK, ask for the result (EOT ENQ); on NAK ask for the status (record 08) and
 * ask again while the scale is still settling, otherwise report why there is no weight. A scale that
 * asks for Dialog 06 checksums (record 11) gets no answer it could accept unless checksums are
 * configured, and the weighing is refused with that reason. Faults resolve the promise with a
 * reason; nothing here throws into a checkout.
 */
import { EventEmitter } from 'node:events';
import type { DeviceDriver, DriverState, DriverStateChange } from '../../contract';
import { SerialLink, type SerialLinkOptions } from '../../serial/link';
import { DIALOG06_SERIAL, Dialog06Framer, priceRecord, RESULT_REQUEST, STATUS_REQUEST, type ScaleMessage, type WeighingResult } from './protocol';

export type WeighOutcome =
  | { ok: true; result: WeighingResult }
  | { ok: false; reason: 'inMotion' | 'zero' | 'underZero' | 'overCapacity' | 'notMoved' | 'invalid' | 'noScale' | 'checksumsRequired' | 'timeout'; detail: string };

export interface Dialog06Options {
  path: string;
  serial?: Partial<Pick<SerialLinkOptions, 'baudRate' | 'dataBits' | 'parity' | 'stopBits'>>;
  /** How long the scale may take to answer one record (ms). */
  replyTimeoutMs?: number;
  /** How long to keep asking while the scale settles (ms). */
  settleMs?: number;
  /** While idle, the scale's status is asked this often, so a scale that went away is seen (ms). */
  heartbeatMs?: number;
}

export class Dialog06Scale extends EventEmitter<{ state: [DriverStateChange]; warning: [string] }> implements DeviceDriver {
  private readonly link: SerialLink;
  private framer = new Dialog06Framer();
  private waiter: ((m: ScaleMessage | null) => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  /** Answered its last record. */
  private answering = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private busy = 0;

  constructor(private readonly opts: Dialog06Options) {
    super();
    this.link = new SerialLink({ path: opts.path, ...DIALOG06_SERIAL, ...opts.serial });
    this.link.on('data', (d) => this.onData(d));
    this.link.on('warning', (w) => this.emit('warning', `scale port: ${w}`));
    this.link.on('state', (st) => {
      this.framer = new Dialog06Framer();
      if (st === 'offline') this.answering = false;
      this.emit('state', { state: this.state, reason: this.reason });
    });
  }

  get state(): DriverState {
    return this.link.state === 'online' && this.answering ? 'online' : 'offline';
  }
  get reason(): string {
    return this.link.state === 'offline' ? this.link.reason : this.answering ? 'answering' : 'not answered yet';
  }

  async start(): Promise<void> {
    await this.link.start();
    // A status request tells whether a scale is listening at all; repeated while idle.
    const beat = () => {
      if (this.busy === 0 && this.link.state === 'online') void this.checkStatus();
    };
    beat();
    this.heartbeat = setInterval(beat, this.opts.heartbeatMs ?? 2_000);
    this.heartbeat.unref();
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.waiter?.(null);
    await this.link.stop();
  }

  private onData(d: Buffer): void {
    let garbage = 0;
    for (const m of this.framer.push(d)) {
      if (m.kind === 'garbage') {
        garbage++;
        continue;
      }
      if (m.kind === 'invalid') this.emit('warning', `scale: ${m.reason}`);
      const w = this.waiter;
      this.waiter = null;
      if (w) w(m);
      else if (m.kind !== 'invalid') this.emit('warning', `scale: unexpected ${m.kind} ignored`);
    }
    if (garbage) this.emit('warning', `scale: ${garbage} stray byte(s) ignored`);
  }

  /** Sends bytes and waits for the scale's next message (null: no answer in time, or offline). */
  private exchange(bytes: number[]): Promise<ScaleMessage | null> {
    return new Promise((resolve) => {
      if (!this.link.write(bytes)) return resolve(null);
      const timer = setTimeout(() => {
        if (this.waiter === done) this.waiter = null;
        resolve(null);
      }, this.opts.replyTimeoutMs ?? 1_000);
      const done = (m: ScaleMessage | null) => {
        clearTimeout(timer);
        resolve(m);
      };
      this.waiter = done;
    });
  }

  private heard(m: ScaleMessage | null): ScaleMessage | null {
    const was = this.answering;
    this.answering = m !== null;
    if (was !== this.answering) this.emit('state', { state: this.state, reason: this.reason });
    return m;
  }

  /** Store IT: the scale's status (record 08/09), without a weighing. */
  checkStatus(): Promise<{ code: string; text: string } | null> {
    const run = this.queue.then(() => (this.link.state === 'online' ? this.status() : null));
    this.queue = run.catch(() => {});
    return run;
  }

  private async status(): Promise<{ code: string; text: string } | null> {
    const m = this.heard(await this.exchange(STATUS_REQUEST));
    return m?.kind === 'status' ? { code: m.code, text: m.text } : null;
  }

  /** One weighing for an item at this unit price (minor units per kg). */
  weigh(unitPricePerKg: number, opts: { tareGrams?: number; text?: string } = {}): Promise<WeighOutcome> {
    this.busy++;
    const run = this.queue.then(() => this.weighNow(unitPricePerKg, opts)).finally(() => this.busy--);
    this.queue = run.catch(() => {});
    return run;
  }

  private async weighNow(unitPricePerKg: number, opts: { tareGrams?: number; text?: string }): Promise<WeighOutcome> {
    if (this.link.state !== 'online') return { ok: false, reason: 'noScale', detail: this.link.reason };
    let record: number[];
    try {
      record = priceRecord(unitPricePerKg, opts);
    } catch (err) {
      return { ok: false, reason: 'invalid', detail: err instanceof Error ? err.message : String(err) };
    }
    const ack = this.heard(await this.exchange(record));
    if (ack === null) return { ok: false, reason: 'timeout', detail: 'the scale did not answer' };
    if (ack.kind === 'checksums') return { ok: false, reason: 'checksumsRequired', detail: 'the scale asks for Dialog 06 checksums of the till software, which this terminal has not been configured with' };
    if (ack.kind === 'nak') {
      const st = await this.status();
      return { ok: false, reason: 'invalid', detail: st ? st.text : 'the scale refused the price record' };
    }
    if (ack.kind !== 'ack') return { ok: false, reason: 'invalid', detail: `unexpected ${ack.kind} from the scale` };
    const until = performance.now() + (this.opts.settleMs ?? 3_000);
    for (;;) {
      const m = this.heard(await this.exchange(RESULT_REQUEST));
      if (m === null) return { ok: false, reason: 'timeout', detail: 'the scale did not answer' };
      if (m.kind === 'result') {
        if (m.result.unitPrice !== unitPricePerKg) return { ok: false, reason: 'invalid', detail: `the scale weighed at ${m.result.unitPrice}, not ${unitPricePerKg}` };
        if (m.result.grams <= 0) return { ok: false, reason: 'zero', detail: 'nothing on the scale' };
        return { ok: true, result: m.result };
      }
      if (m.kind === 'checksums') return { ok: false, reason: 'checksumsRequired', detail: 'the scale asks for Dialog 06 checksums of the till software' };
      if (m.kind !== 'nak') return { ok: false, reason: 'invalid', detail: `unexpected ${m.kind} from the scale` };
      const st = await this.status();
      if (!st) return { ok: false, reason: 'timeout', detail: 'the scale did not tell why it refused' };
      if ((st.code === '20' || st.code === '22') && performance.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        continue; // still settling: ask again
      }
      const reason = st.code === '20' || st.code === '22' ? 'inMotion' : st.code === '30' ? 'zero' : st.code === '21' ? 'notMoved' : st.code === '31' ? 'underZero' : st.code === '32' ? 'overCapacity' : 'invalid';
      return { ok: false, reason, detail: st.text };
    }
  }
}
