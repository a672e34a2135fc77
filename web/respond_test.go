package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestRespond_HTML(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("parks")
	t.Run("OK", func(t *testing.T) {
		cl := e.client()
		res, _ := e.postBody(cl, "/consultations/parks/responses", validForm(c))
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/consultations/parks/thanks" {
			t.Fatalf("got %d to %q, want 303 to thanks", res.StatusCode, res.Header.Get("Location"))
		}
		res, body := e.get(cl, "/consultations/parks/thanks")
		if res.StatusCode != http.StatusOK || !strings.Contains(body, "Your receipt code") {
			t.Fatalf("thanks page: got %d", res.StatusCode)
		}
		var receipt string
		must(t, e.db.Reader().QueryRow(`SELECT receipt FROM responses ORDER BY id DESC LIMIT 1`).Scan(&receipt))
		if receipt == "" || !strings.Contains(body, receipt) {
			t.Errorf("thanks page does not show the saved receipt %q", receipt)
		}
	})
	t.Run("ErrorSummary", func(t *testing.T) {
		f := validForm(c)
		f.Del(c.Questions[0].Field())
		f.Set(c.Questions[3].Field(), "what I typed")
		f.Set("email", "not-an-email")
		before := e.responseCount("parks")
		res, body := e.postBody(e.anon, "/consultations/parks/responses", f)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("got %d, want 422", res.StatusCode)
		}
		for _, want := range []string{
			"govuk-error-summary", "There is a problem",
			`href="#` + c.Questions[0].Field() + `">Select an answer to &#39;Who should run it?&#39;`,
			`href="#email"`, "Error:", "what I typed", `value="not-an-email"`, "<title>Error:",
		} {
			if !strings.Contains(body, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if n := e.responseCount("parks"); n != before {
			t.Errorf("responses: got %d, want %d", n, before)
		}
	})
	t.Run("LongText", func(t *testing.T) {
		f := validForm(c)
		f.Set(c.Questions[3].Field(), strings.Repeat("a", 6000))
		before := e.responseCount("parks")
		res, body := e.postBody(e.anon, "/consultations/parks/responses", f)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "5,000 characters or fewer") {
			t.Errorf("got %d, want 422 with the length message", res.StatusCode)
		}
		if n := e.responseCount("parks"); n != before {
			t.Errorf("responses: got %d, want %d", n, before)
		}
	})
	t.Run("OneResponsePerEmail", func(t *testing.T) {
		f := validForm(c)
		f.Set("email", "Resident@Example.org")
		if res := e.post(e.client(), "/consultations/parks/responses", f); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first: got %d, want 303", res.StatusCode)
		}
		// A repeat saves nothing, and looks like a first response
		// (TestRespond_RepeatLooksFresh compares the pages).
		before := e.responseCount("parks")
		f.Set("email", "resident@example.org ")
		if res := e.post(e.client(), "/consultations/parks/responses", f); res.StatusCode != http.StatusSeeOther {
			t.Errorf("second: got %d, want 303 as for a first response", res.StatusCode)
		}
		if n := e.responseCount("parks"); n != before {
			t.Errorf("responses after a repeat: got %d, want %d", n, before)
		}
	})
}

func TestRespond_Closed(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("shut")
	if err := e.store.Close(context.Background(), "shut", "test"); err != nil {
		t.Fatal(err)
	}
	res, body := e.postBody(e.anon, "/consultations/shut/responses", validForm(c))
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "not open for responses") {
		t.Errorf("HTML: got %d, want 409 with a clear message", res.StatusCode)
	}
	res, body = e.postJSON(e.anon, "/api/consultations/shut/responses", `{"answers":{}}`)
	var got map[string]any
	must(t, json.Unmarshal([]byte(body), &got))
	if res.StatusCode != http.StatusConflict || !strings.Contains(got["error"].(string), "not open") {
		t.Errorf("JSON: got %d %s, want 409 not open", res.StatusCode, body)
	}
	if n := e.responseCount("shut"); n != 0 {
		t.Errorf("responses: got %d, want 0", n)
	}
	// The page shows the results once closed, and no form.
	_, body = e.get(e.anon, "/consultations/shut")
	if strings.Contains(body, `action="/consultations/shut/responses"`) || !strings.Contains(body, "This consultation closed on ") {
		t.Errorf("closed page still offers the form or lacks the closed notice")
	}
}

// TestRespond_ClosedWhileKept: a response just before the consultation
// is closed keeps it in the web layer's second-long memory
// (respondingTo), yet a response straight after the close is refused and
// nothing is saved: the store checks again as it saves.
func TestRespond_ClosedWhileKept(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("shutsoon")
	if res := e.post(e.anon, "/consultations/shutsoon/responses", validForm(c)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first response: %d, want 303 to the thanks page", res.StatusCode)
	}
	if err := e.store.Close(context.Background(), "shutsoon", "test"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	res, body := e.postBody(e.anon, "/consultations/shutsoon/responses", validForm(c))
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "not open for responses") {
		t.Errorf("HTML straight after the close: got %d, want 409 saying it is not open", res.StatusCode)
	}
	q := c.Questions
	answers := `{"answers":{"` + itoa(q[0].ID) + `":` + itoa(q[0].Options[1].ID) + `,"` + itoa(q[1].ID) + `":[` +
		itoa(q[1].Options[0].ID) + `],"` + itoa(q[2].ID) + `":5,"` + itoa(q[3].ID) + `":"More benches"}}`
	res, body = e.postJSON(e.anon, "/api/consultations/shutsoon/responses", answers)
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "not open") {
		t.Errorf("JSON straight after the close: got %d %s, want 409 not open", res.StatusCode, body)
	}
	if time.Since(start) > 900*time.Millisecond {
		t.Log("slow machine: the kept consultation may have expired, so this run proves less")
	}
	if n := e.responseCount("shutsoon"); n != 1 {
		t.Errorf("responses: got %d, want only the one before the close", n)
	}
}

