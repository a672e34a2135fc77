package consult

import (
	"strconv"
	"strings"
)

// Kind is the kind of a question.
type Kind string

// Question kinds.
const (
	KindSingle   Kind = "single"   // choose one option
	KindMultiple Kind = "multiple" // choose any options
	KindScale    Kind = "scale"    // 5-point agree/disagree, answered 1..5
	KindText     Kind = "text"     // free text up to MaxTextAnswer characters
)

// Kinds lists the question kinds in form order.
var Kinds = []Kind{KindSingle, KindMultiple, KindScale, KindText}

// MaxTextAnswer is the longest free-text answer accepted, in characters.
const MaxTextAnswer = 5000

// ScaleLabels names the points of the agree/disagree scale, 1 to 5.
var ScaleLabels = [5]string{"Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"}

// Label is the plain-English name of the kind.
func (k Kind) Label() string {
	switch k {
	case KindSingle:
		return "Choose one option"
	case KindMultiple:
		return "Choose any options"
	case KindScale:
		return "Agree or disagree (5 points)"
	case KindText:
		return "Free text"
	}
	return string(k)
}

// HasOptions reports whether questions of this kind carry their own options.
func (k Kind) HasOptions() bool { return k == KindSingle || k == KindMultiple }

// Question is one question of a consultation.
type Question struct {
	ID       int64
	Position int
	Kind     Kind
	Prompt   string
	Hint     string
	Required bool
	Options  []Option // single and multiple only
}

// Option is one choice of a single- or multiple-choice question.
type Option struct {
	ID    int64
	Label string
}

// Field is the form field name of the question's answer, "q" and its id.
func (q *Question) Field() string { return "q" + strconv.FormatInt(q.ID, 10) }

// HasOption reports whether id is one of the question's options.
func (q *Question) HasOption(id int64) bool {
	for _, o := range q.Options {
		if o.ID == id {
			return true
		}
	}
	return false
}

// Validate checks a question as a council officer writes it.
func (q *Question) Validate() error {
	ve := &ValidationError{}
	ve.Text("prompt", "Question", q.Prompt, "Enter the question", 500)
	ve.Max("hint", "Hint", q.Hint, 1000)
	switch {
	case q.Kind.HasOptions():
		validateOptions(ve, q.Options)
	case q.Kind == KindScale || q.Kind == KindText:
		if len(q.Options) > 0 {
			ve.Add("options", "Only choice questions have options")
		}
	default:
		ve.Add("kind", "Choose the kind of question")
	}
	return ve.Err()
}

func validateOptions(ve *ValidationError, opts []Option) {
	if len(opts) < 2 || len(opts) > 20 {
		ve.Add("options", "Give from 2 to 20 options, one per line")
		return
	}
	seen := map[string]bool{}
	for _, o := range opts {
		label := strings.TrimSpace(o.Label)
		switch {
		case label == "":
			ve.Add("options", "Options cannot be blank")
		case len([]rune(label)) > 200:
			ve.Add("options", "Each option must be 200 characters or fewer")
		case seen[strings.ToLower(label)]:
			ve.Add("options", "Option \""+label+"\" is listed twice")
		}
		seen[strings.ToLower(label)] = true
	}
}

// ParseOptions splits text typed one option per line into options, dropping blank lines.
func ParseOptions(text string) []Option {
	var opts []Option
	for _, line := range strings.Split(text, "\n") {
		if l := strings.TrimSpace(line); l != "" {
			opts = append(opts, Option{Label: l})
		}
	}
	return opts
}
