/** What an Uploader (core/sync/uploader.ts) is told, and what it tells of itself. */
import type { SalesAck } from '../../protocol/hq';
import type { SaleFeed } from './feed';

/** A batch read, encoded, signed and posted off the uploader's thread, and the receiver's answer (or why there is none). */
export interface RemoteSent {
  /** The sales it carried, in order. */
  sequences: number[];
  /** More may follow it right away. */
  full: boolean;
  answer: { ack: SalesAck } | { error: { status: number; code: string; message: string } };
}

/** Builds and sends the feed's batches elsewhere (a store peer's batch worker, core/peers/batch-worker.ts); the uploader records the answers. */
export interface RemoteSender {
  /** Up to `limit` sales after `after`, signed at `at`; null: none to send. */
  send(after: number, limit: number, at: string): Promise<RemoteSent | null>;
}

export interface UploaderOptions {
  /** Sales per batch at most (default 1,000) … */
  batchSize?: number;
  /** … and bytes per request at most (default 3 MB; HQ takes 4 MB by default): a batch ends at whichever comes first. */
  maxBatchBytes?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Pause between batches while there is nothing to send (ms). */
  idleMs?: number;
  softwareVersion?: string;
  /** Batches on the way before the first answer is awaited (default 2). */
  inFlight?: number;
  /** While the lane in this process is at work, leave it the event loop between batches for as long as each took (core/busy.ts; store peers). */
  pace?: boolean;
  /** How long one request may take before it counts as a network failure (ms). */
  timeoutMs?: number;
  /** While HQ is unreachable: how often it is probed (ms, default 2,000) … */
  probeMs?: number;
  /** … and how long one probe may take (ms, default 1,500). */
  probeTimeoutMs?: number;
  fetchFn?: typeof fetch;
  log?: (line: string) => void;
  now?: () => Date;
  /** Told after each batch's answer (or failure) is recorded: store IT's screens show the backlog go down batch by batch. */
  onSettled?: () => void;
  /** What is sent and where the receiver's answers are recorded (default: the outbox, for HQ). */
  feed?: SaleFeed;
  /** Read, encode, sign and post the batches there (the answers are still recorded here); absent: on this thread. */
  remote?: RemoteSender;
  /** Where it is sent, if not to HQ: the receiver's base URL, its name in the log, and the path batches go to (default /v1/sales) — the link still signs. */
  receiver?: { url: string; name: string; salesPath?: string };
}

export interface SyncStatus {
  online: boolean;
  backlog: number;
  oldestUnsentAt: string | null;
  lastSuccess: string | null;
  lastError: string | null;
  quarantined: number;
  /** The sequence HQ acknowledged through when `backlog` was counted (HQ's check-in uses it). */
  ackedThrough: number;
}
