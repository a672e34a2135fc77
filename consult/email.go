package consult

import (
	"strings"

	"golang.org/x/net/idna"
)

// Email addresses are compared in one spelling, so that the block list
// and the one-response (and one-signature) rules cannot be passed by
// writing a domain another way: its international form and its punycode
// form, upper and lower case, full-width letters. The domain is mapped
// with UTS #46 (the lookup profile browsers use) to its ASCII form.
// Characters that cannot be seen, and dots that are not ASCII dots, are
// refused outright rather than mapped, so what a person typed is what is
// checked (see EmailHidden).

// NormaliseEmail trims and lower-cases an email address and puts its
// domain in its UTS #46 ASCII form, so that one person cannot respond twice
// by spelling it differently. A domain UTS #46 refuses is only lower-cased:
// the confirmation email is the real check of an address.
func NormaliseEmail(s string) string {
	e := strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return e
	}
	return e[:at+1] + ASCIIDomain(e[at+1:])
}

// ASCIIDomain is a domain's UTS #46 ASCII form, lower case, or the
// domain lower-cased when UTS #46 refuses it.
func ASCIIDomain(d string) string {
	d = strings.ToLower(strings.TrimSpace(d))
	if a, err := idna.Lookup.ToASCII(d); err == nil {
		return a
	}
	return d
}

// EmailHidden reports whether s holds a character a reader cannot see
// (a zero-width space or joiner, a soft hyphen, a byte-order mark, a
// bidirectional mark) or a dot that is not the ASCII dot (full-width,
// ideographic, halfwidth). UTS #46 would silently drop or map them, so
// two addresses that look different would count as one, and one that
// looks like a blocked domain would not be one; they are refused instead.
func EmailHidden(s string) bool {
	return strings.ContainsFunc(s, hiddenRune)
}

// hiddenRunes are the single invisible characters and look-alike dots
// EmailHidden refuses; hiddenRanges, the blocks of them (zero-width and
// directional marks, invisible operators, variation selectors).
const hiddenRunes = "\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u3164\ufeff\uffa0" +
	"\u3002\uff0e\uff61\u2024\ufe52"

var hiddenRanges = [][2]rune{{'\u200b', '\u200f'}, {'\u202a', '\u202e'}, {'\u2060', '\u206f'}, {'\ufe00', '\ufe0f'}}

func hiddenRune(r rune) bool {
	if strings.ContainsRune(hiddenRunes, r) {
		return true
	}
	for _, rg := range hiddenRanges {
		if rg[0] <= r && r <= rg[1] {
			return true
		}
	}
	return false
}
