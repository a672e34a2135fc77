package db_test

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/oursay/oursay/db"
)

func TestDB_AddPostcodes(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	ward := func(postcode string) string {
		t.Helper()
		var w string
		err := d.Reader().QueryRow(`SELECT ward || '/' || ward_code FROM postcodes WHERE postcode = ?`, postcode).Scan(&w)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		return w // "" when the postcode is not in the list
	}

	t.Run("NormalisedAndUpserted", func(t *testing.T) {
		err := d.AddPostcodes(ctx, []db.Postcode{
			{Postcode: "sw1a1aa", Ward: "St James's", WardCode: "E05000644"},
			{Postcode: " M1 1AE ", Ward: "Piccadilly", WardCode: "E05011368"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.AddPostcodes(ctx, []db.Postcode{{Postcode: "SW1A 1AA", Ward: "Westminster", WardCode: "E05013806"}}); err != nil {
			t.Fatal(err)
		}
		if got := ward("SW1A 1AA"); got != "Westminster/E05013806" {
			t.Errorf("SW1A 1AA ward = %q, want the newer Westminster/E05013806", got)
		}
		if got := ward("M1 1AE"); got != "Piccadilly/E05011368" {
			t.Errorf("M1 1AE ward = %q, want Piccadilly/E05011368", got)
		}
	})

	t.Run("BadLineSavesNothing", func(t *testing.T) {
		err := d.AddPostcodes(ctx, []db.Postcode{
			{Postcode: "B1 1AA", Ward: "Ladywood", WardCode: "E05011151"},
			{Postcode: "NOT A CODE", Ward: "x", WardCode: "y"},
		})
		if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "NOT A CODE") {
			t.Fatalf("got %v, want an error naming line 2 and its value", err)
		}
		if got := ward("B1 1AA"); got != "" {
			t.Errorf("B1 1AA saved (%q) from a rejected load, want nothing saved", got)
		}
	})
}
