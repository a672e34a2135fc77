-- 0003: the mail outbox. Mail is queued here in the same transaction as the
-- change that causes it and sent later by one worker, so a slow or absent
-- mail server never slows or fails a request. Never edit this file once
-- shipped: add a new numbered file instead.

CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	to_addr    TEXT NOT NULL,
	subject    TEXT NOT NULL,
	body       TEXT NOT NULL,
	created_at TEXT NOT NULL,
	-- not sent before this; each failed attempt moves it on (backoff)
	send_after TEXT NOT NULL,
	-- delivery attempts made, the successful one included
	attempts   INTEGER NOT NULL DEFAULT 0,
	last_error TEXT NOT NULL DEFAULT '',
	-- NULL until the SMTP server has accepted the mail
	sent_at    TEXT
);

-- The worker's poll reads only unsent mail in due order; sent mail, which is
-- nearly all of the table, stays out of this index.
CREATE INDEX outbox_due_idx ON outbox(send_after, id) WHERE sent_at IS NULL;
