-- 0051: the contract register's Transparency Code and Our Services Our Say
-- fields (ballot.Contract, contract_register.go). Blank ('' or NULL) is
-- "not recorded": contracts entered before these fields existed keep them
-- blank until an officer edits them.
-- Never edit this file once shipped: add a new numbered file instead.
ALTER TABLE contracts ADD COLUMN reference TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN department TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN supplier_scheme TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN supplier_id TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN supplier_sme TEXT NOT NULL DEFAULT '' CHECK (supplier_sme IN ('', 'yes', 'no'));
ALTER TABLE contracts ADD COLUMN supplier_vcse TEXT NOT NULL DEFAULT '' CHECK (supplier_vcse IN ('', 'yes', 'no'));
ALTER TABLE contracts ADD COLUMN procurement_route TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN review_on TEXT; -- YYYY-MM-DD, NULL when none
ALTER TABLE contracts ADD COLUMN social_value_bp INTEGER NOT NULL DEFAULT 0 CHECK (social_value_bp BETWEEN 0 AND 10000);
ALTER TABLE contracts ADD COLUMN social_value_commitments TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN foi_clause TEXT NOT NULL DEFAULT '' CHECK (foi_clause IN ('', 'yes', 'no'));
ALTER TABLE contracts ADD COLUMN no_in_house_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE contracts ADD COLUMN at_risk_contact TEXT NOT NULL DEFAULT '' CHECK (at_risk_contact IN ('', 'yes', 'no'));
ALTER TABLE contracts ADD COLUMN rights_threat TEXT NOT NULL DEFAULT '' CHECK (rights_threat IN ('', 'yes', 'no'));
ALTER TABLE contracts ADD COLUMN irrecoverable_vat_pence INTEGER NOT NULL DEFAULT 0 CHECK (irrecoverable_vat_pence >= 0);
