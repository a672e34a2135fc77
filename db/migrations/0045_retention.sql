-- 0045: retention (issue 19). Personal data is anonymised some months after
-- it stops being needed (consult.Retention); these columns say when a row's
-- person went, so a run is idempotent and counts only what it changes, and
-- the moment a petition was rejected, which ends it as closing ends an
-- open one. Rejected petitions from before this take the time of their
-- audit entry.
ALTER TABLE signatures ADD COLUMN anonymised_at TEXT;
ALTER TABLE responses ADD COLUMN anonymised_at TEXT;
ALTER TABLE petitions ADD COLUMN campaigner_anonymised_at TEXT;
ALTER TABLE petitions ADD COLUMN rejected_at TEXT;

UPDATE petitions SET rejected_at = COALESCE((
	SELECT MAX(a.at) FROM audit_log a
	WHERE a.action = 'petition.reject' AND a.subject = 'petition:' || petitions.id), created_at)
WHERE status = 'rejected';
