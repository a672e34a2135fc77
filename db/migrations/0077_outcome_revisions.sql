-- Earlier versions of a published outcome or decision, kept when staff
-- revise it, each with the public note saying what changed and why. The
-- current version stays on consultations.
CREATE TABLE outcome_revisions (
	id              INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES consultations(id),
	kind            TEXT NOT NULL CHECK (kind IN ('outcome', 'decision')),
	at              TEXT NOT NULL,
	actor           TEXT NOT NULL,
	note            TEXT NOT NULL,
	-- the version replaced: the outcome's three parts, or the decision's
	-- proposal, summary and in-house comparison
	was_a           TEXT NOT NULL,
	was_b           TEXT NOT NULL,
	was_c           TEXT NOT NULL,
	was_since       TEXT NOT NULL
);
CREATE INDEX outcome_revisions_consultation ON outcome_revisions (consultation_id, kind, id);
