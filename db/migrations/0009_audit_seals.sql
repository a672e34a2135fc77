-- 0009: the audit log's keyed seals. Each entry's hash already chains to
-- the ones before it, but anyone with the file could re-chain an edit. A
-- seal is an HMAC of an entry's hash under a key kept outside the database
-- (derived from the key file), written in the same transaction as the
-- entry; see db/audit_seal.go. Entries already in the log when this ran
-- were written without a key: legacy_until records how many, and
-- verification checks those by their hash chain alone.
CREATE TABLE audit_seals (
	id  INTEGER PRIMARY KEY REFERENCES audit_log (id),
	mac TEXT NOT NULL
);
CREATE TRIGGER audit_seals_no_update BEFORE UPDATE ON audit_seals
BEGIN
	SELECT RAISE(ABORT, 'audit seals are append-only');
END;
CREATE TRIGGER audit_seals_no_delete BEFORE DELETE ON audit_seals
BEGIN
	SELECT RAISE(ABORT, 'audit seals are append-only');
END;

CREATE TABLE audit_keying (
	legacy_until INTEGER NOT NULL
);
INSERT INTO audit_keying (legacy_until) SELECT COALESCE(MAX(id), 0) FROM audit_log;
