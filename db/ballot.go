package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/ballot"
)

// BallotStore keeps recall ballots, voter codes, votes and receipts. It
// implements ballot.BallotStore. Votes go through the group-commit writer;
// council actions use ordinary transactions. See 0005_ballots.sql for what
// is stored, and what is deliberately not.
type BallotStore struct {
	db *DB
	// BaseURL starts the links in mail to a petition's campaigner.
	BaseURL string
	// Pub, when set, hears of each committed vote and lifecycle change, on
	// the ballot's topic. It is told the topic only: a vote's option never
	// leaves the transaction.
	Pub ballot.Publisher
}

var _ ballot.BallotStore = (*BallotStore)(nil)

// NewBallotStore returns the ballot store kept in d.
func NewBallotStore(d *DB) *BallotStore { return &BallotStore{db: d} }

func ballotSubject(id int64) string { return fmt.Sprintf("ballot:%d", id) }

const ballotCols = `id, COALESCE(petition_id, 0), contract_id, question, opens_at, closes_at, quorum_bp,
	status, codes_issued, votes_cast, closed_at, created_at, response_exercised, response_break_on,
	response_reason, response_recorded_at`

func scanBallot(row interface{ Scan(...any) error }) (*ballot.Ballot, error) {
	var b ballot.Ballot
	var opens, closes, closed, created, breakOn, recorded sql.NullString
	var exercised sql.NullBool
	var reason string
	err := row.Scan(&b.ID, &b.PetitionID, &b.ContractID, &b.Question, &opens, &closes, &b.QuorumBasisPoints,
		&b.Status, &b.CodesIssued, &b.VotesCast, &closed, &created, &exercised, &breakOn, &reason, &recorded)
	if err != nil {
		return nil, mapBallotErr(err)
	}
	if exercised.Valid {
		r := &ballot.CouncilResponse{Exercised: exercised.Bool, Reason: reason}
		if breakOn.Valid {
			if r.BreakOn, err = parseDate(breakOn.String); err != nil {
				return nil, err
			}
		}
		if r.RecordedAt, err = parseTime(recorded); err != nil {
			return nil, err
		}
		b.Response = r
	}
	for _, f := range []struct {
		dst *time.Time
		src sql.NullString
	}{{&b.OpensAt, opens}, {&b.ClosesAt, closes}, {&b.ClosedAt, closed}, {&b.CreatedAt, created}} {
		if *f.dst, err = parseTime(f.src); err != nil {
			return nil, err
		}
	}
	return &b, nil
}

// loadBallot reads a ballot without its options: enough for the rules.
func loadBallot(ctx context.Context, q querier, id int64) (*ballot.Ballot, error) {
	return scanBallot(q.QueryRowContext(ctx, `SELECT `+ballotCols+` FROM ballots WHERE id = ?`, id))
}

// loadBallotOptions fills in the options of bs, in paper order, with one query.
func loadBallotOptions(ctx context.Context, q querier, bs ...*ballot.Ballot) error {
	if len(bs) == 0 {
		return nil
	}
	byID := map[int64]*ballot.Ballot{}
	args := make([]any, len(bs))
	for i, b := range bs {
		byID[b.ID], args[i] = b, b.ID
	}
	rows, err := q.QueryContext(ctx, `SELECT ballot_id, id, label FROM ballot_options
		WHERE ballot_id IN (?`+strings.Repeat(", ?", len(bs)-1)+`) ORDER BY ballot_id, position`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var bid int64
		var o ballot.BallotOption
		if err := rows.Scan(&bid, &o.ID, &o.Label); err != nil {
			return err
		}
		byID[bid].Options = append(byID[bid].Options, o)
	}
	return rows.Err()
}

// CreateBallot saves a draft ballot. A ballot for a petition takes the
// petition's contract and needs the petition's threshold to have been met.
func (s *BallotStore) CreateBallot(ctx context.Context, b *ballot.Ballot, actor string) error {
	if len(b.Options) == 0 {
		b.Options = ballot.DefaultOptions()
	}
	if b.PetitionID != 0 && b.ContractID == 0 {
		p, err := loadPetition(ctx, s.db.reader, b.PetitionID)
		if err != nil {
			return fmt.Errorf("create ballot: %w", err)
		}
		b.ContractID = p.ContractID
	}
	if err := b.Validate(); err != nil {
		return fmt.Errorf("create ballot: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		if err := checkPetitionForBallot(ctx, tx, b); err != nil {
			return err
		}
		b.Status, b.CreatedAt, b.CodesIssued, b.VotesCast = ballot.BallotDraft, now, 0, 0
		res, err := tx.ExecContext(ctx, `INSERT INTO ballots (petition_id, contract_id, question, opens_at, closes_at,
			quorum_bp, status, created_at) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?)`,
			nullID(b.PetitionID), b.ContractID, b.Question, fmtTime(b.OpensAt), fmtTime(b.ClosesAt), b.QuorumBasisPoints, fmtTime(now))
		if err != nil {
			return mapBallotErr(err)
		}
		if b.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for i := range b.Options {
			res, err := tx.ExecContext(ctx, `INSERT INTO ballot_options (ballot_id, position, label) VALUES (?, ?, ?)`,
				b.ID, i, b.Options[i].Label)
			if err != nil {
				return mapBallotErr(err)
			}
			if b.Options[i].ID, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		detail := fmt.Sprintf("%q; options %s; voting %s to %s; quorum %s turnout", b.Question, optionLabels(b.Options),
			b.OpensAt.Format(time.RFC3339), b.ClosesAt.Format(time.RFC3339), basisPoints(b.QuorumBasisPoints))
		if b.PetitionID != 0 {
			detail += fmt.Sprintf("; for petition %d", b.PetitionID)
		}
		return appendAudit(ctx, tx, now, actor, "ballot.create", ballotSubject(b.ID), detail)
	})
	if err != nil {
		return fmt.Errorf("create ballot: %w", err)
	}
	return nil
}

