/**
 * A TSE on a thread of its own (./device-thread.ts), as a real TSE is a device of its own: the
 * simulator, or the fiskaly SIGN DE client (a cloud TSE: every call a request over the network).
 * Behind the same synchronous port as the simulator (a call blocks until the thread has
 * answered: the sale's commit waits for its signature, as before), and besides it `later`: a call
 * answered on the event loop, so the start of a sale's transaction (queued off the scan's commit,
 * ./starts.ts) signs and fsyncs the TSE's file while the lane goes on with the next scan.
 *
 * The thread answers in the order it was asked. A blocking call drains every answer before its
 * own and hands each to its waiter there and then, so `settle()` — a blocking no-op — delivers every
 * answer to what was asked before it: the completion of a sale sees its start, answered or not.
 *
 * Where it pays: a call that blocks anyway (the finish in the sale's commit) gains nothing from a
 * hop to another thread — on a loaded machine it costs two wake-ups (bench/tse.ts) — so on the
 * simulator it runs here, through a connection of this thread's own, after `settle()`. Counters
 * and crash safety are the simulator's: every call takes and advances them inside one immediate
 * SQLite transaction of its file, whichever connection makes it.
 *
 * A thread that does not answer in time (or died) is a TSE that does not answer: TSE_UNAVAILABLE,
 * and the next call starts a new thread on the same file.
 */
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import type { Clock } from '../../clock';
import { startModuleWorker } from '../../worker-module';
import { TseError, type QueuedTsePort, type TseCall, type TseDone, type TseErrorCode, type TseExportFilter, type TseInfo, type TseLogResult } from './port';
import { TseSimulator } from './simulator';
import { TseInfoSchema, TseLogResultSchema, TseThreadReplySchema, type TseDevice, type TseThreadReply, type TseThreadRequest } from './thread-protocol';

/** A request as asked (its id and time are added when it is posted). */
type Ask = TseThreadRequest extends infer R ? (R extends unknown ? Omit<R, 'id' | 'at'> : never) : never;

const CODES: readonly TseErrorCode[] = ['TSE_UNAVAILABLE', 'TSE_CLIENT_NOT_REGISTERED', 'TSE_NO_SUCH_TRANSACTION', 'TSE_BAD_INPUT'];

export interface TseThreadOptions {
  now: Clock;
  /** How long a call may wait for its answer (ms; 5 s). */
  timeoutMs?: number;
  /** How long the very first answer may take: the thread loads (60 s; from source, through tsx, it is slow). */
  bootTimeoutMs?: number;
}

export class TseThread implements QueuedTsePort {
  private worker: Worker | null = null;
  private port: MessagePort | null = null;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  /** Who waits for which answer (asked without waiting). */
  private readonly waiting = new Map<number, (m: TseThreadReply) => void>();
  private known: TseInfo | null = null;
  /** When asking what the TSE is last failed (performance.now()): it is not asked again, blocking, for a while. */
  private infoFailedAt = -Infinity;
  private booted = false;
  /** The simulator's file through a connection of this thread's own, for the calls that block anyway (a cloud TSE has none). */
  private readonly local: TseSimulator | null;
  /** Pulled out (the simulator): a thread started later is told. */
  private pulled = false;

  /** Starts the thread on its TSE (a simulator's file is created, with a new key, if new) and waits until it answers. */
  constructor(
    private readonly device: TseDevice,
    private readonly o: TseThreadOptions,
  ) {
    // The simulator is here, on this machine: it must answer now (its file made, with a new key, before the thread opens it too). A
    // cloud TSE may be unreachable at start; the till sells on (outage rules).
    this.local = device.kind === 'simulator' ? new TseSimulator(device.file, { now: o.now }) : null;
    if (this.local) this.known = this.local.info();
    else
      this.ask({ op: 'info' }, (m) => {
        const r = m.ok ? TseInfoSchema.safeParse(m.value) : null;
        if (r?.success) this.known = r.data as TseInfo;
      });
  }

