-- 0010: only a confirmed signature reserves its email (issue 16). The
-- UNIQUE (petition_id, email_key) of 0004 also held pending, withdrawn and
-- invalidated rows, so a withdrawn signer could never sign again and an
-- unconfirmed signature typed with someone else's address blocked them.
-- A table constraint cannot be dropped in SQLite, so the table is rebuilt
-- with the same columns and rows, and the rule becomes a partial unique
-- index on confirmed rows. Pending signatures now reserve nothing: the
-- confirm path checks again under the write lock, and this index refuses a
-- second confirmed row for one email even if that check were skipped.
CREATE TABLE signatures_0009 (
	id                  INTEGER PRIMARY KEY,
	petition_id         INTEGER NOT NULL REFERENCES petitions(id),
	name                TEXT NOT NULL,
	name_key            TEXT NOT NULL,
	email               TEXT,          -- NULL on paper
	email_key           TEXT,          -- ballot.EmailKey; one confirmed per petition
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
	review_reason       TEXT NOT NULL DEFAULT '',
	UNIQUE (petition_id, sheet, line)
);
INSERT INTO signatures_0009 (id, petition_id, name, name_key, email, email_key, postcode, ward, ward_code,
	resident, sponsor, channel, sheet, line, status, confirm_token_hash, withdraw_token_hash, token_expires_at,
	created_at, confirmed_at, review_reason)
SELECT id, petition_id, name, name_key, email, email_key, postcode, ward, ward_code,
	resident, sponsor, channel, sheet, line, status, confirm_token_hash, withdraw_token_hash, token_expires_at,
	created_at, confirmed_at, review_reason FROM signatures;
DROP TABLE signatures;
ALTER TABLE signatures_0009 RENAME TO signatures;
CREATE INDEX signatures_name_postcode_idx ON signatures(petition_id, name_key, postcode);
CREATE INDEX signatures_created_idx ON signatures(petition_id, created_at);
CREATE INDEX signatures_review_idx ON signatures(petition_id, id) WHERE review_reason <> '';
CREATE UNIQUE INDEX signatures_email_confirmed_idx ON signatures(petition_id, email_key) WHERE status = 'confirmed';
