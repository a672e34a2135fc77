package db_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/db"
)

// auditDetails returns the details of the audit entries with action, oldest first.
func auditDetails(t *testing.T, d *db.DB, action string) []string {
	t.Helper()
	rows, err := d.Reader().Query(`SELECT actor || ' ' || detail FROM audit_log WHERE action = ? ORDER BY id`, action)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func TestConsultStore_Themes(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	fixedClock(d, t0)
	s := db.NewConsultStore(d)
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	text := c.Questions[3].ID
	var rids []int64
	for i, words := range []string{"Cost matters most", "Keep the 100% local team", "parking is hard", "cost and parking"} {
		r := validResponse(c, 1)
		r.Answers[text] = consult.Answer{Text: words}
		if i == 3 {
			delete(r.Answers, text) // one response without a text answer
		}
		if err := s.AddResponse(ctx, "parks", r); err != nil {
			t.Fatal(err)
		}
		rids = append(rids, r.ID)
	}

	cost := &consult.Theme{Name: "  Cost "}
	parking := &consult.Theme{Name: "Parking"}
	for _, th := range []*consult.Theme{cost, parking} {
		if err := s.CreateTheme(ctx, "parks", th, officer); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("CreateRules", func(t *testing.T) {
		if cost.Name != "Cost" || cost.ID == 0 {
			t.Errorf("created %+v, want the name trimmed and an id", cost)
		}
		var ve *consult.ValidationError
		if err := s.CreateTheme(ctx, "parks", &consult.Theme{Name: "COST"}, officer); !errors.As(err, &ve) {
			t.Errorf("duplicate name: got %v, want a *ValidationError", err)
		}
		if err := s.CreateTheme(ctx, "parks", &consult.Theme{Name: ""}, officer); !errors.As(err, &ve) {
			t.Errorf("no name: got %v, want a *ValidationError", err)
		}
		if err := s.CreateTheme(ctx, "nope", &consult.Theme{Name: "X"}, officer); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("unknown consultation: got %v, want ErrNotFound", err)
		}
		// Another consultation may use the same name.
		mustOpenConsultation(t, s, "roads", consult.AudienceAnyone)
		if err := s.CreateTheme(ctx, "roads", &consult.Theme{Name: "Cost"}, officer); err != nil {
			t.Errorf("same name elsewhere: %v", err)
		}
	})

	t.Run("ReadAndSearch", func(t *testing.T) {
		p, err := s.TextAnswers(ctx, "parks", consult.AnswerQuery{QuestionID: text, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 3 || len(p.Answers) != 2 || p.Answers[0].Text != "Cost matters most" {
			t.Errorf("first page: total %d, %+v", p.Total, p.Answers)
		}
		p, _ = s.TextAnswers(ctx, "parks", consult.AnswerQuery{QuestionID: text, Limit: 2, Offset: 2})
		if p.Total != 3 || len(p.Answers) != 1 || p.Answers[0].Text != "parking is hard" {
			t.Errorf("second page: total %d, %+v", p.Total, p.Answers)
		}
		for search, want := range map[string]int{"COST": 1, "100%": 1, "%": 1, "_": 0, "": 3, "park": 1} {
			p, _ := s.TextAnswers(ctx, "parks", consult.AnswerQuery{QuestionID: text, Search: search, Limit: 50})
			if p.Total != want || len(p.Answers) != want {
				t.Errorf("search %q: got %d (%d shown), want %d", search, p.Total, len(p.Answers), want)
			}
		}
		if _, err := s.TextAnswers(ctx, "parks", consult.AnswerQuery{QuestionID: c.Questions[0].ID, Limit: 5}); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("a choice question: got %v, want ErrNotFound", err)
		}
	})

	t.Run("Tag", func(t *testing.T) {
		tags := map[int64][]int64{rids[0]: {cost.ID}, rids[2]: {parking.ID, cost.ID}}
		if err := s.TagAnswers(ctx, "parks", text, tags, officer); err != nil {
			t.Fatal(err)
		}
		// Untag one; the answer not named keeps its themes.
		if err := s.TagAnswers(ctx, "parks", text, map[int64][]int64{rids[2]: {parking.ID}}, officer); err != nil {
			t.Fatal(err)
		}
		p, _ := s.TextAnswers(ctx, "parks", consult.AnswerQuery{QuestionID: text, Limit: 50})
		got := fmt.Sprint(p.Answers[0].ThemeIDs, p.Answers[1].ThemeIDs, p.Answers[2].ThemeIDs)
		if want := fmt.Sprint([]int64{cost.ID}, []int64(nil), []int64{parking.ID}); got != want {
			t.Errorf("themes = %s, want %s", got, want)
		}
		counts, err := s.ThemeCounts(ctx, "parks")
		if err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(counts[text]); got != fmt.Sprintf("[{{%d %d Cost} 1} {{%d %d Parking} 1}]", cost.ID, c.ID, parking.ID, c.ID) {
			t.Errorf("counts = %s", got)
		}
		at, _ := s.AnswerThemes(ctx, "parks")
		if got := at[consult.AnswerKey{ResponseID: rids[2], QuestionID: text}]; fmt.Sprint(got) != "[Parking]" {
			t.Errorf("answer themes = %v", got)
		}
		details := strings.Join(auditDetails(t, d, "consultation.tag_answers"), "|")
		if !strings.Contains(details, fmt.Sprintf("response %d +Cost", rids[0])) || !strings.Contains(details, fmt.Sprintf("response %d -Cost", rids[2])) {
			t.Errorf("audit = %s", details)
		}
	})

	t.Run("TagRefused", func(t *testing.T) {
		other, _ := s.Themes(ctx, "roads")
		for name, tags := range map[string]map[int64][]int64{
			"no such theme":        {rids[0]: {999}},
			"another's theme":      {rids[0]: {other[0].ID}},
			"no text answer":       {rids[3]: {cost.ID}},
			"no such response":     {9999: {cost.ID}},
			"one bad of two named": {rids[1]: {cost.ID}, 9999: {cost.ID}},
		} {
			if err := s.TagAnswers(ctx, "parks", text, tags, officer); !errors.Is(err, consult.ErrNotFound) {
				t.Errorf("%s: got %v, want ErrNotFound", name, err)
			}
		}
		p, _ := s.TextAnswers(ctx, "parks", consult.AnswerQuery{QuestionID: text, Limit: 50})
		if len(p.Answers[1].ThemeIDs) != 0 {
			t.Errorf("a refused batch tagged an answer: %v", p.Answers[1].ThemeIDs)
		}
	})

	t.Run("RenameAndDelete", func(t *testing.T) {
		var ve *consult.ValidationError
		if err := s.RenameTheme(ctx, "parks", parking.ID, "cost", officer); !errors.As(err, &ve) {
			t.Errorf("rename to a taken name: got %v", err)
		}
		if err := s.RenameTheme(ctx, "parks", parking.ID, "Car parking", officer); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteTheme(ctx, "parks", cost.ID, officer); err != nil {
			t.Fatal(err)
		}
		if err := s.DeleteTheme(ctx, "roads", parking.ID, officer); !errors.Is(err, consult.ErrNotFound) {
			t.Errorf("delete through another consultation: got %v", err)
		}
		counts, _ := s.ThemeCounts(ctx, "parks")
		if got := fmt.Sprint(counts[text]); got != fmt.Sprintf("[{{%d %d Car parking} 1}]", parking.ID, c.ID) {
			t.Errorf("counts after rename and delete = %s", got)
		}
		if got := auditDetails(t, d, "consultation.theme_rename"); fmt.Sprint(got) != "["+officer+" Parking → Car parking]" {
			t.Errorf("rename audit = %v", got)
		}
		if got := auditDetails(t, d, "consultation.theme_delete"); fmt.Sprint(got) != "["+officer+" Cost (on 1 answers)]" {
			t.Errorf("delete audit = %v", got)
		}
	})
}

// TestConsultStore_OutcomeMail: publishing the outcome queues one mail to
// each respondent who gave an email and asked to be told, nobody else.
func TestConsultStore_OutcomeMail(t *testing.T) {
	ctx := context.Background()
	d := MustOpenDB(t)
	now := fixedClock(d, t0)
	s := db.NewConsultStore(d)
	s.BaseURL = "https://oursay.test"
	c := mustOpenConsultation(t, s, "parks", consult.AudienceAnyone)
	for i, r := range []struct {
		email  string
		notify bool
	}{{"tell@example.org", true}, {"quiet@example.org", false}, {"", false}, {"Also@Example.org", true}} {
		resp := validResponse(c, i)
		resp.Email, resp.NotifyOutcome = r.email, r.notify
		if err := s.AddResponse(ctx, "parks", resp); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.OutcomeSubscribers(ctx, "parks"); err != nil || n != 2 {
		t.Errorf("subscribers = %d, %v; want 2", n, err)
	}
	if err := s.Close(ctx, "parks", officer); err != nil {
		t.Fatal(err)
	}
	*now = now.Add(1)
	if err := s.PublishOutcome(ctx, "parks", consult.Outcome{WeAsked: "a", YouSaid: "b", WeDid: "c"}, officer); err != nil {
		t.Fatal(err)
	}
	rows, err := d.Reader().Query(`SELECT to_addr, body FROM outbox WHERE subject = 'Outcome published: Parks maintenance' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var to []string
	for rows.Next() {
		var addr, body string
		rows.Scan(&addr, &body)
		to = append(to, addr)
		if !strings.Contains(body, "https://oursay.test/consultations/parks#outcome") {
			t.Errorf("mail to %s lacks the outcome link: %q", addr, body)
		}
	}
	if got := strings.Join(to, " "); got != "tell@example.org also@example.org" {
		t.Errorf("outcome mail to %q, want the two who asked", got)
	}
	if got := auditDetails(t, d, "consultation.outcome"); fmt.Sprint(got) != "["+officer+" outcome published; 2 respondents emailed]" {
		t.Errorf("audit = %v", got)
	}
}
