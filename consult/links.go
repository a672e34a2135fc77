package consult

// Links builds the site's URLs that consultation mail carries, from the
// site's base URL (no trailing slash). The paths are the web package's
// routes; only the domain spells them, so db stores mail without knowing
// the site's layout.
type Links struct {
	Base string
}

// Consultation is a consultation's public page.
func (l Links) Consultation(slug string) string { return l.Base + "/consultations/" + slug }
