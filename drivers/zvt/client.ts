/**
 * The till side of a ZVT transaction: send one command, then answer every message of the payment
 * terminal with 80 00 until it completes (06 0F) or aborts (06 1E) — collecting its status
 * information and receipt lines, passing intermediate texts on, and reporting each step as it
 * happens (so the caller can record it durably). Timeouts per step; a customer who walks away is
 * aborted with 06 B0. One transaction at a time. Never sends a command again by itself.
 */
import { EventEmitter } from 'node:events';
import type { Apdu } from './apdu';
import { abort as abortApdu, ACK_APDU, ptMessage, RESULT_TEXT, type StatusInfo } from './messages';
import type { ZvtTransport } from './transport';

export type ZvtStep = 'sent' | 'acknowledged' | 'intermediate' | 'statusInfo' | 'print' | 'completion' | 'abort';

export interface ZvtOutcome {
  /** completed: 06 0F after a successful result; declined/aborted: 06 1E or 84 xx or a non-zero result. */
  status: 'completed' | 'declined' | 'failed';
  /** The terminal's result code, if it gave one. */
  result: number | null;
  text: string;
  info: StatusInfo | null;
  receiptLines: string[];
  /** The command may or may not have reached the terminal (link lost, no answer): find out before retrying. */
  uncertain: boolean;
}

export interface ZvtClientOptions {
  /** Wait for 80 00 after a command (ms). */
  ackTimeoutMs?: number;
  /** Longest silence from the terminal during a transaction (customer at the PIN pad) (ms). */
  idleTimeoutMs?: number;
  /** Longest whole transaction before it is aborted (customer walked away) (ms). */
  transactionTimeoutMs?: number;
}

export class ZvtClient extends EventEmitter<{ intermediate: [text: string, code: number, own: boolean]; step: [ZvtStep, unknown] }> {
  private inbox: Apdu[] = [];
  private waiter: (() => void) | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private running = false;
  private abortAsked = false;

  constructor(
    readonly transport: ZvtTransport,
    private readonly opts: ZvtClientOptions = {},
  ) {
    super();
    transport.on('apdu', (a) => {
      this.inbox.push(a);
      const w = this.waiter;
      this.waiter = null;
      w?.();
    });
    transport.on('state', ({ state }) => {
      if (state === 'offline') {
        const w = this.waiter;
        this.waiter = null;
        w?.();
      }
    });
  }

  private async next(timeoutMs: number): Promise<Apdu | 'timeout' | 'offline'> {
    const t0 = performance.now();
    for (;;) {
      const a = this.inbox.shift();
      if (a) return a;
      if (this.transport.state !== 'online') return 'offline';
      const left = timeoutMs - (performance.now() - t0);
      if (left <= 0) return 'timeout';
      await new Promise<void>((res) => {
        const t = setTimeout(() => {
          if (this.waiter === done) this.waiter = null;
          res();
        }, left);
        const done = () => {
          clearTimeout(t);
          res();
        };
        this.waiter = done;
      });
    }
  }

  /** Runs one command to its end. Resolves with the outcome; rejects never. */
  run(cmd: Apdu): Promise<ZvtOutcome> {
    const r = this.queue.then(() => this.runNow(cmd));
    this.queue = r.catch(() => {});
    return r;
  }

  /** Asks the terminal to abort the transaction under way (06 B0); false if none is. */
  async abort(): Promise<boolean> {
    if (!this.running) return false;
    this.abortAsked = true;
    await this.transport.send(abortApdu()).catch(() => {});
    return true;
  }

  private async runNow(cmd: Apdu): Promise<ZvtOutcome> {
    this.running = true;
    this.abortAsked = false;
    try {
      return await this.runOne(cmd);
    } finally {
      this.running = false;
    }
  }

  private async runOne(cmd: Apdu): Promise<ZvtOutcome> {
    this.inbox = []; // anything left over belongs to no transaction
    const receiptLines: string[] = [];
    let info: StatusInfo | null = null;
    const fail = (text: string, uncertain: boolean, result: number | null = null): ZvtOutcome => ({ status: 'failed', result, text, info, receiptLines, uncertain });
    try {
      await this.transport.send(cmd);
    } catch (err) {
      return fail(`not sent: ${err instanceof Error ? err.message : String(err)}`, false);
    }
    this.emit('step', 'sent', null);
    const first = await this.next(this.opts.ackTimeoutMs ?? 5_000);
    if (first === 'timeout' || first === 'offline') return fail(first === 'timeout' ? 'the terminal did not acknowledge the command' : 'the link to the terminal was lost', true);
    const m0 = ptMessage(first);
    if (m0.kind === 'nak') return { status: 'declined', result: m0.code, text: RESULT_TEXT[m0.code] ?? `refused (${m0.code.toString(16)})`, info, receiptLines, uncertain: false };
    if (m0.kind !== 'ack') return fail(`unexpected first answer ${first.cls.toString(16)} ${first.instr.toString(16)}`, true);
    this.emit('step', 'acknowledged', null);
    const started = performance.now();
    let aborted = false;
    for (;;) {
      const total = this.opts.transactionTimeoutMs ?? 180_000;
      // After asking for an abort, the terminal gets its own time to wind down.
      const wait = aborted ? (this.opts.ackTimeoutMs ?? 5_000) * 2 : Math.min(this.opts.idleTimeoutMs ?? 60_000, Math.max(1, total - (performance.now() - started)));
      const a = await this.next(wait);
      if (a === 'offline') return fail('the link to the terminal was lost during the transaction', true, info?.result ?? null);
      if (a === 'timeout') {
        if (aborted || this.abortAsked) return fail('the terminal stopped answering', true, info?.result ?? null);
        // The customer walked away (or the terminal hangs): ask it to abort, then keep listening.
        aborted = true;
        await this.transport.send(abortApdu()).catch(() => {});
        continue;
      }
      const m = ptMessage(a);
      if (m.kind === 'ack' || m.kind === 'nak') continue; // answers to our abort
      // The end of the transaction is recorded before it is acknowledged.
      if (m.kind === 'completion' || m.kind === 'abort') this.emit('step', m.kind, m.kind === 'abort' ? m.code : null);
      await this.transport.send(ACK_APDU).catch(() => {});
      switch (m.kind) {
        case 'intermediate':
          this.emit('intermediate', m.text, m.code, m.own);
          this.emit('step', 'intermediate', m.code);
          break;
        case 'statusInfo':
          info = m.info;
          this.emit('step', 'statusInfo', m.info);
          break;
        case 'printLine':
          receiptLines.push(m.text);
          this.emit('step', 'print', null);
          break;
        case 'printBlock':
          receiptLines.push(...m.lines);
          this.emit('step', 'print', null);
          break;
        case 'completion': {
          const result = info?.result ?? 0;
          return result === 0
            ? { status: 'completed', result: 0, text: 'approved', info, receiptLines, uncertain: false }
            : { status: 'declined', result, text: RESULT_TEXT[result] ?? `declined (${result.toString(16)})`, info, receiptLines, uncertain: false };
        }
        case 'abort':
          return { status: 'declined', result: m.code, text: m.text, info, receiptLines, uncertain: false };
        default:
          break; // other messages are acknowledged and otherwise ignored
      }
    }
  }
}
