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
	return strings.ContainsFunc(s, func(r rune) bool {
		switch {
		case r == '\u00ad', r == '\u034f', r == '\u061c', r == '\u115f', r == '\u1160', r == '\u17b4', r == '\u17b5',
			r == '\u180e', r >= '\u200b' && r <= '\u200f', r >= '\u202a' && r <= '\u202e', r >= '\u2060' && r <= '\u206f',
			r == '\u3164', r == '\ufeff', r == '\uffa0', r >= '\ufe00' && r <= '\ufe0f':
			return true
		case r == '\u3002', r == '\uff0e', r == '\uff61', r == '\u2024', r == '\ufe52':
			return true
		}
		return false
	})
}
