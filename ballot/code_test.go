package ballot_test

import (
	"encoding/hex"
	"errors"
	"regexp"
	"testing"

	"github.com/oursay/oursay/ballot"
)

func TestGroupCode(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"ABCDEFGHJKLMNPQR", "ABCD-EFGH-JKLM-NPQR"},
		{"ABCDE", "ABCD-E"},
		{"ABCD", "ABCD"},
		{"A", "A"},
		{"", ""},
	} {
		if got := ballot.GroupCode(tc.in); got != tc.want {
			t.Errorf("GroupCode(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestParseCode(t *testing.T) {
	const want = "ABCDEFGHJKLMNPQR"
	for _, in := range []string{
		"ABCD-EFGH-JKLM-NPQR", "abcd efgh jklm npqr", "ABCDEFGHJKLMNPQR", " a-b-c-d-e-f-g-h-j-k-l-m-n-p-q-r ",
		"abcd\u00a0efgh\tjklm--npqr",
	} {
		if got, err := ballot.ParseCode(in); err != nil || got != want {
			t.Errorf("ParseCode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if got, err := ballot.ParseCode("2345-6789-WXYZ-STUV"); err != nil || got != "23456789WXYZSTUV" {
		t.Errorf("digits and the end of the alphabet: got %q, %v", got, err)
	}
	for _, in := range []string{
		"", "ABCD-EFGH-JKLM-NPQ", "ABCD-EFGH-JKLM-NPQRS", "ABCD-EFGH-JKLM-NPQRSTUVWXYZ",
		"OBCD-EFGH-JKLM-NPQR", "0BCD-EFGH-JKLM-NPQR", "IBCD-EFGH-JKLM-NPQR", "1BCD-EFGH-JKLM-NPQR",
		"ABCD_EFGH_JKLM_NPQR", "ABCD.EFGH.JKLM.NPQR",
		"ŁBCD-EFGH-JKLM-NPQR", // U+0141: its low byte is 'A'
		"ŁBCD-EFGH-JKLM-NPQ",  // and 16 bytes long
		"ÁBCD-EFGH-JKLM-NPQR",
	} {
		if got, err := ballot.ParseCode(in); !errors.Is(err, ballot.ErrCodeFormat) || got != "" {
			t.Errorf("ParseCode(%q) = %q, %v; want ErrCodeFormat", in, got, err)
		}
	}
}

// TestHashCode checks known answers worked out apart from the code:
// HMAC-SHA256 under the key of the ballot id as 8 big-endian bytes, then
// the code (Python's hmac with struct.pack(">q", id)).
func TestHashCode(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	for _, tc := range []struct {
		id   int64
		code string
		want string
	}{
		{7, "ABCDEFGHJKLMNPQR", "b107da909b7c0d4a197b4b9d55ba3e01c03aa8d7ee60e34ca631c3c3674bfeac"},
		{-2, "ABCDEFGHJKLMNPQR", "b43b5ba9582766e82daf1df005bb6a2d51b911e956a1bd8851df6b5daba07da2"},
		{0x0102030405060708, "23456789ABCDEFGH", "64a8909576a3b29cbb7663bf5ee9e1432be210491411bf4df5f28494d33f4677"},
	} {
		if got := hex.EncodeToString(ballot.HashCode(key, tc.id, tc.code)); got != tc.want {
			t.Errorf("HashCode(%d, %s) = %s, want %s", tc.id, tc.code, got, tc.want)
		}
	}
}

var receiptShape = regexp.MustCompile(`^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$`)

func TestNewCodeAndReceipt(t *testing.T) {
	seen := map[string]bool{}
	for range 2000 {
		c := ballot.NewCode()
		if got, err := ballot.ParseCode(c); err != nil || got != c {
			t.Fatalf("NewCode() = %q is not a canonical code: %q, %v", c, got, err)
		}
		r := ballot.NewReceipt()
		if !receiptShape.MatchString(r) {
			t.Fatalf("NewReceipt() = %q, want XXXX-XXXX-XXXX from the code alphabet", r)
		}
		if seen[c] || seen[r] {
			t.Fatalf("%q or %q drawn twice", c, r)
		}
		seen[c], seen[r] = true, true
	}
}

func TestTopics(t *testing.T) {
	if got := ballot.PetitionTopic(42); got != "petition:42" {
		t.Errorf("PetitionTopic(42) = %q", got)
	}
	if got := ballot.BallotTopic(-7); got != "ballot:-7" {
		t.Errorf("BallotTopic(-7) = %q", got)
	}
}

func TestValidationError(t *testing.T) {
	var none *ballot.ValidationError
	if none.Err() != nil || (&ballot.ValidationError{}).Err() != nil {
		t.Fatal("an empty ValidationError is not nil")
	}
	ve := &ballot.ValidationError{}
	ve.Add("title", "Enter a title")
	ve.Add("email", "Enter an email")
	ve.Add("title", "a second message")
	if ve.Err() == nil {
		t.Fatal("Err() = nil with two messages")
	}
	if got, want := ve.Error(), "invalid input: email: Enter an email; title: Enter a title"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
