package web

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The GOV.UK date input: every date an officer enters is three boxes, day,
// month and year, named <name>-day, <name>-month and <name>-year, in a
// fieldset whose legend names the date (partial "date-input", args from
// dateField). decodeDate is the one reader for them; its messages follow
// the GOV.UK pattern ("Closing date must include a month", "Closing date
// must be a real date") and name the wrong boxes, so the page highlights
// only those. Whether a date may be blank, or must be in the future, is the
// domain's rule or the handler's, not the decoder's.
//
// A form posted by a script written for the old single field (<name> as
// year-month-day) still reads: the three boxes win when any is present.

// dateExample is the hint under every date input.
const dateExample = "For example, 27 3 2027"

// The parts of a date input, in the order they appear.
var dateParts = [3]string{"day", "month", "year"}

// dateError is why a date input could not be read: Message for the error
// summary and the field, and the parts (day, month, year) to highlight.
// The zero value means no error.
type dateError struct {
	Message string
	Parts   []string
}

// monthNames are what a person may type for a month besides its number.
var monthNames = func() map[string]time.Month {
	m := map[string]time.Month{}
	for i := time.January; i <= time.December; i++ {
		name := strings.ToLower(i.String())
		m[name], m[name[:3]] = i, i
	}
	m["sept"] = time.September
	return m
}()

// dateValues returns what was typed in each part of the date input name,
// trimmed, and whether the form holds the parts at all.
func dateValues(form url.Values, name string) (vals [3]string, present bool) {
	for i, part := range dateParts {
		k := name + "-" + part
		if _, ok := form[k]; ok {
			present = true
		}
		vals[i] = strings.TrimSpace(form.Get(k))
	}
	return vals, present
}

// decodeDate reads the date input name from form as the start of that day
// in loc. label names the date in messages ("Closing date"). A date left
// wholly blank is the zero time with no error. legacy is the layout of the
// old single field, tried only when the form has no part of the date
// input; "" turns that off.
func decodeDate(form url.Values, name, label string, loc *time.Location, legacy string) (time.Time, dateError) {
	vals, present := dateValues(form, name)
	if !present && legacy != "" {
		s := strings.TrimSpace(form.Get(name))
		if s == "" {
			return time.Time{}, dateError{}
		}
		t, err := time.ParseInLocation(legacy, s, loc)
		if err != nil {
			return time.Time{}, dateError{label + " must be a real date", dateParts[:]}
		}
		return t, dateError{}
	}
	return parseDateParts(vals, label, loc)
}

// parseDateParts checks the three parts in turn: what is missing, then
// what cannot be a day, month or year, then whether they make a real date.
func parseDateParts(vals [3]string, label string, loc *time.Location) (time.Time, dateError) {
	var missing []string
	for i, v := range vals {
		if v == "" {
			missing = append(missing, dateParts[i])
		}
	}
	switch len(missing) {
	case 3:
		return time.Time{}, dateError{}
	case 2:
		return time.Time{}, dateError{label + " must include a " + missing[0] + " and " + missing[1], missing}
	case 1:
		return time.Time{}, dateError{label + " must include a " + missing[0], missing}
	}
	day, dayErr := strconv.Atoi(vals[0])
	month, monthErr := strconv.Atoi(vals[1])
	if m, ok := monthNames[strings.ToLower(strings.TrimSuffix(vals[1], "."))]; monthErr != nil && ok {
		month, monthErr = int(m), nil
	}
	year, yearErr := strconv.Atoi(vals[2])
	var bad []string
	if dayErr != nil || day < 1 || day > 31 {
		bad = append(bad, "day")
	}
	if monthErr != nil || month < 1 || month > 12 {
		bad = append(bad, "month")
	}
	if yearErr != nil || year < 1 {
		bad = append(bad, "year")
	}
	if len(bad) > 0 {
		return time.Time{}, dateError{label + " must be a real date", bad}
	}
	if len(vals[2]) != 4 {
		return time.Time{}, dateError{"The year of the " + lowerInitial(label) + " must include 4 numbers", []string{"year"}}
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, loc)
	if t.Day() != day {
		// 31 April, 29 February 2027: the day does not exist in that month.
		return time.Time{}, dateError{label + " must be a real date", []string{"day"}}
	}
	return t, dateError{}
}

