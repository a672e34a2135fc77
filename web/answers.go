package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/oursay/oursay/consult"
)

// responseJSON is the body of POST /api/consultations/{slug}/responses.
type responseJSON struct {
	Answers  map[string]json.RawMessage `json:"answers"`
	Email    string                     `json:"email"`
	Postcode string                     `json:"postcode"`
	Code     string                     `json:"code"` // for consultations open to holders of a code
	// NotifyOutcome asks for an email when the outcome is published; it needs "email".
	NotifyOutcome bool `json:"notify_outcome"`
}

// decodeResponseJSON turns a JSON body into a response for c. Each answer's
// JSON type must fit its question's kind: an option id for single choice,
// a list of ids for multiple choice, 1-5 for a scale, a string for text.
// Shape problems come back as field messages keyed like the HTML form.
func decodeResponseJSON(c *consult.Consultation, body []byte) (*consult.Response, map[string]string) {
	var in responseJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil {
		return nil, map[string]string{"body": "The request body must be a JSON object with \"answers\" (and optionally \"email\", \"postcode\")"}
	}
	// dec.More is false before a stray "}" or "]", so read on and demand EOF.
	if err := dec.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return nil, map[string]string{"body": "The request body must hold one JSON object"}
	}
	r := newResponse(in.Email, in.Postcode)
	r.NotifyOutcome = in.NotifyOutcome
	fields := map[string]string{}
	for key, raw := range in.Answers {
		id, err := strconv.ParseInt(key, 10, 64)
		q := c.Question(id)
		if err != nil || q == nil {
			fields["answers"] = "Answer \"" + truncate(key, 40) + "\" is not one of this consultation's question ids"
			continue
		}
		a, ok := decodeJSONAnswer(q.Kind, raw)
		if !ok {
			fields[q.Field()] = jsonShapeMessage(q.Kind)
			continue
		}
		r.Answers[id] = a
	}
	return r, fields
}

func decodeJSONAnswer(k consult.Kind, raw json.RawMessage) (consult.Answer, bool) {
	var a consult.Answer
	if string(raw) == "null" {
		return a, true
	}
	switch k {
	case consult.KindSingle:
		var id int64
		if json.Unmarshal(raw, &id) != nil {
			return a, false
		}
		a.OptionIDs = []int64{id}
	case consult.KindMultiple:
		if json.Unmarshal(raw, &a.OptionIDs) != nil {
			return a, false
		}
	case consult.KindScale:
		if json.Unmarshal(raw, &a.Scale) != nil || a.Scale < 1 || a.Scale > 5 {
			return a, false
		}
	case consult.KindText:
		if json.Unmarshal(raw, &a.Text) != nil {
			return a, false
		}
	}
	return a, true
}

func jsonShapeMessage(k consult.Kind) string {
	switch k {
	case consult.KindSingle:
		return "Give one option id as a number"
	case consult.KindMultiple:
		return "Give a list of option ids"
	case consult.KindScale:
		return "Give a whole number from 1 (strongly disagree) to 5 (strongly agree)"
	}
	return "Give the answer as a string"
}

// decodeResponseForm reads the HTML form: field "q{id}" per question.
// Values that are not numbers where numbers are expected are kept as a
// field message; nothing is guessed.
func decodeResponseForm(c *consult.Consultation, form url.Values) (*consult.Response, map[string]string) {
	r := newResponse(form.Get("email"), form.Get("postcode"))
	r.NotifyOutcome = form.Get("notify_outcome") == "yes"
	fields := map[string]string{}
	for i := range c.Questions {
		q := &c.Questions[i]
		vals := nonBlank(form[q.Field()])
		if len(vals) == 0 {
			continue
		}
		var a consult.Answer
		switch q.Kind {
		case consult.KindSingle, consult.KindMultiple:
			for _, v := range vals {
				id, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					fields[q.Field()] = "Select options from the list"
				}
				a.OptionIDs = append(a.OptionIDs, id)
			}
		case consult.KindScale:
			n, err := strconv.Atoi(vals[0])
			if err != nil || len(vals) > 1 || n < 1 || n > 5 {
				fields[q.Field()] = "Choose a point from strongly disagree to strongly agree"
			}
			a.Scale = n
		case consult.KindText:
			a.Text = strings.Join(vals, "\n")
		}
		r.Answers[q.ID] = a
	}
	return r, fields
}

func newResponse(email, postcode string) *consult.Response {
	return &consult.Response{
		Channel:  consult.ChannelOnline,
		Email:    strings.TrimSpace(email),
		Postcode: strings.TrimSpace(postcode),
		Answers:  map[int64]consult.Answer{},
	}
}

func nonBlank(vs []string) []string {
	var out []string
	for _, v := range vs {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
