-- 0073: residents' objections to a published good-reason exemption in a
-- contract review (ballot.Objection), each counted once its email is
-- confirmed from the link mailed to it, as a signature is.
-- Never edit this file once shipped: add a new numbered file instead.
CREATE TABLE review_objections (
	id                 INTEGER PRIMARY KEY,
	review_id          INTEGER NOT NULL REFERENCES contract_reviews(id),
	name               TEXT NOT NULL,
	email              TEXT NOT NULL,
	reason             TEXT NOT NULL,
	confirm_token_hash TEXT NOT NULL UNIQUE,
	token_expires_at   TEXT NOT NULL,
	created_at         TEXT NOT NULL,
	confirmed_at       TEXT
);
CREATE INDEX review_objections_review_idx ON review_objections(review_id);
