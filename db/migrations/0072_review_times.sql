-- 0072: how long before each end point of a contract its review opens, and
-- how long residents may challenge a published good-reason exemption
-- (consult.ReviewTimes). Saved settings take the defaults.
-- Never edit this file once shipped: add a new numbered file instead.
ALTER TABLE council_settings ADD COLUMN review_lead_months INTEGER NOT NULL DEFAULT 9;
ALTER TABLE council_settings ADD COLUMN challenge_days INTEGER NOT NULL DEFAULT 28;
