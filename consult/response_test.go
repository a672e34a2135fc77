package consult_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/oursay/oursay/consult"
)

// fourKinds returns an open consultation with one question of each kind:
// 1 single (options 11, 12), 2 multiple (21, 22, 23), 3 scale, 4 text.
// Every question is required unless optional is true.
func fourKinds(optional bool) *consult.Consultation {
	req := !optional
	return &consult.Consultation{
		Status:   consult.StatusOpen,
		Audience: consult.AudienceAnyone,
		Questions: []consult.Question{
			{ID: 1, Kind: consult.KindSingle, Prompt: "Who should run it?", Required: req,
				Options: []consult.Option{{ID: 11, Label: "Council"}, {ID: 12, Label: "Contractor"}}},
			{ID: 2, Kind: consult.KindMultiple, Prompt: "Which matter?", Required: req,
				Options: []consult.Option{{ID: 21, Label: "Cost"}, {ID: 22, Label: "Quality"}, {ID: 23, Label: "Jobs"}}},
			{ID: 3, Kind: consult.KindScale, Prompt: "Keep it in house", Required: req},
			{ID: 4, Kind: consult.KindText, Prompt: "Anything else?", Required: req},
		},
	}
}

// fullAnswers answers every question of fourKinds validly.
func fullAnswers() map[int64]consult.Answer {
	return map[int64]consult.Answer{
		1: {OptionIDs: []int64{11}},
		2: {OptionIDs: []int64{21, 23}},
		3: {Scale: 4},
		4: {Text: "Keep the rangers"},
	}
}

