-- 0066: documents attached to a contract (the contract, its summary,
-- variations, open-book accounts), kept in the database so that one file
-- holds everything to back up. content_type is what OurSay found the bytes
-- to be. A document withdrawn by mistake is deleted; the audit log keeps
-- that it was, and why.
CREATE TABLE contract_documents (
	id           INTEGER PRIMARY KEY,
	contract_id  INTEGER NOT NULL REFERENCES contracts(id),
	kind         TEXT NOT NULL,
	title        TEXT NOT NULL,
	dated        TEXT NOT NULL,
	redacted     INTEGER NOT NULL,
	reason       TEXT NOT NULL,
	filename     TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size         INTEGER NOT NULL,
	data         BLOB NOT NULL,
	created_at   TEXT NOT NULL,
	created_by   TEXT NOT NULL
);
CREATE INDEX contract_documents_contract_idx ON contract_documents(contract_id, dated);
