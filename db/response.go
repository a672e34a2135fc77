package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// maxReceiptTries bounds the retries on a receipt collision. At ~59 bits a
// collision is already rare; five in a row means something else is wrong.
const maxReceiptTries = 5

// AddResponse validates r and saves it with its answers, and bumps the
// tallies and the response count, all in one transaction: on any error
// nothing is saved. On success it sets r.ID, r.ConsultationID, r.Receipt and
// r.CreatedAt, and r holds the normalised email, postcode and serial. It
// returns consult.ErrNotFound, consult.ErrNotOpen, a
// *consult.ValidationError (a postcode outside the council's list included),
// consult.ErrAlreadyResponded for a paper response with a repeated email,
// or consult.ErrDuplicate for a paper serial already entered. An online
// response with a repeated email saves nothing (its code, if any, stays
// unused), mails the address instead, and returns nil with r.Receipt
// empty: the answer never tells whether a person took part.
//
// It runs in the group-commit writer (see DB.Group), as signatures and
// votes do, so concurrent responses share one transaction and one sync
// to disk. fn may run twice, so it starts from a fresh copy of r each time.
func (s *ConsultStore) AddResponse(ctx context.Context, slug string, r *consult.Response) error {
	var saved consult.Response
	err := s.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		saved = *r
		c, err := s.db.loadFixedConsultation(ctx, tx, slug)
		if err != nil {
			return err
		}
		if !c.AcceptsResponses(now) {
			return consult.ErrNotOpen
		}
		if err := checkResponse(ctx, tx, c, &saved); err != nil {
			return err
		}
		if err := useConsultationCode(ctx, tx, c, &saved); err != nil {
			return err
		}
		saved.ConsultationID, saved.CreatedAt = c.ID, now
		if err := insertResponse(ctx, tx, &saved); err != nil {
			return err
		}
		if err := insertAnswers(ctx, tx, c, &saved); err != nil {
			return err
		}
		if saved.Channel == consult.ChannelPaper {
			// Who typed the form in, with its serial, so every paper
			// response can be traced to a staff member.
			if err := appendAudit(ctx, tx, now, saved.EnteredBy, "consultation.paper_response", subject(c.Slug), saved.PaperSerial); err != nil {
				return err
			}
		}
		if saved.Email != "" && saved.Channel == consult.ChannelOnline {
			subj, body := consult.ReceiptMail(c, saved.Receipt, consult.Links{Base: s.BaseURL}.Consultation(c.Slug))
			if err := enqueueMail(ctx, tx, now, consult.Mail{To: saved.Email, Subject: subj, Body: body}); err != nil {
				return err
			}
		}
		var paper int64
		if saved.Channel == consult.ChannelPaper {
			paper = 1
		}
		return addCounts(ctx, tx, `UPDATE consultations SET response_count = response_count + ?,
			paper_response_count = paper_response_count + ? WHERE id = ?`, []int64{c.ID}, 1, paper)
	})
	if errors.Is(err, consult.ErrAlreadyResponded) && saved.Channel == consult.ChannelOnline {
		// The transaction was rolled back; only the mail is saved.
		err = s.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
			c, err := s.db.loadFixedConsultation(ctx, tx, slug)
			if err != nil {
				return err
			}
			subj, body := consult.AlreadyRespondedMail(c, consult.Links{Base: s.BaseURL}.Consultation(c.Slug))
			return enqueueMail(ctx, tx, now, consult.Mail{To: saved.Email, Subject: subj, Body: body})
		})
		if err != nil {
			return fmt.Errorf("add response: %w", err)
		}
		r.Email, r.Postcode, r.Receipt = saved.Email, saved.Postcode, ""
		return nil
	}
	if err != nil {
		return fmt.Errorf("add response: %w", err)
	}
	*r = saved
	publish(s.Pub, consult.ConsultationTopic(slug))
	return nil
}

// checkResponse normalises r and checks it against c and, for a residents
// consultation, the council's postcode list. All field messages come back
// together so a form can show them at once.
func checkResponse(ctx context.Context, tx *sql.Tx, c *consult.Consultation, r *consult.Response) error {
	r.Email = consult.NormaliseEmail(r.Email)
	r.PaperSerial = strings.TrimSpace(r.PaperSerial)
	r.EnteredBy = strings.TrimSpace(r.EnteredBy)
	if r.Channel != consult.ChannelPaper {
		r.PaperSerial, r.EnteredBy = "", ""
	} else if r.EnteredBy == "" {
		return errNoStaff
	}
	// Validate with the postcode as typed (the domain says when it is not
	// shaped like one), then store its standard form.
	r.Postcode = strings.TrimSpace(r.Postcode)
	if err := consult.ValidateResponse(c, r); err != nil {
		return err
	}
	if r.Postcode != "" {
		r.Postcode = consult.NormalisePostcode(r.Postcode)
	}
	if c.Audience != consult.AudienceResidents {
		return nil
	}
	var known bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM postcodes WHERE postcode = ?)`, r.Postcode).Scan(&known)
	if err != nil {
		return err
	}
	if !known {
		return &consult.ValidationError{Fields: map[string]string{"postcode": "This postcode is not in the council's area"}}
	}
	return nil
}

// errNoStaff refuses a paper response that does not say who typed it in.
// Only the staff paper form enters paper, and it always names the signed-in
// staff member, so this is a program error, not a form message.
var errNoStaff = errors.New("a paper response must name the staff member who entered it")

// insertResponse saves the response row with a fresh receipt. A unique
// violation is told apart by asking which value is taken, rather than by
// reading the driver's message: a taken email or serial is the caller's
// error, a taken receipt just means drawing another.
func insertResponse(ctx context.Context, tx *sql.Tx, r *consult.Response) error {
	for range maxReceiptTries {
		r.Receipt = consult.NewReceipt()
		res, err := tx.ExecContext(ctx, `
			INSERT INTO responses (consultation_id, receipt, channel, paper_serial, email, postcode, created_at, entered_by, notify_outcome)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ConsultationID, r.Receipt, string(r.Channel), nullString(r.PaperSerial),
			nullString(r.Email), nullString(r.Postcode), fmtTime(r.CreatedAt), nullString(r.EnteredBy),
			r.NotifyOutcome && r.Email != "")
		if err == nil {
			r.ID, err = res.LastInsertId()
			return err
		}
		if !isUnique(err) {
			return err
		}
		if err := takenValue(ctx, tx, r); err != nil {
			return err
		}
	}
	return errors.New("no free receipt code")
}

