package web

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// fuzzConsultation has one question of each kind, ids 1 to 4. Option ids
// differ from question ids so that a mix-up between the two shows.
// Only the scale question is required, so empty answers are exercised too.
func fuzzConsultation() *consult.Consultation {
	return &consult.Consultation{
		Status:   consult.StatusOpen,
		Audience: consult.AudienceAnyone,
		Questions: []consult.Question{
			{ID: 1, Kind: consult.KindSingle, Prompt: "Who should run it?",
				Options: []consult.Option{{ID: 11, Label: "Council"}, {ID: 12, Label: "Contractor"}}},
			{ID: 2, Kind: consult.KindMultiple, Prompt: "Which matter?",
				Options: []consult.Option{{ID: 21, Label: "Cost"}, {ID: 22, Label: "Quality"}, {ID: 23, Label: "Jobs"}}},
			{ID: 3, Kind: consult.KindScale, Prompt: "Keep it in house", Required: true},
			{ID: 4, Kind: consult.KindText, Prompt: "Anything else?"},
		},
	}
}

// checkDecoded asserts what the handlers rely on after a decoder ran:
// a nil response comes with a "body" message; answers are only for real
// questions; and a response that the decoder and ValidateResponse both
// pass holds only answers that fit their question.
func checkDecoded(t *testing.T, c *consult.Consultation, r *consult.Response, fields map[string]string) {
	t.Helper()
	if r == nil {
		if fields["body"] == "" {
			t.Fatalf("got nil response with fields %v, want a \"body\" message", fields)
		}
		return
	}
	for id := range r.Answers {
		if c.Question(id) == nil {
			t.Fatalf("got an answer for question %d, want answers only for questions 1-4", id)
		}
	}
	if len(fields) > 0 || consult.ValidateResponse(c, r) != nil {
		return
	}
	for id, a := range r.Answers {
		if a.Empty() {
			continue // unanswered: the store saves nothing for it
		}
		if msg := misfit(id, a); msg != "" {
			t.Fatalf("question %d: accepted %+v, want %s", id, a, msg)
		}
	}
}

// fitting lists, for fuzzConsultation, every shape of non-empty answer
// that fits each choice question, written out by hand rather than derived
// from the rules: the option ids (in any order, each once), the scale
// point, and whether there is text.
var fitting = map[int64][]string{
	1: {"[11] 0 false", "[12] 0 false"},
	2: {"[21] 0 false", "[22] 0 false", "[23] 0 false",
		"[21 22] 0 false", "[22 21] 0 false", "[21 23] 0 false", "[23 21] 0 false", "[22 23] 0 false", "[23 22] 0 false",
		"[21 22 23] 0 false", "[21 23 22] 0 false", "[22 21 23] 0 false", "[22 23 21] 0 false", "[23 21 22] 0 false", "[23 22 21] 0 false"},
	3: {"[] 1 false", "[] 2 false", "[] 3 false", "[] 4 false", "[] 5 false"},
	4: {"[] 0 true"},
}

// misfit says how a (non-empty) answer to question id of fuzzConsultation
// does not fit, or "" when it does. Text must also be UTF-8 that
// ToValidUTF8 leaves alone, of at most 5,000 characters.
func misfit(id int64, a consult.Answer) string {
	shape := fmt.Sprint(a.OptionIDs, a.Scale, a.Text != "")
	if !slices.Contains(fitting[id], shape) {
		return fmt.Sprintf("one of %q, not %q", fitting[id], shape)
	}
	if strings.ToValidUTF8(a.Text, "\uFFFD") != a.Text || len([]rune(a.Text)) > 5000 {
		return "valid text of at most 5,000 characters"
	}
	return ""
}

func FuzzDecodeResponseJSON(f *testing.F) {
	for _, seed := range []string{
		`{"answers":{"1":11,"2":[21,23],"3":4,"4":"Keep the rangers"},"email":"jo@example.com","postcode":"sw1a1aa"}`,
		`{"answers":{"3":1}}`,
		`{"answers":{"1":null,"2":null,"3":5,"4":null}}`,
		`{"answers":{"1":"11","2":["21"],"3":"4","4":4}}`,          // numbers as strings, text as number
		`{"answers":{"1":[11],"2":[[21],[22]],"3":[3],"4":["x"]}}`, // nested arrays
		`{"answers":{"1":99999999999999999999,"2":[1e400],"3":1e2,"3":2.5}}`,
		`{"answers":{"1":-11,"2":[21,21,-21],"3":0,"4":""}}`,
		`{"answers":{"3":6}}`,
		`{"answers":{"1":11,"01":12,"+1":11," 1":11,"1.0":11,"":1,"99":1}}`,
		`{"answers":{"3":3,"3":9},"email":"a","email":"b"}`, // duplicate keys
		`{"answers":{"3":3,"4":"caf\u00e9 \ud83c\udf33 \u0000 \ud800"}}`,
		"{\"answers\":{\"3\":3,\"4\":\"caf\xe9 \xff\"}}",
		`{"answers":{"3":3,"4":"` + strings.Repeat("é", consult.MaxTextAnswer) + `"}}`,
		`{"answers":{"3":3,"4":"` + strings.Repeat("é", consult.MaxTextAnswer+1) + `"}}`,
		`{"answers":{"3":3,"4":"` + strings.Repeat(" ", consult.MaxTextAnswer+1) + `"}}`,
		`{"answers":{"3":3}} }`,
		`{"answers":{"3":3}} {"answers":{}}`,
		`{"answers":{"3":3},"extra":true}`,
		`{"answers":[1,2,3]}`,
		`{"answers":null}`,
		`null`,
		`[]`,
		`"answers"`,
		``,
		`{`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzConsultation()
		r, fields := decodeResponseJSON(c, body)
		checkDecoded(t, c, r, fields)
	})
}

