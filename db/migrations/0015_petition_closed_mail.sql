-- 0015: when the campaigner was mailed the final count of a petition whose
-- signing had closed. Closing is a moment in time, not an action, so a
-- sweep (PetitionStore.MailClosed) finds the petitions due and sets this in
-- the transaction that queues the mail: each campaigner is mailed once,
-- whatever restarts or retries happen. Petitions that closed before this
-- column existed are marked as mailed, so an upgrade sends no stale mail.
ALTER TABLE petitions ADD COLUMN closed_mailed_at TEXT;

UPDATE petitions SET closed_mailed_at = closes_at
WHERE status = 'open' AND closes_at IS NOT NULL AND closes_at <= strftime('%Y-%m-%dT%H:%M:%fZ', 'now');

CREATE INDEX petitions_close_due_idx ON petitions(closes_at) WHERE status = 'open' AND closed_mailed_at IS NULL;
