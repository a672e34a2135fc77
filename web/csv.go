package web

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oursay/oursay/consult"
)

// adminResponsesCSV streams every response as RFC 4180 CSV in UTF-8: one
// row per response, one column per question, ISO 8601 times. After the
// answers, each free-text question has a column of the themes its answer
// was tagged with, joined by "; ", so every row has the same fields and
// the answer columns stay where they were before themes existed.
func (s *Server) adminResponsesCSV(w http.ResponseWriter, r *http.Request) {
	c, err := s.cfg.Stores.Consult.Consultation(r.Context(), r.PathValue("slug"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	themes, err := s.cfg.Stores.Consult.AnswerThemes(r.Context(), c.Slug)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-responses.csv"`, c.Slug))
	w.Header().Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	header := []string{"receipt", "submitted_at", "channel", "paper_serial", "email", "postcode"}
	for _, q := range c.Questions {
		header = append(header, q.Prompt)
	}
	for _, q := range c.Questions {
		if q.Kind == consult.KindText {
			header = append(header, q.Prompt+" (themes)")
		}
	}
	cw.Write(safeRow(header))
	err = s.cfg.Stores.Consult.Responses(r.Context(), c.Slug, func(resp *consult.Response) error {
		cw.Write(safeRow(responseRow(c, resp, themes)))
		return cw.Error()
	})
	cw.Flush()
	if err != nil {
		// Headers are gone; the truncated file is the signal, the log has why.
		s.log.Error("csv export", "err", err, "slug", c.Slug)
	}
	s.audit(r, s.actor(r), "consultation.export_csv", "consultation:"+c.Slug, "")
}

func responseRow(c *consult.Consultation, resp *consult.Response, themes map[consult.AnswerKey][]string) []string {
	row := []string{resp.Receipt, resp.CreatedAt.UTC().Format(time.RFC3339), string(resp.Channel),
		resp.PaperSerial, resp.Email, resp.Postcode}
	for i := range c.Questions {
		q := &c.Questions[i]
		row = append(row, answerText(q, resp.Answers[q.ID]))
	}
	for _, q := range c.Questions {
		if q.Kind == consult.KindText {
			row = append(row, strings.Join(themes[consult.AnswerKey{ResponseID: resp.ID, QuestionID: q.ID}], "; "))
		}
	}
	return row
}

// answerText renders an answer as a person reads it: option labels joined
// by "; ", a scale point with its label, or the text.
func answerText(q *consult.Question, a consult.Answer) string {
	switch q.Kind {
	case consult.KindSingle, consult.KindMultiple:
		var labels []string
		for _, id := range a.OptionIDs {
			for _, o := range q.Options {
				if o.ID == id {
					labels = append(labels, o.Label)
				}
			}
		}
		return strings.Join(labels, "; ")
	case consult.KindScale:
		if a.Scale >= 1 && a.Scale <= 5 {
			return strconv.Itoa(a.Scale) + " " + consult.ScaleLabels[a.Scale-1]
		}
		return ""
	}
	return a.Text
}

// safeRow neutralises cells that a spreadsheet would run as a formula.
func safeRow(row []string) []string {
	for i, cell := range row {
		row[i] = safeCell(cell)
	}
	return row
}

func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
