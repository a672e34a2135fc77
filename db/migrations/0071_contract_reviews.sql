-- 0071: contract reviews (ballot.ContractReview), one for each end point of
-- a contract: its end, a break clause, its review date or a termination.
-- The at-risk test and exemption columns match the consultations' (0070).
-- A published review is never changed; the store refuses it.
-- Never edit this file once shipped: add a new numbered file instead.
CREATE TABLE contract_reviews (
	id                        INTEGER PRIMARY KEY,
	contract_id               INTEGER NOT NULL REFERENCES contracts(id),
	point                     TEXT NOT NULL CHECK (point IN ('end', 'break', 'review', 'termination')),
	point_on                  TEXT NOT NULL, -- YYYY-MM-DD
	status                    TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	at_risk_contact           INTEGER NOT NULL DEFAULT 0,
	rights_threat             INTEGER NOT NULL DEFAULT 0,
	exemption                 TEXT NOT NULL DEFAULT '',
	exemption_reason          TEXT NOT NULL DEFAULT '',
	exemption_value_pence     INTEGER NOT NULL DEFAULT 0 CHECK (exemption_value_pence >= 0),
	exemption_threshold_pence INTEGER NOT NULL DEFAULT 0 CHECK (exemption_threshold_pence >= 0),
	exemption_body            TEXT NOT NULL DEFAULT '',
	public_interest_case      TEXT NOT NULL DEFAULT '',
	in_house_cost_pence       INTEGER NOT NULL DEFAULT 0 CHECK (in_house_cost_pence >= 0),
	in_house_quality          TEXT NOT NULL DEFAULT '',
	in_house_workforce        TEXT NOT NULL DEFAULT '',
	in_house_risk             TEXT NOT NULL DEFAULT '',
	route                     TEXT NOT NULL DEFAULT '',
	created_at                TEXT NOT NULL,
	created_by                TEXT NOT NULL,
	saved_at                  TEXT,
	published_at              TEXT,
	challenge_ends_at         TEXT,
	UNIQUE (contract_id, point, point_on)
);
