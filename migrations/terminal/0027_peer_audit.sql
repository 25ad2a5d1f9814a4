-- Store peers' copies (issue 19): a batch is taken as HQ takes one — hashes recomputed, the chain
-- unbroken and joined, the piece's last signature verified (it vouches for every hash before it) —
-- and each entry's own signature is checked after it is kept (core/peers/audit.ts), while the lane
-- is idle, so catching a peer up is not held back by one Ed25519 verification per entry. The entry
-- of a copy through which every signature was checked; copies kept before this were checked entry
-- by entry as they came.
ALTER TABLE peer_head ADD COLUMN audited_seq INTEGER NOT NULL DEFAULT 0;
UPDATE peer_head SET audited_seq = chain_seq;
