-- 0060: information requests about a contract, and the people who follow
-- them. The asker's personal data is requester_name and requester_email on
-- info_requests, and email on info_request_followers: retention anonymises
-- those (setting anonymised_at) some time after answered_at, the moment a
-- request was answered or refused. Only the SHA-256 of each link's token is kept.
CREATE TABLE info_requests (
	id                 INTEGER PRIMARY KEY,
	contract_id        INTEGER NOT NULL REFERENCES contracts(id),
	title              TEXT NOT NULL,
	body               TEXT NOT NULL,
	requester_name     TEXT NOT NULL,
	requester_email    TEXT NOT NULL,
	state              TEXT NOT NULL CHECK (state IN
		('unconfirmed', 'moderation', 'awaiting_response', 'answered', 'refused', 'rejected')),
	review_reason      TEXT NOT NULL DEFAULT '',
	confirm_token_hash TEXT UNIQUE,
	token_expires_at   TEXT,
	created_at         TEXT NOT NULL,
	confirmed_at       TEXT, -- received: the statutory clock starts
	due_on             TEXT, -- YYYY-MM-DD, the last day for an answer
	published_at       TEXT,
	answered_at        TEXT, -- answered or refused
	answer             TEXT NOT NULL DEFAULT '',
	exemption          TEXT NOT NULL DEFAULT '',
	refusal            TEXT NOT NULL DEFAULT '',
	rejection_reason   TEXT NOT NULL DEFAULT '',
	anonymised_at      TEXT
);
CREATE INDEX info_requests_contract_idx ON info_requests(contract_id, state);
CREATE INDEX info_requests_state_idx ON info_requests(state, due_on);

CREATE TABLE info_request_followers (
	id                 INTEGER PRIMARY KEY,
	request_id         INTEGER NOT NULL REFERENCES info_requests(id),
	email              TEXT NOT NULL,
	email_key          TEXT NOT NULL,
	confirm_token_hash TEXT UNIQUE,
	token_expires_at   TEXT,
	created_at         TEXT NOT NULL,
	confirmed_at       TEXT,
	-- The stop link in each mail to a follower: random, kept as sent, as
	-- losing it to a reader of the database costs no more than a follow.
	stop_token         TEXT NOT NULL UNIQUE,
	stopped_at         TEXT
);
CREATE INDEX info_request_followers_request_idx ON info_request_followers(request_id, email_key);
