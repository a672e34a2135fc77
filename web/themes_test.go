package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/consult"
)

// addTextAnswers saves n online responses to c whose free-text answer is
// text(i), and returns their ids.
func (e *testEnv) addTextAnswers(c *consult.Consultation, n int, text func(i int) string) []int64 {
	e.t.Helper()
	var ids []int64
	for i := range n {
		r := &consult.Response{Channel: consult.ChannelOnline, Answers: map[int64]consult.Answer{
			c.Questions[0].ID: {OptionIDs: []int64{c.Questions[0].Options[0].ID}},
			c.Questions[2].ID: {Scale: 3},
			c.Questions[3].ID: {Text: text(i)},
		}}
		if err := e.store.AddResponse(context.Background(), c.Slug, r); err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	return ids
}

// TestAnswers_ReadTagCount: staff read every free-text answer, 50 a page
// with a search; an admin makes themes; a moderator tags answers; the
// counts reach the CSV, and once the outcome is out, the public page and
// the JSON. Each change is audited under its actor.
func TestAnswers_ReadTagCount(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("parks")
	ids := e.addTextAnswers(c, 73, func(i int) string {
		if i%10 == 0 {
			return fmt.Sprintf("Answer %d: the bins are never emptied", i)
		}
		return fmt.Sprintf("Answer %d: keep it local", i)
	})
	base := "/admin/consultations/parks"

	t.Run("Read", func(t *testing.T) {
		_, page := e.get(e.admin, base+"/answers")
		for _, want := range []string{"Showing 1 to 50 of 73 answers", "Answer 0: the bins", "Answer 49:", `class="govuk-pagination"`,
			`href="/admin/consultations/parks/answers?question=` + itoa(c.Questions[3].ID) + `&amp;page=2"`, "no themes yet"} {
			if !strings.Contains(page, want) {
				t.Errorf("first page lacks %q", want)
			}
		}
		if strings.Contains(page, "Answer 50:") {
			t.Error("the first page shows answer 51")
		}
		_, page = e.get(e.mod, base+"/answers?page=2&question="+itoa(c.Questions[3].ID))
		if !strings.Contains(page, "Showing 51 to 73 of 73 answers") || !strings.Contains(page, "Answer 72:") || strings.Contains(page, "/themes\"") {
			t.Errorf("moderator's second page: %.300q", page[strings.Index(page, "<main"):])
		}
		_, page = e.get(e.admin, base+"/answers?q=BINS")
		if !strings.Contains(page, "Showing 1 to 8 of 8 answers containing ‘BINS’") {
			t.Errorf("search: no count of the 8 matches")
		}
		_, page = e.get(e.admin, base+"/answers?page=99")
		if !strings.Contains(page, "Showing 51 to 73 of 73 answers") {
			t.Errorf("a page beyond the last does not show the last")
		}
		if res, _ := e.get(e.admin, base+"/answers?question="+itoa(c.Questions[0].ID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("a choice question's answers: got %d, want 404", res.StatusCode)
		}
	})

	var bins, local int64
	t.Run("Themes", func(t *testing.T) {
		res, body := e.postBody(e.admin, base+"/themes", url.Values{"theme_name": {"  "}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#theme_name">Enter a name for the theme`) {
			t.Errorf("blank name: got %d without the error summary", res.StatusCode)
		}
		for _, name := range []string{"Bins", "Keep it local"} {
			if res := e.post(e.admin, base+"/themes", url.Values{"theme_name": {name}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("create %s: got %d", name, res.StatusCode)
			}
		}
		res, body = e.postBody(e.admin, base+"/themes", url.Values{"theme_name": {"bins"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "already has a theme called ‘Bins’") || !strings.Contains(body, `value="bins"`) {
			t.Errorf("duplicate: got %d without the message and what was typed", res.StatusCode)
		}
		if res := e.post(e.mod, base+"/themes", url.Values{"theme_name": {"Mine"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("moderator creates a theme: got %d, want 403", res.StatusCode)
		}
		themes, _ := e.store.Themes(context.Background(), "parks")
		bins, local = themes[0].ID, themes[1].ID
		res, body = e.postBody(e.admin, base+"/themes/"+itoa(local)+"/rename", url.Values{"theme_name-" + itoa(local): {"BINS"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `<a href="#theme_name-`+itoa(local)+`">`) {
			t.Errorf("rename to a taken name: got %d without the error on its field", res.StatusCode)
		}
		if res := e.post(e.admin, base+"/themes/"+itoa(local)+"/rename", url.Values{"theme_name-" + itoa(local): {"Local"}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("rename: got %d", res.StatusCode)
		}
	})

	t.Run("Tag", func(t *testing.T) {
		// The moderator ticks Bins on answers 0 and 10, Local on 10 and 1;
		// answer 2 is on the page with nothing ticked.
		form := url.Values{"question": {itoa(c.Questions[3].ID)}, "page": {"1"},
			"answer":                 {itoa(ids[0]), itoa(ids[10]), itoa(ids[1]), itoa(ids[2])},
			"theme-" + itoa(ids[0]):  {itoa(bins)},
			"theme-" + itoa(ids[10]): {itoa(bins), itoa(local)},
			"theme-" + itoa(ids[1]):  {itoa(local)}}
		res := e.post(e.mod, base+"/answers", form)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), base+"/answers?") {
			t.Fatalf("tag: got %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		_, page := e.get(e.mod, res.Header.Get("Location"))
		if !strings.Contains(page, `name="theme-`+itoa(ids[10])+`" type="checkbox" value="`+itoa(local)+`" checked`) {
			t.Error("the page does not show answer 11 ticked with Local")
		}
		if !strings.Contains(page, `<th scope="row" class="govuk-table__header">Bins</th><td class="govuk-table__cell govuk-table__cell--numeric">2</td>`) {
			t.Error("the answers page does not count 2 answers with Bins")
		}
		// A theme of another consultation, or a made-up answer, changes nothing.
		bad := url.Values{"question": {itoa(c.Questions[3].ID)}, "answer": {itoa(ids[3])}, "theme-" + itoa(ids[3]): {"9999"}}
		if res := e.post(e.mod, base+"/answers", bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown theme: got %d, want 404", res.StatusCode)
		}
		if a := e.auditActions(); !strings.Contains(a, "consultation.tag_answers mod@council.test") ||
			!strings.Contains(a, "consultation.theme_create admin@council.test") || !strings.Contains(a, "consultation.theme_rename admin@council.test") {
			t.Errorf("audit: %s", a)
		}
	})

	t.Run("CSV", func(t *testing.T) {
		_, body := e.get(e.admin, base+"/responses.csv")
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll() // also checks every row has as many fields
		if err != nil || len(rows) != 74 {
			t.Fatalf("csv: %d rows, %v", len(rows), err)
		}
		if rows[0][9] != "Anything else?" || rows[0][10] != "Anything else? (themes)" || rows[11][10] != "Bins; Local" || rows[1][10] != "Bins" || rows[3][10] != "" {
			t.Errorf("theme columns: %q %q %q %q", rows[0][9:], rows[11][9:], rows[1][9:], rows[3][9:])
		}
		if !strings.Contains(body, "\r\n") {
			t.Error("rows do not end in CRLF")
		}
	})

	t.Run("Outcome", func(t *testing.T) {
		_, page := e.get(e.anon, "/consultations/parks")
		if strings.Contains(page, "Themes in what people wrote") {
			t.Error("theme counts are public before the outcome")
		}
		must(t, e.store.Close(context.Background(), "parks", "test"))
		res := e.post(e.admin, base+"/outcome", confirmed(url.Values{"we_asked": {"Who runs parks"}, "you_said": {"Mostly bins"}, "we_did": {"Bins"}}))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("outcome: got %d", res.StatusCode)
		}
		_, page = e.get(e.anon, "/consultations/parks")
		for _, want := range []string{"Themes in what people wrote to ‘Anything else?’ (73 answers)",
			`<th scope="row" class="govuk-table__header">Bins</th><td class="govuk-table__cell govuk-table__cell--numeric">2</td>`,
			`<th scope="row" class="govuk-table__header">Local</th><td class="govuk-table__cell govuk-table__cell--numeric">2</td>`} {
			if !strings.Contains(page, want) {
				t.Errorf("outcome page lacks %q", want)
			}
		}
		_, doc := e.get(e.anon, "/api/consultations/parks")
		var got struct {
			Questions []struct {
				Themes []struct {
					Theme   string `json:"theme"`
					Answers int    `json:"answers"`
				} `json:"themes"`
			} `json:"questions"`
		}
		if err := json.Unmarshal([]byte(doc), &got); err != nil || fmt.Sprint(got.Questions[3].Themes) != "[{Bins 2} {Local 2}]" || got.Questions[0].Themes != nil {
			t.Errorf("JSON themes: %+v, %v", got.Questions, err)
		}
		// A tag added after publishing shows at once: the cached page hears of it.
		form := url.Values{"question": {itoa(c.Questions[3].ID)}, "answer": {itoa(ids[20])}, "theme-" + itoa(ids[20]): {itoa(bins)}}
		e.post(e.admin, base+"/answers", form)
		deadline := time.Now().Add(5 * time.Second)
		for {
			if _, page = e.get(e.anon, "/consultations/parks"); strings.Contains(page, `Bins</th><td class="govuk-table__cell govuk-table__cell--numeric">3</td>`) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the public page still counts 2 after a third tag")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
