package ballot_test

import (
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
)

// A consultation counts as held before a contract when it began before the
// contract's start date: its opening time, or its publication without one.
func TestConsultedBefore(t *testing.T) {
	c := &ballot.Contract{ID: 7, StartsOn: ymd(2027, 4, 1)}
	at := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) }
	for _, tc := range []struct {
		name string
		cons consult.Consultation
		want bool
	}{
		{"opened before", consult.Consultation{ContractID: 7, OpensAt: at(2027, 1, 5)}, true},
		{"opened on the start day", consult.Consultation{ContractID: 7, OpensAt: at(2027, 4, 1)}, false},
		{"no opening time, published before", consult.Consultation{ContractID: 7, CreatedAt: at(2026, 11, 1)}, true},
		{"opened after, created before", consult.Consultation{ContractID: 7, OpensAt: at(2027, 5, 1), CreatedAt: at(2026, 11, 1)}, false},
		{"another contract's", consult.Consultation{ContractID: 8, OpensAt: at(2027, 1, 5)}, false},
	} {
		if got := ballot.ConsultedBefore(c, &tc.cons); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
