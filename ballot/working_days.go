package ballot

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The statutory clock for information requests: a public authority must
// answer "promptly and in any event not later than the twentieth working
// day following the date of receipt" (Freedom of Information Act 2000,
// section 10). A working day is any day but a Saturday, a Sunday or a bank
// holiday in England and Wales; the day of receipt does not count.

// ResponseWorkingDays is the statutory time for an answer.
const ResponseWorkingDays = 20

//go:embed bank_holidays.txt
var bankHolidayData string

// bankHolidays is the parsed list; holidaysFrom and holidaysTo are the
// first and last years it covers.
var bankHolidays, holidaysFrom, holidaysTo = mustParseHolidays(bankHolidayData)

// ErrBeyondHolidays means a date falls outside the years the bank holiday
// list covers, so no deadline can be given honestly.
var ErrBeyondHolidays = errors.New("the bank holiday list does not cover that date: extend ballot/bank_holidays.txt")

// parseHolidays reads lines of "YYYY-MM-DD name"; # starts a comment. The
// years must be whole and in order, so that a gap is not a working day.
func parseHolidays(data string) (map[string]string, int, int, error) {
	days := map[string]string{}
	from, to := 0, 0
	last := ""
	for n, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		date, name, _ := strings.Cut(line, " ")
		d, err := time.Parse(time.DateOnly, date)
		if err != nil {
			return nil, 0, 0, fmt.Errorf("line %d: %q is not a date like 2027-12-27", n+1, date)
		}
		if date <= last {
			return nil, 0, 0, fmt.Errorf("line %d: %s is not after %s", n+1, date, last)
		}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return nil, 0, 0, fmt.Errorf("line %d: %s is a %s: list the substitute day", n+1, date, wd)
		}
		last = date
		days[date] = strings.TrimSpace(name)
		if from == 0 {
			from = d.Year()
		}
		if d.Year() > to+1 && to != 0 {
			return nil, 0, 0, fmt.Errorf("line %d: no holidays listed for %d", n+1, to+1)
		}
		to = d.Year()
	}
	if len(days) == 0 {
		return nil, 0, 0, errors.New("no bank holidays listed")
	}
	return days, from, to, nil
}

func mustParseHolidays(data string) (map[string]string, int, int) {
	days, from, to, err := parseHolidays(data)
	if err != nil {
		panic("ballot/bank_holidays.txt: " + err.Error())
	}
	return days, from, to
}

// WorkingDaysCovered is the span of dates the clock can count over.
func WorkingDaysCovered() (first, last time.Time) {
	return time.Date(holidaysFrom, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(holidaysTo, 12, 31, 0, 0, 0, 0, time.UTC)
}

// BankHoliday names the bank holiday on day's calendar date, or "".
func BankHoliday(day time.Time) string {
	return bankHolidays[day.Format(time.DateOnly)]
}

// WorkingDay reports whether day's calendar date is a working day.
func WorkingDay(day time.Time) bool {
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday && BankHoliday(day) == ""
}

// AddWorkingDays is the calendar date n working days after day's date (the
// day itself not counted), as midnight UTC. It fails with
// ErrBeyondHolidays when the count runs outside the covered years.
func AddWorkingDays(day time.Time, n int) (time.Time, error) {
	first, last := WorkingDaysCovered()
	d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
	if d.Before(first) {
		return time.Time{}, ErrBeyondHolidays
	}
	for n > 0 {
		d = d.AddDate(0, 0, 1)
		if d.After(last) {
			return time.Time{}, ErrBeyondHolidays
		}
		if WorkingDay(d) {
			n--
		}
	}
	return d, nil
}

// ResponseDue is the last day for an answer to a request received at
// received, read in loc (the council's time zone, for the calendar date).
func ResponseDue(received time.Time, loc *time.Location) (time.Time, error) {
	return AddWorkingDays(received.In(loc), ResponseWorkingDays)
}

// Overdue reports whether a request received at received and still not
// answered at now is past its due date: from the day after the due day,
// in loc.
func Overdue(received, now time.Time, loc *time.Location) (bool, error) {
	due, err := ResponseDue(received, loc)
	if err != nil {
		return false, err
	}
	n := now.In(loc)
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	return today.After(due), nil
}
