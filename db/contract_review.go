package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
)

// ReviewStore keeps contract reviews. It implements ballot.ReviewStore.
type ReviewStore struct {
	db *DB
}

var _ ballot.ReviewStore = (*ReviewStore)(nil)

// NewReviewStore returns the review store kept in d.
func NewReviewStore(d *DB) *ReviewStore { return &ReviewStore{db: d} }

// SweepActor names OurSay itself in the audit log when the lead-time sweep
// opens a review.
const SweepActor = "oursay"

func reviewDetail(r *ballot.ContractReview) string {
	return fmt.Sprintf("review %d: %s, %s", r.ID, r.Point.Kind.Label(), r.Point.On.Format("2 January 2006"))
}

// OpenReview saves a new draft review and sets its ID. It returns
// ballot.ErrNotFound, ballot.ErrDuplicate or a *ballot.ValidationError.
func (s *ReviewStore) OpenReview(ctx context.Context, r *ballot.ContractReview, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		return openReview(ctx, tx, now, r, actor)
	})
	if err != nil {
		return fmt.Errorf("open review: %w", err)
	}
	return nil
}

func openReview(ctx context.Context, tx *sql.Tx, now time.Time, r *ballot.ContractReview, actor string) error {
	ve := &ballot.ValidationError{}
	switch r.Point.Kind {
	case ballot.PointEnd, ballot.PointBreak, ballot.PointReviewDate, ballot.PointTermination:
	default:
		ve.Add("point", "Choose the end point this review is for")
	}
	if r.Point.On.IsZero() {
		ve.Add("point_on", "Enter the date as year-month-day, like 2027-03-31")
	}
	if err := ve.Err(); err != nil {
		return err
	}
	var found bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM contracts WHERE id = ?)`, r.ContractID).Scan(&found); err != nil {
		return err
	}
	if !found {
		return ballot.ErrNotFound
	}
	r.Status, r.CreatedAt, r.CreatedBy = ballot.ReviewDraft, now, actor
	res, err := tx.ExecContext(ctx, `INSERT INTO contract_reviews (contract_id, point, point_on, status, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?)`, r.ContractID, string(r.Point.Kind), fmtDate(r.Point.On), string(r.Status), fmtTime(now), actor)
	if err != nil {
		return contractErr(err)
	}
	if r.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return appendAudit(ctx, tx, now, actor, "contract.review_open", contractSubject(r.ContractID), reviewDetail(r))
}

// SaveReview replaces a draft's answers. It returns ballot.ErrNotFound,
// ballot.ErrBadTransition or a *ballot.ValidationError.
func (s *ReviewStore) SaveReview(ctx context.Context, r *ballot.ContractReview, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		old, err := scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM contract_reviews WHERE id = ?`, r.ID))
		if err != nil {
			return contractErr(err)
		}
		if old.Status != ballot.ReviewDraft {
			return ballot.ErrBadTransition
		}
		r.ContractID, r.Point, r.Status, r.CreatedAt, r.CreatedBy = old.ContractID, old.Point, old.Status, old.CreatedAt, old.CreatedBy
		if err := r.Validate(); err != nil {
			return err
		}
		r.SavedAt = now
		e, a := r.Exemption, r.InHouse
		_, err = tx.ExecContext(ctx, `UPDATE contract_reviews SET at_risk_contact = ?, rights_threat = ?, exemption = ?,
			exemption_reason = ?, exemption_value_pence = ?, exemption_threshold_pence = ?, exemption_body = ?,
			public_interest_case = ?, in_house_cost_pence = ?, in_house_quality = ?, in_house_workforce = ?,
			in_house_risk = ?, route = ?, saved_at = ? WHERE id = ?`,
			r.AtRisk.Contact, r.AtRisk.Rights, string(e.Kind), e.Reason, e.ValuePence, e.ThresholdPence, e.OtherBody,
			r.PublicInterestCase, a.CostPence, a.Quality, a.Workforce, a.Risk, string(r.Route), fmtTime(now), r.ID)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "contract.review_save", contractSubject(r.ContractID), reviewDetail(r))
	})
	if err != nil {
		return fmt.Errorf("save review: %w", err)
	}
	return nil
}

