/**
 * The lane's side of the store-peer batch worker (issue 19: replication never slows a scan). Building
 * a peer's batch — reading a hundred sales and their journal, encoding, hashing, signing — and the
 * HTTP request held the selling lane's event loop for milliseconds per batch, and the garbage it left
 * brought collections of tens of milliseconds in the middle of scans (bench/peers.ts). One worker
 * thread (core/peers/batch-worker.ts), with a read-only connection of its own, does all of that for
 * every peer uploader of the core; the uploader keeps its state, its backoff and its probes here and
 * records each answer here in one short transaction (core/sync/uploader.ts `remote`).
 *
 * A worker that dies (or cannot start) fails the batches it held as an attempt that got no answer —
 * nothing was acknowledged, so nothing is lost; they are sent again after the uploader's backoff —
 * and the next batch starts a new one; each such restart is logged. `close()` ends it on shutdown.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Db } from '../db';
import type { BatchShape } from '../sync/encode';
import type { HqLink } from '../sync/link';
import type { RemoteSender, RemoteSent } from '../sync/uploader-options';
import type { BatchReply, BatchRequest } from './batch-worker';

/**
 * Loads the worker's module: the bundle's (dist/core/peer-batch-worker.js, beside dist/core/main.js)
 * or, run from source (tests, tsx), the .ts file through tsx, as the process itself was loaded.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
(workerData.tsx ? import(pathToFileURL(workerData.tsx).href).then((tsx) => tsx.register()) : Promise.resolve()).then(() => import(workerData.entry));
`;

function entry(): { entry: string; tsx: string | null } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return { entry: new URL('./batch-worker.ts', here).href, tsx: join(dirname(createRequire(here).resolve('tsx/package.json')), 'dist/esm/api/index.mjs') };
  return { entry: new URL('./peer-batch-worker.js', here).href, tsx: null };
}

/** What one peer's uploader sends through the worker. */
export interface PeerTarget {
  peerId: string;
  url: string;
  salesPath: string;
  link: HqLink;
  shape: BatchShape;
  timeoutMs: number;
}

export class PeerBatchWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: RemoteSent | null) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;
  /** Workers started so far (the first, then one after each that died). */
  started = 0;

  constructor(
    private readonly db: Db,
    private readonly log: (line: string) => void = () => {},
  ) {}

  /** Whether batches can be built off the lane's thread at all (a database in memory cannot be opened twice). */
  static usable(db: Db): boolean {
    return !db.memory && db.open;
  }

  /** The sender an uploader to this peer is given (`UploaderOptions.remote`). */
  sender(t: PeerTarget): RemoteSender {
    return {
      send: (after, limit, at) =>
        this.request({
          peerId: t.peerId, url: t.url, salesPath: t.salesPath, after, limit, at, shape: t.shape, timeoutMs: t.timeoutMs,
          link: { terminalId: t.link.terminalId, storeId: t.link.storeId, laneId: t.link.laneId, privateKey: t.link.privateKey },
        }),
    };
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

  private request(r: Omit<BatchRequest, 'id'>): Promise<RemoteSent | null> {
    if (this.closed) return Promise.reject(new Error('the peer batch worker was closed'));
    const id = this.nextId++;
    return new Promise<RemoteSent | null>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.running().postMessage({ ...r, id } satisfies BatchRequest);
    });
  }

  /** The worker, started if there is none (the first time, or after one died). */
  private running(): Worker {
    if (this.worker) return this.worker;
    const { entry: file, tsx } = entry();
    const w = new Worker(BOOT, { eval: true, workerData: { path: this.db.name, entry: file, tsx } });
    this.started++;
    if (this.started > 1) this.log('store peers: the batch worker stopped; started again (the batches it held are sent again)');
    w.unref();
    w.on('message', (m: BatchReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ('failed' in m) p.reject(new Error(`the peer batch worker could not build the batch: ${m.failed}`));
      else p.resolve(m.sent);
    });
    const gone = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      if (!this.closed) this.log(`store peers: the batch worker ended (${why})`);
      this.fail(new Error(`the peer batch worker ended (${why})`));
    };
    w.on('error', (err) => gone(err.message));
    w.on('exit', (code) => gone(`exit code ${code}`));
    this.worker = w;
    return w;
  }

  private fail(err: Error): void {
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
