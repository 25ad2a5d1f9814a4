/**
 * How a till takes its peers' batches (issue 19: replication never slows a scan): each batch's body
 * is read, checked and kept by the peer batch worker, off the lane's thread, in the copies' own file
 * whose only writer it is (core/peers/batch-host.ts, core/db/copies-file.ts) — keeping a batch never
 * takes the lane's write lock; without a worker (a database in memory) the listener reads it and it is
 * kept here (core/peers/copies.ts). One batch at a time whoever sent it; while the lane is at work the
 * next waits as long as the last took (core/busy.ts), so two peers catching this till up leave its
 * scans the processor. What it gives the listener (core/peers/server.ts) is `keep` and `receive`.
 */
import type { SalesAck, SalesBatch } from '../../protocol/hq';
import { performance } from 'node:perf_hooks';
import { yieldToLane } from '../busy';
import type { PeerBatchWorker } from './batch-host';
import type { PeerCopies } from './copies';
import type { KeepResult, PeerIdentity } from './server';

export class PeerIntake {
  /** The last batch's turn, and how long it took to keep (ms). */
  private keeping: Promise<void> = Promise.resolve();
  private keptMs = 0;
  /** Reads, checks and keeps a body on the worker, answered once committed (absent: the listener reads it here and `receive` keeps it). */
  readonly keep?: (peer: PeerIdentity, body: Buffer, now: Date) => Promise<KeepResult>;

  constructor(
    private readonly copies: PeerCopies,
    worker: PeerBatchWorker | null,
    /** Told as each batch is about to be kept (the audit waits while batches come). */
    private readonly keepingOne: () => void = () => {},
  ) {
    if (worker) this.keep = (peer, body, now) => this.inTurn(() => worker.keep(peer.terminalId, keysOf(peer), body, now));
  }

  /** Keeps a peer's batch, read here, in its turn, on this thread. */
  receive(peer: PeerIdentity, batch: SalesBatch, now: Date): Promise<SalesAck> {
    return this.inTurn(() => this.copies.ingest(peer.terminalId, keysOf(peer), batch, now));
  }

  private inTurn<T>(work: () => T | Promise<T>): Promise<T> {
    const mine = this.keeping.then(async () => {
      const t0 = performance.now();
      try {
        this.keepingOne();
        return await work();
      } finally {
        this.keptMs = performance.now() - t0;
      }
    });
    this.keeping = mine.then(
      () => yieldToLane(this.keptMs),
      () => yieldToLane(this.keptMs),
    );
    return mine;
  }
}

/** A peer's journal keys as the roster gives them, oldest first (none: not known yet). */
const keysOf = (peer: PeerIdentity): string[] => (peer.journalKey ? [...(peer.retiredJournalKeys ?? []), peer.journalKey] : []);
