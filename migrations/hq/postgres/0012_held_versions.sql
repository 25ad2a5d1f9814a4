-- What each terminal holds of the staff list (its version, reported at every check-in), beside the
-- catalog version it already reports: an HQ restored from an older backup numbers its next catalog
-- and its next staff change past what its fleet holds (hq/held.ts), or the terminals would refuse
-- them as rollbacks, and the fleet page says the HQ is behind until then.
ALTER TABLE terminal ADD COLUMN staff_version BIGINT;
