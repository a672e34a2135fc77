//go:build browser

package browsertest

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// checkBothWidths checks the page as checkPage does (axe-core, then
// reflow at 320px) after drawing it at 1280px wide as well.
func checkBothWidths(t *testing.T, tb *tab, label string) {
	t.Helper()
	if err := tb.try(chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("%s: widen the viewport: %v", tb.name, err)
	}
	tb.settle()
	tb.checkPage(label + " at 1280px")
}

// TestCouncilSettingsAndLegalPages: an admin changes the council's
// settings, first with a bad ocid prefix (named, nothing saved), then
// correctly; the new council name heads every page and the privacy
// notice. The legal, contact and open data pages pass the checks.
func TestCouncilSettingsAndLegalPages(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)
	admin := b.newTab("admin")
	signIn(t, admin, demoAdmin, srv.Password)
	admin.clickAndLoad(`a[href="/admin/council/settings"]`)
	if h := admin.text("h1"); h != "Council settings" {
		t.Fatalf("the settings link opens %q", h)
	}
	checkBothWidths(t, admin, "council settings")

	admin.replace("#council_name", "Riverside District Council")
	admin.replace("#ocid_prefix", "oursay-1")
	admin.clickAndLoad(`form[action="/admin/council/settings"] button[type=submit]`)
	if !admin.exists(".govuk-error-summary") || !strings.Contains(admin.text("#ocid_prefix-error"), "ocds- followed by letters and digits") {
		t.Fatalf("a bad prefix: no error summary or field message on %s", admin.path())
	}
	if got := eval[string](admin, `document.querySelector("#council_name").value`); got != "Riverside District Council" {
		t.Errorf("the refused form lost the council name: %q", got)
	}
	checkBothWidths(t, admin, "council settings with an error")
	if strings.Contains(admin.text(".govuk-generic-header"), "Riverside") {
		t.Errorf("a refused form changed the header")
	}

	admin.replace("#ocid_prefix", "ocds-riv42")
	admin.clickAndLoad(`form[action="/admin/council/settings"] button[type=submit]`)
	if admin.exists(".govuk-error-summary") || !strings.Contains(admin.text(".govuk-notification-banner--success"), "Council settings saved") {
		t.Fatalf("the corrected form was not saved (%s)", admin.path())
	}

	public := b.newTab("resident")
	public.open("/")
	if h := public.text(".govuk-generic-header"); !strings.Contains(h, "Riverside District Council") {
		t.Errorf("the header says %q, want the new council name", h)
	}
	if title := eval[string](public, `document.title`); !strings.HasSuffix(title, "– OurSay – Riverside District Council") {
		t.Errorf("the page title is %q", title)
	}
	for _, p := range []struct{ link, h1 string }{
		{"/privacy", "Privacy notice"},
		{"/cookies", "Cookies"},
		{"/accessibility", "Accessibility statement for OurSay"},
		{"/contact", "Contact Riverside District Council"},
		{"/open-data", "Open data"},
	} {
		public.open("/")
		public.clickAndLoad(`footer a[href="` + p.link + `"]`)
		if h := public.text("h1"); h != p.h1 {
			t.Errorf("the footer's %s link opens %q, want %q", p.link, h, p.h1)
		}
		checkBothWidths(t, public, strings.TrimPrefix(p.link, "/"))
	}
	public.open("/privacy")
	if c := public.text("#controller"); !strings.Contains(c, "Riverside District Council is the data controller") {
		t.Errorf("the privacy notice names %q as controller", c)
	}
}
