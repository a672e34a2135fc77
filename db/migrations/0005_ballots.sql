-- 0005: recall ballots, voter codes, votes and receipts.
-- Never edit this file once shipped: add a new numbered file instead.
--
-- Secrecy is built into the schema, not left to the code:
--   * voter_codes keeps only a keyed hash of each code (the key is a file
--     outside the database) and whether it has been used. No time column.
--   * ballot_votes keeps the choice and nothing else: no code, no voter, no
--     time, and no rowid. Its key is a random token, so the order of the
--     rows (and of the pages that hold them) is random, not the order of
--     voting.
--   * ballot_receipts keeps the receipts, keyed by the random receipt and
--     not linked to the vote row.
-- The three tables share nothing but the ballot id. All three are WITHOUT
-- ROWID: an implicit rowid would number rows in insertion order.

CREATE TABLE ballots (
	id           INTEGER PRIMARY KEY,
	petition_id  INTEGER REFERENCES petitions(id),  -- NULL when set up for a contract directly
	contract_id  INTEGER NOT NULL REFERENCES contracts(id),
	question     TEXT NOT NULL,
	opens_at     TEXT NOT NULL,
	closes_at    TEXT NOT NULL CHECK (closes_at > opens_at),
	quorum_bp    INTEGER NOT NULL CHECK (quorum_bp BETWEEN 0 AND 10000),
	status       TEXT NOT NULL CHECK (status IN ('draft', 'open', 'closed')),
	-- the electorate of the ballot: how many codes exist
	codes_issued INTEGER NOT NULL DEFAULT 0 CHECK (codes_issued >= 0),
	-- votes cast, kept in the same transaction as each vote (turnout)
	votes_cast   INTEGER NOT NULL DEFAULT 0 CHECK (votes_cast >= 0 AND votes_cast <= codes_issued),
	closed_at    TEXT,
	created_at   TEXT NOT NULL
);
-- One recall ballot per petition.
CREATE UNIQUE INDEX ballots_petition_idx ON ballots(petition_id) WHERE petition_id IS NOT NULL;
CREATE INDEX ballots_contract_idx ON ballots(contract_id);

-- The options on the paper, in order, each with its counter of votes.
CREATE TABLE ballot_options (
	id        INTEGER PRIMARY KEY,
	ballot_id INTEGER NOT NULL REFERENCES ballots(id),
	position  INTEGER NOT NULL,
	label     TEXT NOT NULL,
	votes     INTEGER NOT NULL DEFAULT 0 CHECK (votes >= 0),
	UNIQUE (ballot_id, position),
	UNIQUE (ballot_id, label)
);

-- code_hash is HMAC-SHA256(key, ballot id ‖ code); see ballot.HashCode.
CREATE TABLE voter_codes (
	ballot_id INTEGER NOT NULL REFERENCES ballots(id),
	code_hash BLOB NOT NULL CHECK (length(code_hash) = 32),
	used      INTEGER NOT NULL DEFAULT 0 CHECK (used IN (0, 1)),
	PRIMARY KEY (ballot_id, code_hash)
) WITHOUT ROWID;

-- token is 16 random bytes drawn for the vote and never shown anywhere.
CREATE TABLE ballot_votes (
	ballot_id INTEGER NOT NULL REFERENCES ballots(id),
	token     BLOB NOT NULL CHECK (length(token) = 16),
	option_id INTEGER NOT NULL REFERENCES ballot_options(id),
	PRIMARY KEY (ballot_id, token)
) WITHOUT ROWID;

CREATE TABLE ballot_receipts (
	ballot_id INTEGER NOT NULL REFERENCES ballots(id),
	receipt   TEXT NOT NULL,
	PRIMARY KEY (ballot_id, receipt)
) WITHOUT ROWID;

-- A used code stays used, and a vote, once cast, is never changed or removed.
CREATE TRIGGER voter_codes_used_once BEFORE UPDATE OF used ON voter_codes
WHEN OLD.used = 1
BEGIN
	SELECT RAISE(ABORT, 'a used voter code stays used');
END;
CREATE TRIGGER ballot_votes_no_update BEFORE UPDATE ON ballot_votes
BEGIN
	SELECT RAISE(ABORT, 'votes are never changed');
END;
CREATE TRIGGER ballot_votes_no_delete BEFORE DELETE ON ballot_votes
BEGIN
	SELECT RAISE(ABORT, 'votes are never removed');
END;
