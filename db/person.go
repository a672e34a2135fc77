package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// People finds, exports and erases what is held about one email address,
// for an admin answering a person's request. It implements
// consult.PeopleStore. Every call is audited with the reason and counts,
// never the address (see the note in retention.go).
type People struct {
	db *DB
	// BaseURL starts the links of any mail a withdrawal's count brings.
	BaseURL string
	// Pub hears of each petition whose count an erasure changed.
	Pub consult.Publisher
}

var _ consult.PeopleStore = (*People)(nil)

// NewPeople returns the people store kept in d.
func NewPeople(d *DB) *People { return &People{db: d} }

// personSubject is the audit subject of every person.* entry.
const personSubject = "person"

// FindPerson returns everything held about q.Email, audited as person.find.
func (s *People) FindPerson(ctx context.Context, q consult.PersonRequest, actor string) (*consult.PersonData, error) {
	return s.look(ctx, q, actor, "person.find")
}

// ExportPerson is FindPerson audited as person.export.
func (s *People) ExportPerson(ctx context.Context, q consult.PersonRequest, actor string) (*consult.PersonData, error) {
	return s.look(ctx, q, actor, "person.export")
}

func (s *People) look(ctx context.Context, q consult.PersonRequest, actor, action string) (*consult.PersonData, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	var pd *consult.PersonData
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		if pd, err = loadPerson(ctx, tx, consult.NormaliseEmail(q.Email), now); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s (held: %d signatures, %d responses, %d petitions started, %d mails)",
			q.Reason, len(pd.Signatures), len(pd.Responses), len(pd.Petitions), len(pd.Mail))
		return appendAudit(ctx, tx, now, actor, action, personSubject, detail)
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	return pd, nil
}

// loadPerson reads everything held about email (normalised). Signatures
// match on the email key, so one made as name+tag@ is found for name@.
func loadPerson(ctx context.Context, tx *sql.Tx, email string, now time.Time) (*consult.PersonData, error) {
	pd := &consult.PersonData{Email: email}
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.petition_id, p.title, s.name, COALESCE(s.email, ''), s.postcode, s.ward,
		s.channel, s.status, s.sponsor, s.created_at FROM signatures s JOIN petitions p ON p.id = s.petition_id
		WHERE s.email_key = ? ORDER BY s.id`, ballot.EmailKey(email))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var g consult.PersonSignature
		var created sql.NullString
		if err := rows.Scan(&g.ID, &g.PetitionID, &g.PetitionTitle, &g.Name, &g.Email, &g.Postcode, &g.Ward,
			&g.Channel, &g.Status, &g.Sponsor, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if g.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		pd.Signatures = append(pd.Signatures, g)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	open := map[int64]bool{}
	for i, g := range pd.Signatures {
		if _, ok := open[g.PetitionID]; !ok {
			p, err := loadPetition(ctx, tx, g.PetitionID)
			if err != nil {
				return nil, err
			}
			open[g.PetitionID] = p.AcceptsWithdrawals(now)
		}
		pd.Signatures[i].Open = open[g.PetitionID]
	}

	rows, err = tx.QueryContext(ctx, `SELECT r.id, c.slug, c.title, r.receipt, r.channel, COALESCE(r.email, ''),
		COALESCE(r.postcode, ''), r.created_at FROM responses r JOIN consultations c ON c.id = r.consultation_id
		WHERE r.email = ? ORDER BY r.id`, email)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var r consult.PersonResponse
		var created sql.NullString
		if err := rows.Scan(&r.ID, &r.ConsultationSlug, &r.ConsultationTitle, &r.Receipt, &r.Channel, &r.Email,
			&r.Postcode, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if r.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		pd.Responses = append(pd.Responses, r)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	for i := range pd.Responses {
		if pd.Responses[i].Answers, err = personAnswers(ctx, tx, pd.Responses[i].ID); err != nil {
			return nil, err
		}
	}

	rows, err = tx.QueryContext(ctx, `SELECT id, title, status, campaigner_name, campaigner_email, created_at
		FROM petitions WHERE lower(campaigner_email) = ? ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var p consult.PersonPetition
		var created sql.NullString
		if err := rows.Scan(&p.ID, &p.Title, &p.Status, &p.CampaignerName, &p.Email, &created); err != nil {
			rows.Close()
			return nil, err
		}
		if p.CreatedAt, err = parseTime(created); err != nil {
			rows.Close()
			return nil, err
		}
		pd.Petitions = append(pd.Petitions, p)
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT id, subject, body, created_at, sent_at FROM outbox
		WHERE lower(to_addr) = ? ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var m consult.PersonMail
		var created, sent sql.NullString
		if err := rows.Scan(&m.ID, &m.Subject, &m.Body, &created, &sent); err != nil {
			rows.Close()
			return nil, err
		}
		if m.CreatedAt, err = parseTime(created); err == nil {
			m.SentAt, err = parseTime(sent)
		}
		if err != nil {
			rows.Close()
			return nil, err
		}
		pd.Mail = append(pd.Mail, m)
	}
	return pd, closeRows(rows)
}

