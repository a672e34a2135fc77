package web

import (
	"bytes"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// Fuzz targets for what the web layer reads from people and files. Each
// has a seed corpus in testdata/fuzz/<name>; `go test` runs the seeds,
// `make fuzz` explores.

// FuzzSignatureJSON: whatever the body, decoding and checking a signature
// never panics, and a signature that passes holds a valid, normalisable
// address and postcode, a trimmed name, and the residence declaration.
func FuzzSignatureJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, body []byte) {
		form, err := decodeSignatureJSON(bytes.NewReader(body))
		if err != nil {
			return
		}
		checkAccepted(t, form)
	})
}

// FuzzSignatureForm: the same for the HTML form, from any query string.
func FuzzSignatureForm(f *testing.F) {
	f.Fuzz(func(t *testing.T, query string) {
		v, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		checkAccepted(t, signatureFromForm(v))
	})
}

func checkAccepted(t *testing.T, form signatureForm) {
	sig, fields := checkSignature(form)
	if sig == nil {
		if len(fields) == 0 {
			t.Fatalf("%+v: refused without a message", form)
		}
		return
	}
	if err := sig.Validate(); err != nil || !sig.Resident || sig.Name != strings.TrimSpace(sig.Name) || sig.Name == "" {
		t.Fatalf("%+v accepted as %+v: %v", form, sig, err)
	}
	if !ballot.EmailLooksValid(sig.Email) || ballot.NormalisePostcode(sig.Postcode) == "" {
		t.Fatalf("%+v accepted with email %q, postcode %q", form, sig.Email, sig.Postcode)
	}
}

// FuzzParsePounds: an accepted amount is never negative or over the bound,
// and it survives being written for a form field and for a page.
func FuzzParsePounds(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parsePounds(s)
		if err != nil {
			return
		}
		if p < 0 || p > consult.MaxPounds*100+99 {
			t.Fatalf("%q: %d pence is out of range", s, p)
		}
		for _, back := range []string{inputPence(p), formatPence(p)} {
			if q, err := parsePounds(back); err != nil || q != p {
				t.Fatalf("%q = %d pence, written %q, reads back as %d, %v", s, p, back, q, err)
			}
		}
	})
}

// FuzzParsePercent: an accepted share is 0 to 999.99% in basis points, and
// formatPercent writes it back to the same figure.
func FuzzParsePercent(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		bp, err := parsePercent(s)
		if err != nil {
			return
		}
		if bp < 0 || bp > 99999 {
			t.Fatalf("%q: %d basis points", s, bp)
		}
		if back, err := parsePercent(formatPercent(bp)); err != nil || back != bp {
			t.Fatalf("%q = %d, written %q, reads back as %d, %v", s, bp, formatPercent(bp), back, err)
		}
	})
}

// FuzzContractLists: the break clause and KPI textareas never panic; dates
// come back in order, every KPI has a name and a target, and what the
// edit form writes back into each textarea reads as the same list.
func FuzzContractLists(f *testing.F) {
	for _, seed := range []string{
		"2028-04-01\n2027-01-31, 2029-12-31", "Missed bins | ≤ 50 | 42 | 2025-26 | Good\nComplaints | < 10 ||| requires_improvement",
		"A | B | | | inadequate", "A|B|C|D|Approaching target", "x | y | z | w | v | u", " | target", "2028-02-30",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if dates, err := parseBreakClauses(text); err == nil {
			for i := 1; i < len(dates); i++ {
				if dates[i].Before(dates[i-1]) {
					t.Fatalf("%q: dates out of order: %v", text, dates)
				}
			}
			// The form writes them back as date inputs, and reads them the same.
			form := contractFormValues(&ballot.Contract{BreakClauses: dates})
			f := newFormReader(form)
			back := readBreakClauses(f)
			if len(f.fields) != 0 || !slices.EqualFunc(back, dates, time.Time.Equal) {
				t.Fatalf("%q = %v, written back as %v, reads as %v, %v", text, dates, form, back, f.fields)
			}
		}
		kpis, err := parseKPIs(text)
		if err != nil {
			return
		}
		for _, k := range kpis {
			if strings.TrimSpace(k.Name) == "" || strings.TrimSpace(k.Target) == "" {
				t.Fatalf("%q: KPI without a name or target: %+v", text, k)
			}
		}
		back, err := parseKPIs(formatKPIs(kpis))
		if err != nil || !slices.Equal(back, kpis) {
			t.Fatalf("%q = %+v, written back as %q, reads as %+v, %v", text, kpis, formatKPIs(kpis), back, err)
		}
	})
}

// FuzzParseElectorateCSV: any file is refused with a message or read as
// a positive count and a date.
func FuzzParseElectorateCSV(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := ParseElectorateCSV(bytes.NewReader(data))
		if err == nil && (e.Count < 1 || e.AsOf.IsZero()) {
			t.Fatalf("%q read as %+v", data, e)
		}
	})
}

// FuzzParseRate: an accepted rate is off or 1 to maxRateN per 1s to 24h,
// and its String reads back as itself.
func FuzzParseRate(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			return
		}
		if !r.Off() && (r.N < 1 || r.N > maxRateN || r.Per < time.Second || r.Per > 24*time.Hour) {
			t.Fatalf("%q: %+v", s, r)
		}
		if back, err := ParseRate(r.String()); err != nil || back != r {
			t.Fatalf("%q = %+v, written %q, reads back as %+v, %v", s, r, r.String(), back, err)
		}
	})
}

// FuzzParseTrustedProxies: accepted prefixes are valid and masked.
func FuzzParseTrustedProxies(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		ps, err := ParseTrustedProxies(s)
		if err != nil {
			return
		}
		for _, p := range ps {
			if !p.IsValid() || p != p.Masked() {
				t.Fatalf("%q: prefix %v", s, p)
			}
			if _, err := netip.ParsePrefix(p.String()); err != nil {
				t.Fatalf("%q: %v does not re-parse", s, p)
			}
		}
	})
}

// FuzzFormStamp: no made-up form stamp passes for a genuine one, so a
// script cannot skip the minimum fill time without waiting for it.
func FuzzFormStamp(f *testing.F) {
	clock := func() time.Time { return time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC) }
	fc := newFormClock([]byte("fuzz key: fuzz key: fuzz key: 32"), clock, 3*time.Second)
	genuine := fc.stamp()
	f.Fuzz(func(t *testing.T, token, honeypot string) {
		got := fc.check(url.Values{startedField: {token}, honeypotField: {honeypot}})
		switch {
		case strings.TrimSpace(honeypot) != "":
			if got != ballot.ReviewHoneypot {
				t.Fatalf("honeypot %q: got %q", honeypot, got)
			}
		case token != genuine && got == ballot.ReviewNone:
			t.Fatalf("stamp %q passed", token)
		}
	})
}
