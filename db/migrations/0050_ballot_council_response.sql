-- 0050: what the council did after a recall ballot's result: exercised the
-- contract's break on a date, or did not, for a reason. Recorded once, on a
-- closed ballot (ballot.Ballot.CanRespond). response_exercised is NULL until
-- the response is recorded.
-- Never edit this file once shipped: add a new numbered file instead.
ALTER TABLE ballots ADD COLUMN response_exercised INTEGER CHECK (response_exercised IN (0, 1));
ALTER TABLE ballots ADD COLUMN response_break_on TEXT;
ALTER TABLE ballots ADD COLUMN response_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE ballots ADD COLUMN response_recorded_at TEXT;
