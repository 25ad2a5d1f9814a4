/** What an Uploader (core/sync/uploader.ts) is told, and what it tells of itself. */
import type { SaleFeed } from './feed';

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
