-- 0006: abuse resistance. Never edit this file once shipped: add a new
-- numbered file instead.

-- Why a signature is held for a moderator ('' = not held): 'honeypot' (the
-- hidden field was filled in), 'fast' (the form came back in under the
-- minimum fill time) or 'timing' (its signed render time was missing or
-- altered). A held signature is never counted, even once its email is
-- confirmed, until a moderator approves it (which clears this and counts
-- it) or rejects it (which invalidates it and keeps the reason). So:
--   petitions.signature_count = confirmed rows with review_reason = ''.
ALTER TABLE signatures ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';
CREATE INDEX signatures_review_idx ON signatures(petition_id, id) WHERE review_reason <> '';

-- Email domains whose signatures are refused, kept by council admins.
CREATE TABLE blocked_domains (
	domain     TEXT PRIMARY KEY,   -- lower case, no @; also blocks its subdomains
	reason     TEXT NOT NULL,
	added_by   TEXT NOT NULL,
	created_at TEXT NOT NULL
) WITHOUT ROWID;

-- Random keys the server keeps across restarts, made on first use. Only
-- low-stakes keys belong here (a backup copies them): the form-timing key
-- signs the time a sign form was shown. The voter code key never does.
CREATE TABLE server_keys (
	name TEXT PRIMARY KEY,
	key  BLOB NOT NULL CHECK (length(key) >= 32)
) WITHOUT ROWID;
