package ballot

import (
	"github.com/oursay/oursay/consult"
)

// ConsultedBefore reports whether consultation cons was held before
// contract c was let: it began (opened, or was published when it has no
// opening time) before the contract's start date. A contract with no such
// consultation is marked "no public consultation before this contract".
func ConsultedBefore(c *Contract, cons *consult.Consultation) bool {
	began := cons.OpensAt
	if began.IsZero() {
		began = cons.CreatedAt
	}
	return cons.ContractID == c.ID && !began.IsZero() && began.Before(c.StartsOn)
}
