-- 0070: the at-risk test on a consultation's outsourcing record in its two
-- limbs (consult.AtRiskTest), and an exemption's evidence by kind
-- (consult.ExemptionClaim). The old single answer meant "significant contact
-- with at-risk groups, or a threat to people's rights"; a yes is kept as a
-- yes to the contact limb, so every consultation that met the test still
-- does. A public-public exemption's free-text reason named the other body,
-- so it moves to exemption_body. A below-threshold claim's free text stays
-- in exemption_reason: it has no figures to move, and the claim holds again
-- only once an officer enters the value and the threshold.
-- Never edit this file once shipped: add a new numbered file instead.
ALTER TABLE consultations RENAME COLUMN at_risk_groups TO at_risk_contact;
ALTER TABLE consultations ADD COLUMN rights_threat INTEGER NOT NULL DEFAULT 0;
ALTER TABLE consultations ADD COLUMN exemption_value_pence INTEGER NOT NULL DEFAULT 0 CHECK (exemption_value_pence >= 0);
ALTER TABLE consultations ADD COLUMN exemption_threshold_pence INTEGER NOT NULL DEFAULT 0 CHECK (exemption_threshold_pence >= 0);
ALTER TABLE consultations ADD COLUMN exemption_body TEXT NOT NULL DEFAULT '';
UPDATE consultations SET exemption_body = exemption_reason, exemption_reason = ''
	WHERE exemption = 'public_public';
