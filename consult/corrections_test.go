package consult_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

func TestConsultation_ChangeClosing(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	open := func() *consult.Consultation {
		return &consult.Consultation{Status: consult.StatusOpen, OpensAt: now.Add(-48 * time.Hour), ClosesAt: now.Add(72 * time.Hour)}
	}
	cases := []struct {
		name    string
		c       *consult.Consultation
		to      time.Time
		wantErr string // "" for OK, "transition", or part of the closes_on message
	}{
		{"later", open(), now.Add(240 * time.Hour), ""},
		{"earlier but ahead", open(), now.Add(time.Hour), ""},
		{"in the past", open(), now.Add(-time.Hour), "must be in the future"},
		{"now", open(), now, "must be in the future"},
		{"unchanged", open(), now.Add(72 * time.Hour), "different from the current one"},
		{"blank", open(), time.Time{}, "Enter the new closing date"},
		{"before opening", &consult.Consultation{Status: consult.StatusOpen, OpensAt: now.Add(96 * time.Hour)}, now.Add(48 * time.Hour), "after the opening date"},
		{"no closing date before", &consult.Consultation{Status: consult.StatusOpen}, now.Add(time.Hour), ""},
		{"draft", &consult.Consultation{Status: consult.StatusDraft}, now.Add(time.Hour), "transition"},
		{"closed", &consult.Consultation{Status: consult.StatusClosed}, now.Add(time.Hour), "transition"},
		{"past its date", &consult.Consultation{Status: consult.StatusOpen, ClosesAt: now.Add(-time.Hour)}, now.Add(time.Hour), "transition"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			corr, err := tc.c.ChangeClosing(now, tc.to)
			var ve *consult.ValidationError
			switch {
			case tc.wantErr == "":
				if err != nil || corr.Field != consult.CorrectClosesAt || corr.New != tc.to.Format(time.RFC3339) {
					t.Errorf("got %+v, %v; want a closing date correction", corr, err)
				}
			case tc.wantErr == "transition":
				if !errors.Is(err, consult.ErrBadTransition) {
					t.Errorf("got %v, want ErrBadTransition", err)
				}
			case !errors.As(err, &ve) || !strings.Contains(ve.Fields["closes_on"], tc.wantErr):
				t.Errorf("got %v, want closes_on %q", err, tc.wantErr)
			}
		})
	}
}

func TestConsultation_CorrectWording(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	c := &consult.Consultation{Status: consult.StatusOpen, Title: "Parks", Summary: "About parks"}
	corrs, err := c.CorrectWording(now, " Parks and gardens ", "About parks")
	if err != nil || fmt.Sprint(corrs) != fmt.Sprint([]consult.Correction{{At: now, Field: "title", Old: "Parks", New: "Parks and gardens"}}) {
		t.Errorf("title only: got %+v, %v", corrs, err)
	}
	var ve *consult.ValidationError
	if _, err := c.CorrectWording(now, "Parks", "About parks"); !errors.As(err, &ve) || !strings.Contains(ve.Fields["title"], "same as now") {
		t.Errorf("nothing changed: got %v", err)
	}
	if _, err := c.CorrectWording(now, "", strings.Repeat("x", 5001)); !errors.As(err, &ve) || ve.Fields["title"] != "Enter a title" || !strings.Contains(ve.Fields["summary"], "5,000") {
		t.Errorf("bad fields: got %v", err)
	}
	c.Status = consult.StatusClosed
	if _, err := c.CorrectWording(now, "New", "New"); !errors.Is(err, consult.ErrBadTransition) {
		t.Errorf("closed: got %v, want ErrBadTransition", err)
	}
}

func TestReorder(t *testing.T) {
	ids := []int64{1, 2, 3}
	for _, tc := range []struct {
		id   int64
		by   int
		want string
	}{
		{2, -1, "[2 1 3] true"}, {2, 1, "[1 3 2] true"}, {1, -1, "[] false"}, {3, 1, "[] false"},
		{4, 1, "[] false"}, {2, 2, "[] false"},
	} {
		got, ok := consult.Reorder(ids, tc.id, tc.by)
		if s := fmt.Sprint(got, ok); s != tc.want {
			t.Errorf("Reorder(%d, %d) = %s, want %s", tc.id, tc.by, s, tc.want)
		}
	}
	if fmt.Sprint(ids) != "[1 2 3]" {
		t.Errorf("Reorder changed its input: %v", ids)
	}
}

func TestCorrection_Text(t *testing.T) {
	c := consult.Correction{Field: consult.CorrectClosesAt, Old: "", New: "2026-07-01T23:00:00Z"}
	if c.OldText() != "none" || c.NewText() != "11:59pm on 1 July 2026" {
		t.Errorf("got %q → %q", c.OldText(), c.NewText())
	}
	w := consult.Correction{Field: consult.CorrectTitle, Old: "A", New: "B"}
	if w.OldText() != "A" || w.NewText() != "B" || w.Label() != "Title" {
		t.Errorf("wording: got %q → %q (%s)", w.OldText(), w.NewText(), w.Label())
	}
}
