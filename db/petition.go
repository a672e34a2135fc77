package db

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// PetitionStore keeps recall petitions and signatures. It implements
// ballot.PetitionStore. Signing and confirming go through the group-commit
// writer; council actions use ordinary transactions.
type PetitionStore struct {
	db *DB
	// BaseURL starts the links in mail sent to council staff.
	BaseURL string
	// Pub, when set, hears of each committed change to a petition's
	// status or count (ballot.PetitionTopic), for the live pages.
	Pub ballot.Publisher
	// LinkKey, when set, signs the links in signers' mail instead of
	// storing a hash of each (see signature_links.go); serve sets it from
	// the secret key with db.LinkKey.
	LinkKey []byte
}

var _ ballot.PetitionStore = (*PetitionStore)(nil)

// NewPetitionStore returns the petition store kept in d.
func NewPetitionStore(d *DB) *PetitionStore { return &PetitionStore{db: d} }

// tokenTTL is how long a confirmation link stays good.
const tokenTTL = 7 * 24 * time.Hour

// newToken returns a random URL-safe token and the hash that is stored.
// Only the email holds the token itself.
func newToken() (token, hash string) {
	token = rand.Text() // 130 bits, base32: safe in a URL
	return token, hashToken(token)
}

func hashToken(t string) string {
	sum := sha256.Sum256([]byte(t))
	return hex.EncodeToString(sum[:])
}

// mapBallotErr maps driver errors to ballot's sentinels.
func mapBallotErr(err error) error {
	var se sqlite3.Error
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return ballot.ErrNotFound
	case isUnique(err):
		return ballot.ErrDuplicate
	case errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintForeignKey:
		return ballot.ErrNotFound
	}
	return err
}

func petitionSubject(id int64) string { return fmt.Sprintf("petition:%d", id) }

const petitionCols = `id, contract_id, title, reasons, campaigner_name, campaigner_email, status,
	rejection_reason, sponsors_needed, sponsor_count, count_policy, threshold, electorate_count,
	electorate_as_of, opened_at, closes_at, threshold_met_at, signature_count, milestone, created_at`

func scanPetition(row interface{ Scan(...any) error }) (*ballot.Petition, error) {
	var p ballot.Petition
	var asOf, opened, closes, met, created sql.NullString
	err := row.Scan(&p.ID, &p.ContractID, &p.Title, &p.Reasons, &p.CampaignerName, &p.CampaignerEmail,
		&p.Status, &p.RejectionReason, &p.SponsorsNeeded, &p.SponsorCount, &p.CountPolicy, &p.Threshold,
		&p.Electorate.Count, &asOf, &opened, &closes, &met, &p.SignatureCount, &p.Milestone, &created)
	if err != nil {
		return nil, mapBallotErr(err)
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&p.Electorate.AsOf, asOf}, {&p.OpenedAt, opened}, {&p.ClosesAt, closes}, {&p.ThresholdMetAt, met}, {&p.CreatedAt, created}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, err
		}
	}
	return &p, nil
}

func loadPetition(ctx context.Context, q querier, id int64) (*ballot.Petition, error) {
	return scanPetition(q.QueryRowContext(ctx, `SELECT `+petitionCols+` FROM petitions WHERE id = ?`, id))
}

