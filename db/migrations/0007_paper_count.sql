-- 0007: count paper responses beside the total, so tallies can say how
-- many came in on paper without counting rows.
ALTER TABLE consultations ADD COLUMN paper_response_count INTEGER NOT NULL DEFAULT 0;
UPDATE consultations SET paper_response_count =
	(SELECT COUNT(*) FROM responses r WHERE r.consultation_id = consultations.id AND r.channel = 'paper');
