-- The store's memory while HQ is gone (issue 19.4): parked baskets of any lane.
--
-- What of this till's journal after its last sale a peer holds (core/peers/feed.ts): the entries
-- after the last sale reach a peer as a piece of their own (a "tail": `sales: []`, the entries as
-- `links`), sent once all sales are; the seq of the last entry so sent and acknowledged.
ALTER TABLE peer_send ADD COLUMN tail_seq INTEGER NOT NULL DEFAULT 0;

-- A basket parked on any lane, and whether it was taken up anywhere: by its suspend id, in the
-- peers' copies (core/peers/copies.ts) and in this till's own journal (core/suspend/repo.ts).
CREATE INDEX peer_entry_basket ON peer_entry (json_extract(body, '$.suspendId')) WHERE kind IN ('sale.suspended', 'sale.resumed');
CREATE INDEX journal_basket ON journal (json_extract(body, '$.suspendId')) WHERE kind IN ('sale.suspended', 'sale.resumed');