func TestRespond_API(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("api")
	q := c.Questions
	body := `{"answers":{"` + itoa(q[0].ID) + `":` + itoa(q[0].Options[1].ID) + `,"` + itoa(q[1].ID) + `":[` +
		itoa(q[1].Options[0].ID) + `,` + itoa(q[1].Options[2].ID) + `],"` + itoa(q[2].ID) + `":5,"` + itoa(q[3].ID) + `":"More benches"},"email":"a@b.org"}`
	res, out := e.postJSON(e.anon, "/api/consultations/api/responses", body)
	var created struct {
		Receipt, Message string
	}
	must(t, json.Unmarshal([]byte(out), &created))
	if res.StatusCode != http.StatusCreated || created.Receipt != "" || !strings.HasPrefix(created.Message, "Check your email") {
		t.Fatalf("got %d %s, want 201 saying to check the email (the receipt goes by mail)", res.StatusCode, out)
	}
	t.Run("BadAnswers", func(t *testing.T) {
		cases := map[string]string{
			`{"answers":{"` + itoa(q[0].ID) + `":"x"}}`:                                 q[0].Field(),
			`{"answers":{"` + itoa(q[2].ID) + `":9}}`:                                   q[2].Field(),
			`{"answers":{"999999":1}}`:                                                  "answers",
			`{"answers":{"` + itoa(q[3].ID) + `":"` + strings.Repeat("é", 5001) + `"}}`: q[3].Field(),
		}
		for in, field := range cases {
			res, out := e.postJSON(e.anon, "/api/consultations/api/responses", in)
			var ae struct {
				Error  string            `json:"error"`
				Fields map[string]string `json:"fields"`
			}
			must(t, json.Unmarshal([]byte(out), &ae))
			if res.StatusCode != http.StatusUnprocessableEntity || ae.Fields[field] == "" || ae.Error == "" {
				t.Errorf("%.60s: got %d %s, want 422 with field %s", in, res.StatusCode, out, field)
			}
		}
		for _, in := range []string{`not json`, `{"answers":{}} {}`, `{"answerz":{}}`} {
			if res, _ := e.postJSON(e.anon, "/api/consultations/api/responses", in); res.StatusCode != http.StatusBadRequest {
				t.Errorf("%q: got %d, want 400", in, res.StatusCode)
			}
		}
		if n := e.responseCount("api"); n != 1 {
			t.Errorf("responses: got %d, want 1", n)
		}
	})
	t.Run("Duplicate email", func(t *testing.T) {
		res, again := e.postJSON(e.anon, "/api/consultations/api/responses", body)
		if res.StatusCode != http.StatusCreated || again != out {
			t.Errorf("got %d %s, want the first answer again (201 %s)", res.StatusCode, again, out)
		}
		if n := e.responseCount("api"); n != 1 {
			t.Errorf("responses: got %d, want 1", n)
		}
	})
	t.Run("Unknown consultation", func(t *testing.T) {
		res, _ := e.postJSON(e.anon, "/api/consultations/nope/responses", `{"answers":{}}`)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("got %d, want 404", res.StatusCode)
		}
	})
}

// TestConsultationJSON checks the public JSON: questions always, tallies
// only once results are public.
func TestConsultationJSON(t *testing.T) {
	e := newEnv(t)
	c := e.openConsultation("json")
	e.post(e.anon, "/consultations/json/responses", validForm(c))
	type doc struct {
		Status        string `json:"status"`
		ResponseCount int    `json:"response_count"`
		Questions     []struct {
			ID       int64  `json:"id"`
			Kind     string `json:"kind"`
			Required bool   `json:"required"`
			Options  []struct {
				ID    int64  `json:"id"`
				Label string `json:"label"`
			} `json:"options"`
			Tally *struct {
				Answered int            `json:"answered"`
				Counts   map[string]int `json:"counts"`
			} `json:"tally"`
		} `json:"questions"`
	}
	read := func() doc {
		res, body := e.get(e.anon, "/api/consultations/json")
		if res.StatusCode != 200 {
			t.Fatalf("got %d", res.StatusCode)
		}
		var d doc
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := read()
	if d.Status != "open" || d.ResponseCount != 1 || len(d.Questions) != 4 || d.Questions[0].Kind != "single" || len(d.Questions[0].Options) != 2 {
		t.Fatalf("open: got %+v", d)
	}
	if d.Questions[0].Tally != nil {
		t.Errorf("tally shown while open without live results")
	}
	e.store.Close(context.Background(), "json", "test")
	d = read()
	tq := d.Questions[0].Tally
	if d.Status != "closed" || tq == nil || tq.Answered != 1 || tq.Counts[itoa(c.Questions[0].Options[0].ID)] != 1 {
		t.Errorf("closed: got %+v", d)
	}
	if res, _ := e.get(e.anon, "/api/consultations"); res.StatusCode != 200 {
		t.Errorf("list: got %d", res.StatusCode)
	}
}
