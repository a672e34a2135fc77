package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Sign saves a pending signature and queues its confirmation email, in a
// group-committed transaction. A sponsor signs with the share token while
// the petition gathers sponsors; everyone else while it is open. Details
// that have already signed (a confirmed signature) save nothing and queue
// a mail saying so instead, and Sign still answers nil (ballot.Store).
func (s *PetitionStore) Sign(ctx context.Context, petitionID int64, sig *ballot.Signature, shareToken, baseURL string) error {
	g, err := ballot.SignOnline(sig, shareToken != "", ballot.Links{Base: baseURL})
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	// Without a LinkKey the links are random tokens, stored hashed.
	var confirm, withdraw string
	var confirmHash, withdrawHash any
	if len(s.LinkKey) == 0 {
		var ch, wh string
		confirm, ch = newToken()
		withdraw, wh = newToken()
		confirmHash, withdrawHash = ch, wh
	}
	err = s.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		p, err := loadPetition(ctx, tx, petitionID)
		if err != nil {
			return err
		}
		if err := checkSignable(ctx, tx, p, shareToken, now); err != nil {
			return err
		}
		if err := checkBlocked(ctx, tx, g.Domains); err != nil {
			return err
		}
		if err := fillWard(ctx, tx, sig); err != nil {
			return err
		}
		// A person who has already signed is told only by mail to the
		// address typed; the answer is the same as for a new signature.
		if signed, err := alreadySigned(ctx, tx, petitionID, 0, g.EmailKey, g.NameKey, sig.Postcode); err != nil {
			return err
		} else if signed {
			return enqueueMail(ctx, tx, now, g.AlreadySignedMail(p))
		}
		sig.PetitionID, sig.CreatedAt = petitionID, now
		res, err := tx.ExecContext(ctx, `INSERT INTO signatures (petition_id, name, name_key, email, email_key,
			postcode, ward, ward_code, resident, sponsor, channel, status, confirm_token_hash, withdraw_token_hash,
			token_expires_at, created_at, review_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 'online', 'pending', ?, ?, ?, ?, ?)`,
			petitionID, sig.Name, g.NameKey, sig.Email, g.EmailKey, sig.Postcode,
			sig.Ward, sig.WardCode, sig.Sponsor, confirmHash, withdrawHash, fmtTime(now.Add(tokenTTL)), fmtTime(now),
			string(sig.ReviewReason))
		if err != nil {
			return err
		}
		sig.ID, _ = res.LastInsertId()
		if len(s.LinkKey) > 0 {
			confirm, withdraw = linkToken(s.LinkKey, linkConfirm, sig.ID), linkToken(s.LinkKey, linkWithdraw, sig.ID)
		}
		return enqueueMail(ctx, tx, now, g.Mail(p, confirm, withdraw))
	})
	if err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	return nil
}

// linkWhere is the condition that finds the signature a link's token
// names: by id for a MAC token, else by the stored hash of a random one
// (links mailed without a LinkKey, or before it was set).
func (s *PetitionStore) linkWhere(purpose, hashColumn, token string) (where string, arg any) {
	if id, ok := parseLinkToken(s.LinkKey, purpose, token); ok {
		return "id = ? AND channel = 'online'", id
	}
	return hashColumn + " = ?", hashToken(token)
}

// checkSignable refuses signatures a petition is not taking.
func checkSignable(ctx context.Context, tx *sql.Tx, p *ballot.Petition, shareToken string, now time.Time) error {
	if shareToken == "" {
		if !p.AcceptsSignatures(now) {
			return ballot.ErrNotOpen
		}
		return nil
	}
	var want string
	if err := tx.QueryRowContext(ctx, `SELECT share_token FROM petitions WHERE id = ?`, p.ID).Scan(&want); err != nil {
		return err
	}
	if shareToken != want {
		return ballot.ErrTokenInvalid
	}
	if !p.AcceptsSponsors() {
		return ballot.ErrNotOpen
	}
	return nil
}

