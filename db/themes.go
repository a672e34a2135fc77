package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// consultationID returns the id of the consultation with slug, or
// consult.ErrNotFound.
func consultationID(ctx context.Context, q querier, slug string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM consultations WHERE slug = ?`, slug).Scan(&id)
	return id, mapErr(err)
}

// Themes lists a consultation's themes by name. It returns consult.ErrNotFound.
func (s *ConsultStore) Themes(ctx context.Context, slug string) ([]consult.Theme, error) {
	cid, err := consultationID(ctx, s.db.reader, slug)
	if err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	ts, err := loadThemes(ctx, s.db.reader, cid)
	if err != nil {
		return nil, fmt.Errorf("themes: %w", err)
	}
	return ts, nil
}

func loadThemes(ctx context.Context, q querier, cid int64) ([]consult.Theme, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name FROM themes WHERE consultation_id = ?
		ORDER BY name COLLATE NOCASE, id`, cid)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []consult.Theme
	for rows.Next() {
		t := consult.Theme{ConsultationID: cid}
		if err := rows.Scan(&t.ID, &t.Name); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// themeChange runs a change to a consultation's themes in one transaction
// with its themes loaded, audits it, and tells the live pages once
// committed: theme counts show on the published outcome.
func (s *ConsultStore) themeChange(ctx context.Context, slug, actor, action string,
	fn func(tx *sql.Tx, cid int64, themes []consult.Theme, now time.Time) (string, error)) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		cid, err := consultationID(ctx, tx, slug)
		if err != nil {
			return err
		}
		themes, err := loadThemes(ctx, tx, cid)
		if err != nil {
			return err
		}
		detail, err := fn(tx, cid, themes, now)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, action, subject(slug), detail)
	})
	if err == nil {
		publish(s.Pub, consult.ConsultationTopic(slug))
	}
	return err
}

// nameTaken turns a unique-index violation (two officers naming a theme
// at once) into the message ValidateThemeName gives.
func nameTaken(err error, name string) error {
	if isUnique(err) {
		return &consult.ValidationError{Fields: map[string]string{"theme_name": "This consultation already has a theme called ‘" + name + "’"}}
	}
	return err
}

// CreateTheme adds a theme and sets t.ID and t.Name (normalised). It
// returns consult.ErrNotFound or a *consult.ValidationError.
func (s *ConsultStore) CreateTheme(ctx context.Context, slug string, t *consult.Theme, actor string) error {
	name := consult.NormaliseThemeName(t.Name)
	err := s.themeChange(ctx, slug, actor, "consultation.theme_create", func(tx *sql.Tx, cid int64, themes []consult.Theme, now time.Time) (string, error) {
		if err := consult.ValidateThemeName(name, themes, 0); err != nil {
			return "", err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO themes (consultation_id, name, created_at) VALUES (?, ?, ?)`,
			cid, name, fmtTime(now))
		if err != nil {
			return "", nameTaken(err, name)
		}
		t.ID, err = res.LastInsertId()
		t.ConsultationID, t.Name = cid, name
		return name, err
	})
	if err != nil {
		return fmt.Errorf("create theme: %w", err)
	}
	return nil
}

// findTheme returns the theme with id among themes, or consult.ErrNotFound.
func findTheme(themes []consult.Theme, id int64) (consult.Theme, error) {
	for _, t := range themes {
		if t.ID == id {
			return t, nil
		}
	}
	return consult.Theme{}, consult.ErrNotFound
}

// RenameTheme renames a theme of the consultation; its tags stay. It
// returns consult.ErrNotFound or a *consult.ValidationError.
func (s *ConsultStore) RenameTheme(ctx context.Context, slug string, id int64, name, actor string) error {
	name = consult.NormaliseThemeName(name)
	err := s.themeChange(ctx, slug, actor, "consultation.theme_rename", func(tx *sql.Tx, cid int64, themes []consult.Theme, now time.Time) (string, error) {
		old, err := findTheme(themes, id)
		if err != nil {
			return "", err
		}
		if err := consult.ValidateThemeName(name, themes, id); err != nil {
			return "", err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE themes SET name = ? WHERE id = ?`, name, id); err != nil {
			return "", nameTaken(err, name)
		}
		return old.Name + " → " + name, nil
	})
	if err != nil {
		return fmt.Errorf("rename theme: %w", err)
	}
	return nil
}

