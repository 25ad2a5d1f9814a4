/**
 * What a reflashed till asks its store peers for (issue 19.3, core/peers/recover.ts): the copy a peer
 * keeps of the asking till's own journal (core/peers/copies.ts), a page at a time, as the very
 * batches the till once sent (protocol/hq.ts SalesBatch: sales with their journal entries and the
 * entries between) — so the till checks them with the check every receiver makes
 * (protocol/journal-chain-check.ts) before it keeps anything. `GET /v1/copy?after=<sale sequence>&limit=<n>`,
 * signed with the asking till's new key (the peer learns it from a newer roster the till hands it
 * first: `POST /v1/roster`); a till only ever gets its own copy.
 */
import { z } from 'zod';
import { SalesBatchSchema } from './hq';

/** Sales per page a peer gives at most. */
export const COPY_PAGE_LIMIT = 1_000;

export const CopyPageSchema = z
  .object({
    terminalId: z.string().min(1).max(64),
    /** Every sale of the terminal up to this sequence is in the peer's copy. */
    ackedThrough: z.number().int().min(0),
    /** The copy's chain head (0 and null: it holds nothing). */
    chainSeq: z.number().int().min(0),
    chainHash: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    /** The sales after the page's `after` (up to its limit), with their piece of chain; none past the end. */
    batch: SalesBatchSchema,
  })
  .strict();
export type CopyPage = z.infer<typeof CopyPageSchema>;
