package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
)

// HeldCounts counts each petition's live signatures held for review, as
// HeldSignatures lists them.
func (s *PetitionStore) HeldCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT petition_id, COUNT(*) FROM signatures
		WHERE review_reason <> '' AND status IN ('pending', 'confirmed') GROUP BY petition_id`)
	if err != nil {
		return nil, fmt.Errorf("held counts: %w", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, fmt.Errorf("held counts: %w", err)
		}
		out[id] = n
	}
	return out, rows.Err()
}

// HeldSignatures lists a petition's live signatures held for review.
func (s *PetitionStore) HeldSignatures(ctx context.Context, petitionID int64) ([]*ballot.Signature, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT id, name, email, postcode, ward, sponsor, status,
		review_reason, created_at FROM signatures WHERE petition_id = ? AND review_reason <> ''
		AND status IN ('pending', 'confirmed') ORDER BY id`, petitionID)
	if err != nil {
		return nil, fmt.Errorf("held signatures: %w", err)
	}
	defer rows.Close()
	var out []*ballot.Signature
	for rows.Next() {
		sig := &ballot.Signature{PetitionID: petitionID, Channel: ballot.ChannelOnline, Resident: true}
		var email sql.NullString
		var created sql.NullString
		if err := rows.Scan(&sig.ID, &sig.Name, &email, &sig.Postcode, &sig.Ward, &sig.Sponsor, &sig.Status,
			&sig.ReviewReason, &created); err != nil {
			return nil, fmt.Errorf("held signatures: %w", err)
		}
		sig.Email = email.String
		if sig.CreatedAt, err = parseTime(created); err != nil {
			return nil, err
		}
		out = append(out, sig)
	}
	return out, rows.Err()
}

// heldSignature is what approving or rejecting needs of a held signature.
type heldSignature struct {
	status  ballot.SignatureStatus
	reason  ballot.ReviewReason
	sponsor bool
	ward    ballot.Ward
}

func loadHeld(ctx context.Context, tx *sql.Tx, petitionID, id int64) (*heldSignature, error) {
	h := &heldSignature{}
	err := tx.QueryRowContext(ctx, `SELECT status, review_reason, sponsor, ward_code, ward FROM signatures
		WHERE id = ? AND petition_id = ? AND review_reason <> '' AND status IN ('pending', 'confirmed')`,
		id, petitionID).Scan(&h.status, &h.reason, &h.sponsor, &h.ward.Code, &h.ward.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ballot.ErrNotFound
	}
	return h, err
}

// ApproveSignature releases a held signature and, if its email is already
// confirmed, counts it through the path Confirm uses. Like Confirm, it
// refuses (ErrNotOpen) to count once the petition has stopped taking
// signatures: held signatures are to be reviewed while signing is open.
func (s *PetitionStore) ApproveSignature(ctx context.Context, petitionID, id int64, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		h, err := loadHeld(ctx, tx, petitionID, id)
		if err != nil {
			return err
		}
		p, err := loadPetition(ctx, tx, petitionID)
		if err != nil {
			return err
		}
		confirmed := h.status == ballot.SignatureConfirmed
		if confirmed && !countable(p, h.sponsor, now) {
			return ballot.ErrNotOpen
		}
		if _, err := tx.ExecContext(ctx, `UPDATE signatures SET review_reason = '' WHERE id = ?`, id); err != nil {
			return err
		}
		detail := fmt.Sprintf("signature %d approved (held: %s)", id, h.reason.Describe())
		if err := appendAudit(ctx, tx, now, actor, "signature.approve", petitionSubject(petitionID), detail); err != nil {
			return err
		}
		if !confirmed {
			return nil // counted when its email is confirmed
		}
		return countConfirmed(ctx, tx, now, p, h.sponsor, h.ward, s.BaseURL)
	})
	if err != nil {
		return fmt.Errorf("approve signature: %w", err)
	}
	publish(s.Pub, ballot.PetitionTopic(petitionID))
	return nil
}

// RejectSignature invalidates a held signature, keeping why it was held.
// It was never counted, so no counter changes.
func (s *PetitionStore) RejectSignature(ctx context.Context, petitionID, id int64, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		h, err := loadHeld(ctx, tx, petitionID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE signatures SET status = 'invalidated' WHERE id = ?`, id); err != nil {
			return err
		}
		detail := fmt.Sprintf("signature %d rejected (held: %s)", id, h.reason.Describe())
		return appendAudit(ctx, tx, now, actor, "signature.reject", petitionSubject(petitionID), detail)
	})
	if err != nil {
		return fmt.Errorf("reject signature: %w", err)
	}
	return nil
}

// hourPrefix is how many characters of a stored timestamp name its hour:
// "2026-11-23T19".
const hourPrefix = 13

// SignatureActivity counts online signatures made per hour since since,
// and the postcodes with the most live signatures, in one read snapshot.
func (s *PetitionStore) SignatureActivity(ctx context.Context, petitionID int64, since time.Time, top int) (*ballot.Activity, error) {
	since = since.UTC().Truncate(time.Hour)
	a := &ballot.Activity{Since: since}
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		byHour, err := hourlyCounts(ctx, tx, petitionID, since)
		if err != nil {
			return err
		}
		for h := since; !h.After(s.db.now()); h = h.Add(time.Hour) {
			c := byHour[fmtTime(h)[:hourPrefix]]
			c.Hour = h
			a.Hours = append(a.Hours, c)
		}
		if a.Postcodes, err = topPostcodes(ctx, tx, petitionID, top); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM signatures WHERE petition_id = ?
			AND review_reason <> '' AND status IN ('pending', 'confirmed')`, petitionID).Scan(&a.Held)
	})
	if err != nil {
		return nil, fmt.Errorf("signature activity: %w", err)
	}
	return a, nil
}

func hourlyCounts(ctx context.Context, tx *sql.Tx, petitionID int64, since time.Time) (map[string]ballot.HourCount, error) {
	rows, err := tx.QueryContext(ctx, `SELECT substr(created_at, 1, ?) AS hour, COUNT(*),
		SUM(review_reason <> '' AND status IN ('pending', 'confirmed'))
		FROM signatures WHERE petition_id = ? AND channel = 'online' AND created_at >= ?
		GROUP BY hour`, hourPrefix, petitionID, fmtTime(since))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]ballot.HourCount{}
	for rows.Next() {
		var hour string
		var c ballot.HourCount
		if err := rows.Scan(&hour, &c.Made, &c.Held); err != nil {
			return nil, err
		}
		out[hour] = c
	}
	return out, rows.Err()
}

func topPostcodes(ctx context.Context, tx *sql.Tx, petitionID int64, top int) ([]ballot.PostcodeCount, error) {
	rows, err := tx.QueryContext(ctx, `SELECT postcode, MAX(ward), COUNT(*) AS n FROM signatures
		WHERE petition_id = ? AND status IN ('pending', 'confirmed')
		GROUP BY postcode ORDER BY n DESC, postcode LIMIT ?`, petitionID, top)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ballot.PostcodeCount
	for rows.Next() {
		var c ballot.PostcodeCount
		if err := rows.Scan(&c.Postcode, &c.Ward, &c.Count); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
