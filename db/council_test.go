package db_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/db"
)

func entry(pc, ward, code string) ballot.PostcodeEntry {
	return ballot.PostcodeEntry{Postcode: pc, Ward: ballot.Ward{Name: ward, Code: code}}
}

func TestCouncilData_ImportPostcodes(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	c := db.NewCouncilData(d)
	first := []ballot.PostcodeEntry{
		entry("AB1 2CD", "Riverside", "E05000001"),
		entry("AB2 4GH", "Hillcrest", "E05000002"),
	}
	if err := c.ImportPostcodes(ctx, first, officer); err != nil {
		t.Fatal(err)
	}

	t.Run("Lookup", func(t *testing.T) {
		w, err := c.LookupPostcode(ctx, "ab12cd")
		if err != nil || w != (ballot.Ward{Code: "E05000001", Name: "Riverside"}) {
			t.Errorf("got %+v, %v; want Riverside E05000001", w, err)
		}
		for _, pc := range []string{"ZZ9 9ZZ", "not a postcode", ""} {
			if _, err := c.LookupPostcode(ctx, pc); !errors.Is(err, ballot.ErrOutsideArea) {
				t.Errorf("LookupPostcode(%q) = %v, want ErrOutsideArea", pc, err)
			}
		}
	})

	t.Run("Replaces", func(t *testing.T) {
		if err := c.ImportPostcodes(ctx, []ballot.PostcodeEntry{entry("AB3 5JK", "Old Town", "E05000003")}, officer); err != nil {
			t.Fatal(err)
		}
		if n, err := c.PostcodeCount(ctx); err != nil || n != 1 {
			t.Errorf("PostcodeCount = %d, %v; want 1 after replacing the list", n, err)
		}
		if _, err := c.LookupPostcode(ctx, "AB1 2CD"); !errors.Is(err, ballot.ErrOutsideArea) {
			t.Errorf("old postcode still listed: %v", err)
		}
	})

	t.Run("BadRowSavesNothing", func(t *testing.T) {
		for name, tc := range map[string]struct {
			entries []ballot.PostcodeEntry
			want    string
		}{
			"postcode":  {[]ballot.PostcodeEntry{entry("AB1 2CD", "Riverside", "E05000001"), entry("XX", "Riverside", "E05000001")}, "Row 2"},
			"ward code": {[]ballot.PostcodeEntry{entry("AB1 2CD", "Riverside", "E5001")}, "Row 1"},
			"ward name": {[]ballot.PostcodeEntry{entry("AB1 2CD", " ", "E05000001")}, "ward name"},
			"duplicate": {[]ballot.PostcodeEntry{entry("AB1 2CD", "A", "E05000001"), entry("AB1 2CD", "B", "E05000002")}, "already listed in row 1"},
			"empty":     {nil, "no postcodes"},
		} {
			t.Run(name, func(t *testing.T) {
				err := c.ImportPostcodes(ctx, tc.entries, officer)
				var ve *ballot.ValidationError
				if !errors.As(err, &ve) || !strings.Contains(ve.Fields["postcodes"], tc.want) {
					t.Fatalf("got %v, want a ValidationError containing %q", err, tc.want)
				}
				if n, err := c.PostcodeCount(ctx); err != nil || n != 1 {
					t.Errorf("PostcodeCount = %d, %v; want the earlier 1 kept", n, err)
				}
			})
		}
	})

	want := []string{"council.postcodes_import council:postcodes", "council.postcodes_import council:postcodes"}
	if got := auditActions(t, d); !reflect.DeepEqual(got, want) {
		t.Errorf("audit = %v, want %v", got, want)
	}
}

func TestCouncilData_Electorate(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0) // 2026-03-02
	c := db.NewCouncilData(d)

	t.Run("ErrNotFound", func(t *testing.T) {
		if _, err := c.Electorate(ctx); !errors.Is(err, ballot.ErrNotFound) {
			t.Errorf("got %v, want ErrNotFound before any snapshot", err)
		}
	})

	t.Run("Latest", func(t *testing.T) {
		for _, e := range []ballot.Electorate{
			{Count: 48000, AsOf: day(2025, 12, 1)},
			{Count: 47000, AsOf: day(2025, 6, 1)},  // an older register, entered later
			{Count: 48210, AsOf: day(2025, 12, 1)}, // a correction of the first
		} {
			if err := c.SetElectorate(ctx, e, officer); err != nil {
				t.Fatal(err)
			}
		}
		got, err := c.Electorate(ctx)
		if err != nil || got != (ballot.Electorate{Count: 48210, AsOf: day(2025, 12, 1)}) {
			t.Errorf("got %+v, %v; want 48210 as of 2025-12-01", got, err)
		}
	})

	t.Run("Invalid", func(t *testing.T) {
		for _, e := range []ballot.Electorate{{Count: 0, AsOf: day(2025, 1, 1)}, {Count: 10}, {Count: 10, AsOf: day(2026, 3, 3)}} {
			var ve *ballot.ValidationError
			if err := c.SetElectorate(ctx, e, officer); !errors.As(err, &ve) {
				t.Errorf("SetElectorate(%+v) = %v, want a ValidationError", e, err)
			}
		}
		if got, err := c.Electorate(ctx); err != nil || got.Count != 48210 {
			t.Errorf("got %d, %v; want 48210 kept", got.Count, err)
		}
	})

	if got := auditActions(t, d); len(got) != 3 || got[0] != "council.electorate council:electorate" {
		t.Errorf("audit = %v, want three council.electorate entries", got)
	}
}