// DeleteTheme removes a theme of the consultation and every tag of it. It
// returns consult.ErrNotFound.
func (s *ConsultStore) DeleteTheme(ctx context.Context, slug string, id int64, actor string) error {
	err := s.themeChange(ctx, slug, actor, "consultation.theme_delete", func(tx *sql.Tx, cid int64, themes []consult.Theme, now time.Time) (string, error) {
		t, err := findTheme(themes, id)
		if err != nil {
			return "", err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM answer_themes WHERE theme_id = ?`, id)
		if err != nil {
			return "", err
		}
		tags, _ := res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `DELETE FROM themes WHERE id = ?`, id); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s (on %d answers)", t.Name, tags), nil
	})
	if err != nil {
		return fmt.Errorf("delete theme: %w", err)
	}
	return nil
}

// textQuestion checks that questionID is a free-text question of the
// consultation cid; anything else is consult.ErrNotFound.
func textQuestion(ctx context.Context, q querier, cid, questionID int64) error {
	var ok bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM questions
		WHERE id = ? AND consultation_id = ? AND kind = 'text')`, questionID, cid).Scan(&ok)
	if err == nil && !ok {
		err = consult.ErrNotFound
	}
	return err
}

// likePattern matches s anywhere, with LIKE's own wildcards escaped.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.TrimSpace(s)) + "%"
}

// TextAnswers returns a page of the answers to a free-text question, oldest
// first, with their theme ids. It returns consult.ErrNotFound for an
// unknown consultation or a question of it that is not free text.
func (s *ConsultStore) TextAnswers(ctx context.Context, slug string, q consult.AnswerQuery) (*consult.AnswerPage, error) {
	cid, err := consultationID(ctx, s.db.reader, slug)
	if err == nil {
		err = textQuestion(ctx, s.db.reader, cid, q.QuestionID)
	}
	if err != nil {
		return nil, fmt.Errorf("text answers: %w", err)
	}
	const where = ` FROM answers a JOIN responses r ON r.id = a.response_id
		WHERE a.question_id = ?1 AND a.text IS NOT NULL AND a.text LIKE ?2 ESCAPE '\'`
	like := likePattern(q.Search)
	p := &consult.AnswerPage{}
	if err := s.db.reader.QueryRowContext(ctx, `SELECT COUNT(*)`+where, q.QuestionID, like).Scan(&p.Total); err != nil {
		return nil, fmt.Errorf("text answers: %w", err)
	}
	rows, err := s.db.reader.QueryContext(ctx, `SELECT r.id, r.receipt, r.channel, r.created_at, a.text,
		(SELECT group_concat(t.theme_id) FROM answer_themes t WHERE t.response_id = r.id AND t.question_id = a.question_id)`+
		where+` ORDER BY r.id LIMIT ?3 OFFSET ?4`, q.QuestionID, like, q.Limit, q.Offset)
	if err != nil {
		return nil, fmt.Errorf("text answers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		a := consult.TextAnswer{QuestionID: q.QuestionID}
		var created string
		var themes sql.NullString
		if err := rows.Scan(&a.ResponseID, &a.Receipt, &a.Channel, &created, &a.Text, &themes); err != nil {
			return nil, fmt.Errorf("text answers: %w", err)
		}
		if a.CreatedAt, err = parseTime(sql.NullString{String: created, Valid: true}); err != nil {
			return nil, fmt.Errorf("text answers: %w", err)
		}
		for _, f := range strings.Split(themes.String, ",") {
			if id, err := strconv.ParseInt(f, 10, 64); err == nil {
				a.ThemeIDs = append(a.ThemeIDs, id)
			}
		}
		p.Answers = append(p.Answers, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("text answers: %w", err)
	}
	return p, nil
}

// TagAnswers sets the themes of the named answers to one free-text
// question, all in one transaction, and audits what changed. It returns
// consult.ErrNotFound for an unknown consultation, question, answer or
// theme, and then changes nothing.
func (s *ConsultStore) TagAnswers(ctx context.Context, slug string, questionID int64, tags map[int64][]int64, actor string) error {
	err := s.themeChange(ctx, slug, actor, "consultation.tag_answers", func(tx *sql.Tx, cid int64, themes []consult.Theme, now time.Time) (string, error) {
		if err := textQuestion(ctx, tx, cid, questionID); err != nil {
			return "", err
		}
		ids := make([]int64, 0, len(tags))
		for id := range tags {
			ids = append(ids, id)
		}
		sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
		var changed []string
		for _, rid := range ids {
			c, err := tagAnswer(ctx, tx, rid, questionID, tags[rid], themes)
			if err != nil {
				return "", err
			}
			if c != "" {
				changed = append(changed, c)
			}
		}
		return fmt.Sprintf("question %d: %d answers changed: %s", questionID, len(changed), strings.Join(changed, "; ")), nil
	})
	if err != nil {
		return fmt.Errorf("tag answers: %w", err)
	}
	return nil
}

// tagAnswer replaces one answer's themes and says what changed, like
// "response 5 +Cost -Parking", or "" when nothing did.
func tagAnswer(ctx context.Context, tx *sql.Tx, responseID, questionID int64, want []int64, themes []consult.Theme) (string, error) {
	var exists bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM answers
		WHERE response_id = ? AND question_id = ? AND text IS NOT NULL)`, responseID, questionID).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		return "", consult.ErrNotFound
	}
	had := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT theme_id FROM answer_themes WHERE response_id = ? AND question_id = ?`, responseID, questionID)
	if err != nil {
		return "", err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return "", err
		}
		had[id] = true
	}
	rows.Close()
	var diff []string
	wanted := map[int64]bool{}
	for _, id := range want {
		t, err := findTheme(themes, id)
		if err != nil {
			return "", err
		}
		if wanted[id] {
			continue
		}
		wanted[id] = true
		if !had[id] {
			if _, err := tx.ExecContext(ctx, `INSERT INTO answer_themes (response_id, question_id, theme_id) VALUES (?, ?, ?)`,
				responseID, questionID, id); err != nil {
				return "", err
			}
			diff = append(diff, "+"+t.Name)
		}
	}
	for _, t := range themes {
		if had[t.ID] && !wanted[t.ID] {
			if _, err := tx.ExecContext(ctx, `DELETE FROM answer_themes WHERE response_id = ? AND question_id = ? AND theme_id = ?`,
				responseID, questionID, t.ID); err != nil {
				return "", err
			}
			diff = append(diff, "-"+t.Name)
		}
	}
	if len(diff) == 0 {
		return "", nil
	}
	return fmt.Sprintf("response %d %s", responseID, strings.Join(diff, " ")), nil
}

