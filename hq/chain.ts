/**
 * What HQ checks before it stores a terminal's sales: that they are entries of the terminal's own
 * signed journal chain, unbroken. A batch carries the sales' journal entries and the entries
 * between them (protocol/hq.ts `links`): one contiguous piece of the chain, from the entry after
 * the previous sale's through the last sale's.
 *
 * Every entry's hash is recomputed from its content and the hash before it; the signature of the
 * piece's last signed entry is verified with the key the terminal enrolled. Because each hash
 * covers the one before, that one signature vouches for every entry before it in the piece (one
 * Ed25519 verification per batch, not per sale: ~100 µs each would cap ingest far below its
 * 20,000 sales/s). Unsigned entries pass only inside a journalled signer outage, as the terminal's
 * own verifier rules (core/journal). Where the piece meets what HQ already holds — the previous
 * sale's entry — the ingest checks the join (hq/store.ts): a piece that does not continue from it
 * is a fork or a rewritten journal.
 *
 * The check itself is shared with the tills that keep copies of each other's journals
 * (core/peers/copies.ts): it lives in protocol/journal-chain-check.ts.
 */
export { checkChain, journalKey, type ChainCheck, type ChainPoint, type JournalKey } from '../protocol/journal-chain-check';
