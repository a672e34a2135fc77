-- 0012: when an officer closed a consultation by hand, so residents see the
-- real closing time of one closed early rather than its planned date.
-- Consultations closed before this column existed take the time from their
-- audit entry.
ALTER TABLE consultations ADD COLUMN closed_at TEXT;

UPDATE consultations SET closed_at = (
	SELECT MAX(a.at) FROM audit_log a
	WHERE a.action = 'consultation.close' AND a.subject = 'consultation:' || consultations.slug)
WHERE status IN ('closed', 'outcome_published');
