package consult

import (
	"context"
	"strings"
	"time"
)

// Theme is a label officers give to what residents wrote, such as "Opening
// hours" or "Cost", so that free-text answers can be counted. Each
// consultation has its own themes; their counts appear in "You said" once
// the outcome is published.
type Theme struct {
	ID             int64
	ConsultationID int64
	Name           string
}

// MaxThemeName is the longest theme name, in characters: a theme is a
// short label, read in a table of counts.
const MaxThemeName = 60

// NormaliseThemeName trims a theme name and folds runs of spaces, so
// "Cost " and "Cost" are the same theme.
func NormaliseThemeName(s string) string { return strings.Join(strings.Fields(s), " ") }

// ValidateThemeName checks a theme's name against the consultation's other
// themes: it is required, at most MaxThemeName characters, and unique
// within the consultation, ignoring case. selfID is the theme being
// renamed (0 for a new one), so a theme may keep its own name. It returns a
// *ValidationError on field "theme_name", or nil.
func ValidateThemeName(name string, others []Theme, selfID int64) error {
	ve := &ValidationError{}
	name = NormaliseThemeName(name)
	ve.Text("theme_name", "Theme name", name, "Enter a name for the theme, like Opening hours", MaxThemeName)
	for _, t := range others {
		if t.ID != selfID && strings.EqualFold(t.Name, name) {
			ve.Add("theme_name", "This consultation already has a theme called ‘"+t.Name+"’")
		}
	}
	return ve.Err()
}

// TextAnswer is one resident's answer to a free-text question, as officers
// read it, with the themes it has been tagged with.
type TextAnswer struct {
	ResponseID int64
	QuestionID int64
	Receipt    string
	Channel    Channel
	Text       string
	CreatedAt  time.Time
	ThemeIDs   []int64
}

// Lines returns the answer's non-blank lines, so a page can show the
// breaks the resident typed without keeping their stray blank lines.
func (a TextAnswer) Lines() []string {
	var out []string
	for _, l := range strings.Split(a.Text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// HasTheme reports whether the answer is tagged with theme id.
func (a TextAnswer) HasTheme(id int64) bool {
	for _, t := range a.ThemeIDs {
		if t == id {
			return true
		}
	}
	return false
}

// AnswerQuery picks a page of the answers to one free-text question.
type AnswerQuery struct {
	QuestionID int64
	Search     string // answers containing this text, ignoring case; "" for all
	Offset     int
	Limit      int
}

// AnswerPage is one page of answers and how many match in all.
type AnswerPage struct {
	Answers []TextAnswer
	Total   int
}

// ThemeCount is how many answers to one question carry a theme.
type ThemeCount struct {
	Theme Theme
	Count int
}

// AnswerKey names one answer: a response's answer to a question.
type AnswerKey struct{ ResponseID, QuestionID int64 }

// ThemeStore keeps a consultation's themes and the tags on its free-text
// answers. Changes are audited in their own transaction, as Store's are.
type ThemeStore interface {
	// Themes lists a consultation's themes by name. It returns ErrNotFound.
	Themes(ctx context.Context, slug string) ([]Theme, error)
	// CreateTheme adds a theme and sets t.ID. It returns ErrNotFound or a
	// *ValidationError (ValidateThemeName).
	CreateTheme(ctx context.Context, slug string, t *Theme, actor string) error
	// RenameTheme renames a theme; its tags stay. It returns ErrNotFound
	// or a *ValidationError.
	RenameTheme(ctx context.Context, slug string, id int64, name, actor string) error
	// DeleteTheme removes a theme and every tag of it. It returns ErrNotFound.
	DeleteTheme(ctx context.Context, slug string, id int64, actor string) error
	// TextAnswers returns a page of the answers to a free-text question,
	// oldest first, with their themes. It returns ErrNotFound for an
	// unknown consultation or a question of it that is not free text.
	TextAnswers(ctx context.Context, slug string, q AnswerQuery) (*AnswerPage, error)
	// TagAnswers sets the themes of the answers to one question: each
	// response id maps to its full set of theme ids (empty: untagged).
	// Answers not named keep their themes. It returns ErrNotFound for an
	// unknown consultation, question, answer or theme, and changes nothing
	// then.
	TagAnswers(ctx context.Context, slug string, questionID int64, tags map[int64][]int64, actor string) error
	// ThemeCounts counts, per free-text question id, the answers carrying
	// each theme, most first; themes no answer carries are left out. It
	// returns ErrNotFound.
	ThemeCounts(ctx context.Context, slug string) (map[int64][]ThemeCount, error)
	// AnswerThemes returns the theme names of every tagged answer, each
	// list in name order, for the export. It returns ErrNotFound.
	AnswerThemes(ctx context.Context, slug string) (map[AnswerKey][]string, error)
}
