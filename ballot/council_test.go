package ballot_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

func TestValidWardCode(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{"E05000001", true},
		{"A00000000", true},
		{"Z99999999", true},
		{"W05000123", true},
		{"e05000001", false},
		{"@05000001", false},
		{"[05000001", false},
		{"E0500000", false},
		{"E050000012", false},
		{"E0500000A", false},
		{"E/5000001", false},
		{"E:5000001", false},
		{"05000001E", false},
		{"", false},
	} {
		if got := ballot.ValidWardCode(tc.s); got != tc.want {
			t.Errorf("ValidWardCode(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}

func TestCheckPostcodeEntry(t *testing.T) {
	entry := func(pc, name, code string) ballot.PostcodeEntry {
		return ballot.PostcodeEntry{Postcode: pc, Ward: ballot.Ward{Name: name, Code: code}}
	}
	for _, tc := range []struct {
		e    ballot.PostcodeEntry
		want string
	}{
		{entry("SW1A 1AA", "St James's", "E05000644"), ""},
		{entry("SW1A 1AA", strings.Repeat("é", 100), "E05000644"), ""},
		{entry("", "St James's", "E05000644"), `"" is not a UK postcode`},
		{entry("sw1a 1aa", "St James's", "E05000644"), `"sw1a 1aa" is not a UK postcode`},
		{entry("SW1A1AA", "St James's", "E05000644"), `"SW1A1AA" is not a UK postcode`},
		{entry("SW1A 1AA", "  ", "E05000644"), "the ward name is missing"},
		{entry("SW1A 1AA", strings.Repeat("é", 101), "E05000644"), "the ward name is longer than 100 characters"},
		{entry("SW1A 1AA", "St James's", "E0500064"), `"E0500064" is not a ward code: it should be a GSS code such as E05000001`},
	} {
		if got := ballot.CheckPostcodeEntry(tc.e); got != tc.want {
			t.Errorf("%+v: got %q, want %q", tc.e, got, tc.want)
		}
	}
}

func TestValidatePostcodes(t *testing.T) {
	row := func(pc string) ballot.PostcodeEntry {
		return ballot.PostcodeEntry{Postcode: pc, Ward: ballot.Ward{Name: "Central", Code: "E05000001"}}
	}
	for _, tc := range []struct {
		name    string
		entries []ballot.PostcodeEntry
		want    string // the "postcodes" message; "" for valid
	}{
		{"OK", []ballot.PostcodeEntry{row("M1 1AE"), row("M1 1AF")}, ""},
		{"Empty", nil, "The list has no postcodes"},
		{"BadSecondRow", []ballot.PostcodeEntry{row("M1 1AE"), row("nope")}, `Row 2: "nope" is not a UK postcode`},
		{"Duplicate", []ballot.PostcodeEntry{row("M1 1AE"), row("M1 1AF"), row("M1 1AE")}, "Row 3: M1 1AE is already listed in row 1"},
		{"FirstBadRowOnly", []ballot.PostcodeEntry{row("x"), row("y")}, `Row 1: "x" is not a UK postcode`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := ballot.ValidatePostcodes(tc.entries)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			var ve *ballot.ValidationError
			if !errors.As(err, &ve) || ve.Fields["postcodes"] != tc.want || len(ve.Fields) != 1 {
				t.Fatalf("got %v, want postcodes: %q", err, tc.want)
			}
		})
	}
}

func TestElectorate_Validate(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name   string
		e      ballot.Electorate
		fields []string
	}{
		{"OK", ballot.Electorate{Count: 1, AsOf: now}, nil},
		{"Yesterday", ballot.Electorate{Count: 48215, AsOf: now.AddDate(0, 0, -1)}, nil},
		{"NoCount", ballot.Electorate{Count: 0, AsOf: now}, []string{"count"}},
		{"NoDate", ballot.Electorate{Count: 5}, []string{"as_of"}},
		{"Future", ballot.Electorate{Count: 5, AsOf: now.Add(time.Second)}, []string{"as_of"}},
		{"Both", ballot.Electorate{Count: -1}, []string{"as_of", "count"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFields(t, tc.e.Validate(now), tc.fields...)
		})
	}
}

// wantFields fails unless err is a *ValidationError with messages for
// exactly fields, or nil when fields is empty.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("got %v, want nil", err)
		}
		return
	}
	var ve *ballot.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a *ValidationError for %v", err, fields)
	}
	for _, f := range fields {
		if ve.Fields[f] == "" {
			t.Errorf("no message for %s in %v", f, ve.Fields)
		}
	}
	if len(ve.Fields) != len(fields) {
		t.Errorf("got messages for %v, want only %v", ve.Fields, fields)
	}
}
