package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oursay/oursay/consult"
)

// Retention. Personal data goes once its period is over
// (consult.Retention); everything counted or published stays: counters,
// tallies, ward counts, threshold moments, ballot results and the audit
// log. The audit log needs no rewriting, so its hash chain stays whole: no
// entry names a signer or respondent (signatures are named by id, paper
// responses by serial, erasures by counts and a reason). Staff emails in it
// are the staff's own accountability record, kept with the log.

// endedPetitions selects the petitions whose signers' details are due: an
// open petition once its signing closed, a rejected one once rejected,
// and one whose campaigner never confirmed it once it was made, each at or
// before ?1. A petition still gathering sponsors or awaiting moderation
// has not ended.
const endedPetitions = `SELECT id FROM petitions WHERE
	(status = 'open' AND closes_at <= ?1)
	OR (status = 'rejected' AND rejected_at <= ?1)
	OR (status = 'unconfirmed' AND created_at <= ?1)`

// anonymiseSignatures clears a signature's person and keeps its petition,
// ward, channel, status, paper sheet and line: what every count and the
// ward breakdown are made of. Its links stop working.
const anonymiseSignatures = `UPDATE signatures SET name = '', name_key = '', email = NULL, email_key = NULL,
	postcode = '', confirm_token_hash = NULL, withdraw_token_hash = NULL, anonymised_at = ?2
	WHERE anonymised_at IS NULL AND `

// anonymiseCampaigner clears a petition's campaigner contact details.
const anonymiseCampaigner = `UPDATE petitions SET campaigner_name = '', campaigner_email = '', campaigner_anonymised_at = ?2
	WHERE campaigner_anonymised_at IS NULL AND `

// anonymiseResponses clears a response's email and postcode; its receipt,
// channel and answers stay, and the tallies never depended on the person.
const anonymiseResponses = `UPDATE responses SET email = NULL, postcode = NULL, anonymised_at = ?2
	WHERE anonymised_at IS NULL AND (email IS NOT NULL OR postcode IS NOT NULL) AND `

// endedRequests selects the information requests whose askers' details
// are due, on the respondents' period (an asker, like a respondent, gave
// their details to be answered): an answered or refused request once
// answered, and a rejected or never-confirmed one once asked, each at or
// before ?1. A request still waiting for its answer keeps them.
const endedRequests = `SELECT id FROM info_requests WHERE
	(state IN ('answered', 'refused') AND answered_at <= ?1)
	OR (state IN ('rejected', 'unconfirmed') AND created_at <= ?1)`

// errDryRun rolls back a dry run after its counts are taken.
var errDryRun = errors.New("dry run")

// retentionStep is one statement of a retention run and the count it adds to.
type retentionStep struct {
	count *int
	query string
	args  []any
}

