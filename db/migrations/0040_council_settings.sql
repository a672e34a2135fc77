-- 0040: the council's own settings, one row for the whole database: who
-- runs the service, its contacts, the legal pages' facts, retention
-- periods, open data publisher and the non-digital route. No row means the
-- defaults (consult.DefaultSettings). mail_footer is what enqueueMail
-- appends to every mail, written with the rest so one read in the mail's
-- own transaction finds it.
CREATE TABLE council_settings (
	id                INTEGER PRIMARY KEY CHECK (id = 1),
	council_name      TEXT NOT NULL,
	service_name      TEXT NOT NULL,
	contact_email     TEXT NOT NULL,
	contact_phone     TEXT NOT NULL,
	postal_address    TEXT NOT NULL,
	dpo_contact       TEXT NOT NULL,
	a11y_status       TEXT NOT NULL CHECK (a11y_status IN ('fully', 'partially', 'not')),
	a11y_known_issues TEXT NOT NULL,
	a11y_prepared     TEXT NOT NULL,
	a11y_reviewed     TEXT NOT NULL,
	signer_months     INTEGER NOT NULL,
	respondent_months INTEGER NOT NULL,
	mail_days         INTEGER NOT NULL,
	ocds_publisher    TEXT NOT NULL,
	ocid_prefix       TEXT NOT NULL,
	paper_phone       TEXT NOT NULL,
	paper_address     TEXT NOT NULL,
	phase_banner      TEXT NOT NULL,
	feedback_url      TEXT NOT NULL,
	mail_footer       TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);
