-- 0031: corrections to a published consultation (issue 18, item 2): a new
-- closing date, or better wording of its title or summary. Each row is
-- shown on the public page with when and by whom; none is ever changed.
-- Closing dates are stored as RFC 3339 UTC text, like every other time.
CREATE TABLE consultation_corrections (
	id              INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
	at              TEXT NOT NULL,
	actor           TEXT NOT NULL,
	field           TEXT NOT NULL CHECK (field IN ('closes_at', 'title', 'summary')),
	old_value       TEXT NOT NULL,
	new_value       TEXT NOT NULL
);
CREATE INDEX consultation_corrections_idx ON consultation_corrections(consultation_id, id);

CREATE TRIGGER consultation_corrections_no_update BEFORE UPDATE ON consultation_corrections
BEGIN
	SELECT RAISE(ABORT, 'corrections are kept as made');
END;
