-- 0030: themes officers tag free-text answers with (issue 18, item 9), and
-- the respondent's wish to be emailed when the outcome is published.
-- A theme belongs to one consultation; its name is unique there, ignoring
-- case (consult.ValidateThemeName says so first, this stops a race).
CREATE TABLE themes (
	id              INTEGER PRIMARY KEY,
	consultation_id INTEGER NOT NULL REFERENCES consultations(id) ON DELETE CASCADE,
	name            TEXT NOT NULL,
	created_at      TEXT NOT NULL
);
CREATE UNIQUE INDEX themes_name_idx ON themes(consultation_id, name COLLATE NOCASE);

-- One row per tag: a response's answer to a free-text question carries a
-- theme. Deleting a theme removes its tags.
CREATE TABLE answer_themes (
	response_id INTEGER NOT NULL REFERENCES responses(id),
	question_id INTEGER NOT NULL REFERENCES questions(id),
	theme_id    INTEGER NOT NULL REFERENCES themes(id) ON DELETE CASCADE,
	PRIMARY KEY (response_id, question_id, theme_id)
) WITHOUT ROWID;
CREATE INDEX answer_themes_theme_idx ON answer_themes(theme_id);

-- 1: tell this respondent, by the email they gave, when the outcome is
-- published. Responses from before this column asked for nothing.
ALTER TABLE responses ADD COLUMN notify_outcome INTEGER NOT NULL DEFAULT 0;
