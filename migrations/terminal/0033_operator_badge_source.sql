-- Where a badge was issued (core/operators/staff.ts): 'terminal' (npm run badge:issue on this till)
-- or 'hq' (in HQ's signed staff list, hq/staff-badges.ts). Each staff list from HQ replaces the
-- 'hq' badges; a terminal's own stay, working while their operator is on the staff.
ALTER TABLE operator_badge ADD COLUMN source TEXT NOT NULL DEFAULT 'terminal' CHECK (source IN ('terminal', 'hq'));