func TestValidateResponse(t *testing.T) {
	tests := []struct {
		name     string
		optional bool
		change   func(*consult.Response)
		want     map[string]string // field → exact message; nil for valid
	}{
		{name: "OK", change: func(r *consult.Response) {}},
		{name: "RequiredMissing", change: func(r *consult.Response) { r.Answers = nil }, want: map[string]string{
			"q1": "Select an answer to 'Who should run it?'", "q2": "Select at least one answer to 'Which matter?'",
			"q3": "Select how far you agree with 'Keep it in house'", "q4": "Enter your answer to 'Anything else?'",
		}},
		{name: "RequiredBlankText", change: func(r *consult.Response) { r.Answers[4] = consult.Answer{Text: " \n "} },
			want: map[string]string{"q4": "Enter your answer to 'Anything else?'"}},
		{name: "OptionalEmpty", optional: true, change: func(r *consult.Response) { r.Answers = nil }},
		{name: "OptionalEmptyAnswers", optional: true, change: func(r *consult.Response) {
			r.Answers = map[int64]consult.Answer{1: {}, 2: {OptionIDs: []int64{}}, 3: {}, 4: {Text: ""}}
		}},
		{name: "SingleTwoIDs", change: func(r *consult.Response) { r.Answers[1] = consult.Answer{OptionIDs: []int64{11, 12}} },
			want: map[string]string{"q1": "Select one of the options"}},
		{name: "SingleUnknownID", change: func(r *consult.Response) { r.Answers[1] = consult.Answer{OptionIDs: []int64{21}} },
			want: map[string]string{"q1": "Select one of the options"}},
		{name: "SingleWithText", change: func(r *consult.Response) { r.Answers[1] = consult.Answer{OptionIDs: []int64{11}, Text: "x"} },
			want: map[string]string{"q1": "Select one of the options"}},
		{name: "MultipleOne", change: func(r *consult.Response) { r.Answers[2] = consult.Answer{OptionIDs: []int64{22}} }},
		{name: "MultipleDuplicate", change: func(r *consult.Response) { r.Answers[2] = consult.Answer{OptionIDs: []int64{21, 21}} },
			want: map[string]string{"q2": "Select only options from the list, each once"}},
		{name: "MultipleUnknownID", change: func(r *consult.Response) { r.Answers[2] = consult.Answer{OptionIDs: []int64{21, 11}} },
			want: map[string]string{"q2": "Select only options from the list, each once"}},
		{name: "MultipleWithText", change: func(r *consult.Response) {
			r.Answers[2] = consult.Answer{OptionIDs: []int64{21}, Text: "and parks"}
		}, want: map[string]string{"q2": "Select options from the list"}},
		{name: "MultipleWithScale", change: func(r *consult.Response) { r.Answers[2] = consult.Answer{OptionIDs: []int64{21}, Scale: 2} },
			want: map[string]string{"q2": "Select options from the list"}},
		{name: "MultipleOnlyText", optional: true, change: func(r *consult.Response) { r.Answers[2] = consult.Answer{Text: "parks"} },
			want: map[string]string{"q2": "Select options from the list"}},
		{name: "SingleWithScale", change: func(r *consult.Response) { r.Answers[1] = consult.Answer{OptionIDs: []int64{11}, Scale: 1} },
			want: map[string]string{"q1": "Select one of the options"}},
		{name: "ScaleWithOption", change: func(r *consult.Response) { r.Answers[3] = consult.Answer{Scale: 3, OptionIDs: []int64{11}} },
			want: map[string]string{"q3": "Choose a point from strongly disagree to strongly agree"}},
		{name: "ScaleWithText", change: func(r *consult.Response) { r.Answers[3] = consult.Answer{Scale: 3, Text: "yes"} },
			want: map[string]string{"q3": "Choose a point from strongly disagree to strongly agree"}},
		{name: "TextWithOption", change: func(r *consult.Response) { r.Answers[4] = consult.Answer{Text: "x", OptionIDs: []int64{11}} },
			want: map[string]string{"q4": "Enter your answer as text"}},
		{name: "Scale1", change: func(r *consult.Response) { r.Answers[3] = consult.Answer{Scale: 1} }},
		{name: "Scale5", change: func(r *consult.Response) { r.Answers[3] = consult.Answer{Scale: 5} }},
		{name: "Scale0Required", change: func(r *consult.Response) { r.Answers[3] = consult.Answer{Scale: 0} },
			want: map[string]string{"q3": "Select how far you agree with 'Keep it in house'"}},
		{name: "Scale6", change: func(r *consult.Response) { r.Answers[3] = consult.Answer{Scale: 6} },
			want: map[string]string{"q3": "Choose a point from strongly disagree to strongly agree"}},
		{name: "ScaleNegative", optional: true, change: func(r *consult.Response) { r.Answers[3] = consult.Answer{Scale: -1} },
			want: map[string]string{"q3": "Choose a point from strongly disagree to strongly agree"}},
		{name: "Text5000Chars", change: func(r *consult.Response) { r.Answers[4] = consult.Answer{Text: strings.Repeat("é", 5000)} }},
		{name: "Text5001Chars", change: func(r *consult.Response) { r.Answers[4] = consult.Answer{Text: strings.Repeat("é", 5001)} },
			want: map[string]string{"q4": "Your answer must be 5,000 characters or fewer"}},
		{name: "TextInvalidUTF8", change: func(r *consult.Response) { r.Answers[4] = consult.Answer{Text: "caf\xe9"} },
			want: map[string]string{"q4": "Your answer contains characters that cannot be read"}},
		{name: "TextWithScale", change: func(r *consult.Response) { r.Answers[4] = consult.Answer{Text: "x", Scale: 3} },
			want: map[string]string{"q4": "Enter your answer as text"}},
		{name: "UnknownQuestion", change: func(r *consult.Response) { r.Answers[99] = consult.Answer{Text: "x"} },
			want: map[string]string{"answers": "An answer was given to a question this consultation does not have"}},
		{name: "PaperWithSerial", change: func(r *consult.Response) { r.Channel, r.PaperSerial = consult.ChannelPaper, "P-0001" }},
		{name: "PaperWithoutSerial", change: func(r *consult.Response) { r.Channel, r.PaperSerial = consult.ChannelPaper, " " },
			want: map[string]string{"paper_serial": "Enter the serial number printed on the paper form"}},
		{name: "UnknownChannel", change: func(r *consult.Response) { r.Channel = "fax" },
			want: map[string]string{"channel": "Unknown channel"}},
		{name: "EmailAndPostcodeGiven", change: func(r *consult.Response) { r.Email, r.Postcode = "jo@example.org", "sw1a1aa" }},
		{name: "EmailAndPostcodeMalformed", change: func(r *consult.Response) { r.Email, r.Postcode = "jo at example", "ZZ9" },
			want: map[string]string{"email": "Enter an email address in the correct format, like name@example.com",
				"postcode": "Enter a real UK postcode, like SW1A 1AA"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := fourKinds(tt.optional)
			r := &consult.Response{Channel: consult.ChannelOnline, Answers: fullAnswers()}
			tt.change(r)
			got := fields(t, consult.ValidateResponse(c, r))
			if len(got) != len(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			for f, msg := range tt.want {
				if got[f] != msg {
					t.Errorf("%s: got %q, want %q", f, got[f], msg)
				}
			}
		})
	}
}

func TestValidateResponse_Residents(t *testing.T) {
	c := fourKinds(true)
	c.Audience = consult.AudienceResidents
	t.Run("NoPostcode", func(t *testing.T) {
		r := &consult.Response{Channel: consult.ChannelOnline}
		wantFields(t, consult.ValidateResponse(c, r), "postcode")
	})
	t.Run("OK", func(t *testing.T) {
		r := &consult.Response{Channel: consult.ChannelOnline, Postcode: "SW1A 1AA"}
		if err := consult.ValidateResponse(c, r); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	})
	t.Run("AnyoneNeedsNoPostcode", func(t *testing.T) {
		c := fourKinds(true)
		r := &consult.Response{Channel: consult.ChannelOnline}
		if err := consult.ValidateResponse(c, r); err != nil {
			t.Fatalf("got %v, want nil", err)
		}
	})
}

// A consultation for code holders needs a code online; paper forms are
// entered by staff and carry none.
func TestValidateResponse_Code(t *testing.T) {
	c := fourKinds(true)
	c.Audience = consult.AudienceCode
	for _, tc := range []struct {
		name   string
		r      consult.Response
		fields []string
	}{
		{"OnlineWithCode", consult.Response{Channel: consult.ChannelOnline, CodeHash: []byte{1}}, nil},
		{"OnlineWithoutCode", consult.Response{Channel: consult.ChannelOnline}, []string{"code"}},
		{"PaperWithoutCode", consult.Response{Channel: consult.ChannelPaper, PaperSerial: "P-0001"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantFields(t, consult.ValidateResponse(c, &tc.r), tc.fields...)
		})
	}
}

func TestNormalisePostcode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"sw1a1aa", "SW1A 1AA"},
		{" ec1a 1bb ", "EC1A 1BB"},
		{"SW1A 1AA", "SW1A 1AA"},
		{"m1 1ae", "M1 1AE"},
		{"B33 8TH", "B33 8TH"},
		{"cr2\t6xh", "CR2 6XH"},
		{"DN55 1PT", "DN55 1PT"},
		{"12345", ""},
		{"", ""},
		{"SW1A 1A", ""},
		{"SW1A 1AAA", ""},
		{"SW1A-1AA", ""},
		{"1W1A 1AA", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := consult.NormalisePostcode(tt.in); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNormaliseEmail(t *testing.T) {
	tests := []struct{ in, want string }{
		{"jo@example.com", "jo@example.com"},
		{"  Jo.Bloggs@Example.COM\n", "jo.bloggs@example.com"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := consult.NormaliseEmail(tt.in); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNewReceipt(t *testing.T) {
	// Three groups of four, from an alphabet without 0/O, 1/I/L.
	format := regexp.MustCompile(`^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$`)
	seen := make(map[string]bool, 10000)
	for range 10000 {
		r := consult.NewReceipt()
		if !format.MatchString(r) {
			t.Fatalf("got %q, want the form XXXX-XXXX-XXXX without 0, O, 1, I or L", r)
		}
		if seen[r] {
			t.Fatalf("got %q twice in %d draws, want every receipt unique", r, len(seen))
		}
		seen[r] = true
	}
}

// TestValidateResponse_MessageQuotesTheQuestion: a required question left
// unanswered is named in its message, without its closing full stop.
func TestValidateResponse_MessageQuotesTheQuestion(t *testing.T) {
	c := &consult.Consultation{Questions: []consult.Question{
		{ID: 7, Kind: consult.KindScale, Prompt: " Keep the parks service in house. ", Required: true},
	}}
	got := fields(t, consult.ValidateResponse(c, &consult.Response{}))
	if got, want := got["q7"], "Select how far you agree with 'Keep the parks service in house'"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestNewReceipt_EverySymbolDrawn: over many receipts every one of the 31
// symbols turns up about equally often, so no part of the alphabet is
// dropped or favoured (10,000 receipts give 120,000 symbols, about 3,871
// each; each must fall within a quarter of that).
func TestNewReceipt_EverySymbolDrawn(t *testing.T) {
	counts := map[rune]int{}
	for range 10000 {
		for _, c := range consult.NewReceipt() {
			if c != '-' {
				counts[c]++
			}
		}
	}
	const alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
	if len(counts) != len(alphabet) {
		t.Fatalf("got %d symbols, want the %d of %s", len(counts), len(alphabet), alphabet)
	}
	for _, c := range alphabet {
		if n := counts[c]; n < 2903 || n > 4839 {
			t.Errorf("%c drawn %d times, want about 3,871", c, n)
		}
	}
}

// TestEmailLooksValid: the light syntax check at its edges, with lengths
// and positions counted by hand.
func TestEmailLooksValid(t *testing.T) {
	long := strings.Repeat("a", 246) + "@b.co.uk" // 254 characters
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"ann@example.org", true},
		{"  ann@example.org  ", true},
		{long, true},
		{long + "k", false},         // 255 characters
		{"@example.org", false},     // nothing before the @
		{"a@b.co", true},            // the @ at index 1
		{"abc@d.e", true},           // three characters after the @
		{"abc@.d", false},           // two after the @: at == len-3
		{"ann@exampleorg", false},   // no dot after the @
		{"ann.smith@org", false},    // the dot is before the @ only
		{"ann @example.org", false}, // a space inside
		{"ann@example.org;x", false},
		{"<ann@example.org>", false},
		{"\"ann\"@example.org", false},
		{"ann@b@example.org", true}, // the last @ is the one checked
	} {
		if got := consult.EmailLooksValid(tc.in); got != tc.want {
			t.Errorf("EmailLooksValid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
