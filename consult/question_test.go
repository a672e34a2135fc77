package consult_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// opts makes options labelled as given, with ids 1, 2, 3...
func opts(labels ...string) []consult.Option {
	out := make([]consult.Option, len(labels))
	for i, l := range labels {
		out[i] = consult.Option{ID: int64(i + 1), Label: l}
	}
	return out
}

func TestQuestion_Validate(t *testing.T) {
	twenty := make([]string, 20)
	for i := range twenty {
		twenty[i] = "Option " + strconv.Itoa(i+1)
	}
	tests := []struct {
		name string
		q    consult.Question
		want []string
	}{
		{"SingleOK", consult.Question{Kind: consult.KindSingle, Prompt: "Which?", Options: opts("Yes", "No")}, nil},
		{"MultipleTwentyOptions", consult.Question{Kind: consult.KindMultiple, Prompt: "Which?", Options: opts(twenty...)}, nil},
		{"SingleNoOptions", consult.Question{Kind: consult.KindSingle, Prompt: "Which?"}, []string{"options"}},
		{"SingleOneOption", consult.Question{Kind: consult.KindSingle, Prompt: "Which?", Options: opts("Yes")}, []string{"options"}},
		{"MultipleTwentyOneOptions", consult.Question{Kind: consult.KindMultiple, Prompt: "Which?", Options: opts(append(twenty, "One more")...)}, []string{"options"}},
		{"BlankOption", consult.Question{Kind: consult.KindSingle, Prompt: "Which?", Options: opts("Yes", "  ")}, []string{"options"}},
		{"DuplicateOption", consult.Question{Kind: consult.KindMultiple, Prompt: "Which?", Options: opts("Parks", "Roads", " PARKS ")}, []string{"options"}},
		{"OptionTooLong", consult.Question{Kind: consult.KindSingle, Prompt: "Which?", Options: opts("Yes", strings.Repeat("é", 201))}, []string{"options"}},
		{"Option200Chars", consult.Question{Kind: consult.KindSingle, Prompt: "Which?", Options: opts("Yes", strings.Repeat("é", 200))}, nil},
		{"ScaleOK", consult.Question{Kind: consult.KindScale, Prompt: "Agree?"}, nil},
		{"ScaleWithOptions", consult.Question{Kind: consult.KindScale, Prompt: "Agree?", Options: opts("Yes", "No")}, []string{"options"}},
		{"TextOK", consult.Question{Kind: consult.KindText, Prompt: "Why?", Hint: "Tell us more"}, nil},
		{"TextWithOptions", consult.Question{Kind: consult.KindText, Prompt: "Why?", Options: opts("Yes", "No")}, []string{"options"}},
		{"UnknownKind", consult.Question{Kind: "ranking", Prompt: "Rank"}, []string{"kind"}},
		{"NoPrompt", consult.Question{Kind: consult.KindText, Prompt: " "}, []string{"prompt"}},
		{"PromptTooLong", consult.Question{Kind: consult.KindText, Prompt: strings.Repeat("é", 501)}, []string{"prompt"}},
		{"Hint1000Chars", consult.Question{Kind: consult.KindText, Prompt: "Why?", Hint: strings.Repeat("é", 1000)}, nil},
		{"HintTooLong", consult.Question{Kind: consult.KindText, Prompt: "Why?", Hint: strings.Repeat("é", 1001)}, []string{"hint"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFields(t, tt.q.Validate(), tt.want...)
		})
	}
}

func TestParseOptions(t *testing.T) {
	got := consult.ParseOptions("Yes\r\n\n  No  \n\t\nNot sure")
	want := []string{"Yes", "No", "Not sure"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Label != want[i] {
			t.Errorf("option %d: got %q, want %q", i, got[i].Label, want[i])
		}
	}
}
