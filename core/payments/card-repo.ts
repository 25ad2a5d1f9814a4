/** What card payments read back from the journal: the last end of day, offline payments since, refs the terminal already used. */
import type { Db } from '../db';
import type { PaymentRef } from './port';

export function cardRepo(db: Db) {
  const s = {
    // Only an end of day the terminal settled starts a new count (one that failed or was cut short does not).
    lastEndOfDay: db.prepare<[], { seq: number | null }>("SELECT max(seq) AS seq FROM journal WHERE kind = 'payment.endOfDay' AND json_extract(body, '$.ok') = 1"),
    offline: db.prepare<[number], { n: number; total: number | null; oldest: string | null }>(
      "SELECT count(*) AS n, sum(json_extract(body, '$.amount')) AS total, min(at) AS oldest FROM journal WHERE kind = 'payment.approved' AND json_extract(body, '$.offline') = 1 AND seq > ?",
    ),
    steps: db.prepare<[string], { body: string }>("SELECT body FROM journal WHERE kind = 'payment.step' AND json_extract(body, '$.attemptId') = ? ORDER BY seq"),
    usedRefs: db.prepare<[], { ref: string | null }>("SELECT json_extract(body, '$.terminalRef') AS ref FROM journal WHERE kind IN ('payment.approved', 'payment.recovered') ORDER BY seq DESC LIMIT 500"),
    approved: db.prepare<[number], { t: number | null }>("SELECT sum(json_extract(body, '$.amount')) AS t FROM journal WHERE kind = 'payment.approved' AND seq > ?"),
    recovered: db.prepare<[number], { t: number | null }>("SELECT sum(json_extract(body, '$.amount')) AS t FROM journal WHERE kind = 'payment.recovered' AND seq > ? AND json_extract(body, '$.outcome') = 'approved'"),
    refunded: db.prepare<[number], { t: number | null }>("SELECT sum(json_extract(body, '$.amount')) AS t FROM journal WHERE kind = 'payment.refunded' AND seq > ?"),
    voided: db.prepare<[number], { t: number | null }>(
      "SELECT sum(json_extract(body, '$.amount')) AS t FROM journal WHERE kind = 'tender.voided' AND seq > ? AND json_extract(body, '$.kind') = 'card' AND json_extract(body, '$.amount') IS NOT NULL AND json_extract(body, '$.training') IS NULL",
    ),
  };
  return {
    /** Journal sequence of the last card end of day the terminal settled (0 if none). */
    lastEndOfDaySeq: (): number => s.lastEndOfDay.get()?.seq ?? 0,
    offlineSince(seq: number) {
      const r = s.offline.get(seq)!;
      return { pendingCount: r.n, pendingAmount: r.total ?? 0, oldestAt: r.oldest };
    },
    /** The lane's own card total since a journal sequence: approved and recovered, less refunds and reversals. */
    cardTotalSince(seq: number): number {
      const t = (q: { get(n: number): { t: number | null } | undefined }) => q.get(seq)?.t ?? 0;
      return t(s.approved) + t(s.recovered) - t(s.refunded) - t(s.voided);
    },
    /** What the terminal told us about this attempt before the crash, from the journal. */
    knownRef(attemptId: string): PaymentRef | null {
      let ref: PaymentRef | null = null;
      for (const r of s.steps.all(attemptId)) {
        const b = JSON.parse(r.body) as { step: string; ref?: PaymentRef };
        if (b.step === 'statusInfo' && b.ref) ref = b.ref;
      }
      return ref;
    },
    usedRefs: (): string[] => s.usedRefs.all().map((r) => r.ref).filter((r): r is string => !!r),
  };
}

export type CardRepo = ReturnType<typeof cardRepo>;