// retentionSteps are the statements of a run as of cut, stamped now.
func retentionSteps(cut consult.Cutoffs, now time.Time, rep *consult.RetentionReport) []retentionStep {
	signers, stamp, mail := fmtTime(cut.Signers), fmtTime(now), fmtTime(cut.Mail)
	return []retentionStep{
		{&rep.Signatures, anonymiseSignatures + `petition_id IN (` + endedPetitions + `)`, []any{signers, stamp}},
		{&rep.Campaigners, anonymiseCampaigner + `id IN (` + endedPetitions + `)`, []any{signers, stamp}},
		{&rep.Responses, anonymiseResponses + `consultation_id IN (SELECT id FROM consultations
			WHERE status = 'outcome_published' AND outcome_published_at <= ?1)`, []any{fmtTime(cut.Respondents), stamp}},
		// An asker's name and email go; the request, its dates and its
		// answer stay, as do the on-time and late counts made of them.
		{&rep.Requests, `UPDATE info_requests SET requester_name = '', requester_email = '', confirm_token_hash = NULL,
			anonymised_at = ?2 WHERE anonymised_at IS NULL AND id IN (` + endedRequests + `)`, []any{fmtTime(cut.Respondents), stamp}},
		// Followers were kept only to be mailed the answer.
		{&rep.Followers, `DELETE FROM info_request_followers WHERE request_id IN (` + endedRequests + `)`, []any{fmtTime(cut.Respondents)}},
		// An objector gave their details for the challenge: they go on the
		// respondents' period after it ends; the objection still counts.
		{&rep.Objections, `UPDATE review_objections SET name = '', email = '', confirm_token_hash = 'erased:' || id
			WHERE email <> '' AND review_id IN (SELECT id FROM contract_reviews WHERE challenge_ends_at <= ?1)`, []any{fmtTime(cut.Respondents)}},
		// Sent mail keeps its subject and times; mail never sent in the
		// period is given up (its links have long expired).
		{&rep.Mail, `UPDATE outbox SET body = '', to_addr = '', last_error = ''
			WHERE sent_at IS NOT NULL AND sent_at <= ? AND (body <> '' OR to_addr <> '' OR last_error <> '')`, []any{mail}},
		{&rep.Mail, `DELETE FROM outbox WHERE sent_at IS NULL AND created_at <= ?`, []any{mail}},
		// The sessions table is scs's: expiry is a Julian day.
		{&rep.Sessions, `DELETE FROM sessions WHERE expiry < julianday(?)`, []any{cut.Now.UTC().Format("2006-01-02T15:04:05.999")}},
		{&rep.Tokens, `DELETE FROM password_tokens WHERE used_at IS NOT NULL OR expires_at <= ?`, []any{fmtTime(cut.Now)}},
	}
}

// Retain removes the personal data that is due by the cutoffs (see
// consult.Retention.Cutoffs) and counts it by kind, in one transaction.
// A real run appends an audit entry with the counts (actor is "system"
// from serve, "cli" from the command line) and then empties the
// write-ahead log, so the old pages go from it too. A dry run changes
// nothing and writes no audit entry: it does the same work in a
// transaction it rolls back, so its counts are exactly what a run would do.
func (d *DB) Retain(ctx context.Context, cut consult.Cutoffs, actor string, dryRun bool) (consult.RetentionReport, error) {
	var rep consult.RetentionReport
	err := d.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		rep = consult.RetentionReport{}
		for _, st := range retentionSteps(cut, now, &rep) {
			res, err := tx.ExecContext(ctx, st.query, st.args...)
			if err != nil {
				return err
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			*st.count += int(n)
		}
		if dryRun {
			return errDryRun
		}
		detail := rep.String() + " (as of " + cut.Now.UTC().Format(time.DateOnly) + ")"
		return appendAudit(ctx, tx, now, actor, "retention.run", "retention", detail)
	})
	if err != nil && !errors.Is(err, errDryRun) {
		return consult.RetentionReport{}, fmt.Errorf("retention: %w", err)
	}
	if !dryRun && rep.Total() > 0 {
		d.truncateWAL(ctx)
	}
	return rep, nil
}

// truncateWAL checkpoints the whole write-ahead log into the database and
// empties it, so pages from before a removal are not left in the log. It
// runs on the checkpoint connection, not the writer, and waits at most
// truncateWait: a TRUNCATE checkpoint holds back new writes while it
// waits for readers, and signing must not stall behind it. A reader on an
// old snapshot can stop it; the log is then overwritten as it is reused,
// and that is not an error.
func (d *DB) truncateWAL(ctx context.Context) {
	if d.ckpt == nil {
		return
	}
	conn, err := d.ckpt.Conn(ctx)
	if err != nil {
		return
	}
	defer conn.Close()
	conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA busy_timeout = %d`, truncateWait.Milliseconds()))
	conn.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	conn.ExecContext(ctx, `PRAGMA busy_timeout = 5000`)
}

// truncateWait bounds how long truncateWAL holds back writes.
const truncateWait = 200 * time.Millisecond
