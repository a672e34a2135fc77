package consult_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// TestClosingTime: a close at London midnight reads as 11:59pm the day
// before, in GMT and in BST; any other instant reads as itself.
func TestClosingTime(t *testing.T) {
	for _, tc := range []struct {
		at                time.Time
		closing, closedOn string
	}{
		{time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), "11:59pm on 31 January 2027", "31 January 2027 at 11:59pm"},
		{time.Date(2027, 6, 30, 23, 0, 0, 0, time.UTC), "11:59pm on 30 June 2027", "30 June 2027 at 11:59pm"},
		{time.Date(2027, 7, 1, 0, 0, 0, 0, time.UTC), "1:00am on 1 July 2027", "1 July 2027 at 1:00am"},
		{time.Date(2027, 6, 12, 13, 45, 0, 0, time.UTC), "2:45pm on 12 June 2027", "12 June 2027 at 2:45pm"},
		{time.Time{}, "", ""},
	} {
		if got := consult.ClosingTime(tc.at); got != tc.closing {
			t.Errorf("ClosingTime(%v): got %q, want %q", tc.at, got, tc.closing)
		}
		if got := consult.ClosedTime(tc.at); got != tc.closedOn {
			t.Errorf("ClosedTime(%v): got %q, want %q", tc.at, got, tc.closedOn)
		}
	}
}

// TestConsultation_Closing: "Closes at" while open, "Closed on" after, with
// the real time for one closed early by hand.
func TestConsultation_Closing(t *testing.T) {
	closes := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	early := time.Date(2027, 1, 20, 15, 12, 0, 0, time.UTC)
	for name, tc := range map[string]struct {
		c    consult.Consultation
		now  time.Time
		want string
	}{
		"Open":         {consult.Consultation{Status: consult.StatusOpen, ClosesAt: closes}, early, "Closes at 11:59pm on 31 January 2027"},
		"ClosedByDate": {consult.Consultation{Status: consult.StatusOpen, ClosesAt: closes}, closes, "Closed on 31 January 2027 at 11:59pm"},
		"ClosedEarly":  {consult.Consultation{Status: consult.StatusClosed, ClosesAt: closes, ClosedByHandAt: early}, early, "Closed on 20 January 2027 at 3:12pm"},
		"ClosedLate":   {consult.Consultation{Status: consult.StatusOutcome, ClosesAt: closes, ClosedByHandAt: closes.Add(time.Hour)}, closes.Add(time.Hour), "Closed on 31 January 2027 at 11:59pm"},
		"NoDate":       {consult.Consultation{Status: consult.StatusOpen}, early, ""},
		"Draft":        {consult.Consultation{Status: consult.StatusDraft, ClosesAt: closes}, early, ""},
	} {
		t.Run(name, func(t *testing.T) {
			if got := tc.c.Closing(tc.now); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
