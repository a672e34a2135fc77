package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// Withdraw withdraws a signature while its petition is open. A confirmed
// one is uncounted; the threshold moment, once recorded, stays.
func (s *PetitionStore) Withdraw(ctx context.Context, token string) (*ballot.Petition, error) {
	var p *ballot.Petition
	err := s.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		var id, pid int64
		var status, wardCode, ward, held string
		var sponsor bool
		where, arg := s.linkWhere(linkWithdraw, "withdraw_token_hash", token)
		err := tx.QueryRowContext(ctx, `SELECT id, petition_id, status, ward_code, ward, review_reason, sponsor FROM signatures
			WHERE `+where, arg).Scan(&id, &pid, &status, &wardCode, &ward, &held, &sponsor)
		if errors.Is(err, sql.ErrNoRows) {
			return ballot.ErrTokenInvalid
		} else if err != nil {
			return err
		}
		if p, err = loadPetition(ctx, tx, pid); err != nil {
			return err
		}
		if status == string(ballot.SignatureWithdrawn) {
			return nil
		}
		if status == string(ballot.SignatureInvalidated) {
			return ballot.ErrTokenInvalid
		}
		if !p.AcceptsWithdrawals(now) {
			return ballot.ErrNotOpen
		}
		return withdrawRow(ctx, tx, now, p, id, status, ballot.Ward{Code: wardCode, Name: ward}, held, sponsor, s.BaseURL)
	})
	if err != nil {
		return nil, fmt.Errorf("withdraw signature: %w", err)
	}
	publish(s.Pub, ballot.PetitionTopic(p.ID))
	return p, nil
}

// withdrawRow withdraws signature id of p, which takes withdrawals, in tx:
// a confirmed one that was not held comes off the counts. A signer's link
// and an erasure at their request (People.ErasePerson) both come here.
func withdrawRow(ctx context.Context, tx *sql.Tx, now time.Time, p *ballot.Petition, id int64, status string,
	w ballot.Ward, held string, sponsor bool, baseURL string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE signatures SET status = 'withdrawn' WHERE id = ?`, id); err != nil {
		return err
	}
	if status != string(ballot.SignatureConfirmed) || held != "" {
		return nil // never counted
	}
	// A withdrawn sponsor no longer counts towards the sponsors.
	return applyCount(ctx, tx, now, p, w, p.Count(now, sponsor, -1, ballot.Links{Base: baseURL}))
}

// AddPaperSignature counts a signature typed in from a numbered paper sheet.
func (s *PetitionStore) AddPaperSignature(ctx context.Context, petitionID int64, sig *ballot.Signature, actor string) error {
	g, err := ballot.SignPaper(sig)
	if err != nil {
		return fmt.Errorf("paper signature: %w", err)
	}
	err = s.db.Group(ctx, func(ctx context.Context, tx *sql.Tx, now time.Time) error {
		p, err := loadPetition(ctx, tx, petitionID)
		if err != nil {
			return err
		}
		if !p.AcceptsSignatures(now) {
			return ballot.ErrNotOpen
		}
		if err := fillWard(ctx, tx, sig); err != nil {
			return err
		}
		if err := checkNameAndPostcode(ctx, tx, petitionID, g); err != nil {
			return err
		}
		sig.PetitionID, sig.CreatedAt = petitionID, now
		res, err := tx.ExecContext(ctx, `INSERT INTO signatures (petition_id, name, name_key, postcode, ward,
			ward_code, resident, channel, sheet, line, status, created_at, confirmed_at)
			VALUES (?, ?, ?, ?, ?, ?, 1, 'paper', ?, ?, 'confirmed', ?, ?)`,
			petitionID, sig.Name, g.NameKey, sig.Postcode, sig.Ward, sig.WardCode,
			sig.Sheet, sig.Line, fmtTime(now), fmtTime(now))
		if err != nil {
			return mapBallotErr(err)
		}
		sig.ID, _ = res.LastInsertId()
		detail := fmt.Sprintf("sheet %s line %d", sig.Sheet, sig.Line)
		if err := appendAudit(ctx, tx, now, actor, "petition.paper_signature", petitionSubject(petitionID), detail); err != nil {
			return err
		}
		return count(ctx, tx, now, p, ballot.Ward{Code: sig.WardCode, Name: sig.Ward}, +1, s.BaseURL)
	})
	if err != nil {
		return fmt.Errorf("paper signature: %w", err)
	}
	publish(s.Pub, ballot.PetitionTopic(petitionID))
	return nil
}

// Invalidate marks pending and confirmed signatures invalid in bulk, by
// email domain or by time range, uncounting the confirmed ones.
func (s *PetitionStore) Invalidate(ctx context.Context, petitionID int64, inv ballot.Invalidation, actor string) (int, error) {
	where, args, err := invalidationFilter(petitionID, inv)
	if err != nil {
		return 0, fmt.Errorf("invalidate: %w", err)
	}
	n := 0
	err = s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		p, err := loadPetition(ctx, tx, petitionID)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT ward_code, ward, COUNT(*) FROM signatures WHERE `+where+
			` AND status = 'confirmed' AND review_reason = '' GROUP BY ward_code, ward`, args...)
		if err != nil {
			return err
		}
		byWard := map[ballot.Ward]int{}
		for rows.Next() {
			var w ballot.Ward
			var c int
			if err := rows.Scan(&w.Code, &w.Name, &c); err != nil {
				rows.Close()
				return err
			}
			byWard[w] = c
		}
		rows.Close()
		res, err := tx.ExecContext(ctx, `UPDATE signatures SET status = 'invalidated' WHERE `+where+
			` AND status IN ('pending', 'confirmed')`, args...)
		if err != nil {
			return err
		}
		changed, _ := res.RowsAffected()
		n = int(changed)
		for w, c := range byWard {
			if err := count(ctx, tx, now, p, w, -c, s.BaseURL); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%d signatures invalidated (%s): %s", n, describeInvalidation(inv), inv.Reason)
		return appendAudit(ctx, tx, now, actor, "petition.invalidate", petitionSubject(petitionID), detail)
	})
	if err != nil {
		return 0, fmt.Errorf("invalidate: %w", err)
	}
	publish(s.Pub, ballot.PetitionTopic(petitionID))
	return n, nil
}

