package web_test

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/web"
)

func TestParsePostcodeCSV(t *testing.T) {
	t.Run("Sample", func(t *testing.T) {
		f, err := os.Open("../testdata/postcodes.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		got, err := web.ParsePostcodeCSV(f)
		if err != nil {
			t.Fatal(err)
		}
		wards := map[ballot.Ward]int{}
		for _, e := range got {
			wards[e.Ward]++
		}
		if len(got) != 20 || len(wards) != 3 || got[0].Postcode != "AB1 2CD" || got[0].Ward.Name != "Riverside" {
			t.Errorf("got %d rows in %d wards, first %+v; want 20 in 3, AB1 2CD Riverside first", len(got), len(wards), got[0])
		}
	})

	t.Run("BOMCRLFCaseQuotesAndOrder", func(t *testing.T) {
		in := "\ufeff\"Ward_Code\",WARD, Postcode ,notes\r\n" +
			"e05000001,\"Riverside, North\",ab12cd,\"multi\r\nline\"\r\n" +
			"\r\n" +
			"E05000002,Hillcrest,AB2  4GH,\r\n"
		got, err := web.ParsePostcodeCSV(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		want := []ballot.PostcodeEntry{
			{Postcode: "AB1 2CD", Ward: ballot.Ward{Code: "E05000001", Name: "Riverside, North"}},
			{Postcode: "AB2 4GH", Ward: ballot.Ward{Code: "E05000002", Name: "Hillcrest"}},
		}
		if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("got %+v, want %+v", got, want)
		}
	})

	const header = "postcode,ward,ward_code\n"
	for name, tc := range map[string]struct{ in, want string }{
		"empty":          {"", "The file is empty"},
		"header only":    {header, "no postcodes"},
		"missing column": {"postcode,ward\nAB1 2CD,Riverside\n", "Line 1: the header row must name the columns postcode,ward,ward_code"},
		"bad postcode":   {header + "AB1 2CD,Riverside,E05000001\nNOPE,Riverside,E05000001\n", `Line 3: "NOPE" is not a UK postcode`},
		"bad ward code":  {header + "AB1 2CD,Riverside,W5-1\n", `Line 2: "W5-1" is not a ward code`},
		"no ward name":   {header + "AB1 2CD, ,E05000001\n", "Line 2: the ward name is missing"},
		"duplicate":      {header + "AB1 2CD,A,E05000001\nAB2 4GH,B,E05000002\nab1 2cd,A,E05000001\n", "Line 4: AB1 2CD is already on line 2"},
		"field count":    {header + "AB1 2CD,Riverside\n", "Line 2: expected 3 columns"},
		"bare quote":     {header + "AB1 2CD,River\"side,E05000001\n", "Line 2: this is not valid CSV"},
		"not utf-8":      {header + "AB1 2CD,Riv\xe9rside,E05000001\n", "Line 2: this line is not UTF-8"},
	} {
		t.Run(name, func(t *testing.T) {
			got, err := web.ParsePostcodeCSV(strings.NewReader(tc.in))
			var ve *ballot.ValidationError
			if !errors.As(err, &ve) || !strings.Contains(ve.Fields["postcodes"], tc.want) {
				t.Fatalf("got %v, %v; want a ValidationError containing %q", got, err, tc.want)
			}
			if got != nil {
				t.Errorf("got %d entries with the error, want none", len(got))
			}
		})
	}
}

func TestParseElectorateCSV(t *testing.T) {
	f, err := os.Open("../testdata/electorate.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := web.ParseElectorateCSV(f)
	if err != nil || got != (ballot.Electorate{Count: 48210, AsOf: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC)}) {
		t.Errorf("sample: got %+v, %v; want 48210 as of 2026-09-01", got, err)
	}
	if got, err := web.ParseElectorateCSV(strings.NewReader("\ufeffAs_Of,Count\r\n2026-01-31,\"1,234\"\r\n")); err != nil || got.Count != 1234 {
		t.Errorf("BOM, order, separators: got %+v, %v", got, err)
	}
	for in, want := range map[string]string{
		"count,as_of\n":                              "no figures",
		"count,as_of\nmany,2026-01-01\n":             `Line 2: "many" is not a whole number`,
		"count,as_of\n0,2026-01-01\n":                `Line 2: "0" is not a whole number`,
		"count,as_of\n10,1/9/2026\n":                 `Line 2: "1/9/2026" is not a date`,
		"count,as_of\n10,2026-01-01\n9,2026-02-01\n": "Line 3: give one figure only",
		"electors\n10\n":                             "header row must name the columns count,as_of",
	} {
		var ve *ballot.ValidationError
		if _, err := web.ParseElectorateCSV(strings.NewReader(in)); !errors.As(err, &ve) || !strings.Contains(ve.Fields["electorate"], want) {
			t.Errorf("%q: got %v, want a ValidationError containing %q", in, err, want)
		}
	}
}

// FuzzParsePostcodeCSV checks that no input panics the parser, and that
// whatever it accepts is a list the store would accept too: every row
// normalised and valid, no postcode twice, never empty.
func FuzzParsePostcodeCSV(f *testing.F) {
	for _, s := range []string{
		"postcode,ward,ward_code\nAB1 2CD,Riverside,E05000001\n",
		"\ufeffPOSTCODE,Ward,Ward_Code\r\n\"ab1 2cd\",\"Riverside, North\",e05000001\r\n",
		"ward_code,postcode,ward,x\nE05000002,AB2 4GH,Hillcrest,\"a\"\"b\"\n",
		"postcode,ward,ward_code\nAB1 2CD,A,E05000001\nAB1 2CD,A,E05000001\n",
		"postcode,ward,ward_code\n\"unterminated,x,y\n",
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, err := web.ParsePostcodeCSV(strings.NewReader(string(in)))
		if err != nil {
			var ve *ballot.ValidationError
			if !errors.As(err, &ve) || ve.Fields["postcodes"] == "" {
				t.Fatalf("error %v is not a ValidationError on postcodes", err)
			}
			return
		}
		if err := ballot.ValidatePostcodes(got); err != nil {
			t.Fatalf("accepted a list the store would refuse: %v", err)
		}
	})
}
