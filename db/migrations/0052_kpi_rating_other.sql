-- 0052: the Procurement Act 2023's fifth KPI rating, "other" (performance
-- that cannot be described as good, approaching target, requires
-- improvement or inadequate), which contract performance notices allow. A
-- CHECK cannot be changed in SQLite, so the table is rebuilt with the same
-- columns, rows and index.
CREATE TABLE contract_kpis_0051 (
	id          INTEGER PRIMARY KEY,
	contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	name        TEXT NOT NULL,
	target      TEXT NOT NULL,
	actual      TEXT NOT NULL,
	period      TEXT NOT NULL,
	rating      TEXT NOT NULL CHECK (rating IN ('', 'good', 'approaching_target', 'requires_improvement', 'inadequate', 'other'))
);
INSERT INTO contract_kpis_0051 (id, contract_id, position, name, target, actual, period, rating)
SELECT id, contract_id, position, name, target, actual, period, rating FROM contract_kpis;
DROP TABLE contract_kpis;
ALTER TABLE contract_kpis_0051 RENAME TO contract_kpis;
CREATE INDEX contract_kpis_contract_idx ON contract_kpis(contract_id, position);