func invalidationFilter(petitionID int64, inv ballot.Invalidation) (string, []any, error) {
	where, args := `petition_id = ?`, []any{petitionID}
	switch {
	case inv.Domain != "":
		where += ` AND email_key LIKE ? ESCAPE '\'`
		d := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(strings.ToLower(strings.TrimSpace(inv.Domain)))
		args = append(args, "%@"+d)
	case !inv.From.IsZero() && !inv.To.IsZero() && inv.To.After(inv.From):
		where += ` AND created_at >= ? AND created_at < ?`
		args = append(args, fmtTime(inv.From), fmtTime(inv.To))
	default:
		return "", nil, &ballot.ValidationError{Fields: map[string]string{"domain": "Give an email domain, or a time range whose end is after its start"}}
	}
	return where, args, nil
}

func describeInvalidation(inv ballot.Invalidation) string {
	if inv.Domain != "" {
		return "email domain " + inv.Domain
	}
	return "made from " + inv.From.UTC().Format(time.RFC3339) + " to " + inv.To.UTC().Format(time.RFC3339)
}

// CountByWard returns confirmed signatures per ward, from the counters.
func (s *PetitionStore) CountByWard(ctx context.Context, petitionID int64) (map[ballot.Ward]int, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT ward_code, ward, count FROM petition_ward_counts
		WHERE petition_id = ? AND count > 0`, petitionID)
	if err != nil {
		return nil, fmt.Errorf("count by ward: %w", err)
	}
	defer rows.Close()
	out := map[ballot.Ward]int{}
	for rows.Next() {
		var w ballot.Ward
		var c int
		if err := rows.Scan(&w.Code, &w.Name, &c); err != nil {
			return nil, err
		}
		out[w] = c
	}
	return out, rows.Err()
}
