-- 0001: sessions, staff, the audit log, consultations and their responses,
-- and the council's postcode list. Never edit this file once shipped: add a
-- new numbered file instead.

-- The scs sqlite3store table, exactly as that package expects it.
CREATE TABLE sessions (token TEXT PRIMARY KEY, data BLOB NOT NULL, expiry REAL NOT NULL);
CREATE INDEX sessions_expiry_idx ON sessions(expiry);

-- Timestamps are RFC 3339 UTC text with a fixed nine-digit fraction, so text
-- order is time order; NULL means "not set".

CREATE TABLE users (
	id            INTEGER PRIMARY KEY,
	email         TEXT NOT NULL UNIQUE,
	role          TEXT NOT NULL CHECK (role IN ('admin', 'moderator')),
	password_hash TEXT NOT NULL,
	created_at    TEXT NOT NULL
);

-- Each entry hashes the one before it; the store sets id = last id + 1.
CREATE TABLE audit_log (
	id        INTEGER PRIMARY KEY,
	at        TEXT NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	subject   TEXT NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);

-- Append-only: the chain of hashes shows tampering, these stop it by mistake.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;

CREATE TABLE consultations (
	id                   INTEGER PRIMARY KEY,
	slug                 TEXT NOT NULL UNIQUE,
	title                TEXT NOT NULL,
	summary              TEXT NOT NULL,
	-- the outsourcing record (consult.Record)
	service              TEXT NOT NULL,
	proposal             TEXT NOT NULL,
	public_interest_case TEXT NOT NULL,
	in_house_bid         TEXT NOT NULL,
	no_in_house_reason   TEXT NOT NULL,
	social_value_weight  INTEGER NOT NULL,
	at_risk_groups       INTEGER NOT NULL,
	exemption            TEXT NOT NULL,
	exemption_reason     TEXT NOT NULL,
	audience             TEXT NOT NULL CHECK (audience IN ('anyone', 'residents')),
	-- "scheduled" is derived from open + opens_at, never stored
	status               TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed', 'outcome_published')),
	opens_at             TEXT,
	closes_at            TEXT,
	live_results         INTEGER NOT NULL,
	-- kept in each response's own transaction; reading it never counts rows
	response_count       INTEGER NOT NULL DEFAULT 0,
	-- "We asked, you said, we did"; NULL until published
	outcome_we_asked     TEXT,
	outcome_you_said     TEXT,
	outcome_we_did       TEXT,
	outcome_published_at TEXT,
	-- the outsourcing decision; NULL until recorded through the gate
	decision_proposal    TEXT,
	decision_summary     TEXT,
	decision_comparison  TEXT,
	decision_recorded_at TEXT,
	created_at           TEXT NOT NULL,
	updated_at           TEXT NOT NULL
);
CREATE INDEX consultations_created_idx ON consultations(created_at);

CREATE TABLE questions (
	id              INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
	position        INTEGER NOT NULL,
	kind            TEXT NOT NULL CHECK (kind IN ('single', 'multiple', 'scale', 'text')),
	prompt          TEXT NOT NULL,
	hint            TEXT NOT NULL,
	required        INTEGER NOT NULL
);
CREATE INDEX questions_consultation_idx ON questions(consultation_id, position);

CREATE TABLE options (
	id          INTEGER PRIMARY KEY,
	question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	label       TEXT NOT NULL
);
CREATE INDEX options_question_idx ON options(question_id, position);

-- Counters per question: choice 0 counts the responses that answered it;
-- otherwise choice is an option id (choice questions) or a scale point 1..5.
CREATE TABLE tallies (
	question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
	choice      INTEGER NOT NULL,
	count       INTEGER NOT NULL,
	PRIMARY KEY (question_id, choice)
) WITHOUT ROWID;

-- email and paper_serial are NULL when absent, and NULLs never collide in a
-- UNIQUE constraint, so only real repeats are refused.
CREATE TABLE responses (
	id              INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES consultations(id),
	receipt         TEXT NOT NULL UNIQUE,
	channel         TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
	paper_serial    TEXT,
	email           TEXT,
	postcode        TEXT,
	created_at      TEXT NOT NULL,
	UNIQUE (consultation_id, email),
	UNIQUE (consultation_id, paper_serial)
);

-- One row per option chosen; scale and text answers take one row each.
-- option_id carries no foreign key: the store checks it against the question
-- in the same transaction, and questions (with their options) can only be
-- deleted from drafts, which have no answers.
CREATE TABLE answers (
	response_id INTEGER NOT NULL REFERENCES responses(id),
	question_id INTEGER NOT NULL REFERENCES questions(id),
	option_id   INTEGER,
	scale       INTEGER CHECK (scale BETWEEN 1 AND 5),
	text        TEXT
);
CREATE INDEX answers_response_idx ON answers(response_id);
-- Also serves the foreign-key check when a draft's question is deleted.
CREATE INDEX answers_question_idx ON answers(question_id, option_id);

-- The council's area, for residents-only consultations; ward_code is the
-- GSS code used for breakdowns by ward.
CREATE TABLE postcodes (
	postcode  TEXT PRIMARY KEY,
	ward      TEXT NOT NULL,
	ward_code TEXT NOT NULL
) WITHOUT ROWID;
