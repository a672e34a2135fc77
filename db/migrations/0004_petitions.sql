-- 0004: recall petitions, their signatures and per-ward counters.
-- Timestamps as in 0001: RFC 3339 UTC text with nine fraction digits, NULL = not set.

CREATE TABLE petitions (
	id                    INTEGER PRIMARY KEY,
	contract_id           INTEGER NOT NULL REFERENCES contracts(id),
	title                 TEXT NOT NULL,
	reasons               TEXT NOT NULL,
	campaigner_name       TEXT NOT NULL,
	campaigner_email      TEXT NOT NULL,
	-- SHA-256 of the campaigner's confirmation token; the token itself is only in the email
	campaigner_token_hash TEXT NOT NULL UNIQUE,
	share_token           TEXT NOT NULL UNIQUE,
	status                TEXT NOT NULL CHECK (status IN ('unconfirmed', 'sponsoring', 'moderation', 'open', 'rejected')),
	rejection_reason      TEXT NOT NULL DEFAULT '',
	sponsors_needed       INTEGER NOT NULL,
	sponsor_count         INTEGER NOT NULL DEFAULT 0,
	count_policy          TEXT NOT NULL CHECK (count_policy IN ('live', 'sealed')),
	threshold             INTEGER NOT NULL DEFAULT 0,
	electorate_count      INTEGER NOT NULL DEFAULT 0,
	electorate_as_of      TEXT,
	opened_at             TEXT,
	closes_at             TEXT,
	threshold_met_at      TEXT,
	-- confirmed signatures, kept in the same transaction as each change
	signature_count       INTEGER NOT NULL DEFAULT 0 CHECK (signature_count >= 0),
	milestone             INTEGER NOT NULL DEFAULT 0,
	created_at            TEXT NOT NULL
);
CREATE INDEX petitions_contract_idx ON petitions(contract_id);

-- The moment a threshold is met is recorded once and never undone.
CREATE TRIGGER petitions_threshold_once BEFORE UPDATE OF threshold_met_at ON petitions
WHEN OLD.threshold_met_at IS NOT NULL AND (NEW.threshold_met_at IS NULL OR NEW.threshold_met_at <> OLD.threshold_met_at)
BEGIN
	SELECT RAISE(ABORT, 'threshold_met_at is set once and never changed');
END;

CREATE TABLE signatures (
	id                  INTEGER PRIMARY KEY,
	petition_id         INTEGER NOT NULL REFERENCES petitions(id),
	name                TEXT NOT NULL,
	name_key            TEXT NOT NULL,
	email               TEXT,          -- NULL on paper
	email_key           TEXT,          -- ballot.EmailKey; one per petition
	postcode            TEXT NOT NULL,
	ward                TEXT NOT NULL,
	ward_code           TEXT NOT NULL,
	resident            INTEGER NOT NULL CHECK (resident = 1),
	sponsor             INTEGER NOT NULL DEFAULT 0,
	channel             TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
	sheet               TEXT,
	line                INTEGER,
	status              TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'withdrawn', 'invalidated')),
	confirm_token_hash  TEXT UNIQUE,
	withdraw_token_hash TEXT UNIQUE,
	token_expires_at    TEXT,
	created_at          TEXT NOT NULL,
	confirmed_at        TEXT,
	UNIQUE (petition_id, email_key),
	UNIQUE (petition_id, sheet, line)
);
CREATE INDEX signatures_name_postcode_idx ON signatures(petition_id, name_key, postcode);
CREATE INDEX signatures_created_idx ON signatures(petition_id, created_at);

-- Confirmed signatures per ward, kept as counters like the total.
CREATE TABLE petition_ward_counts (
	petition_id INTEGER NOT NULL REFERENCES petitions(id),
	ward_code   TEXT NOT NULL,
	ward        TEXT NOT NULL,
	count       INTEGER NOT NULL CHECK (count >= 0),
	PRIMARY KEY (petition_id, ward_code)
) WITHOUT ROWID;
