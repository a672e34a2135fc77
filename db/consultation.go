package db

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/oursay/oursay/consult"
)

// ConsultStore keeps consultations, their questions, responses and tallies.
// It implements consult.Store.
type ConsultStore struct {
	db *DB
	// Pub, when set, hears of each committed response and lifecycle change
	// (consult.ConsultationTopic), for the live pages.
	Pub consult.Publisher
	// BaseURL starts the link in a respondent's receipt email.
	BaseURL string
}

var _ consult.Store = (*ConsultStore)(nil)

// NewConsultStore returns the consultation store kept in d.
func NewConsultStore(d *DB) *ConsultStore { return &ConsultStore{db: d} }

// CreateConsultation saves c as a new draft and sets its ID, Status and
// times. Questions already on c are saved with it (and get their ids), so a
// whole consultation can be loaded in one step. It returns a
// *consult.ValidationError for bad fields and consult.ErrDuplicate when the
// slug is taken.
func (s *ConsultStore) CreateConsultation(ctx context.Context, c *consult.Consultation, actor string) error {
	if err := c.ValidateDraft(); err != nil {
		return fmt.Errorf("create consultation: %w", err)
	}
	for i := range c.Questions {
		if err := c.Questions[i].Validate(); err != nil {
			return fmt.Errorf("create consultation: question %d: %w", i+1, err)
		}
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		c.Status, c.CreatedAt, c.UpdatedAt, c.ResponseCount = consult.StatusDraft, now, now, 0
		c.Outcome, c.Decision = nil, nil
		if err := checkContract(ctx, tx, c); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO consultations (`+consultationWriteCols+`, status, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			append(consultationArgs(c), string(c.Status), fmtTime(now))...)
		if err != nil {
			return mapErr(err)
		}
		if c.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		for i := range c.Questions {
			if err := insertQuestion(ctx, tx, c.ID, &c.Questions[i], i+1); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, now, actor, "consultation.create", subject(c.Slug), c.Title)
	})
	if err != nil {
		return fmt.Errorf("create consultation: %w", err)
	}
	return nil
}

// UpdateConsultation saves the fields of the draft with c.ID, its slug
// included, but not its questions, status or counters. It returns
// consult.ErrNotFound, consult.ErrNotDraft, consult.ErrDuplicate for a slug
// taken by another consultation, or a *consult.ValidationError.
func (s *ConsultStore) UpdateConsultation(ctx context.Context, c *consult.Consultation, actor string) error {
	if err := c.ValidateDraft(); err != nil {
		return fmt.Errorf("update consultation: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var oldSlug, status string
		err := tx.QueryRowContext(ctx, `SELECT slug, status FROM consultations WHERE id = ?`, c.ID).Scan(&oldSlug, &status)
		if err != nil {
			return mapErr(err)
		}
		if consult.Status(status) != consult.StatusDraft {
			return consult.ErrNotDraft
		}
		if err := checkContract(ctx, tx, c); err != nil {
			return err
		}
		c.UpdatedAt = now
		_, err = tx.ExecContext(ctx, `UPDATE consultations SET (`+consultationWriteCols+`)
			= (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE id = ?`,
			append(consultationArgs(c), c.ID)...)
		if err != nil {
			return mapErr(err)
		}
		detail := c.Title
		if oldSlug != c.Slug {
			detail += " (was " + oldSlug + ")"
		}
		return appendAudit(ctx, tx, now, actor, "consultation.update", subject(c.Slug), detail)
	})
	if err != nil {
		return fmt.Errorf("update consultation: %w", err)
	}
	return nil
}

// Consultation returns one consultation with its questions, outcome and
// decision, read in one snapshot. It returns consult.ErrNotFound.
func (s *ConsultStore) Consultation(ctx context.Context, slug string) (*consult.Consultation, error) {
	var c *consult.Consultation
	err := s.db.withReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		c, err = s.db.loadFixedConsultation(ctx, tx, slug)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("consultation: %w", err)
	}
	return c, nil
}

