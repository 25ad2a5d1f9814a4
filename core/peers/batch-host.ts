/**
 * The lane's side of the store-peer batch worker (issue 19: replication never slows a scan). On the
 * lane's event loop, building a peer's batch — reading a hundred sales and their journal, encoding,
 * hashing, signing — and the HTTP request held it for milliseconds per batch, reading, checking and
 * keeping a peer's batch for more, and the garbage both left brought collections of tens of
 * milliseconds in the middle of scans (bench/peers.ts --profile). One worker thread
 * (core/peers/batch-worker.ts), with a read-only connection of its own to the lane's file and the only
 * writer of the copies' file (core/db/copies-file.ts), does that for every peer uploader and for the
 * listener; the uploader keeps its state, backoff and probes here and records each answer here in one
 * short transaction (core/sync/uploader.ts `remote`); a peer's batch is read, checked and kept there
 * (`keep`), and the listener answers once it is committed.
 *
 * A worker that dies (or cannot start) fails what it held as unanswered — nothing was acknowledged,
 * so nothing is lost; a batch to a peer is sent again after the uploader's backoff, a peer's batch is
 * answered 500 and sent again by it (kept already, it is taken as the duplicate it is) — and the next
 * request starts a new one; each restart is logged. `close()` ends it on shutdown.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../worker-module';
import type { Db } from '../db';
import type { BatchShape } from '../sync/encode';
import type { HqLink } from '../sync/link';
import type { RemoteSender, RemoteSent } from '../sync/uploader-options';
import { BatchWork, type Audited, type AuditRequest, type BatchReply, type BatchRequest, type KeepRequest } from './batch-worker';
import type { KeepResult } from './server';

type Answer = RemoteSent | null | KeepResult | Audited;

/** Workers in a row that end before answering anything before the work is done on the lane's thread. */
const STARTS_BEFORE_FALLBACK = 3;

/** What one peer's uploader sends through the worker. */
export interface PeerTarget {
  peerId: string;
  url: string;
  /** Its request key as the roster gives it (core/peers/tls.ts). */
  peerKey: string;
  salesPath: string;
  link: HqLink;
  shape: BatchShape;
  timeoutMs: number;
}

export class PeerBatchWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: Answer) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;
  /** Workers started so far (the first, then one after each that died). */
  started = 0;
  /** Workers in a row that ended before answering anything; at STARTS_BEFORE_FALLBACK the work is done here instead. */
  private failedStarts = 0;
  /** The work on the lane's own thread and connection, once no worker would start (as before there was one). */
  private here: BatchWork | null = null;

  constructor(
    private readonly db: Db,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Whether batches can be built and kept off the lane's thread at all (a database in memory cannot be opened twice). */
  static usable(db: Db): boolean {
    return !db.memory && db.open;
  }

  /** The sender an uploader to this peer is given (`UploaderOptions.remote`). */
  sender(t: PeerTarget): RemoteSender {
    return {
      send: (after, limit, at) =>
        this.request<RemoteSent | null>({
          kind: 'send',
          peerId: t.peerId, url: t.url, peerKey: t.peerKey, salesPath: t.salesPath, after, limit, at, shape: t.shape, timeoutMs: t.timeoutMs,
          link: { terminalId: t.link.terminalId, storeId: t.link.storeId, laneId: t.link.laneId, privateKey: t.link.privateKey },
        }),
    };
  }

  /** A peer's batch as received: read, checked against the copy held and kept there (core/peers/server.ts `keep`); answered once committed. */
  keep(terminalId: string, journalKeys: readonly string[], body: Buffer, at: Date): Promise<KeepResult> {
    return this.request<KeepResult>({ kind: 'keep', terminalId, journalKeys: [...journalKeys], body, at: at.toISOString() });
  }

  /** A step of the check of the copied entries' own signatures (core/peers/audit.ts). */
  audit(keys: Record<string, string[]>, max: number, at: Date): Promise<Audited> {
    return this.request<Audited>({ kind: 'audit', keys, max, at: at.toISOString() });
  }

  /** Starts the thread now (else at the first batch), so the first batch does not wait for it to load. */
  start(): void {
    if (!this.closed) this.running();
  }

  /** Ends the worker (pending batches fail as unanswered; nothing was recorded for them). */
  async close(): Promise<void> {
    this.closed = true;
    const w = this.worker;
    this.worker = null;
    this.fail(new Error('the peer batch worker was closed'));
    if (!w) return;
    const exited = new Promise<void>((res) => w.once('exit', () => res()));
    w.postMessage('stop');
    const timer = setTimeout(() => void w.terminate(), 2_000);
    await exited;
    clearTimeout(timer);
  }

  private request<T extends Answer>(r: Omit<BatchRequest, 'id'> | Omit<KeepRequest, 'id'> | Omit<AuditRequest, 'id'>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the peer batch worker was closed'));
    const worker = this.running();
    const here = this.here;
    if (!worker && here) return (r.kind === 'send' ? here.send(r) : Promise.resolve().then(() => (r.kind === 'keep' ? here.keep(r) : here.auditStep(r)))) as Promise<T>;
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (r: Answer) => void, reject });
      worker!.postMessage({ ...r, id });
    });
  }

  /** The worker, started if there is none (the first time, or after one died); null once the work is done here. */
  private running(): Worker | null {
    if (this.worker || this.here) return this.worker;
    let w: Worker;
    try {
      // dist/core/peer-batch-worker.js in the bundle (scripts/build.mjs)
      w = startModuleWorker(import.meta.url, './batch-worker.ts', 'peer-batch-worker', { path: this.db.name, peerBatchWorker: true });
    } catch (err) {
      this.startFailed(err instanceof Error ? err.message : String(err));
      return this.running();
    }
    this.started++;
    if (this.started > 1) this.log('store peers: the batch worker stopped; started again (the batches it held are sent again)');
    w.unref();
    let answered = false;
    w.on('message', (m: BatchReply) => {
      answered = true;
      this.failedStarts = 0;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('failed' in m) p.reject(new Error(`the peer batch worker failed: ${m.failed}`));
      else p.resolve('sent' in m ? m.sent : 'kept' in m ? m.kept : m.audited);
    });
    const gone = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      if (!this.closed) this.log(`store peers: the batch worker ended (${why})`);
      this.fail(new Error(`the peer batch worker ended (${why})`));
      if (!answered && !this.closed) this.startFailed(why);
    };
    w.on('error', (err) => gone(err.message));
    w.on('exit', (code) => gone(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  /** A worker ended before it answered anything; after a few in a row, the work is done on the lane's thread (logged). */
  private startFailed(why: string): void {
    if (++this.failedStarts < STARTS_BEFORE_FALLBACK || this.here) return;
    this.here = new BatchWork(this.db);
    this.log(`store peers: the batch worker does not start (${why}); batches are built and kept on the lane's thread`);
  }

  private fail(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