// takenValue returns ErrAlreadyResponded or ErrDuplicate when r's email or
// paper serial is already used in its consultation, and nil otherwise.
func takenValue(ctx context.Context, tx *sql.Tx, r *consult.Response) error {
	var email, serial bool
	err := tx.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM responses WHERE consultation_id = ?1 AND email = ?2),
		EXISTS (SELECT 1 FROM responses WHERE consultation_id = ?1 AND paper_serial = ?3)`,
		r.ConsultationID, nullString(r.Email), nullString(r.PaperSerial)).Scan(&email, &serial)
	switch {
	case err != nil:
		return err
	case email:
		return consult.ErrAlreadyResponded
	case serial:
		return consult.ErrDuplicate
	}
	return nil
}

// insertAnswers saves each non-empty answer and bumps its counters: choice
// 0 for "answered", then the option ids or the scale point. Answers were
// validated against c's questions, so only those are read.
func insertAnswers(ctx context.Context, tx *sql.Tx, c *consult.Consultation, r *consult.Response) error {
	for i := range c.Questions {
		q := &c.Questions[i]
		a, ok := r.Answers[q.ID]
		if !ok || a.Empty() {
			continue
		}
		choices, err := insertAnswerRows(ctx, tx, r.ID, q, a)
		if err != nil {
			return err
		}
		for _, choice := range append([]int64{0}, choices...) {
			if err := bumpTally(ctx, tx, q.ID, choice); err != nil {
				return err
			}
		}
	}
	return nil
}

// insertAnswerRows writes one row per option chosen, or one for a scale
// point or a text, and returns the tally choices the answer counts for.
func insertAnswerRows(ctx context.Context, tx *sql.Tx, responseID int64, q *consult.Question, a consult.Answer) ([]int64, error) {
	switch q.Kind {
	case consult.KindSingle, consult.KindMultiple:
		for _, id := range a.OptionIDs {
			if err := insertAnswer(ctx, tx, responseID, q.ID, id, nil, nil); err != nil {
				return nil, err
			}
		}
		return a.OptionIDs, nil
	case consult.KindScale:
		return []int64{int64(a.Scale)}, insertAnswer(ctx, tx, responseID, q.ID, nil, a.Scale, nil)
	case consult.KindText:
		return nil, insertAnswer(ctx, tx, responseID, q.ID, nil, nil, a.Text)
	}
	return nil, fmt.Errorf("question %d: unknown kind %q", q.ID, q.Kind)
}

func insertAnswer(ctx context.Context, tx *sql.Tx, responseID, questionID int64, optionID, scale, text any) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO answers (response_id, question_id, option_id, scale, text)
		VALUES (?, ?, ?, ?, ?)`, responseID, questionID, optionID, scale, text)
	return err
}

// bumpTally adds one to a counter, creating it the first time.
func bumpTally(ctx context.Context, tx *sql.Tx, questionID, choice int64) error {
	return addCounts(ctx, tx, `INSERT INTO tallies (count, question_id, choice) VALUES (?1, ?2, ?3)
		ON CONFLICT (question_id, choice) DO UPDATE SET count = count + ?1`, []int64{questionID, choice}, 1)
}

// PaperEntries counts a consultation's paper responses by the staff member
// who entered them, most first and then by email; rows from before 0011
// count under "". It returns consult.ErrNotFound for an unknown slug.
func (s *ConsultStore) PaperEntries(ctx context.Context, slug string) ([]consult.StaffCount, error) {
	var cid int64
	err := s.db.reader.QueryRowContext(ctx, `SELECT id FROM consultations WHERE slug = ?`, slug).Scan(&cid)
	if err != nil {
		return nil, fmt.Errorf("paper entries: %w", mapErr(err))
	}
	rows, err := s.db.reader.QueryContext(ctx, `
		SELECT COALESCE(entered_by, ''), COUNT(*) FROM responses
		WHERE consultation_id = ? AND channel = 'paper'
		GROUP BY 1 ORDER BY 2 DESC, 1`, cid)
	if err != nil {
		return nil, fmt.Errorf("paper entries: %w", err)
	}
	defer rows.Close()
	var counts []consult.StaffCount
	for rows.Next() {
		var sc consult.StaffCount
		if err := rows.Scan(&sc.Staff, &sc.Count); err != nil {
			return nil, fmt.Errorf("paper entries: %w", err)
		}
		counts = append(counts, sc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("paper entries: %w", err)
	}
	return counts, nil
}