// Consultations lists consultations, newest first, without questions. With
// f.Public it leaves out drafts.
func (s *ConsultStore) Consultations(ctx context.Context, f consult.Filter) ([]*consult.Consultation, error) {
	q := `SELECT ` + consultationReadCols + ` FROM consultations`
	if f.Public {
		q += ` WHERE status <> 'draft'`
	}
	rows, err := s.db.reader.QueryContext(ctx, q+` ORDER BY created_at DESC, id DESC`)
	if err != nil {
		return nil, fmt.Errorf("consultations: %w", err)
	}
	defer rows.Close()
	var cs []*consult.Consultation
	for rows.Next() {
		c, err := scanConsultation(rows)
		if err != nil {
			return nil, fmt.Errorf("consultations: %w", err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("consultations: %w", err)
	}
	return cs, nil
}

// subject names a consultation in the audit log.
func subject(slug string) string { return "consultation:" + slug }

// consultationWriteCols are the columns a council officer edits, in the
// order of consultationArgs.
const consultationWriteCols = `slug, title, summary, service, proposal, public_interest_case,
	in_house_bid, no_in_house_reason, social_value_weight, at_risk_contact, rights_threat, exemption,
	exemption_reason, exemption_value_pence, exemption_threshold_pence, exemption_body, audience, opens_at, closes_at, live_results, requires_code, updated_at, contract_id`

func consultationArgs(c *consult.Consultation) []any {
	r := c.Record
	return []any{c.Slug, c.Title, c.Summary, r.Service, string(r.Proposal), r.PublicInterestCase,
		r.InHouseBid, r.NoInHouseReason, r.SocialValueWeight, r.AtRisk.Contact, r.AtRisk.Rights, string(r.Exemption.Kind),
		r.Exemption.Reason, r.Exemption.ValuePence, r.Exemption.ThresholdPence, r.Exemption.OtherBody, string(storedAudience(c.Audience)), nullTime(c.OpensAt), nullTime(c.ClosesAt), c.LiveResults,
		c.Audience == consult.AudienceCode, fmtTime(c.UpdatedAt), sql.NullInt64{Int64: c.ContractID, Valid: c.ContractID != 0}}
}

// checkContract refuses a consultation about a contract the register does
// not hold, in the transaction that saves it.
func checkContract(ctx context.Context, tx *sql.Tx, c *consult.Consultation) error {
	if c.ContractID == 0 {
		return nil
	}
	var found bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM contracts WHERE id = ?)`, c.ContractID).Scan(&found); err != nil {
		return err
	}
	if !found {
		ve := &consult.ValidationError{}
		ve.Add("contract", "Select the contract this consultation is about from the list, or none")
		return ve
	}
	return nil
}

// storedAudience is the audience column's value: a consultation for
// holders of a code is 'anyone' plus requires_code (see migration 0008).
func storedAudience(a consult.Audience) consult.Audience {
	if a == consult.AudienceCode {
		return consult.AudienceAnyone
	}
	return a
}

// consultationReadCols are every column, in the order of scanConsultation.
const consultationReadCols = `id, slug, title, summary, service, proposal, public_interest_case,
	in_house_bid, no_in_house_reason, social_value_weight, at_risk_contact, rights_threat, exemption,
	exemption_reason, exemption_value_pence, exemption_threshold_pence, exemption_body, audience, status, opens_at, closes_at, live_results, response_count, requires_code,
	outcome_we_asked, outcome_you_said, outcome_we_did, outcome_published_at,
	decision_proposal, decision_summary, decision_comparison, decision_recorded_at,
	created_at, updated_at, closed_at, contract_id`

// scanConsultation reads one row of consultationReadCols.
func scanConsultation(row interface{ Scan(...any) error }) (*consult.Consultation, error) {
	c := &consult.Consultation{}
	r := &c.Record
	var opens, closes, created, updated, closedByHand sql.NullString
	var weAsked, youSaid, weDid, published sql.NullString
	var proposal, summary, comparison, recorded sql.NullString
	var requiresCode bool
	var contract sql.NullInt64
	err := row.Scan(&c.ID, &c.Slug, &c.Title, &c.Summary, &r.Service, &r.Proposal, &r.PublicInterestCase,
		&r.InHouseBid, &r.NoInHouseReason, &r.SocialValueWeight, &r.AtRisk.Contact, &r.AtRisk.Rights, &r.Exemption.Kind,
		&r.Exemption.Reason, &r.Exemption.ValuePence, &r.Exemption.ThresholdPence, &r.Exemption.OtherBody, &c.Audience, &c.Status, &opens, &closes, &c.LiveResults, &c.ResponseCount, &requiresCode,
		&weAsked, &youSaid, &weDid, &published, &proposal, &summary, &comparison, &recorded,
		&created, &updated, &closedByHand, &contract)
	if err != nil {
		return nil, err
	}
	c.ContractID = contract.Int64
	if requiresCode {
		c.Audience = consult.AudienceCode
	}
	var times [7]time.Time
	for i, s := range []sql.NullString{opens, closes, created, updated, published, recorded, closedByHand} {
		if times[i], err = parseTime(s); err != nil {
			return nil, err
		}
	}
	c.OpensAt, c.ClosesAt, c.CreatedAt, c.UpdatedAt = times[0], times[1], times[2], times[3]
	c.ClosedByHandAt = times[6]
	if published.Valid {
		c.Outcome = &consult.Outcome{WeAsked: weAsked.String, YouSaid: youSaid.String,
			WeDid: weDid.String, PublishedAt: times[4]}
	}
	if recorded.Valid {
		c.Decision = &consult.Decision{Proposal: consult.Proposal(proposal.String), Summary: summary.String,
			InHouseComparison: comparison.String, RecordedAt: times[5]}
	}
	return c, nil
}

// loadConsultation reads a consultation and its questions through q, which is
// the caller's transaction, so state checked is state changed.
func loadConsultation(ctx context.Context, q querier, slug string) (*consult.Consultation, error) {
	return loadConsultationWith(ctx, q, slug, func(c *consult.Consultation) ([]consult.Question, error) {
		return loadQuestions(ctx, q, c.ID)
	})
}

// loadConsultationWith loads the consultation slug names, its questions
// from questions (see DB.loadFixedConsultation) and its revisions.
func loadConsultationWith(ctx context.Context, q querier, slug string,
	questions func(*consult.Consultation) ([]consult.Question, error)) (*consult.Consultation, error) {
	row := q.QueryRowContext(ctx, `SELECT `+consultationReadCols+` FROM consultations WHERE slug = ?`, slug)
	c, err := scanConsultation(row)
	if err != nil {
		return nil, mapErr(err)
	}
	if c.Questions, err = questions(c); err != nil {
		return nil, err
	}
	if err := loadRevisions(ctx, q, c); err != nil {
		return nil, err
	}
	return c, nil
}