  private running(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    // dist/core/tse-device-thread.js in the bundle (scripts/build.mjs)
    const w = startModuleWorker(import.meta.url, './device-thread.ts', 'tse-device-thread', { device: this.device, port: port2, signal: this.signal.buffer, at: this.o.now().getTime(), pulled: this.pulled, tseDevice: true }, [port2]);
    w.unref();
    const gone = () => {
      if (this.worker !== w) return;
      this.stopped(new TseError('TSE_UNAVAILABLE', 'the TSE thread ended'));
    };
    w.on('error', gone);
    w.on('exit', gone);
    port1.on('message', (m: unknown) => this.deliver(m));
    port1.unref();
    this.worker = w;
    this.port = port1;
    return port1;
  }

  /** The thread is gone (or stopped answering): what waits for it fails; the next call starts another. */
  private stopped(err: TseError): void {
    const w = this.worker;
    this.worker = null;
    this.port?.close();
    this.port = null;
    if (w) void w.terminate();
    const all = [...this.waiting];
    this.waiting.clear();
    for (const [id, done] of all) done({ id, ok: false, code: err.code, message: err.message });
  }

  /** An answer, to whoever waits for it (a blocking call takes its own first, see `call`). */
  private deliver(raw: unknown): void {
    const m = TseThreadReplySchema.safeParse(raw);
    if (!m.success) return;
    const done = this.waiting.get(m.data.id);
    if (!done) return;
    this.waiting.delete(m.data.id);
    this.holdOpen();
    done(m.data);
  }

  /** While an answer is awaited the process stays up for it (a demo day awaiting its last start); else the thread keeps nothing running. */
  private holdOpen(): void {
    if (this.waiting.size > 0) this.port?.ref();
    else this.port?.unref();
  }

  /** Asks without waiting: `done` gets the reply on the event loop (or during the next blocking call). */
  private ask(ask: Ask, done: (m: TseThreadReply) => void): void {
    let id: number;
    try {
      id = this.post(ask);
    } catch (err) {
      return done({ id: 0, ok: false, code: 'TSE_UNAVAILABLE', message: err instanceof Error ? err.message : String(err) });
    }
    this.waiting.set(id, done);
    this.holdOpen();
  }

  private post(ask: Ask): number {
    const id = this.nextId++;
    this.running().postMessage({ ...ask, id, at: this.o.now().getTime() } as TseThreadRequest);
    return id;
  }

  /** Asks and blocks until the thread answers (every earlier answer is delivered on the way). */
  private call(ask: Ask): unknown {
    const id = this.post(ask);
    const port = this.port!;
    const limit = this.booted ? (this.o.timeoutMs ?? 5_000) : (this.o.bootTimeoutMs ?? 60_000);
    const until = performance.now() + limit;
    for (;;) {
      const seen = Atomics.load(this.signal, 0);
      for (let got = receiveMessageOnPort(port); got; got = receiveMessageOnPort(port)) {
        const m = TseThreadReplySchema.safeParse(got.message);
        if (m.success && m.data.id === id) {
          this.booted = true;
          const r = outcome(m.data, null);
          if (r.err) throw r.err;
          return r.value;
        }
        this.deliver(got.message);
      }
      const left = until - performance.now();
      if (left <= 0 || !this.worker) {
        this.stopped(new TseError('TSE_UNAVAILABLE', 'the TSE thread does not answer'));
        throw new TseError('TSE_UNAVAILABLE', `the TSE thread did not answer in ${limit} ms`);
      }
      Atomics.wait(this.signal, 0, seen, left);
    }
  }

  /** A transaction call answered on the event loop (or during the next blocking call): `done` gets the answer. */
  later(call: TseCall, done: TseDone): void {
    this.ask(call, (m) => {
      const r = outcome(m, TseLogResultSchema);
      done(r.err, r.value);
    });
  }

  /** Delivers now every answer to what was asked before (blocks until the thread has given them). */
  settle(): void {
    if (this.waiting.size > 0) this.call({ op: 'ping' });
  }

