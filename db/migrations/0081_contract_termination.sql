-- 0081: a contract ended early. terminated_on is its last day (NULL while
-- it runs to term); termination_reason says why. Recording one opens the
-- contract's termination review at once (db.ContractStore).
ALTER TABLE contracts ADD COLUMN terminated_on TEXT;
ALTER TABLE contracts ADD COLUMN termination_reason TEXT NOT NULL DEFAULT '';
