package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/oursay/oursay/ballot"
)

// DocumentStore keeps contract documents. It implements
// ballot.DocumentStore.
type DocumentStore struct {
	db *DB
}

var _ ballot.DocumentStore = (*DocumentStore)(nil)

// NewDocumentStore returns the document store kept in d.
func NewDocumentStore(d *DB) *DocumentStore { return &DocumentStore{db: d} }

// AddDocument validates and saves d with its audit entry.
func (s *DocumentStore) AddDocument(ctx context.Context, d *ballot.Document, limit int64, actor string) error {
	d.Size = int64(len(d.Data))
	if err := d.Validate(limit); err != nil {
		return fmt.Errorf("add document: %w", err)
	}
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var title string
		if err := tx.QueryRowContext(ctx, `SELECT title FROM contracts WHERE id = ?`, d.ContractID).Scan(&title); err != nil {
			return contractErr(err)
		}
		released := ""
		if d.RequestID != 0 {
			var err error
			if released, err = answerReleasing(ctx, tx, d); err != nil {
				return err
			}
		}
		d.CreatedAt, d.CreatedBy = now, actor
		res, err := tx.ExecContext(ctx, `INSERT INTO contract_documents (contract_id, kind, title, dated, redacted, reason,
			filename, content_type, size, data, created_at, created_by, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ContractID, d.Kind, d.Title, fmtDate(d.Dated), d.Redacted, d.Reason, d.Filename, d.ContentType, d.Size, d.Data,
			fmtTime(now), actor, nullID(d.RequestID))
		if err != nil {
			return err
		}
		if d.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		how := "in full"
		if d.Redacted {
			how = "redacted: " + d.Reason
		}
		return appendAudit(ctx, tx, now, actor, "document.add", contractSubject(d.ContractID),
			fmt.Sprintf("%s %q (%s, %d bytes) published %s%s", ballot.KindLabel(d.Kind), d.Title, d.Filename, d.Size, how, released))
	})
	if err != nil {
		return fmt.Errorf("add document: %w", err)
	}
	return nil
}

// answerReleasing checks that d's request is about d's contract and
// answered (ballot.InfoRequest.CanReleaseDocuments), and says so for the
// audit log.
func answerReleasing(ctx context.Context, tx *sql.Tx, d *ballot.Document) (string, error) {
	req := &ballot.InfoRequest{ID: d.RequestID}
	var contractID int64
	if err := tx.QueryRowContext(ctx, `SELECT contract_id, state FROM info_requests WHERE id = ?`, d.RequestID).
		Scan(&contractID, &req.State); err != nil || contractID != d.ContractID {
		if err == nil || errors.Is(err, sql.ErrNoRows) {
			return "", ballot.ErrNotFound
		}
		return "", err
	}
	if err := req.CanReleaseDocuments(); err != nil {
		return "", err
	}
	return fmt.Sprintf(" with the answer to information request %d", d.RequestID), nil
}

const documentCols = `id, contract_id, kind, title, dated, redacted, reason, filename, content_type, size, created_at, created_by, request_id`

func scanDocument(row interface{ Scan(...any) error }, extra ...any) (*ballot.Document, error) {
	d := &ballot.Document{}
	var dated string
	var created sql.NullString
	var request sql.NullInt64
	if err := row.Scan(append([]any{&d.ID, &d.ContractID, &d.Kind, &d.Title, &dated, &d.Redacted, &d.Reason, &d.Filename,
		&d.ContentType, &d.Size, &created, &d.CreatedBy, &request}, extra...)...); err != nil {
		return nil, contractErr(err)
	}
	d.RequestID = request.Int64
	var err error
	if d.Dated, err = parseDate(dated); err != nil {
		return nil, err
	}
	if d.CreatedAt, err = parseTime(created); err != nil {
		return nil, err
	}
	return d, nil
}

// Documents lists a contract's documents, newest date first.
func (s *DocumentStore) Documents(ctx context.Context, contractID int64) ([]*ballot.Document, error) {
	rows, err := s.db.reader.QueryContext(ctx, `SELECT `+documentCols+` FROM contract_documents WHERE contract_id = ?
		ORDER BY dated DESC, id DESC`, contractID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ballot.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// Document returns one document with its bytes.
func (s *DocumentStore) Document(ctx context.Context, contractID, id int64) (*ballot.Document, error) {
	var data []byte
	d, err := scanDocument(s.db.reader.QueryRowContext(ctx, `SELECT `+documentCols+`, data FROM contract_documents
		WHERE id = ? AND contract_id = ?`, id, contractID), &data)
	if err != nil {
		return nil, fmt.Errorf("document %d: %w", id, err)
	}
	d.Data = data
	return d, nil
}

// RemoveDocument deletes a document, keeping why in the audit log.
func (s *DocumentStore) RemoveDocument(ctx context.Context, contractID, id int64, reason, actor string) error {
	err := s.db.withTx(ctx, func(tx *sql.Tx, now time.Time) error {
		var title, filename string
		if err := tx.QueryRowContext(ctx, `SELECT title, filename FROM contract_documents WHERE id = ? AND contract_id = ?`, id, contractID).
			Scan(&title, &filename); err != nil {
			return contractErr(err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contract_documents WHERE id = ?`, id); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, actor, "document.remove", contractSubject(contractID),
			fmt.Sprintf("%q (%s) removed: %s", title, filename, reason))
	})
	if err != nil {
		return fmt.Errorf("remove document %d: %w", id, err)
	}
	return nil
}