  /** What the TSE is (asked once; a TSE that could not say is not asked again, blocking, for 30 s: a snapshot asks too). */
  info(): TseInfo {
    if (this.known) return this.known;
    if (performance.now() - this.infoFailedAt < 30_000) throw new TseError('TSE_UNAVAILABLE', 'the TSE did not say what it is yet');
    try {
      return (this.known = TseInfoSchema.parse(this.call({ op: 'info' })) as TseInfo);
    } catch (err) {
      this.infoFailedAt = performance.now();
      throw err;
    }
  }
  /**
   * A blocking call: on the simulator's file through this thread's own connection, once every
   * earlier call has been answered (in order, as one device sees them); a cloud TSE through its thread.
   */
  private blocking<T>(here: (sim: TseSimulator) => T, there: Ask, read: (v: unknown) => T): T {
    if (!this.local) return read(this.call(there));
    this.settle();
    return here(this.local);
  }

  registerClient(clientId: string): void {
    this.blocking((sim) => sim.registerClient(clientId), { op: 'register', clientId }, () => undefined);
  }
  startTransaction(clientId: string, processData: string, processType: string): TseLogResult {
    return this.blocking((sim) => sim.startTransaction(clientId, processData, processType), { op: 'start', clientId, processData, processType }, (v) => TseLogResultSchema.parse(v));
  }
  updateTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): TseLogResult {
    return this.blocking((sim) => sim.updateTransaction(clientId, transactionNumber, processData, processType), { op: 'update', clientId, transactionNumber, processData, processType }, (v) => TseLogResultSchema.parse(v));
  }
  finishTransaction(clientId: string, transactionNumber: number, processData: string, processType: string): TseLogResult {
    return this.blocking((sim) => sim.finishTransaction(clientId, transactionNumber, processData, processType), { op: 'finish', clientId, transactionNumber, processData, processType }, (v) => TseLogResultSchema.parse(v));
  }
  openTransactions(clientId: string): number[] {
    return this.blocking((sim) => sim.openTransactions(clientId), { op: 'open', clientId }, (v) => (v as unknown[]).map(Number));
  }
  /** The simulator's TAR; a cloud TSE's export may take an hour and is store IT's own act (`npm run tse -- export`, ./cloud-cli.ts), never on the lane's TSE thread. */
  exportTar(filter: TseExportFilter = {}): Buffer {
    if (this.device.kind !== 'simulator') throw new TseError('TSE_BAD_INPUT', "a cloud TSE's export is not made by the lane: npm run tse -- export --db <file> --out <file.tar>");
    return this.blocking((sim) => sim.exportTar(filter), { op: 'export', filter }, (v) => Buffer.from(v as Uint8Array));
  }
  /** The simulator pulled out (here and on its thread; a thread started later starts pulled out). */
  unplug(): void {
    this.pulled = true;
    this.blocking((sim) => sim.unplug(), { op: 'unplug' }, () => undefined);
    if (this.local && this.port) this.call({ op: 'unplug' });
  }
  plugIn(): void {
    this.pulled = false;
    this.blocking((sim) => sim.plugIn(), { op: 'plugIn' }, () => undefined);
    if (this.local && this.port) this.call({ op: 'plugIn' });
  }

  /** Ends the thread (its file closed) and closes this thread's connection. */
  close(): void {
    try {
      this.settle();
    } catch {
      /* it ends anyway */
    }
    const port = this.port;
    this.worker = null;
    this.port = null;
    // The thread closes its file and its end of the port, and exits.
    port?.postMessage('stop');
    this.local?.close();
  }
}

/** A reply as an error (typed as the TSE typed it) or a value (checked when `schema` is given). */
function outcome(m: TseThreadReply, schema: typeof TseLogResultSchema | null): { err: Error | null; value?: TseLogResult } {
  if (!m.ok) {
    const code = CODES.find((c) => c === m.code);
    return { err: code ? new TseError(code, m.message) : new TseError('TSE_UNAVAILABLE', `the TSE failed: ${m.message}`) };
  }
  if (!schema) return { err: null, value: m.value as TseLogResult };
  const r = schema.safeParse(m.value);
  return r.success ? { err: null, value: r.data } : { err: new TseError('TSE_UNAVAILABLE', 'the TSE thread answered out of shape') };
}