// PublishReview publishes a draft through its CanPublish. It returns
// ballot.ErrNotFound, ballot.ErrBadTransition or a *ballot.ValidationError.
func (s *ReviewStore) PublishReview(ctx context.Context, id int64, challengeDays int, actor string) (*ballot.ContractReview, error) {
	var r *ballot.ContractReview
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var err error
		if r, err = scanReview(tx.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM contract_reviews WHERE id = ?`, id)); err != nil {
			return contractErr(err)
		}
		if err := r.CanPublish(); err != nil {
			return err
		}
		r.Status, r.PublishedAt, r.ChallengeEnds = ballot.ReviewPublished, now, r.ChallengeWindowEnds(now, challengeDays)
		_, err = tx.ExecContext(ctx, `UPDATE contract_reviews SET status = ?, published_at = ?, challenge_ends_at = ? WHERE id = ?`,
			string(r.Status), fmtTime(now), nullTime(r.ChallengeEnds), id)
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "contract.review_publish", contractSubject(r.ContractID), reviewDetail(r))
	})
	if err != nil {
		return nil, fmt.Errorf("publish review: %w", err)
	}
	return r, nil
}

// Review returns one review, or ballot.ErrNotFound.
func (s *ReviewStore) Review(ctx context.Context, id int64) (*ballot.ContractReview, error) {
	r, err := scanReview(s.db.reader.QueryRowContext(ctx, `SELECT `+reviewCols+` FROM contract_reviews WHERE id = ?`, id))
	if err != nil {
		return nil, fmt.Errorf("review: %w", contractErr(err))
	}
	return r, nil
}

// Reviews lists every review by contract and end point date.
func (s *ReviewStore) Reviews(ctx context.Context) ([]*ballot.ContractReview, error) {
	rs, err := queryReviews(ctx, s.db.reader, `SELECT `+reviewCols+` FROM contract_reviews ORDER BY contract_id, point_on, id`)
	if err != nil {
		return nil, fmt.Errorf("reviews: %w", err)
	}
	return rs, nil
}

// OpenDueReviews opens a draft for each end point within leadMonths of now
// that has no review, in one transaction, and returns how many it opened.
func (s *ReviewStore) OpenDueReviews(ctx context.Context, now time.Time, leadMonths int) (int, error) {
	contracts, err := NewContractStore(s.db).Contracts(ctx)
	if err != nil {
		return 0, fmt.Errorf("open due reviews: %w", err)
	}
	opened := 0
	err = s.db.withTx(ctx, func(tx *sql.Tx, txNow time.Time) error {
		for _, c := range contracts {
			for _, p := range c.DueEndPoints(now, leadMonths) {
				var exists bool
				err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM contract_reviews
					WHERE contract_id = ? AND point = ? AND point_on = ?)`, c.ID, string(p.Kind), fmtDate(p.On)).Scan(&exists)
				if err != nil {
					return err
				}
				if exists {
					continue
				}
				if err := openReview(ctx, tx, txNow, &ballot.ContractReview{ContractID: c.ID, Point: p}, SweepActor); err != nil {
					return err
				}
				opened++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("open due reviews: %w", err)
	}
	return opened, nil
}

const reviewCols = `id, contract_id, point, point_on, status, at_risk_contact, rights_threat, exemption,
	exemption_reason, exemption_value_pence, exemption_threshold_pence, exemption_body, public_interest_case,
	in_house_cost_pence, in_house_quality, in_house_workforce, in_house_risk, route, created_at, created_by,
	saved_at, published_at, challenge_ends_at`

func queryReviews(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]*ballot.ContractReview, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var rs []*ballot.ContractReview
	for rows.Next() {
		r, err := scanReview(rows)
		if err != nil {
			return nil, err
		}
		rs = append(rs, r)
	}
	return rs, rows.Err()
}

func scanReview(row interface{ Scan(...any) error }) (*ballot.ContractReview, error) {
	r := &ballot.ContractReview{}
	e, a := &r.Exemption, &r.InHouse
	var pointOn string
	var created, saved, published, challenge sql.NullString
	err := row.Scan(&r.ID, &r.ContractID, &r.Point.Kind, &pointOn, &r.Status, &r.AtRisk.Contact, &r.AtRisk.Rights,
		&e.Kind, &e.Reason, &e.ValuePence, &e.ThresholdPence, &e.OtherBody, &r.PublicInterestCase,
		&a.CostPence, &a.Quality, &a.Workforce, &a.Risk, &r.Route, &created, &r.CreatedBy, &saved, &published, &challenge)
	if err != nil {
		return nil, err
	}
	if r.Point.On, err = parseDate(pointOn); err != nil {
		return nil, err
	}
	var times [4]time.Time
	for i, s := range []sql.NullString{created, saved, published, challenge} {
		if times[i], err = parseTime(s); err != nil {
			return nil, err
		}
	}
	r.CreatedAt, r.SavedAt, r.PublishedAt, r.ChallengeEnds = times[0], times[1], times[2], times[3]
	return r, nil
}
