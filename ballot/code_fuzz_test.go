package ballot_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/oursay/oursay/ballot"
)

// FuzzParseCode checks the parser against what people type from a letter:
// any result is a canonical code that re-parses to itself, and a genuine
// code survives spaces, dashes and lower case, while a look-alike
// character (O, 0, I, 1) is refused rather than guessed.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{
		"ABCD-EFGH-JKLM-NPQR", "abcd efgh jklm npqr", "ABCDEFGHJKLMNPQR", " a-b-c-d-e-f-g-h-j-k-l-m-n-p-q-r ",
		"ABCD-EFGH-JKLM-NPQ0", "OBCD-EFGH-JKLM-NPQR", "1BCD-EFGH-JKLM-NPQR", "IBCD-EFGH-JKLM-NPQR",
		"ABCD-EFGH-JKLM", "ABCD-EFGH-JKLM-NPQR-S", "", "ÅBCD-EFGH-JKLM-NPQR", "abcd\u00a0efgh\tjklm npqr",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ballot.ParseCode(s)
		if err != nil {
			if !errors.Is(err, ballot.ErrCodeFormat) {
				t.Fatalf("ParseCode(%q): error %v is not ErrCodeFormat", s, err)
			}
			return
		}
		if len(got) != ballot.CodeLength {
			t.Fatalf("ParseCode(%q) = %q: length %d", s, got, len(got))
		}
		for _, r := range got {
			if !strings.ContainsRune(ballot.CodeAlphabet, r) {
				t.Fatalf("ParseCode(%q) = %q: %q is not in the alphabet", s, got, r)
			}
		}
		if strings.ContainsAny(strings.ToUpper(s), "O0I1") {
			t.Fatalf("ParseCode(%q) accepted a look-alike character", s)
		}
		// The same code typed differently parses the same.
		for _, v := range []string{ballot.GroupCode(got), strings.ToLower(got), " " + strings.Join(strings.Split(got, ""), " ") + " "} {
			if again, err := ballot.ParseCode(v); err != nil || again != got {
				t.Fatalf("ParseCode(%q) = %q, %v; want %q", v, again, err, got)
			}
		}
	})
}
