package db

import (
	"context"
	"database/sql"
	"fmt"
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
	// Read on the reader pool, then audit: finding every signature of an
	// address scans the table, and the write lock must not wait on that.
	// Nothing is shown unless the audit entry is written.
	var pd *consult.PersonData
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		pd, err = loadPerson(ctx, tx, consult.NormaliseEmail(q.Email), s.db.now())
		return err
	})
	if err == nil {
		detail := fmt.Sprintf("%s (held: %d signatures, %d responses, %d petitions started, %d information requests, %d requests followed, %d mails)",
			q.Reason, len(pd.Signatures), len(pd.Responses), len(pd.Petitions), len(pd.Requests), len(pd.Following), len(pd.Mail))
		err = s.db.AppendAudit(ctx, actor, action, personSubject, detail)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", action, err)
	}
	return pd, nil
}

// ErasePerson erases what is held about q.Email in one transaction and
// appends a person.erase entry with the reason and counts.
func (s *People) ErasePerson(ctx context.Context, q consult.PersonRequest, actor string) (consult.Erasure, error) {
	if err := q.Validate(); err != nil {
		return consult.Erasure{}, fmt.Errorf("erase person: %w", err)
	}
	email := consult.NormaliseEmail(q.Email)
	var e consult.Erasure
	var changed []int64
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		e = consult.Erasure{}
		var err error
		if changed, err = eraseSignatures(ctx, tx, now, email, s.BaseURL, &e); err != nil {
			return err
		}
		stamp := fmtTime(now)
		for _, st := range []struct {
			dst   *int
			query string
			args  []any
		}{
			{&e.Responses, `UPDATE responses SET email = NULL, postcode = NULL, anonymised_at = ? WHERE email = ?`, []any{stamp, email}},
			{&e.Campaigners, `UPDATE petitions SET campaigner_name = '', campaigner_email = '', campaigner_anonymised_at = ?
				WHERE lower(campaigner_email) = ?`, []any{stamp, email}},
			{&e.Requests, `UPDATE info_requests SET requester_name = '', requester_email = '', confirm_token_hash = NULL,
				anonymised_at = ? WHERE lower(requester_email) = ?`, []any{stamp, email}},
			{&e.Follows, `DELETE FROM info_request_followers WHERE lower(email) = ?`, []any{email}},
			// The objection and its reason stay, and count; who made it goes.
			{&e.Objections, `UPDATE review_objections SET name = '', email = '', confirm_token_hash = 'erased:' || id
				WHERE lower(email) = ?`, []any{email}},
			{&e.Mail, `DELETE FROM outbox WHERE lower(to_addr) = ?`, []any{email}},
		} {
			res, err := tx.ExecContext(ctx, st.query, st.args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			*st.dst = int(n)
		}
		return appendAudit(ctx, tx, now, actor, "person.erase", personSubject, q.Reason+" ("+e.String()+")")
	})
	if err != nil {
		return consult.Erasure{}, fmt.Errorf("erase person: %w", err)
	}
	for _, id := range changed {
		publish(s.Pub, ballot.PetitionTopic(id))
	}
	s.db.truncateWAL(ctx)
	return e, nil
}

// erasedSignature is what erasing a signature needs to know of it.
type erasedSignature struct {
	id, petitionID         int64
	status, wardCode, ward string
	held                   string
	sponsor                bool
}

// eraseSignatures withdraws the address's signatures on petitions that
// still take withdrawals (Withdraw's path: a counted one comes off the
// counts), then anonymises every one of them, counting both in e. It
// returns the petitions whose counts changed.
func eraseSignatures(ctx context.Context, tx *sql.Tx, now time.Time, email, baseURL string, e *consult.Erasure) ([]int64, error) {
	var sigs []erasedSignature
	err := eachRow(ctx, tx, func(rows *sql.Rows) error {
		var g erasedSignature
		sigs = append(sigs, g)
		last := &sigs[len(sigs)-1]
		return rows.Scan(&last.id, &last.petitionID, &last.status, &last.wardCode, &last.ward, &last.held, &last.sponsor)
	}, `SELECT id, petition_id, status, ward_code, ward, review_reason, sponsor
		FROM signatures WHERE email_key = ? ORDER BY id`, ballot.EmailKey(email))
	if err != nil {
		return nil, err
	}
	var changed []int64
	for _, g := range sigs {
		// Load the petition afresh each time: a withdrawal changes its counts.
		p, err := loadPetition(ctx, tx, g.petitionID)
		if err != nil {
			return nil, err
		}
		live := g.status == string(ballot.SignaturePending) || g.status == string(ballot.SignatureConfirmed)
		if live && p.AcceptsWithdrawals(now) {
			w := ballot.Ward{Code: g.wardCode, Name: g.ward}
			if err := withdrawRow(ctx, tx, now, p, g.id, g.status, w, g.held, g.sponsor, baseURL); err != nil {
				return nil, err
			}
			e.Withdrawn++
			changed = append(changed, g.petitionID)
		} else {
			e.Signatures++
		}
		if _, err := tx.ExecContext(ctx, anonymiseSignatures+`id = ?1`, g.id, fmtTime(now)); err != nil {
			return nil, err
		}
	}
	return changed, nil
}
