/**
 * What a reflashed till asks HQ for when no store peer can give its journal back (issue 19.3: a
 * store with one till has no peers): its own sales as HQ keeps them, a page at a time —
 * `GET /v1/recovery/sales?after=<sale sequence>&limit=<n>`, signed with the till's new key (HQ
 * answers only a terminal's own sales). HQ keeps each sale's document and the hash and number of
 * its journal entry, not the entries between sales: the till keeps the sales (returns and receipt
 * copies of them work again) and continues its chain from the head HQ checked
 * (core/peers/recover-hq.ts); the entries before it stay HQ's record.
 */
import { z } from 'zod';
import { SaleUploadSchema } from './hq';

/** Sales per page HQ gives at most. */
export const RECOVERY_PAGE_LIMIT = 1_000;

const Hash = z.string().regex(/^[0-9a-f]{64}$/);

/** A sale as the till once uploaded it (its document and figures), with its journal entry's number and hash as HQ checked them. */
export const RecoveredSaleSchema = SaleUploadSchema.omit({ entry: true })
  .extend({ journalSeq: z.number().int().positive(), journalHash: Hash })
  .strict();
export type RecoveredSale = z.infer<typeof RecoveredSaleSchema>;

export const RecoveryPageSchema = z
  .object({
    terminalId: z.string().min(1).max(64),
    /** Every sale of the terminal up to this sequence is at HQ. */
    ackedThrough: z.number().int().min(0),
    /** The head of the terminal's chain HQ has checked (0 and null: none yet). */
    chainSeq: z.number().int().min(0),
    chainHash: Hash.nullable(),
    /** The sales after the page's `after`, up to its limit and never past `ackedThrough`. */
    sales: z.array(RecoveredSaleSchema).max(RECOVERY_PAGE_LIMIT),
  })
  .strict();
export type RecoveryPage = z.infer<typeof RecoveryPageSchema>;
