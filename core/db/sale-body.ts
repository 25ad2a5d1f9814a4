import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * Where a sale's body and its receipt's text are kept (docs/retention.md).
 *
 * Where a sale's body is (migration 0017): a sale or return keeps its body once, in its journal
 * entry (`sale.journal_seq`); `sale.body` and `outbox.payload` are '' then. Sales from before 0017,
 * and sales whose journal entry was archived (the body is written back first), carry their own.
 * Use with `FROM sale s LEFT JOIN journal j ON j.seq = s.journal_seq`.
 */
export const SALE_BODY = "CASE WHEN s.body <> '' THEN s.body ELSE j.body END";

/** An outbox row's payload: its own where it has one, else its sale's body (join `sale s` and `journal j` as above). */
export const OUTBOX_PAYLOAD = `CASE WHEN o.payload <> '' THEN o.payload ELSE ${SALE_BODY} END`;

/** A sale's kind as the outbox has it ('sale' or 'return'): from its journal entry, or from its own body where the journal no longer has the entry (join `sale s` and `journal j` as above). */
export const SALE_KIND = `CASE WHEN j.kind IS NOT NULL THEN (CASE j.kind WHEN 'sale.return' THEN 'return' ELSE 'sale' END)
         WHEN json_extract(s.body, '$.type') = 'return' THEN 'return' ELSE 'sale' END`;

/** A sale's journal entry number: its own, or (sales from before 0017) found by its ref (join `sale s` as above). */
export const SALE_ENTRY_SEQ = "coalesce(s.journal_seq, (SELECT min(x.seq) FROM journal x WHERE x.ref = s.sale_id AND x.kind IN ('sale.completed', 'sale.return')))";

/** A receipt's text as stored (migration 0017): deflated into `receipt.packed`, `receipt.text` ''. */
export function packReceipt(text: string): Buffer {
  return deflateRawSync(text);
}

/** A receipt row's text: its own (from before 0017) or the unpacked `packed`. */
export function unpackReceipt(row: { text: string; packed: Buffer | null }): string {
  return row.packed ? inflateRawSync(row.packed).toString('utf8') : row.text;
}
