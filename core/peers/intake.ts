/**
 * How a till takes its peers' batches (issue 19: replication never slows a scan): each batch's body
 * is read and its piece of chain checked by the peer batch worker, off the lane's thread
 * (core/peers/batch-host.ts; without one — a database in memory — on it, as it is kept), then kept
 * on the lane's thread in one short transaction (core/peers/copies.ts), one batch at a time whoever
 * sent it; while the lane is at work the next waits as long as the last took to keep (core/busy.ts),
 * so two peers catching this till up leave its scans the event loop. What it gives the listener
 * (core/peers/server.ts) is `receive` and `parse`.
 */
import type { SalesAck, SalesBatch } from '../../protocol/hq';
import { performance } from 'node:perf_hooks';
import { yieldToLane } from '../busy';
import type { PeerBatchWorker } from './batch-host';
import type { PeerCopies } from './copies';
import type { Prechecked } from './copy-place';
import type { ParsedBatch, PeerIdentity } from './server';

export class PeerIntake {
  /** The last batch's turn, and how long it took to keep (ms). */
  private keeping: Promise<void> = Promise.resolve();
  private keptMs = 0;
  /** Reads and checks a body on the worker (absent: the listener reads it here). */
  readonly parse?: (peer: PeerIdentity, body: Buffer) => Promise<ParsedBatch>;

  constructor(
    private readonly copies: PeerCopies,
    worker: PeerBatchWorker | null,
    /** Told as each batch is about to be kept (the audit waits while batches come). */
    private readonly keepingOne: () => void = () => {},
  ) {
    if (worker) this.parse = (peer, body) => worker.check(peer.terminalId, keysOf(peer), body);
  }

  /** Keeps a peer's batch in its turn (`pre`: its chain as the worker checked it). */
  receive(peer: PeerIdentity, batch: SalesBatch, now: Date, pre: Prechecked | null): Promise<SalesAck> {
    const mine = this.keeping.then(() => {
      const t0 = performance.now();
      try {
        this.keepingOne();
        return this.copies.ingest(peer.terminalId, keysOf(peer), batch, now, pre);
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