// decodeTime reads a time of day typed as 09:00, 9:30, 21:30, 9am or
// 2:30pm, as hours and minutes. ok is false when it is none of these.
func decodeTime(s string) (hour, minute int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	s = strings.ReplaceAll(s, ".", ":")
	switch s {
	case "":
		return 0, 0, false
	case "midday", "noon", "12noon":
		return 12, 0, true
	}
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	if pm || am {
		s = s[:len(s)-2]
	}
	h, m, hasMin := strings.Cut(s, ":")
	if hasMin && len(m) != 2 || len(h) == 0 || len(h) > 2 {
		return 0, 0, false
	}
	hour, err := strconv.Atoi(h)
	if err != nil || h[0] == '+' || h[0] == '-' {
		return 0, 0, false
	}
	if hasMin {
		if minute, err = strconv.Atoi(m); err != nil || m[0] == '+' || m[0] == '-' || minute > 59 {
			return 0, 0, false
		}
	}
	switch {
	case am || pm:
		if hour < 1 || hour > 12 {
			return 0, 0, false
		}
		hour %= 12
		if pm {
			hour += 12
		}
	case !hasMin || hour > 23:
		return 0, 0, false
	}
	return hour, minute, true
}

// formDate reads the date input k with decodeDate, noting its message.
func (f *formReader) formDate(k, label string, loc *time.Location) time.Time {
	t, de := decodeDate(f.form, k, label, loc, "2006-01-02")
	if de.Message != "" {
		f.note(k, de.Message)
	}
	return t
}

// formDateTime reads the date input k and the time box k+"_time" as a
// moment in loc. A date without a time notes timeMsg on the time box. The
// old single field (2006-01-02T15:04) still reads.
func (f *formReader) formDateTime(k, label, timeMsg string, loc *time.Location) time.Time {
	if _, present := dateValues(f.form, k); !present {
		return f.date(k, "2006-01-02T15:04", loc, label+" must be a real date and time, like 2026-12-01T09:00")
	}
	d := f.formDate(k, label, loc)
	ts := f.text(k + "_time")
	if d.IsZero() {
		return d
	}
	h, m, ok := decodeTime(ts)
	if !ok {
		f.note(k+"_time", timeMsg)
		return time.Time{}
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc)
}

// setDate puts t's London day into the three boxes of the date input k;
// a zero t leaves them blank.
func setDate(v url.Values, k string, t time.Time) {
	if t.IsZero() {
		return
	}
	t = t.In(london)
	v.Set(k+"-day", strconv.Itoa(t.Day()))
	v.Set(k+"-month", strconv.Itoa(int(t.Month())))
	v.Set(k+"-year", strconv.Itoa(t.Year()))
}

// setDateTime is setDate plus the time box, as 24-hour hours and minutes.
func setDateTime(v url.Values, k string, t time.Time) {
	if t.IsZero() {
		return
	}
	setDate(v, k, t)
	v.Set(k+"_time", t.In(london).Format("15:04"))
}

// dateArgs is what the date-input partial needs.
type dateArgs struct {
	Name, Legend, Hint, Error string
	Parts                     []datePartArgs
}

// datePartArgs is one box of a date input.
type datePartArgs struct {
	Part, Label, Value, Class string
	Bad                       bool
}

// newDateArgs builds the date input name for the page: the legend, a hint
// before the example, what was typed, and which boxes to highlight. A
// message from the domain ("must be in the future") highlights all three;
// one from the decoder only the boxes it names.
func newDateArgs(p *page, name, legend, hint string) dateArgs {
	a := dateArgs{Name: name, Legend: legend, Hint: strings.TrimSpace(hint + " " + dateExample), Error: p.FieldErrors[name]}
	vals, present := dateValues(p.Form, name)
	if !present {
		// A prefilled or legacy value: year-month-day, perhaps with a time.
		if s := strings.TrimSpace(p.Form.Get(name)); len(s) >= 10 {
			if y, m, d, ok := splitISODate(s[:10]); ok {
				vals = [3]string{d, m, y}
			}
		}
	}
	bad := map[string]bool{}
	if a.Error != "" {
		_, de := parseDateParts(vals, "x", time.UTC)
		for _, part := range de.Parts {
			bad[part] = true
		}
		if len(bad) == 0 {
			bad = map[string]bool{"day": true, "month": true, "year": true}
		}
	}
	labels := [3]string{"Day", "Month", "Year"}
	for i, part := range dateParts {
		class := "govuk-input--width-2"
		if part == "year" {
			class = "govuk-input--width-4"
		}
		a.Parts = append(a.Parts, datePartArgs{Part: part, Label: labels[i], Value: vals[i], Class: class, Bad: bad[part]})
	}
	return a
}

// splitISODate splits 2026-06-30 into "2026", "6", "30".
func splitISODate(s string) (y, m, d string, ok bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return "", "", "", false
	}
	return strconv.Itoa(t.Year()), strconv.Itoa(int(t.Month())), strconv.Itoa(t.Day()), true
}

// errorAnchor is the id the error summary links to for field: the first
// highlighted box of a date input, else the field itself.
func errorAnchor(p *page, field string) string {
	if p == nil || p.Form == nil {
		return field
	}
	if _, present := dateValues(p.Form, field); !present {
		return field
	}
	for _, part := range newDateArgs(p, field, "", "").Parts {
		if part.Bad {
			return field + "-" + part.Part
		}
	}
	return field + "-day"
}
