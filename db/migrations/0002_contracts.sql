-- 0002: the contract register (the target of recall petitions), its KPIs
-- and break clauses, and the electorate figure that share-based recall
-- thresholds are counted against. The postcode list is in 0001.
-- Never edit this file once shipped: add a new numbered file instead.

-- Contract dates are days, stored as YYYY-MM-DD; timestamps are RFC 3339
-- UTC text as in 0001. Money is in pence.
CREATE TABLE contracts (
	id                 INTEGER PRIMARY KEY,
	title              TEXT NOT NULL,
	service            TEXT NOT NULL,
	provider           TEXT NOT NULL,
	description        TEXT NOT NULL,
	value_pence        INTEGER NOT NULL CHECK (value_pence >= 0),
	starts_on          TEXT NOT NULL,
	ends_on            TEXT NOT NULL CHECK (ends_on > starts_on),
	in_house_bid       INTEGER NOT NULL CHECK (in_house_bid IN (0, 1)),
	-- the recall rule (ballot.RecallRule)
	recall_kind        TEXT NOT NULL CHECK (recall_kind IN ('share', 'fixed')),
	recall_share_bp    INTEGER NOT NULL CHECK (recall_share_bp BETWEEN 0 AND 10000),
	recall_fixed_count INTEGER NOT NULL CHECK (recall_fixed_count >= 0),
	signing_days       INTEGER NOT NULL CHECK (signing_days BETWEEN 0 AND 366),
	created_at         TEXT NOT NULL,
	updated_at         TEXT NOT NULL
);
CREATE INDEX contracts_title_idx ON contracts(title);

CREATE TABLE contract_break_clauses (
	contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	break_on    TEXT NOT NULL,
	PRIMARY KEY (contract_id, break_on)
) WITHOUT ROWID;

-- One row per KPI and reporting period, in the order the officer gave them.
-- rating is '' before the first report.
CREATE TABLE contract_kpis (
	id          INTEGER PRIMARY KEY,
	contract_id INTEGER NOT NULL REFERENCES contracts(id) ON DELETE CASCADE,
	position    INTEGER NOT NULL,
	name        TEXT NOT NULL,
	target      TEXT NOT NULL,
	actual      TEXT NOT NULL,
	period      TEXT NOT NULL,
	rating      TEXT NOT NULL CHECK (rating IN ('', 'good', 'approaching_target', 'requires_improvement', 'inadequate'))
);
CREATE INDEX contract_kpis_contract_idx ON contract_kpis(contract_id, position);

-- Register snapshots: each figure the council records is kept, so a
-- petition's threshold can always be traced to the count it was fixed
-- against. The latest is the one with the newest as_of (then the newest id).
CREATE TABLE electorate_snapshots (
	id          INTEGER PRIMARY KEY,
	count       INTEGER NOT NULL CHECK (count > 0),
	as_of       TEXT NOT NULL,
	recorded_at TEXT NOT NULL
);
CREATE INDEX electorate_snapshots_as_of_idx ON electorate_snapshots(as_of, id);
