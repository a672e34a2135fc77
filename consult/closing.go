package consult

import "time"

// London is the time zone every date is shown, printed and mailed in.
var London = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// ClosingTime is a closing instant as residents read it, in London time:
// "11:59pm on 31 January 2027". A close at midnight is shown as the last
// minute of the day before, since an officer who sets "closes at the end of
// 31 January" stores 00:00 on 1 February, and "12:00am on 1 February" reads
// as a day later than meant. Pages, lists, posters, JSON and mail all call
// this. The zero time is "".
func ClosingTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return closingClock(t).Format("3:04pm on 2 January 2006")
}

// ClosedTime is a past closing instant, by the same midnight rule as
// ClosingTime, in the order "Closed on …" reads: "31 January 2027 at 11:59pm".
func ClosedTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return closingClock(t).Format("2 January 2006 at 3:04pm")
}

// closingClock is t in London, moved back one minute when it is midnight.
func closingClock(t time.Time) time.Time {
	l := t.In(London)
	if l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0 {
		return l.Add(-time.Minute)
	}
	return l
}

// ClosedAt is when the consultation stopped taking responses, as of now:
// the moment it was closed by hand if it was closed early, else its closing
// date once that has passed. It is zero while it is still open or a draft.
func (c *Consultation) ClosedAt(now time.Time) time.Time {
	switch c.State(now) {
	case StatusClosed, StatusOutcome:
	default:
		return time.Time{}
	}
	if !c.ClosedByHandAt.IsZero() && (c.ClosesAt.IsZero() || c.ClosedByHandAt.Before(c.ClosesAt)) {
		return c.ClosedByHandAt
	}
	return c.ClosesAt
}

// Closing is the one line lists, posters and JSON show about a close:
// "Closed on 31 January 2027 at 11:59pm" once closedAt is set, else
// "Closes at 11:59pm on 31 January 2027", or "" with neither.
func Closing(closesAt, closedAt time.Time) string {
	switch {
	case !closedAt.IsZero():
		return "Closed on " + ClosedTime(closedAt)
	case !closesAt.IsZero():
		return "Closes at " + ClosingTime(closesAt)
	}
	return ""
}

// Closing is the consultation's closing line at now (see the function
// Closing): its real closing time once closed, even if closed early.
func (c *Consultation) Closing(now time.Time) string {
	if c.Status == StatusDraft {
		return ""
	}
	return Closing(c.ClosesAt, c.ClosedAt(now))
}