// fillWard looks the postcode up in the council's list.
func fillWard(ctx context.Context, tx *sql.Tx, sig *ballot.Signature) error {
	err := tx.QueryRowContext(ctx, `SELECT ward, ward_code FROM postcodes WHERE postcode = ?`, sig.Postcode).Scan(&sig.Ward, &sig.WardCode)
	if errors.Is(err, sql.ErrNoRows) {
		return ballot.ErrOutsideArea
	}
	return err
}

// alreadySigned reports whether petition already has a confirmed
// signature (other than the row except) with the email key, when not
// empty, or with the name key and postcode: the same person, signed once.
// Only confirmed signatures count: a pending one reserves nothing, and a
// withdrawn or invalidated one no longer stands.
func alreadySigned(ctx context.Context, tx *sql.Tx, petitionID, except int64, emailKey, nameKey, postcode string) (bool, error) {
	var found bool
	err := tx.QueryRowContext(ctx, `SELECT
		EXISTS (SELECT 1 FROM signatures WHERE petition_id = ?1 AND email_key = ?2 AND ?2 <> ''
			AND status = 'confirmed' AND id <> ?5)
		OR EXISTS (SELECT 1 FROM signatures WHERE petition_id = ?1 AND name_key = ?3 AND postcode = ?4
			AND status = 'confirmed' AND id <> ?5)`, petitionID, emailKey, nameKey, postcode, except).Scan(&found)
	return found, err
}

// checkNameAndPostcode stops the same person signing once online and once
// on paper: a confirmed signature with the same name key and postcode is a
// repeat. Staff entering paper are told (ErrAlreadySigned).
func checkNameAndPostcode(ctx context.Context, tx *sql.Tx, petitionID int64, g *ballot.Signing) error {
	found, err := alreadySigned(ctx, tx, petitionID, 0, "", g.NameKey, g.Sig.Postcode)
	if err != nil {
		return err
	}
	if found {
		return ballot.ErrAlreadySigned
	}
	return nil
}

// Confirm counts the signature whose token this is. Counting, the ward
// counter, the milestone and the threshold moment share its transaction.
// A held signature is confirmed but waits for a moderator to be counted.
func (s *PetitionStore) Confirm(ctx context.Context, token string) (*ballot.Confirmation, error) {
	var p *ballot.Petition
	already, held := false, false
	err := s.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		already = false
		var id, pid int64
		var status, wardCode, ward, reason, nameKey, postcode string
		var sponsor bool
		var expires, emailKey sql.NullString
		where, arg := s.linkWhere(linkConfirm, "confirm_token_hash", token)
		err := tx.QueryRowContext(ctx, `SELECT id, petition_id, status, sponsor, ward_code, ward, token_expires_at, review_reason,
			email_key, name_key, postcode FROM signatures WHERE `+where, arg).Scan(&id, &pid, &status, &sponsor, &wardCode, &ward,
			&expires, &reason, &emailKey, &nameKey, &postcode)
		if errors.Is(err, sql.ErrNoRows) {
			return ballot.ErrTokenInvalid
		} else if err != nil {
			return err
		}
		if p, err = loadPetition(ctx, tx, pid); err != nil {
			return err
		}
		held = reason != ""
		switch ballot.SignatureStatus(status) {
		case ballot.SignatureConfirmed:
			already = true
			return nil
		case ballot.SignatureWithdrawn, ballot.SignatureInvalidated:
			return ballot.ErrTokenInvalid
		}
		if exp, _ := parseTime(expires); !exp.IsZero() && now.After(exp) {
			return ballot.ErrTokenInvalid
		}
		if !countable(p, sponsor, now) {
			return ballot.ErrNotOpen
		}
		// Pending signatures reserve nothing, so the same person may have
		// several: checked again here, under the write lock, only the first
		// confirmed counts.
		if signed, err := alreadySigned(ctx, tx, pid, id, emailKey.String, nameKey, postcode); err != nil {
			return err
		} else if signed {
			return ballot.ErrAlreadySigned
		}
		if _, err := tx.ExecContext(ctx, `UPDATE signatures SET status = 'confirmed', confirmed_at = ? WHERE id = ?`, fmtTime(now), id); err != nil {
			return err
		}
		if held {
			return nil
		}
		return countConfirmed(ctx, tx, now, p, sponsor, ballot.Ward{Code: wardCode, Name: ward}, s.BaseURL)
	})
	if err != nil {
		return nil, fmt.Errorf("confirm signature: %w", err)
	}
	if !already && !held {
		publish(s.Pub, ballot.PetitionTopic(p.ID))
	}
	return &ballot.Confirmation{Petition: p, Already: already, Held: held}, nil
}

