package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/oursay/oursay/ballot"
)

// The pages that mailed links open. Mail scanners open every link in a
// message, so opening one changes nothing: these look the link up on the
// reader, and only the button on the page (a POST) confirms or withdraws.

// CampaignerLink returns the petition a campaigner's confirmation link names.
func (s *PetitionStore) CampaignerLink(ctx context.Context, token string) (*ballot.Petition, error) {
	p, err := scanPetition(s.db.Reader().QueryRowContext(ctx, `SELECT `+petitionCols+` FROM petitions WHERE campaigner_token_hash = ?`, hashToken(token)))
	if errors.Is(err, ballot.ErrNotFound) || err == nil && p.Status == ballot.StatusUnconfirmed && s.db.now().Sub(p.CreatedAt) > tokenTTL {
		return nil, fmt.Errorf("campaigner link: %w", ballot.ErrTokenInvalid)
	}
	if err != nil {
		return nil, fmt.Errorf("campaigner link: %w", err)
	}
	return p, nil
}

// ConfirmLink returns what the confirmation link has done so far: its
// petition, whether it was confirmed already and whether it is held.
func (s *PetitionStore) ConfirmLink(ctx context.Context, token string) (*ballot.Confirmation, error) {
	l, err := s.signatureLink(ctx, linkConfirm, "confirm_token_hash", token)
	if err != nil {
		return nil, fmt.Errorf("confirmation link: %w", err)
	}
	return &ballot.Confirmation{Petition: l.p, Already: l.status == ballot.SignatureConfirmed, Held: l.held}, nil
}

// WithdrawLink returns the petition and status of the signature a
// withdrawal link names.
func (s *PetitionStore) WithdrawLink(ctx context.Context, token string) (*ballot.Petition, ballot.SignatureStatus, error) {
	l, err := s.signatureLink(ctx, linkWithdraw, "withdraw_token_hash", token)
	if err != nil {
		return nil, "", fmt.Errorf("withdrawal link: %w", err)
	}
	return l.p, l.status, nil
}

// linked is the signature a mailed link names, as its page needs it.
type linked struct {
	p      *ballot.Petition
	status ballot.SignatureStatus
	held   bool // held for a moderator's check
}

func (s *PetitionStore) signatureLink(ctx context.Context, purpose, hashColumn, token string) (*linked, error) {
	var pid int64
	var status, reason string
	var expires sql.NullString
	where, arg := s.linkWhere(purpose, hashColumn, token)
	err := s.db.Reader().QueryRowContext(ctx, `SELECT petition_id, status, token_expires_at, review_reason FROM signatures WHERE `+where, arg).
		Scan(&pid, &status, &expires, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ballot.ErrTokenInvalid
	} else if err != nil {
		return nil, err
	}
	st := ballot.SignatureStatus(status)
	if st == ballot.SignatureInvalidated || purpose == linkConfirm && st == ballot.SignatureWithdrawn {
		return nil, ballot.ErrTokenInvalid
	}
	if purpose == linkConfirm {
		if exp, _ := parseTime(expires); st == ballot.SignaturePending && !exp.IsZero() && s.db.now().After(exp) {
			return nil, ballot.ErrTokenInvalid
		}
	}
	p, err := loadPetition(ctx, s.db.Reader(), pid)
	if err != nil {
		return nil, err
	}
	return &linked{p: p, status: st, held: reason != ""}, nil
}