// CreatePetition saves an unconfirmed petition and queues the campaigner's
// confirmation email in the same transaction.
func (s *PetitionStore) CreatePetition(ctx context.Context, p *ballot.Petition, baseURL string) error {
	if p.SponsorsNeeded == 0 {
		p.SponsorsNeeded = ballot.DefaultSponsors
	}
	if p.CountPolicy == "" {
		p.CountPolicy = ballot.CountLive
	}
	if err := p.Validate(); err != nil {
		return fmt.Errorf("create petition: %w", err)
	}
	token, hash := newToken()
	share, _ := newToken()
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		// A recall is acted on at a break clause: no petition against a
		// contract that is not running or has none to come.
		c, err := scanContract(tx.QueryRowContext(ctx, `SELECT `+contractReadCols+` FROM contracts WHERE id = ?`, p.ContractID))
		if err != nil {
			return contractErr(err)
		}
		if err := loadContractChildren(ctx, tx, map[int64]*ballot.Contract{c.ID: c}); err != nil {
			return err
		}
		if err := c.CanPetition(now); err != nil {
			return err
		}
		p.Status, p.CreatedAt = ballot.StatusUnconfirmed, now
		res, err := tx.ExecContext(ctx, `INSERT INTO petitions (contract_id, title, reasons, campaigner_name,
			campaigner_email, campaigner_token_hash, share_token, status, sponsors_needed, count_policy, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			p.ContractID, p.Title, p.Reasons, p.CampaignerName, p.CampaignerEmail, hash, share,
			p.Status, p.SponsorsNeeded, p.CountPolicy, fmtTime(now))
		if err != nil {
			return mapBallotErr(err)
		}
		if p.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		subj, body := ballot.CampaignerMail(p, ballot.Links{Base: baseURL}.ConfirmCampaigner(token))
		return enqueueMail(ctx, tx, now, consult.Mail{To: p.CampaignerEmail, Subject: subj, Body: body})
	})
	if err != nil {
		return fmt.Errorf("create petition: %w", err)
	}
	return nil
}

// ConfirmCampaigner moves an unconfirmed petition on to gathering sponsors
// (or straight to moderation when it needs none) and mails the campaigner
// the sponsor link, in the same transaction: a second press mails nothing.
func (s *PetitionStore) ConfirmCampaigner(ctx context.Context, token string) (*ballot.Petition, bool, error) {
	var p *ballot.Petition
	already := false
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		p, err = scanPetition(tx.QueryRowContext(ctx, `SELECT `+petitionCols+` FROM petitions WHERE campaigner_token_hash = ?`, hashToken(token)))
		if errors.Is(err, ballot.ErrNotFound) || err == nil && now.Sub(p.CreatedAt) > tokenTTL && p.Status == ballot.StatusUnconfirmed {
			return ballot.ErrTokenInvalid
		}
		if err != nil {
			return err
		}
		if p.Status != ballot.StatusUnconfirmed {
			already = true
			return nil
		}
		next := ballot.StatusSponsoring
		if p.SponsorsNeeded <= 0 {
			next = ballot.StatusModeration
		}
		if _, err := tx.ExecContext(ctx, `UPDATE petitions SET status = ? WHERE id = ?`, next, p.ID); err != nil {
			return err
		}
		p.Status = next
		var share string
		if err := tx.QueryRowContext(ctx, `SELECT share_token FROM petitions WHERE id = ?`, p.ID).Scan(&share); err != nil {
			return err
		}
		m := ballot.Notice{}
		m.Subject, m.Body = ballot.CampaignerConfirmedMail(p, ballot.Links{Base: s.BaseURL}.Sponsor(p.ID, share))
		return mailCampaigner(ctx, tx, now, p, m)
	})
	if err != nil {
		return nil, false, fmt.Errorf("confirm campaigner: %w", err)
	}
	return p, already, nil
}

// Petition returns one petition.
func (s *PetitionStore) Petition(ctx context.Context, id int64) (*ballot.Petition, error) {
	p, err := loadPetition(ctx, s.db.reader, id)
	if err != nil {
		return nil, fmt.Errorf("petition %d: %w", id, err)
	}
	return p, nil
}

// Petitions lists petitions newest first; public lists those that were
// published (open, and so later closed or met) only.
func (s *PetitionStore) Petitions(ctx context.Context, public bool) ([]*ballot.Petition, error) {
	q := `SELECT ` + petitionCols + ` FROM petitions`
	if public {
		q += ` WHERE status = 'open'`
	}
	rows, err := s.db.reader.QueryContext(ctx, q+` ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("petitions: %w", err)
	}
	defer rows.Close()
	var out []*ballot.Petition
	for rows.Next() {
		p, err := scanPetition(rows)
		if err != nil {
			return nil, fmt.Errorf("petitions: %w", err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ShareToken returns the sponsor link token.
func (s *PetitionStore) ShareToken(ctx context.Context, id int64) (string, error) {
	var t string
	err := s.db.reader.QueryRowContext(ctx, `SELECT share_token FROM petitions WHERE id = ?`, id).Scan(&t)
	if err != nil {
		return "", fmt.Errorf("share token: %w", mapBallotErr(err))
	}
	return t, nil
}