// ThemeCounts counts, per free-text question, the answers carrying each
// theme, most first and then by name. It returns consult.ErrNotFound.
func (s *ConsultStore) ThemeCounts(ctx context.Context, slug string) (map[int64][]consult.ThemeCount, error) {
	cid, err := consultationID(ctx, s.db.reader, slug)
	if err != nil {
		return nil, fmt.Errorf("theme counts: %w", err)
	}
	rows, err := s.db.reader.QueryContext(ctx, `SELECT a.question_id, t.id, t.name, COUNT(*)
		FROM answer_themes a JOIN themes t ON t.id = a.theme_id
		WHERE t.consultation_id = ? GROUP BY a.question_id, t.id
		ORDER BY a.question_id, COUNT(*) DESC, t.name COLLATE NOCASE`, cid)
	if err != nil {
		return nil, fmt.Errorf("theme counts: %w", err)
	}
	defer rows.Close()
	out := map[int64][]consult.ThemeCount{}
	for rows.Next() {
		var qid int64
		tc := consult.ThemeCount{Theme: consult.Theme{ConsultationID: cid}}
		if err := rows.Scan(&qid, &tc.Theme.ID, &tc.Theme.Name, &tc.Count); err != nil {
			return nil, fmt.Errorf("theme counts: %w", err)
		}
		out[qid] = append(out[qid], tc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("theme counts: %w", err)
	}
	return out, nil
}

// AnswerThemes returns the theme names of every tagged answer of the
// consultation, each list in name order. It returns consult.ErrNotFound.
func (s *ConsultStore) AnswerThemes(ctx context.Context, slug string) (map[consult.AnswerKey][]string, error) {
	cid, err := consultationID(ctx, s.db.reader, slug)
	if err != nil {
		return nil, fmt.Errorf("answer themes: %w", err)
	}
	rows, err := s.db.reader.QueryContext(ctx, `SELECT a.response_id, a.question_id, t.name
		FROM answer_themes a JOIN themes t ON t.id = a.theme_id
		WHERE t.consultation_id = ? ORDER BY a.response_id, a.question_id, t.name COLLATE NOCASE`, cid)
	if err != nil {
		return nil, fmt.Errorf("answer themes: %w", err)
	}
	defer rows.Close()
	out := map[consult.AnswerKey][]string{}
	for rows.Next() {
		var k consult.AnswerKey
		var name string
		if err := rows.Scan(&k.ResponseID, &k.QuestionID, &name); err != nil {
			return nil, fmt.Errorf("answer themes: %w", err)
		}
		out[k] = append(out[k], name)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("answer themes: %w", err)
	}
	return out, nil
}
