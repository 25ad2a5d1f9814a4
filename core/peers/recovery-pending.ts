/**
 * A reflashed till that has not got its journal back yet (issue 19.3). Its enrollment with a reflash
 * token (core/sync/link.ts) keeps HQ's answer here; the transaction that keeps the recovered journal
 * (core/peers/recover-store.ts) deletes it. Until then the lane refuses every command that would
 * write (core/lane/host.ts): a sale now would start the chain again from genesis — a fork HQ and the
 * peers refuse — and reuse sequence numbers. `npm run provision -- --recover` tries again from here.
 */
import { performance } from 'node:perf_hooks';
import { EnrollResponseSchema, type EnrollResponse } from '../../protocol/hq';
import type { Db } from '../db';

/** What HQ's enrollment answer says of a reflashed terminal (protocol/hq.ts). */
export type Reflash = NonNullable<EnrollResponse['reflash']>;

export class RecoveryPending {
  private readonly s;

  constructor(db: Db) {
    this.s = {
      get: db.prepare<[], { reflash: string; since: string }>('SELECT reflash, since FROM recovery_pending WHERE id = 1'),
      put: db.prepare('INSERT INTO recovery_pending (id, reflash, since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET reflash = excluded.reflash, since = excluded.since'),
      clear: db.prepare('DELETE FROM recovery_pending'),
    };
  }

  /** HQ's reflash answer kept at enrollment, and since when the till waits; null when it waits for nothing. */
  get(): { reflash: Reflash; since: string } | null {
    const r = this.s.get.get();
    if (!r) return null;
    const reflash = EnrollResponseSchema.shape.reflash.unwrap().parse(JSON.parse(r.reflash));
    return { reflash, since: r.since };
  }

  put(reflash: Reflash, at: string): void {
    this.s.put.run(JSON.stringify(reflash), at);
  }

  clear(): void {
    this.s.clear.run();
  }
}

/** Whether the till waits for its journal, read at most every 2 s (a command must not pay a query; provisioning in another process ends the wait). */
export function recoveryWait(db: Db): () => boolean {
  const stmt = db.prepare<[], { one: number }>('SELECT 1 AS one FROM recovery_pending WHERE id = 1');
  let readAt = Number.NEGATIVE_INFINITY;
  let waiting = false;
  return () => {
    const t = performance.now();
    if (t - readAt > 2_000) {
      waiting = stmt.get() !== undefined;
      readAt = t;
    }
    return waiting;
  };
}
