-- 0008: consultations open only to holders of a code. The audience column's
-- CHECK (0001) cannot change in place, so such a consultation is stored as
-- audience 'anyone' with requires_code = 1; the store reads it back as
-- consult.AudienceCode. Codes are kept only as keyed hashes, as for ballots,
-- and a used code answers once.
ALTER TABLE consultations ADD COLUMN requires_code INTEGER NOT NULL DEFAULT 0 CHECK (requires_code IN (0, 1));

CREATE TABLE consultation_codes (
	consultation_id INTEGER NOT NULL REFERENCES consultations(id),
	code_hash       BLOB NOT NULL,
	used            INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
	PRIMARY KEY (consultation_id, code_hash)
) WITHOUT ROWID;
