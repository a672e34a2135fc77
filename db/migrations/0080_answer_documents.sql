-- 0080: a document can be released with the answer to an information
-- request about the contract. request_id names that request; it is NULL
-- for the contract's own documents (the contract, summary, variations,
-- open-book accounts).
ALTER TABLE contract_documents ADD COLUMN request_id INTEGER REFERENCES info_requests(id);
CREATE INDEX contract_documents_request_idx ON contract_documents(request_id) WHERE request_id IS NOT NULL;
