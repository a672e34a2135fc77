-- 0017: the contract a consultation is about, if any, so the contract's page
-- lists its consultations and each consultation links to its contract. NULL:
-- about no contract in the register (a service not yet outsourced).
ALTER TABLE consultations ADD COLUMN contract_id INTEGER REFERENCES contracts(id);
CREATE INDEX consultations_contract_idx ON consultations(contract_id) WHERE contract_id IS NOT NULL;
