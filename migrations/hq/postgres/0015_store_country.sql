-- The store's market (SE, DE, DK, NO, FI, GB) as store IT gives it with the store's particulars
-- (hq/store-legal.ts): HQ checks the organisation number and VAT id by that market's rules when
-- they are set. Null: not given (HQ then checks only that they are there). HQ's own: it is not
-- part of the record the terminals get.
ALTER TABLE store_legal ADD COLUMN country TEXT;
