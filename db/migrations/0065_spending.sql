-- 0065: the council's spending over GBP 500, imported from its Transparency
-- Code files. A file is staged first (kept whole, so that an officer can
-- check how its columns were read), then saved or cancelled. Each payment is
-- kept once: spend_key is the line's de-duplication key (ballot.SpendLine.Key),
-- so a file imported twice adds nothing.
CREATE TABLE spend_imports (
	id          INTEGER PRIMARY KEY,
	filename    TEXT NOT NULL,
	csv         BLOB NOT NULL,
	status      TEXT NOT NULL CHECK (status IN ('pending', 'saved', 'cancelled')),
	created_by  TEXT NOT NULL,
	created_at  TEXT NOT NULL,
	saved_at    TEXT,
	lines       INTEGER NOT NULL DEFAULT 0,
	added       INTEGER NOT NULL DEFAULT 0,
	duplicates  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE spend_lines (
	id                 INTEGER PRIMARY KEY,
	spend_key          TEXT NOT NULL UNIQUE,
	import_id          INTEGER NOT NULL REFERENCES spend_imports(id),
	line               INTEGER NOT NULL,
	body               TEXT NOT NULL,
	paid_on            TEXT NOT NULL,
	transaction_number TEXT NOT NULL,
	amount_pence       INTEGER NOT NULL,
	supplier           TEXT NOT NULL,
	supplier_reg_no    TEXT NOT NULL,
	expense_type       TEXT NOT NULL,
	expense_area       TEXT NOT NULL,
	contract_ref       TEXT NOT NULL,
	contract_id        INTEGER REFERENCES contracts(id),
	matched_by         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX spend_lines_contract_idx ON spend_lines(contract_id, paid_on);