func FuzzDecodeResponseForm(f *testing.F) {
	for _, seed := range []string{
		"q1=11&q2=21&q2=23&q3=4&q4=Keep+the+rangers&email=jo%40example.com&postcode=sw1a1aa",
		"q3=1",
		"q1=&q2=&q3=5&q4=+",
		"q1=11&q1=12&q3=3",
		"q1=x&q2=21&q2=abc&q3=three",
		"q1=99999999999999999999&q2=-21&q3=0",
		"q2=21&q2=21&q3=6",
		"q3=+3&q3=4",
		"q3=3&q4=a&q4=b&q4=%20",
		"q3=3&q4=caf%C3%A9+%F0%9F%8C%B3",
		"q3=3&q4=caf%E9%FF",
		"q3=3&q4=" + strings.Repeat("%C3%A9", consult.MaxTextAnswer+1),
		"q3=3&q4=" + strings.Repeat("%C3%A9", 3000) + "&q4=" + strings.Repeat("%C3%A9", 3000),
		"q3=3&q99=1&q0=1&q=1&answers=1",
		"q3=3;q1=11",
		"%zz=1&q3=%",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, query string) {
		form, _ := url.ParseQuery(query) // keeps what parsed, as ParseForm does
		c := fuzzConsultation()
		r, fields := decodeResponseForm(c, form)
		checkDecoded(t, c, r, fields)
	})
}

func TestDecodeResponseJSON(t *testing.T) {
	c := fuzzConsultation()
	t.Run("OK", func(t *testing.T) {
		body := `{"answers":{"1":11,"2":[21,23],"3":4,"4":"Keep the rangers"},"email":" jo@example.com ","postcode":"sw1a1aa"}`
		r, fields := decodeResponseJSON(c, []byte(body))
		if r == nil || len(fields) != 0 {
			t.Fatalf("got %v, %v, want a response and no messages", r, fields)
		}
		want := map[int64]consult.Answer{
			1: {OptionIDs: []int64{11}}, 2: {OptionIDs: []int64{21, 23}}, 3: {Scale: 4}, 4: {Text: "Keep the rangers"},
		}
		checkAnswers(t, r.Answers, want)
		if r.Email != "jo@example.com" || r.Postcode != "sw1a1aa" || r.Channel != consult.ChannelOnline {
			t.Errorf("got email %q postcode %q channel %q, want %q %q %q",
				r.Email, r.Postcode, r.Channel, "jo@example.com", "sw1a1aa", consult.ChannelOnline)
		}
		if err := consult.ValidateResponse(c, r); err != nil {
			t.Errorf("ValidateResponse: got %v, want nil", err)
		}
	})
	t.Run("NullIsUnanswered", func(t *testing.T) {
		r, fields := decodeResponseJSON(c, []byte(`{"answers":{"1":null,"3":2}}`))
		if r == nil || len(fields) != 0 {
			t.Fatalf("got %v, %v, want a response and no messages", r, fields)
		}
		if !r.Answers[1].Empty() {
			t.Errorf("got %+v, want an empty answer", r.Answers[1])
		}
	})
	fieldCases := []struct {
		name, body, field string
	}{
		{"SingleAsString", `{"answers":{"1":"x"}}`, "q1"},
		{"SingleNumberAsString", `{"answers":{"1":"11"}}`, "q1"},
		{"SingleHuge", `{"answers":{"1":99999999999999999999}}`, "q1"},
		{"MultipleNotList", `{"answers":{"2":21}}`, "q2"},
		{"MultipleNested", `{"answers":{"2":[[21]]}}`, "q2"},
		{"ScaleFraction", `{"answers":{"3":2.5}}`, "q3"},
		{"Scale0", `{"answers":{"3":0}}`, "q3"},
		{"Scale6", `{"answers":{"3":6}}`, "q3"},
		{"TextAsNumber", `{"answers":{"4":4}}`, "q4"},
		{"UnknownQuestion", `{"answers":{"99":1}}`, "answers"},
		{"NotAnID", `{"answers":{"one":1}}`, "answers"},
	}
	for _, tt := range fieldCases {
		t.Run(tt.name, func(t *testing.T) {
			r, fields := decodeResponseJSON(c, []byte(tt.body))
			if r == nil {
				t.Fatalf("got nil response (%v), want field %q", fields, tt.field)
			}
			if len(fields) != 1 || fields[tt.field] == "" {
				t.Fatalf("got %v, want one message for %q", fields, tt.field)
			}
		})
	}
	bodyCases := []struct{ name, body string }{
		{"Empty", ``},
		{"NotJSON", `answers=1`},
		{"Truncated", `{"answers":{"3":3}`},
		{"UnknownField", `{"answers":{"3":3},"name":"Jo"}`},
		{"AnswersNotObject", `{"answers":[3]}`},
		{"EmailNotString", `{"answers":{"3":3},"email":5}`},
		{"TrailingObject", `{"answers":{"3":3}} {"answers":{"3":4}}`},
		{"TrailingWord", `{"answers":{"3":3}} x`},
		{"TrailingBrace", `{"answers":{"3":3}} }`},
		{"TrailingBracket", `{"answers":{"3":3}}]`},
	}
	for _, tt := range bodyCases {
		t.Run("Body/"+tt.name, func(t *testing.T) {
			r, fields := decodeResponseJSON(c, []byte(tt.body))
			if r != nil || fields["body"] == "" {
				t.Fatalf("got %v, %v, want nil and a \"body\" message", r, fields)
			}
		})
	}
	t.Run("TrailingSpace", func(t *testing.T) {
		if r, fields := decodeResponseJSON(c, []byte("{\"answers\":{\"3\":3}}\n \t")); r == nil {
			t.Fatalf("got nil (%v), want a response", fields)
		}
	})
}

