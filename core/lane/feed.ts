/**
 * The lane's snapshot feed: changes are sent to the listeners once per burst — a command, device
 * events and timers mark the snapshot stale and it is built and sent once, on the next turn of the
 * event loop, or at once when the API flushes before acknowledging a command (the ack never
 * overtakes its snapshot).
 */
import type { Snapshot } from '../../protocol/terminal';

export type Listener = (snapshot: Snapshot) => void;

export class SnapshotFeed {
  private readonly listeners = new Set<Listener>();
  private stale = false;

  constructor(
    private readonly build: () => Snapshot,
    /** A lane shut down (or its database closed) while a burst was pending tells nobody. */
    private readonly live: () => boolean,
  ) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  broadcast(): void {
    if (this.stale) return;
    this.stale = true;
    setImmediate(() => this.flush());
  }

  /** Sends the snapshot now if something changed since the last one was sent. */
  flush(): void {
    if (!this.stale) return;
    this.stale = false;
    if (this.listeners.size === 0 || !this.live()) return;
    const snap = this.build();
    for (const l of this.listeners) l(snap);
  }
}
