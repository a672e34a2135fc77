package db

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// loadPerson reads everything held about email (normalised). Signatures
// match on the email key, so one made as name+tag@ is found for name@.
func loadPerson(ctx context.Context, tx *sql.Tx, email string, now time.Time) (*consult.PersonData, error) {
	pd := &consult.PersonData{Email: email}
	for _, load := range []func() error{
		func() error { return personSignatures(ctx, tx, pd, now) },
		func() error { return personResponses(ctx, tx, pd) },
		func() error { return personPetitions(ctx, tx, pd) },
		func() error { return personRequests(ctx, tx, pd) },
		func() error { return personObjections(ctx, tx, pd) },
		func() error { return personMail(ctx, tx, pd) },
	} {
		if err := load(); err != nil {
			return nil, err
		}
	}
	return pd, nil
}

// eachRow runs query and calls scan for each row, stopping at its first
// error.
func eachRow(ctx context.Context, tx *sql.Tx, scan func(*sql.Rows) error, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// personSignatures adds the address's signatures, each saying whether its
// petition still takes withdrawals.
func personSignatures(ctx context.Context, tx *sql.Tx, pd *consult.PersonData, now time.Time) error {
	err := eachRow(ctx, tx, func(rows *sql.Rows) error {
		var g consult.PersonSignature
		var created sql.NullString
		if err := rows.Scan(&g.ID, &g.PetitionID, &g.PetitionTitle, &g.Name, &g.Email, &g.Postcode, &g.Ward,
			&g.Channel, &g.Status, &g.Sponsor, &created); err != nil {
			return err
		}
		var err error
		g.CreatedAt, err = parseTime(created)
		pd.Signatures = append(pd.Signatures, g)
		return err
	}, `SELECT s.id, s.petition_id, p.title, s.name, COALESCE(s.email, ''), s.postcode, s.ward,
		s.channel, s.status, s.sponsor, s.created_at FROM signatures s JOIN petitions p ON p.id = s.petition_id
		WHERE s.email_key = ? ORDER BY s.id`, ballot.EmailKey(pd.Email))
	if err != nil {
		return err
	}
	open := map[int64]bool{}
	for i, g := range pd.Signatures {
		if _, ok := open[g.PetitionID]; !ok {
			p, err := loadPetition(ctx, tx, g.PetitionID)
			if err != nil {
				return err
			}
			open[g.PetitionID] = p.AcceptsWithdrawals(now)
		}
		pd.Signatures[i].Open = open[g.PetitionID]
	}
	return nil
}

// personResponses adds the address's consultation responses with their answers.
func personResponses(ctx context.Context, tx *sql.Tx, pd *consult.PersonData) error {
	err := eachRow(ctx, tx, func(rows *sql.Rows) error {
		var r consult.PersonResponse
		var created sql.NullString
		if err := rows.Scan(&r.ID, &r.ConsultationSlug, &r.ConsultationTitle, &r.Receipt, &r.Channel, &r.Email,
			&r.Postcode, &created); err != nil {
			return err
		}
		var err error
		r.CreatedAt, err = parseTime(created)
		pd.Responses = append(pd.Responses, r)
		return err
	}, `SELECT r.id, c.slug, c.title, r.receipt, r.channel, COALESCE(r.email, ''),
		COALESCE(r.postcode, ''), r.created_at FROM responses r JOIN consultations c ON c.id = r.consultation_id
		WHERE r.email = ? ORDER BY r.id`, pd.Email)
	if err != nil {
		return err
	}
	for i := range pd.Responses {
		if pd.Responses[i].Answers, err = personAnswers(ctx, tx, pd.Responses[i].ID); err != nil {
			return err
		}
	}
	return nil
}

// personAnswers reads a response's answers as the person gave them: the
// option's label, the scale point or the text.
func personAnswers(ctx context.Context, tx *sql.Tx, responseID int64) ([]consult.PersonAnswer, error) {
	var out []consult.PersonAnswer
	err := eachRow(ctx, tx, func(rows *sql.Rows) error {
		var a consult.PersonAnswer
		var label, text sql.NullString
		var scale sql.NullInt64
		if err := rows.Scan(&a.Question, &label, &scale, &text); err != nil {
			return err
		}
		switch {
		case scale.Valid:
			a.Answer = strconv.FormatInt(scale.Int64, 10) + " of 5"
		case text.Valid:
			a.Answer = text.String
		default:
			a.Answer = label.String
		}
		out = append(out, a)
		return nil
	}, `SELECT q.prompt, o.label, a.scale, a.text FROM answers a
		JOIN questions q ON q.id = a.question_id LEFT JOIN options o ON o.id = a.option_id
		WHERE a.response_id = ? ORDER BY q.position, o.position`, responseID)
	return out, err
}

// personPetitions adds the petitions the address started.
func personPetitions(ctx context.Context, tx *sql.Tx, pd *consult.PersonData) error {
	return eachRow(ctx, tx, func(rows *sql.Rows) error {
		var p consult.PersonPetition
		var created sql.NullString
		if err := rows.Scan(&p.ID, &p.Title, &p.Status, &p.CampaignerName, &p.Email, &created); err != nil {
			return err
		}
		var err error
		p.CreatedAt, err = parseTime(created)
		pd.Petitions = append(pd.Petitions, p)
		return err
	}, `SELECT id, title, status, campaigner_name, campaigner_email, created_at
		FROM petitions WHERE lower(campaigner_email) = ? ORDER BY id`, pd.Email)
}

// personMail adds the mail to the address still in the outbox.
func personMail(ctx context.Context, tx *sql.Tx, pd *consult.PersonData) error {
	return eachRow(ctx, tx, func(rows *sql.Rows) error {
		var m consult.PersonMail
		var created, sent sql.NullString
		if err := rows.Scan(&m.ID, &m.Subject, &m.Body, &created, &sent); err != nil {
			return err
		}
		var err error
		if m.CreatedAt, err = parseTime(created); err == nil {
			m.SentAt, err = parseTime(sent)
		}
		pd.Mail = append(pd.Mail, m)
		return err
	}, `SELECT id, subject, body, created_at, sent_at FROM outbox WHERE lower(to_addr) = ? ORDER BY id`, pd.Email)
}

// personRequests adds the information requests the address asked and
// those it follows.
func personRequests(ctx context.Context, tx *sql.Tx, pd *consult.PersonData) error {
	err := eachRow(ctx, tx, func(rows *sql.Rows) error {
		var r consult.PersonInfoRequest
		var created sql.NullString
		if err := rows.Scan(&r.ID, &r.Title, &r.Body, &r.State, &r.Name, &created); err != nil {
			return err
		}
		var err error
		r.CreatedAt, err = parseTime(created)
		pd.Requests = append(pd.Requests, r)
		return err
	}, `SELECT id, title, body, state, requester_name, created_at FROM info_requests WHERE lower(requester_email) = ? ORDER BY id`, pd.Email)
	if err != nil {
		return err
	}
	return eachRow(ctx, tx, func(rows *sql.Rows) error {
		var f consult.PersonFollow
		var created sql.NullString
		if err := rows.Scan(&f.RequestID, &f.Title, &created); err != nil {
			return err
		}
		var err error
		f.CreatedAt, err = parseTime(created)
		pd.Following = append(pd.Following, f)
		return err
	}, `SELECT f.request_id, r.title, f.created_at FROM info_request_followers f JOIN info_requests r ON r.id = f.request_id
		WHERE lower(f.email) = ? ORDER BY f.id`, pd.Email)
}

// personObjections adds the objections to contract reviews made with the
// address.
func personObjections(ctx context.Context, tx *sql.Tx, pd *consult.PersonData) error {
	return eachRow(ctx, tx, func(rows *sql.Rows) error {
		var o consult.PersonObjection
		var created, confirmed sql.NullString
		if err := rows.Scan(&o.ReviewID, &o.Name, &o.Reason, &created, &confirmed); err != nil {
			return err
		}
		var err error
		o.CreatedAt, err = parseTime(created)
		o.Confirmed = confirmed.Valid
		pd.Objections = append(pd.Objections, o)
		return err
	}, `SELECT review_id, name, reason, created_at, confirmed_at FROM review_objections WHERE lower(email) = ? ORDER BY id`, pd.Email)
}