func TestDecodeResponseForm(t *testing.T) {
	c := fuzzConsultation()
	t.Run("OK", func(t *testing.T) {
		form := url.Values{
			"q1": {"11"}, "q2": {"21", "", "23"}, "q3": {"4"}, "q4": {"Keep the rangers"},
			"email": {" jo@example.com"}, "postcode": {"sw1a1aa "}, "q99": {"1"},
		}
		r, fields := decodeResponseForm(c, form)
		if len(fields) != 0 {
			t.Fatalf("got %v, want no messages", fields)
		}
		want := map[int64]consult.Answer{
			1: {OptionIDs: []int64{11}}, 2: {OptionIDs: []int64{21, 23}}, 3: {Scale: 4}, 4: {Text: "Keep the rangers"},
		}
		checkAnswers(t, r.Answers, want)
		if r.Email != "jo@example.com" || r.Postcode != "sw1a1aa" {
			t.Errorf("got email %q postcode %q, want %q %q", r.Email, r.Postcode, "jo@example.com", "sw1a1aa")
		}
	})
	t.Run("BlankIsUnanswered", func(t *testing.T) {
		r, fields := decodeResponseForm(c, url.Values{"q1": {""}, "q3": {" "}, "q4": {"\n"}})
		if len(fields) != 0 || len(r.Answers) != 0 {
			t.Fatalf("got %v, %v, want no answers and no messages", r.Answers, fields)
		}
	})
	cases := []struct {
		name  string
		form  url.Values
		field string
	}{
		{"OptionNotNumber", url.Values{"q1": {"Council"}}, "q1"},
		{"MultipleOneNotNumber", url.Values{"q2": {"21", "Cost"}}, "q2"},
		{"ScaleNotNumber", url.Values{"q3": {"agree"}}, "q3"},
		{"Scale0", url.Values{"q3": {"0"}}, "q3"},
		{"Scale6", url.Values{"q3": {"6"}}, "q3"},
		{"ScaleTwice", url.Values{"q3": {"2", "4"}}, "q3"},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			_, fields := decodeResponseForm(c, tt.form)
			if len(fields) != 1 || fields[tt.field] == "" {
				t.Fatalf("got %v, want one message for %q", fields, tt.field)
			}
		})
	}
}

func checkAnswers(t *testing.T, got, want map[int64]consult.Answer) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for id, w := range want {
		g := got[id]
		if g.Scale != w.Scale || g.Text != w.Text || len(g.OptionIDs) != len(w.OptionIDs) {
			t.Fatalf("question %d: got %+v, want %+v", id, g, w)
		}
		for i := range w.OptionIDs {
			if g.OptionIDs[i] != w.OptionIDs[i] {
				t.Fatalf("question %d: got %+v, want %+v", id, g, w)
			}
		}
	}
}
