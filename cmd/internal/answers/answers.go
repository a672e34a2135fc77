// Package answers fills in a consultation's questions, as its public JSON
// lists them, with answers the response API takes. The tools that drive a
// real server (the load tool and the crash test) answer the same way.
package answers

import (
	"fmt"
	"strconv"
)

// Question is a question as GET /api/consultations/{slug} lists it.
type Question struct {
	ID      int64  `json:"id"`
	Kind    string `json:"kind"`
	Options []struct {
		ID int64 `json:"id"`
	} `json:"options"`
}

// For answers every question, keyed by question id: the first option of a
// single choice, the last of a multiple choice, 4 on the agree scale, and
// text for a free-text question. A choice question with no options is an
// error.
func For(qs []Question, text string) (map[string]any, error) {
	out := map[string]any{}
	for _, q := range qs {
		key := strconv.FormatInt(q.ID, 10)
		switch q.Kind {
		case "single", "multiple":
			if len(q.Options) == 0 {
				return nil, fmt.Errorf("question %d has no options", q.ID)
			}
			if q.Kind == "single" {
				out[key] = q.Options[0].ID
			} else {
				out[key] = []int64{q.Options[len(q.Options)-1].ID}
			}
		case "scale":
			out[key] = 4
		case "text":
			out[key] = text
		}
	}
	return out, nil
}
