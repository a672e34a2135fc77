package paper

import (
	"strings"

	"github.com/oursay/oursay/consult"
)

// Council is who issues a printed page and the non-digital route printed
// on it: the phone number to ask for a paper form and the address paper
// goes back to. The zero Council prints the service's own line instead.
type Council struct {
	Name    string
	Phone   string
	Address string // on one line
}

// CouncilOf is what a printed page says about the council in st.
func CouncilOf(st consult.Settings) Council {
	var lines []string
	for _, l := range strings.Split(st.Paper.PostalAddress, "\n") {
		if l = strings.TrimSpace(strings.TrimRight(l, ",")); l != "" {
			lines = append(lines, l)
		}
	}
	return Council{Name: st.CouncilName, Phone: st.Paper.Phone, Address: strings.Join(lines, ", ")}
}

// Route is the non-digital route in a sentence, or "" for the zero Council.
func (c Council) Route() string {
	if c.Phone == "" {
		return ""
	}
	s := "No internet? Phone " + c.Phone + " to take part on paper"
	if c.Address != "" {
		s += ", and post it to " + c.Address
	}
	return s + "."
}

// Footer is the line a poster ends with: the council and its route.
func (c Council) Footer() string {
	if c.Name == "" {
		return "OurSay: public consultation before any outsourcing, and a right to recall bad providers."
	}
	return strings.TrimSpace(c.Name + ". " + c.Route())
}
