package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/oursay/oursay/cmd/internal/answers"
)

// consultInfo is the part of /api/consultations/{slug} respond uses.
type consultInfo struct {
	Slug      string             `json:"slug"`
	Status    string             `json:"status"`
	Audience  string             `json:"audience"`
	Questions []answers.Question `json:"questions"`
}

// runRespond has --concurrency clients answer an open consultation that
// anyone may answer, without an email (so no mail, and no limit of one
// response per address). An operation is a 201 with a receipt.
func runRespond(ctx context.Context, e *env) (*result, error) {
	c, err := e.consultation(ctx)
	if err != nil {
		return nil, err
	}
	body, err := answerAll(c)
	if err != nil {
		return nil, err
	}
	path := "/api/consultations/" + c.Slug + "/responses"
	errs := &errLog{w: e.stderr}
	all, elapsed := e.loop(ctx, e.cfg.concurrency, newBudget(e.cfg), func(ctx context.Context, _ int64) error {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.base+path, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		if err = e.send(req, http.StatusCreated); err != nil {
			errs.add("respond: %v", err)
		}
		return err
	})
	r := &result{scenario: "respond", ops: int64(len(all)), errors: errs.n.Load(), elapsed: elapsed, main: all,
		table: []series{{"POST " + path, all}}}
	r.set("consultation", c.Slug)
	r.set("concurrency", e.cfg.concurrency)
	return r, nil
}

// consultation returns --consultation, or the first open consultation that
// anyone may answer.
func (e *env) consultation(ctx context.Context) (consultInfo, error) {
	slug := e.cfg.consultation
	if slug == "" {
		var list struct {
			Consultations []consultInfo `json:"consultations"`
		}
		if err := e.getJSON(ctx, "/api/consultations", &list); err != nil {
			return consultInfo{}, err
		}
		for _, c := range list.Consultations {
			if c.Status == "open" && c.Audience == "anyone" {
				slug = c.Slug
				break
			}
		}
		if slug == "" {
			return consultInfo{}, errors.New("no open consultation that anyone may answer; pass --consultation")
		}
	}
	var c consultInfo
	err := e.getJSON(ctx, "/api/consultations/"+slug, &c)
	return c, err
}

// answerAll builds a response that answers every question.
func answerAll(c consultInfo) ([]byte, error) {
	a, err := answers.For(c.Questions, "Sent by oursay-load at "+time.Now().UTC().Format(time.RFC3339))
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"answers": a})
}