// personAnswers reads a response's answers as the person gave them: the
// option's label, the scale point or the text.
func personAnswers(ctx context.Context, tx *sql.Tx, responseID int64) ([]consult.PersonAnswer, error) {
	rows, err := tx.QueryContext(ctx, `SELECT q.prompt, o.label, a.scale, a.text FROM answers a
		JOIN questions q ON q.id = a.question_id LEFT JOIN options o ON o.id = a.option_id
		WHERE a.response_id = ? ORDER BY q.position, o.position`, responseID)
	if err != nil {
		return nil, err
	}
	var out []consult.PersonAnswer
	for rows.Next() {
		var prompt string
		var label, text sql.NullString
		var scale sql.NullInt64
		if err := rows.Scan(&prompt, &label, &scale, &text); err != nil {
			rows.Close()
			return nil, err
		}
		a := consult.PersonAnswer{Question: prompt, Answer: label.String}
		if scale.Valid {
			a.Answer = strconv.FormatInt(scale.Int64, 10) + " of 5"
		} else if text.Valid {
			a.Answer = text.String
		}
		out = append(out, a)
	}
	return out, closeRows(rows)
}

func closeRows(rows *sql.Rows) error {
	err := rows.Err()
	if cerr := rows.Close(); err == nil {
		err = cerr
	}
	return err
}

// ErasePerson erases what is held about q.Email in one transaction and
// appends a person.erase entry with the reason and counts.
func (s *People) ErasePerson(ctx context.Context, q consult.PersonRequest, actor string) (consult.Erasure, error) {
	if err := q.Validate(); err != nil {
		return consult.Erasure{}, fmt.Errorf("erase person: %w", err)
	}
	email := consult.NormaliseEmail(q.Email)
	var e consult.Erasure
	changed := map[int64]bool{}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		e, changed = consult.Erasure{}, map[int64]bool{}
		type row struct {
			id, pid            int64
			status, code, ward string
			held               string
			sponsor            bool
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, petition_id, status, ward_code, ward, review_reason, sponsor
			FROM signatures WHERE email_key = ? ORDER BY id`, ballot.EmailKey(email))
		if err != nil {
			return err
		}
		var sigs []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.pid, &r.status, &r.code, &r.ward, &r.held, &r.sponsor); err != nil {
				rows.Close()
				return err
			}
			sigs = append(sigs, r)
		}
		if err := closeRows(rows); err != nil {
			return err
		}
		for _, r := range sigs {
			// Load the petition afresh each time: a withdrawal changes its counts.
			p, err := loadPetition(ctx, tx, r.pid)
			if err != nil {
				return err
			}
			live := r.status == string(ballot.SignaturePending) || r.status == string(ballot.SignatureConfirmed)
			if live && p.AcceptsWithdrawals(now) {
				if err := withdrawRow(ctx, tx, now, p, r.id, r.status, ballot.Ward{Code: r.code, Name: r.ward}, r.held, r.sponsor, s.BaseURL); err != nil {
					return err
				}
				e.Withdrawn++
				changed[r.pid] = true
			} else {
				e.Signatures++
			}
			if _, err := tx.ExecContext(ctx, anonymiseSignatures+`id = ?1`, r.id, fmtTime(now)); err != nil {
				return err
			}
		}
		n := func(dst *int, query string, args ...any) error {
			res, err := tx.ExecContext(ctx, query, args...)
			if err != nil {
				return err
			}
			c, err := res.RowsAffected()
			*dst = int(c)
			return err
		}
		if err := n(&e.Responses, `UPDATE responses SET email = NULL, postcode = NULL, anonymised_at = ? WHERE email = ?`, fmtTime(now), email); err != nil {
			return err
		}
		if err := n(&e.Campaigners, `UPDATE petitions SET campaigner_name = '', campaigner_email = '', campaigner_anonymised_at = ?
			WHERE lower(campaigner_email) = ?`, fmtTime(now), email); err != nil {
			return err
		}
		if err := n(&e.Mail, `DELETE FROM outbox WHERE lower(to_addr) = ?`, email); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "person.erase", personSubject, q.Reason+" ("+e.String()+")")
	})
	if err != nil {
		return consult.Erasure{}, fmt.Errorf("erase person: %w", err)
	}
	for id := range changed {
		publish(s.Pub, ballot.PetitionTopic(id))
	}
	s.db.truncateWAL(ctx)
	return e, nil
}
