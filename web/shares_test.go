package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// addAnswers records one online response per entry of picks, each choosing
// the option (single), options (multiple) or scale point (scale) given for
// each question by its index in c.Questions.
func addAnswers(t *testing.T, s interface {
	AddResponse(context.Context, string, *consult.Response) error
}, c *consult.Consultation, picks ...map[int][]int64) {
	t.Helper()
	for _, p := range picks {
		r := &consult.Response{Channel: consult.ChannelOnline, Answers: map[int64]consult.Answer{}}
		for i, ids := range p {
			q := c.Questions[i]
			if q.Kind == consult.KindScale {
				r.Answers[q.ID] = consult.Answer{Scale: int(ids[0])}
			} else {
				r.Answers[q.ID] = consult.Answer{OptionIDs: ids}
			}
		}
		if err := s.AddResponse(context.Background(), c.Slug, r); err != nil {
			t.Fatal(err)
		}
	}
}

// TestResults_SharesAddUpTo100: 5 of 8 chose "Council" and 3 "Provider"
// (62.5% and 37.5%: rounded half up each, 63 + 38 = 101). The results page
// and the JSON show 63 and 37 (largest remainder; ties to the first), and
// a multiple-choice question says its shares may add up to more than 100.
func TestResults_SharesAddUpTo100(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("shares")
	council, provider := c.Questions[0].Options[0].ID, c.Questions[0].Options[1].ID
	cost, quality := c.Questions[1].Options[0].ID, c.Questions[1].Options[1].ID
	var picks []map[int][]int64
	for i := range 8 {
		p := map[int][]int64{0: {council}, 1: {cost, quality}, 2: {4}}
		if i >= 5 {
			p = map[int][]int64{0: {provider}, 1: {cost}, 2: {5}}
		}
		picks = append(picks, p)
	}
	addAnswers(t, e.store, c, picks...)
	if err := e.store.Close(context.Background(), "shares", "test"); err != nil {
		t.Fatal(err)
	}
	_, page := e.get(e.anon, "/consultations/shares")
	q0, q1, q2 := c.Questions[0].ID, c.Questions[1].ID, c.Questions[2].ID
	for _, want := range []string{
		fmt.Sprintf(`<span data-live="percent:%d:%d">63</span>%%`, q0, council),
		fmt.Sprintf(`<span data-live="percent:%d:%d">37</span>%%`, q0, provider),
		fmt.Sprintf(`oursay-progress__fill--63" data-live="percent:%d:%d"`, q0, council),
		// Multiple choice: 8 of 8 chose Cost, 5 of 8 Quality (62.5, half up).
		fmt.Sprintf(`<span data-live="percent:%d:%d">100</span>%%`, q1, cost),
		fmt.Sprintf(`<span data-live="percent:%d:%d">63</span>%%`, q1, quality),
		"who answered this question. People could choose more than one answer, so the shares can add up to more than 100%.",
		// Scale: 5 of 8 "Agree" (point 4), 3 of 8 "Strongly agree" (point 5).
		fmt.Sprintf(`<span data-live="percent:%d:4">63</span>%%`, q2),
		fmt.Sprintf(`<span data-live="percent:%d:5">37</span>%%`, q2),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("results page lacks %s", want)
		}
	}
	if strings.Contains(page, "<progress") {
		t.Errorf("results page still uses a browser <progress> element")
	}

	_, body := e.get(e.anon, "/api/consultations/shares")
	var d struct {
		Questions []struct {
			Tally struct {
				Percents map[string]int `json:"percents"`
			} `json:"tally"`
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(body), &d); err != nil {
		t.Fatal(err)
	}
	if got := d.Questions[0].Tally.Percents; got[itoa(council)] != 63 || got[itoa(provider)] != 37 || len(got) != 2 {
		t.Errorf("JSON percents: got %v, want %d: 63 and %d: 37", got, council, provider)
	}
	if got := d.Questions[2].Tally.Percents; got["4"] != 63 || got["5"] != 37 || got["1"] != 0 || len(got) != 5 {
		t.Errorf("JSON scale percents: got %v, want 4: 63, 5: 37, the others 0", got)
	}
}

// TestLive_SharesAddUpTo100: the live channel's percents are the page's.
func TestLive_SharesAddUpTo100(t *testing.T) {
	e := newLiveEnv(t)
	c := openLiveConsultation(t, e)
	council, provider := c.Questions[0].Options[0].ID, c.Questions[0].Options[1].ID
	var picks []map[int][]int64
	for i := range 8 {
		if i < 5 {
			picks = append(picks, map[int][]int64{0: {council}})
		} else {
			picks = append(picks, map[int][]int64{0: {provider}})
		}
	}
	addAnswers(t, e.cs, c, picks...)
	topic := consult.ConsultationTopic(c.Slug)
	lc := e.dial(topic)
	m := lc.until(topic, time.Second, func(m liveMsg) bool { return m.num("response_count") == 8 })
	q := m.fields["questions"].(map[string]any)[itoa(c.Questions[0].ID)].(map[string]any)
	p := q["percents"].(map[string]any)
	if p[itoa(council)] != 63.0 || p[itoa(provider)] != 37.0 {
		t.Errorf("live percents: got %v, want %d: 63 and %d: 37", p, council, provider)
	}
}
