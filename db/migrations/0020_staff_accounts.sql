-- 0020: staff accounts managed in the browser. An account can be disabled
-- (it then cannot sign in and its sessions end for good) and an invited one has no
-- password until its owner sets one through a single-use link. Only the
-- SHA-256 of each link's token is kept.
ALTER TABLE users ADD COLUMN disabled_at TEXT;
-- Sessions signed in before this are over: set when an account is
-- disabled or its password changes.
ALTER TABLE users ADD COLUMN sessions_from TEXT;

CREATE TABLE password_tokens (
	token_hash TEXT PRIMARY KEY,
	user_id    INTEGER NOT NULL REFERENCES users(id),
	purpose    TEXT NOT NULL CHECK (purpose IN ('invite', 'reset')),
	created_at TEXT NOT NULL,
	expires_at TEXT NOT NULL,
	used_at    TEXT
);
CREATE INDEX password_tokens_user_idx ON password_tokens(user_id);
