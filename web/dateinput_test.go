package web

import (
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

func dateForm(k, day, month, year string) url.Values {
	return url.Values{k + "-day": {day}, k + "-month": {month}, k + "-year": {year}}
}

// TestDecodeDate holds decodeDate to the GOV.UK date input pattern: what
// is missing first, then what is not a real date, and only the wrong boxes.
func TestDecodeDate(t *testing.T) {
	for _, tc := range []struct {
		day, month, year string
		want             string // 2006-01-02, or "" for the zero time
		msg              string
		parts            []string
	}{
		{"27", "3", "2027", "2027-03-27", "", nil},
		{" 07 ", "03", "2027", "2027-03-07", "", nil},
		{"27", "March", "2027", "2027-03-27", "", nil},
		{"27", "mar", "2027", "2027-03-27", "", nil},
		{"5", "Sept", "2027", "2027-09-05", "", nil},
		{"29", "2", "2028", "2028-02-29", "", nil},
		{"", "", "", "", "", nil},
		{"", "3", "2027", "", "Closing date must include a day", []string{"day"}},
		{"27", "", "2027", "", "Closing date must include a month", []string{"month"}},
		{"27", "3", "", "", "Closing date must include a year", []string{"year"}},
		{"", "", "2027", "", "Closing date must include a day and month", []string{"day", "month"}},
		{"27", "", "", "", "Closing date must include a month and year", []string{"month", "year"}},
		{"", "3", "", "", "Closing date must include a day and year", []string{"day", "year"}},
		{"32", "3", "2027", "", "Closing date must be a real date", []string{"day"}},
		{"0", "3", "2027", "", "Closing date must be a real date", []string{"day"}},
		{"27", "13", "2027", "", "Closing date must be a real date", []string{"month"}},
		{"27", "Marchy", "2027", "", "Closing date must be a real date", []string{"month"}},
		{"x", "y", "2027", "", "Closing date must be a real date", []string{"day", "month"}},
		{"27", "3", "two", "", "Closing date must be a real date", []string{"year"}},
		{"27", "3", "-2027", "", "Closing date must be a real date", []string{"year"}},
		{"27", "3", "27", "", "The year of the closing date must include 4 numbers", []string{"year"}},
		{"31", "4", "2027", "", "Closing date must be a real date", []string{"day"}},
		{"29", "2", "2027", "", "Closing date must be a real date", []string{"day"}},
	} {
		got, de := decodeDate(dateForm("closes_on", tc.day, tc.month, tc.year), "closes_on", "Closing date", london, "2006-01-02")
		gotDay := ""
		if !got.IsZero() {
			gotDay = got.Format("2006-01-02")
			if got.Location() != london || got.Hour() != 0 {
				t.Errorf("%q %q %q: %v, want the start of a London day", tc.day, tc.month, tc.year, got)
			}
		}
		if gotDay != tc.want || de.Message != tc.msg || !slices.Equal(de.Parts, tc.parts) {
			t.Errorf("%q %q %q: got %q, %q %v; want %q, %q %v", tc.day, tc.month, tc.year, gotDay, de.Message, de.Parts, tc.want, tc.msg, tc.parts)
		}
	}
}

// TestDecodeDate_Legacy: a script posting the old single field still works,
// and the three boxes win over it.
func TestDecodeDate_Legacy(t *testing.T) {
	got, de := decodeDate(url.Values{"d": {"2027-03-27"}}, "d", "Date", time.UTC, "2006-01-02")
	if de.Message != "" || got.Format("2006-01-02") != "2027-03-27" {
		t.Errorf("legacy: got %v %q", got, de.Message)
	}
	if _, de := decodeDate(url.Values{"d": {"27/3/2027"}}, "d", "Date", time.UTC, "2006-01-02"); de.Message != "Date must be a real date" {
		t.Errorf("legacy unreadable: %q", de.Message)
	}
	form := dateForm("d", "1", "2", "2028")
	form.Set("d", "2027-03-27")
	if got, _ := decodeDate(form, "d", "Date", time.UTC, "2006-01-02"); got.Format("2006-01-02") != "2028-02-01" {
		t.Errorf("the boxes should win: got %v", got)
	}
	if _, de := decodeDate(url.Values{"d": {"2027-03-27"}}, "d", "Date", time.UTC, ""); de.Message != "" {
		t.Errorf("legacy off: %q", de.Message)
	}
}

func TestDecodeTime(t *testing.T) {
	for in, want := range map[string]string{
		"09:00": "09:00", "9:00": "09:00", "21:30": "21:30", "9am": "09:00", "9 AM": "09:00", "2:30pm": "14:30",
		"12pm": "12:00", "12am": "00:00", "noon": "12:00", "22.00": "22:00", "00:00": "00:00", "23:59": "23:59",
		"": "", "9": "", "24:00": "", "13pm": "", "0am": "", "9:5": "", "9:60": "", "nine": "", "-1:00": "", "+9:00": "", "9:+5": "",
	} {
		h, m, ok := decodeTime(in)
		got := ""
		if ok {
			got = time.Date(2027, 1, 1, h, m, 0, 0, time.UTC).Format("15:04")
		}
		if got != want {
			t.Errorf("decodeTime(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFormDateTime: a ballot's opening is a date input plus a time box.
func TestFormDateTime(t *testing.T) {
	form := dateForm("opens_at", "1", "12", "2026")
	form.Set("opens_at_time", "9am")
	f := newFormReader(form)
	if got := f.formDateTime("opens_at", "Date voting opens", "Enter the time voting opens", london); !got.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, london)) || len(f.fields) != 0 {
		t.Errorf("got %v %v", got, f.fields)
	}
	form.Set("opens_at_time", "soon")
	f = newFormReader(form)
	if got := f.formDateTime("opens_at", "Date voting opens", "Enter the time voting opens", london); !got.IsZero() || f.fields["opens_at_time"] != "Enter the time voting opens" {
		t.Errorf("a bad time: got %v %v", got, f.fields)
	}
	f = newFormReader(url.Values{"opens_at": {"2026-12-01T09:00"}})
	if got := f.formDateTime("opens_at", "Date voting opens", "Enter the time", london); !got.Equal(time.Date(2026, 12, 1, 9, 0, 0, 0, london)) {
		t.Errorf("legacy: got %v %v", got, f.fields)
	}
}

// TestDateArgs: the partial highlights only what the decoder named, all
// three boxes for a message from the domain, and reads prefilled values.
func TestDateArgs(t *testing.T) {
	bad := func(a dateArgs) (out []string) {
		for _, p := range a.Parts {
			if p.Bad {
				out = append(out, p.Part)
			}
		}
		return out
	}
	p := &page{Form: dateForm("d", "27", "13", "2027"), FieldErrors: map[string]string{"d": "Date must be a real date"}}
	if a := newDateArgs(p, "d", "Date", "Hint."); !slices.Equal(bad(a), []string{"month"}) || a.Hint != "Hint. "+dateExample || a.Parts[1].Value != "13" {
		t.Errorf("got %+v", a)
	}
	if got := errorAnchor(p, "d"); got != "d-month" {
		t.Errorf("anchor %q", got)
	}
	p = &page{Form: dateForm("d", "27", "3", "2020"), FieldErrors: map[string]string{"d": "Date must be in the future"}}
	if a := newDateArgs(p, "d", "Date", ""); len(bad(a)) != 3 || errorAnchor(p, "d") != "d-day" {
		t.Errorf("a domain message should highlight all three: %+v", a)
	}
	p = &page{Form: url.Values{"d": {"2027-03-07"}}}
	a := newDateArgs(p, "d", "Date", "")
	if a.Parts[0].Value != "7" || a.Parts[1].Value != "3" || a.Parts[2].Value != "2027" || len(bad(a)) != 0 {
		t.Errorf("prefilled: %+v", a)
	}
	v := url.Values{}
	setDateTime(v, "o", time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC))
	if v.Get("o-day") != "2" || v.Get("o-month") != "7" || v.Get("o-year") != "2026" || v.Get("o_time") != "00:30" {
		t.Errorf("setDateTime gives London's day and time: %v", v)
	}
}

// FuzzDateInput: whatever is typed, decodeDate never panics; it accepts a
// date only with a message-free answer whose boxes say that very day, and
// any refusal names at least one box to highlight.
func FuzzDateInput(f *testing.F) {
	for _, s := range [][3]string{{"27", "3", "2027"}, {"31", "4", "2027"}, {"", "3", ""}, {"29", "feb", "2028"}, {"١", "٣", "٢٠٢٧"}, {"+1", "0x3", "2027"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, day, month, year string) {
		got, de := decodeDate(dateForm("d", day, month, year), "d", "Date", london, "2006-01-02")
		if de.Message != "" {
			if !got.IsZero() || len(de.Parts) == 0 || !strings.HasPrefix(de.Message, "Date ") && !strings.HasPrefix(de.Message, "The year") {
				t.Fatalf("%q %q %q: refused as %v %+v", day, month, year, got, de)
			}
			return
		}
		if got.IsZero() {
			if strings.TrimSpace(day+month+year) != "" {
				t.Fatalf("%q %q %q: neither a date nor a message", day, month, year)
			}
			return
		}
		v := url.Values{}
		setDate(v, "d", got)
		again, de2 := decodeDate(v, "d", "Date", london, "")
		if !again.Equal(got) || de2.Message != "" || got.Year() < 1000 || got.Year() > 9999 {
			t.Fatalf("%q %q %q: read as %v, which reads back as %v %q", day, month, year, got, again, de2.Message)
		}
	})
}