// countable reports whether a signature may be counted now: a sponsor's
// while the petition gathers sponsors or is open, anyone's while it is open.
func countable(p *ballot.Petition, sponsor bool, now time.Time) bool {
	return p.AcceptsSignatures(now) || sponsor && p.Status == ballot.StatusSponsoring
}

// countConfirmed counts a confirmed signature that is not held: as a
// sponsor if it is one, and towards the count. Confirm and a moderator's
// approval both come here.
func countConfirmed(ctx context.Context, tx *sql.Tx, now time.Time, p *ballot.Petition, sponsor bool, w ballot.Ward, baseURL string) error {
	return applyCount(ctx, tx, now, p, w, p.Count(now, sponsor, +1, ballot.Links{Base: baseURL}))
}

// count adds delta (not a sponsor's) to the petition's and the ward's
// counters, with whatever else the count brings (Petition.Count).
func count(ctx context.Context, tx *sql.Tx, now time.Time, p *ballot.Petition, w ballot.Ward, delta int, baseURL string) error {
	return applyCount(ctx, tx, now, p, w, p.Count(now, false, delta, ballot.Links{Base: baseURL}))
}

// applyCount stores the effects of a count in the caller's transaction:
// the counters, the stage, the milestone, the threshold moment (set once:
// the SQL guard keeps an earlier moment), the audit entries and the mail to
// staff and to p's campaigner.
func applyCount(ctx context.Context, tx *sql.Tx, now time.Time, p *ballot.Petition, w ballot.Ward, e ballot.Effects) error {
	id := p.ID
	if e.Sponsors != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE petitions SET sponsor_count = sponsor_count + ? WHERE id = ?`, e.Sponsors, id); err != nil {
			return err
		}
	}
	if e.Status != "" {
		if _, err := tx.ExecContext(ctx, `UPDATE petitions SET status = ? WHERE id = ?`, string(e.Status), id); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE petitions SET signature_count = signature_count + ? WHERE id = ?`, e.Signatures, id); err != nil {
		return err
	}
	if err := countWard(ctx, tx, id, w, e.Signatures); err != nil {
		return err
	}
	if e.Milestone != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE petitions SET milestone = ? WHERE id = ?`, e.Milestone, id); err != nil {
			return err
		}
	}
	if e.ThresholdMet {
		if _, err := tx.ExecContext(ctx, `UPDATE petitions SET threshold_met_at = ? WHERE id = ? AND threshold_met_at IS NULL`, fmtTime(now), id); err != nil {
			return err
		}
	}
	for _, a := range e.Audit {
		if err := appendAudit(ctx, tx, now, "system", a.Action, petitionSubject(id), a.Detail); err != nil {
			return err
		}
	}
	for _, m := range e.Mail {
		if err := mailStaff(ctx, tx, now, m.SendAfter, m.Subject, m.Body); err != nil {
			return err
		}
	}
	for _, m := range e.Campaigner {
		if err := mailCampaigner(ctx, tx, now, p, m); err != nil {
			return err
		}
	}
	return nil
}

// countWard adds delta to a ward's counter. A decrement is a plain UPDATE:
// an upsert would check its negative VALUES row against the CHECK first.
func countWard(ctx context.Context, tx *sql.Tx, petitionID int64, w ballot.Ward, delta int) error {
	if delta < 0 {
		_, err := tx.ExecContext(ctx, `UPDATE petition_ward_counts SET count = count + ? WHERE petition_id = ? AND ward_code = ?`,
			delta, petitionID, w.Code)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO petition_ward_counts (petition_id, ward_code, ward, count) VALUES (?, ?, ?, ?)
		ON CONFLICT (petition_id, ward_code) DO UPDATE SET count = count + excluded.count`, petitionID, w.Code, w.Name, delta)
	return err
}
