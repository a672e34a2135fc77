-- 0011: say who typed in each paper consultation response (issue 16).
-- entered_by is the staff member's email, as the audit log names actors.
-- Paper responses entered before this migration have no record of who typed
-- them in and stay NULL; every new paper response must name someone, and an
-- online response names nobody.
ALTER TABLE responses ADD COLUMN entered_by TEXT;

CREATE TRIGGER responses_paper_entered_by BEFORE INSERT ON responses
WHEN (NEW.channel = 'paper' AND (NEW.entered_by IS NULL OR NEW.entered_by = ''))
	OR (NEW.channel = 'online' AND NEW.entered_by IS NOT NULL)
BEGIN
	SELECT RAISE(ABORT, 'a paper response names the staff member who entered it; an online one names nobody');
END;