// checkPetitionForBallot refuses a ballot for a petition that has not met
// its threshold, or that is about another contract.
func checkPetitionForBallot(ctx context.Context, tx *sql.Tx, b *ballot.Ballot) error {
	if b.PetitionID == 0 {
		return nil
	}
	p, err := loadPetition(ctx, tx, b.PetitionID)
	if err != nil {
		return err
	}
	if p.ThresholdMetAt.IsZero() {
		return ballot.ErrBadTransition
	}
	if p.ContractID != b.ContractID {
		return &ballot.ValidationError{Fields: map[string]string{"contract": "The ballot must be about the petition's contract"}}
	}
	return nil
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func optionLabels(os []ballot.BallotOption) string {
	ls := make([]string, len(os))
	for i, o := range os {
		ls[i] = fmt.Sprintf("%q", o.Label)
	}
	return strings.Join(ls, ", ")
}

// basisPoints prints 2500 as "25.00%".
func basisPoints(bp int) string { return fmt.Sprintf("%d.%02d%%", bp/100, bp%100) }

// Ballot returns one ballot with its options.
func (s *BallotStore) Ballot(ctx context.Context, id int64) (*ballot.Ballot, error) {
	b, err := loadBallot(ctx, s.db.reader, id)
	if err == nil {
		err = loadBallotOptions(ctx, s.db.reader, b)
	}
	if err != nil {
		return nil, fmt.Errorf("ballot %d: %w", id, err)
	}
	return b, nil
}

// Ballots lists ballots, newest first; public leaves out drafts.
func (s *BallotStore) Ballots(ctx context.Context, public bool) ([]*ballot.Ballot, error) {
	q := `SELECT ` + ballotCols + ` FROM ballots`
	if public {
		q += ` WHERE status <> 'draft'`
	}
	rows, err := s.db.reader.QueryContext(ctx, q+` ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	defer rows.Close()
	var bs []*ballot.Ballot
	for rows.Next() {
		b, err := scanBallot(rows)
		if err != nil {
			return nil, fmt.Errorf("ballots: %w", err)
		}
		bs = append(bs, b)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	if err := loadBallotOptions(ctx, s.db.reader, bs...); err != nil {
		return nil, fmt.Errorf("ballots: %w", err)
	}
	return bs, nil
}

// Open opens a draft ballot that has voter codes and has not passed its
// closing time, and tells the campaigner of the petition it follows.
func (s *BallotStore) Open(ctx context.Context, id int64, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		b, err := loadBallot(ctx, tx, id)
		if err != nil {
			return err
		}
		if b.Status != ballot.BallotDraft || b.CodesIssued == 0 {
			return ballot.ErrBadTransition
		}
		if !now.Before(b.ClosesAt) {
			return &ballot.ValidationError{Fields: map[string]string{"closes_at": "Voting would already have closed: set up a new ballot with a later closing time"}}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE ballots SET status = 'open' WHERE id = ?`, id); err != nil {
			return err
		}
		if err := s.mailCampaigner(ctx, tx, now, b, func(p *ballot.Petition, l ballot.Links) (string, string) {
			return ballot.BallotOpenedMail(p, b, now, l)
		}); err != nil {
			return err
		}
		detail := fmt.Sprintf("%d voter codes issued; voting %s to %s; quorum %s turnout", b.CodesIssued,
			b.OpensAt.Format(time.RFC3339), b.ClosesAt.Format(time.RFC3339), basisPoints(b.QuorumBasisPoints))
		return appendAudit(ctx, tx, now, actor, "ballot.open", ballotSubject(id), detail)
	})
	if err != nil {
		return fmt.Errorf("open ballot: %w", err)
	}
	publish(s.Pub, ballot.BallotTopic(id))
	return nil
}

// mailCampaigner queues the mail text makes to the campaigner of the
// petition ballot b follows, if any, in the caller's transaction: the one
// that opened or closed the ballot, so the mail goes once.
func (s *BallotStore) mailCampaigner(ctx context.Context, tx *sql.Tx, now time.Time, b *ballot.Ballot,
	text func(*ballot.Petition, ballot.Links) (string, string)) error {
	if b.PetitionID == 0 {
		return nil
	}
	p, err := loadPetition(ctx, tx, b.PetitionID)
	if err != nil {
		return err
	}
	m := ballot.Notice{}
	m.Subject, m.Body = text(p, ballot.Links{Base: s.BaseURL})
	return mailCampaigner(ctx, tx, now, p, m)
}
