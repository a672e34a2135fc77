package ballot

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// easter is Easter Sunday in the Gregorian calendar (the anonymous
// algorithm published in Nature, 1876).
func easter(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return date(y, time.Month(month), day)
}

// ruleHolidays derives a year's England and Wales bank holidays from the
// rules in the Banking and Financial Dealings Act 1971 and the standing
// proclamations, for years with no special days.
func ruleHolidays(y int) []string {
	weekdayOnOrAfter := func(d time.Time) time.Time {
		for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	firstMonday := func(m time.Month) time.Time {
		d := date(y, m, 1)
		for d.Weekday() != time.Monday {
			d = d.AddDate(0, 0, 1)
		}
		return d
	}
	lastMonday := func(m time.Month) time.Time {
		d := date(y, m+1, 1).AddDate(0, 0, -1)
		for d.Weekday() != time.Monday {
			d = d.AddDate(0, 0, -1)
		}
		return d
	}
	christmas := weekdayOnOrAfter(date(y, 12, 25))
	boxing := weekdayOnOrAfter(christmas.AddDate(0, 0, 1))
	e := easter(y)
	var out []string
	for _, d := range []time.Time{weekdayOnOrAfter(date(y, 1, 1)), e.AddDate(0, 0, -2), e.AddDate(0, 0, 1),
		firstMonday(time.May), lastMonday(time.May), lastMonday(time.August), christmas, boxing} {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// TestBankHolidays_MatchTheRules: every year the list covers has exactly
// the holidays the rules give, so a mistyped date fails here. (A year with
// a special holiday, such as a coronation, would be listed as an exception.)
func TestBankHolidays_MatchTheRules(t *testing.T) {
	first, last := WorkingDaysCovered()
	if first.Year() > 2026 || last.Year() < 2028 {
		t.Fatalf("the list covers %d to %d: it must reach at least two years ahead", first.Year(), last.Year())
	}
	want := map[string]bool{}
	for y := first.Year(); y <= last.Year(); y++ {
		for _, d := range ruleHolidays(y) {
			want[d] = true
			if BankHoliday(mustDate(t, d)) == "" {
				t.Errorf("%s is a bank holiday by the rules but not in the list", d)
			}
		}
	}
	for d := range bankHolidays {
		if !want[d] {
			t.Errorf("%s is in the list but not a bank holiday by the rules", d)
		}
	}
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestResponseDue(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data")
	}
	for _, tc := range []struct {
		name     string
		received time.Time
		want     time.Time
	}{
		// 20 working days, the day of receipt not counted.
		{"plain weeks", time.Date(2027, 2, 1, 10, 0, 0, 0, london), date(2027, 3, 1)},
		// Christmas, Boxing Day (substitute 28th) and New Year's Day push
		// the date from 11 to 14 January.
		{"over Christmas", time.Date(2026, 12, 14, 9, 0, 0, 0, london), date(2027, 1, 14)},
		// Good Friday and Easter Monday 2027.
		{"over Easter", time.Date(2027, 3, 22, 9, 0, 0, 0, london), date(2027, 4, 21)},
		// Received on a Saturday: the count starts on Monday.
		{"received at the weekend", time.Date(2027, 2, 6, 10, 0, 0, 0, london), date(2027, 3, 5)},
		// 23:30 UTC on 30 June is 00:30 on 1 July in London.
		{"London's date", time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC), date(2027, 7, 29)},
	} {
		got, err := ResponseDue(tc.received, london)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s: due %v (%v), want %v", tc.name, got.Format(time.DateOnly), err, tc.want.Format(time.DateOnly))
		}
	}
}

func TestOverdue(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data")
	}
	received := time.Date(2026, 12, 14, 9, 0, 0, 0, london) // due 14 January 2027
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{time.Date(2027, 1, 14, 23, 59, 0, 0, london), false},
		{time.Date(2027, 1, 15, 0, 1, 0, 0, london), true},
	} {
		got, err := Overdue(received, tc.now, london)
		if err != nil || got != tc.want {
			t.Errorf("overdue at %v = %v (%v), want %v", tc.now, got, err, tc.want)
		}
	}
}

func TestAddWorkingDays_OutsideTheList(t *testing.T) {
	_, last := WorkingDaysCovered()
	if _, err := AddWorkingDays(last.AddDate(0, 0, -5), 20); !errors.Is(err, ErrBeyondHolidays) {
		t.Errorf("running past %v: %v, want ErrBeyondHolidays", last, err)
	}
	first, _ := WorkingDaysCovered()
	if _, err := AddWorkingDays(first.AddDate(0, 0, -1), 1); !errors.Is(err, ErrBeyondHolidays) {
		t.Errorf("before %v: %v, want ErrBeyondHolidays", first, err)
	}
}

func TestParseHolidays_Refuses(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"2027-13-01 Nonsense", "not a date"},
		{"2027-05-31 Spring\n2027-05-03 Early May", "not after"},
		{"2027-12-25 Christmas Day", "Saturday"},
		{"2025-01-01 New Year\n2027-01-01 New Year", "no holidays listed for 2026"},
		{"# only a comment", "no bank holidays"},
	} {
		_, _, _, err := parseHolidays(tc.data)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v, want an error containing %q", tc.data, err, tc.want)
		}
	}
}
