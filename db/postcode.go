package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// Postcode is one entry of the council's postcode list: the postcode and the
// ward it lies in, with the ward's GSS code (such as E05000001).
type Postcode struct {
	Postcode string
	Ward     string
	WardCode string
}

// AddPostcodes adds pcs to the council's postcode list, replacing the ward of
// any postcode already there. Postcodes are stored in normalised form. A
// postcode that is not shaped like a UK postcode fails the whole load with
// an error naming its line (its 1-based position in pcs) and value, and
// nothing is saved.
func (d *DB) AddPostcodes(ctx context.Context, pcs []Postcode) error {
	err := d.withTx(ctx, func(tx *sql.Tx, _ time.Time) error {
		// One prepared statement: postcode lists run to tens of thousands of lines.
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO postcodes (postcode, ward, ward_code) VALUES (?, ?, ?)
			ON CONFLICT (postcode) DO UPDATE SET ward = excluded.ward, ward_code = excluded.ward_code`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i, pc := range pcs {
			p := consult.NormalisePostcode(pc.Postcode)
			if p == "" {
				return fmt.Errorf("line %d: %q is not a UK postcode", i+1, pc.Postcode)
			}
			if _, err := stmt.ExecContext(ctx, p, strings.TrimSpace(pc.Ward), strings.TrimSpace(pc.WardCode)); err != nil {
				return fmt.Errorf("line %d: %w", i+1, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("add postcodes: %w", err)
	}
	return nil
}
