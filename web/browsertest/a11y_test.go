//go:build browser

package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeTags are the rule sets for WCAG 2.2 AA, which UK public sector sites
// must meet.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

type axeViolation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  string `json:"target"`
		HTML    string `json:"html"`
		Summary string `json:"summary"`
	} `json:"nodes"`
}

// axe injects axe-core into the page and runs it. Both go through
// Runtime.evaluate, which the page's Content-Security-Policy (script-src
// 'self', no inline script, no eval) does not govern; the page's own
// scripts are still held to it.
func (tb *tab) axe() ([]axeViolation, error) {
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if err != nil {
		return nil, err
	}
	if !loaded {
		if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
			return nil, fmt.Errorf("injecting axe-core: %w", err)
		}
	}
	tags, _ := json.Marshal(axeTags)
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
		.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: n.target.flat(Infinity).join(" "), html: n.html, summary: n.failureSummary || ""}))})))`
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]axeViolation](script, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("running axe-core: %w", err)
	}
	return vs, nil
}

// formatViolations names each rule and each element it failed on.
func formatViolations(vs []axeViolation) string {
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n  rule %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    element %s\n      %s", n.Target, short(n.HTML))
			if n.Summary != "" {
				fmt.Fprintf(&b, "\n      %s", strings.ReplaceAll(n.Summary, "\n", "\n      "))
			}
		}
	}
	return b.String()
}

// reflowJS reports what sticks out past the right edge of a narrow viewport:
// nothing when the page has no horizontal scroll (WCAG 1.4.10 Reflow).
const reflowJS = `(() => {
	const d = document.documentElement, cw = d.clientWidth;
	if (d.scrollWidth <= cw) return [];
	const name = e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") +
		(typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "");
	const out = [];
	for (const e of document.body.querySelectorAll("*")) {
		const r = e.getBoundingClientRect();
		if (r.width === 0 || r.right <= cw + 1) continue;
		if ([...e.children].some(c => c.getBoundingClientRect().right > cw + 1)) continue;
		out.push(name(e) + " reaches " + Math.round(r.right) + "px");
		if (out.length >= 8) break;
	}
	out.unshift("page is " + d.scrollWidth + "px wide in a " + cw + "px viewport");
	return out;
})()`

// checkPage runs axe-core on the page as it is, then narrows the viewport
// to 320 CSS pixels and checks that nothing scrolls sideways. Each problem
// is a test error naming the rule and element; the page is saved. With
// OURSAY_BROWSER_SHOTS set, every checked page is saved at 1280px and
// 320px, so that a person can look at each journey (browser-artifacts/).
func (tb *tab) checkPage(label string) bool {
	tb.t.Helper()
	loc := tb.location()
	ok := true
	vs, err := tb.axe()
	switch {
	case err != nil:
		tb.t.Errorf("%s: axe-core on %s (%s): %v", tb.name, loc, label, err)
		ok = false
	case len(vs) > 0:
		tb.t.Errorf("%s: %d accessibility rule(s) failed on %s (%s):%s", tb.name, len(vs), loc, label, formatViolations(vs))
		ok = false
	}
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	shots := os.Getenv("OURSAY_BROWSER_SHOTS") != ""
	if shots {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err == nil {
			tb.saveArtifacts(safeName(label) + "-1280")
		}
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(320, 640)); err != nil {
		tb.t.Fatalf("%s: narrow the viewport: %v", tb.name, err)
	}
	over, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](reflowJS))
	if err != nil {
		tb.t.Errorf("%s: reflow check on %s: %v", tb.name, loc, err)
		ok = false
	} else if len(over) > 0 {
		tb.t.Errorf("%s: %s (%s) scrolls sideways at 320px: %s", tb.name, loc, label, strings.Join(over, "; "))
		ok = false
	}
	if !ok || shots {
		tb.saveArtifacts(safeName(label) + "-320")
	}
	if err := tb.try(chromedp.EmulateViewport(1024, 800)); err != nil {
		tb.t.Fatalf("%s: restore viewport: %v", tb.name, err)
	}
	return ok
}

// crawl opens every seed, checks it, and follows the same-site links it
// finds (those follow allows), up to max pages. It returns the paths
// visited.
func crawl(t *testing.T, tb *tab, seeds []string, follow func(path string) bool, max int) map[string]bool {
	t.Helper()
	visited := map[string]bool{}
	shapes := map[string]int{}
	queue := append([]string(nil), seeds...)
	isSeed := map[string]bool{}
	for _, s := range seeds {
		isSeed[s] = true
	}
	base, _ := url.Parse(tb.b.srv.URL)
	for len(queue) > 0 && len(visited) < max {
		p := queue[0]
		queue = queue[1:]
		if visited[p] {
			continue
		}
		// Many pages of one shape (petition 1, 2, …) add little: a few do.
		shape := digitsRE.ReplaceAllString(p, "N")
		if !isSeed[p] && shapes[shape] >= 3 {
			continue
		}
		shapes[shape]++
		visited[p] = true
		ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
		res, err := chromedp.Run(ctx, chromedp.NavigateResponse(tb.b.srv.URL+p))
		cancel()
		if err != nil {
			t.Errorf("open %s: %v", p, err)
			continue
		}
		final := tb.path()
		switch {
		case res.Status >= 500:
			t.Errorf("%s answered %d", p, res.Status)
			tb.saveArtifacts("status-" + safeName(p))
		case isSeed[p] && res.Status != http.StatusOK && p != notFoundPath:
			t.Errorf("%s answered %d (at %s), want 200", p, res.Status, final)
		case res.Status == http.StatusNotFound && p != notFoundPath:
			t.Errorf("%s, linked from a checked page, answered 404", p)
		}
		if res.MimeType != "text/html" {
			t.Errorf("%s is %s (%d), not a page: the crawl follows only links to pages", p, res.MimeType, res.Status)
			continue
		}
		tb.checkPage(p)
		links := eval[[]string](tb, `[...document.querySelectorAll("a[href]")].filter(a => !a.hasAttribute("download")).map(a => a.href)`)
		for _, l := range links {
			u, err := url.Parse(l)
			if err != nil || u.Host != base.Host {
				continue
			}
			u.Fragment = ""
			next := u.RequestURI()
			if !visited[next] && follow(u.Path) {
				queue = append(queue, next)
			}
		}
	}
	return visited
}

var digitsRE = regexp.MustCompile(`[0-9]+`)

const notFoundPath = "/consultations/no-such-consultation"

// skipPath leaves out what is not an HTML page: JSON, files, the websocket.
func skipPath(p string) bool {
	for _, pre := range []string{"/api/", "/static/", "/live", "/healthz", "/admin/signout"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	for _, suf := range []string{".csv", ".pdf", ".png", ".svg", ".json", ".txt"} {
		if strings.HasSuffix(p, suf) {
			return true
		}
	}
	return false
}

// TestAccessibilityEveryPage runs axe-core (WCAG 2.2 AA) and the 320px
// reflow check on every public page and every council page the demo
// reaches: the listed ones, and whatever they link to. Pages that only a
// journey reaches (thanks, check your email, confirmations, forms with
// errors, draft and closed consultations) are checked in those journeys.
func TestAccessibilityEveryPage(t *testing.T) {
	srv := startServer(t)
	b := newBrowser(t, srv)

	public := []string{"/", "/consultations", "/consultations/parks-maintenance", "/consultations/library-opening-hours",
		"/consultations/waste-collection", "/petitions", "/petitions/1", "/petitions/2", "/petitions/new",
		"/contracts", "/contracts/1", "/contracts/2", "/contracts/3", "/contracts/4", "/accountability", "/ballots/2", "/accessibility", "/admin/signin", "/ballots", "/ballots/1", "/vote",
		notFoundPath}
	// (A ballot's receipts page answers 409 until it closes; the crawl
	// still checks it if a page links to it.)
	admin := []string{"/admin/", "/admin/consultations/new", "/admin/consultations/parks-maintenance",
		"/admin/consultations/parks-maintenance/paper", "/admin/consultations/waste-collection",
		"/admin/petitions", "/admin/petitions/1", "/admin/petitions/2", "/admin/contracts", "/admin/contracts/new",
		"/admin/contracts/1/edit", "/admin/council", "/admin/outbox", "/admin/audit", "/admin/ballots", "/admin/ballots/1"}

	anon := b.newTab("resident")
	seen := crawl(t, anon, public, func(p string) bool {
		return !skipPath(p) && (!strings.HasPrefix(p, "/admin/") || p == "/admin/signin")
	}, 120)

	staff := newBrowser(t, srv).newTab("officer")
	signIn(t, staff, demoAdmin, srv.Password)
	for p := range crawl(t, staff, admin, func(p string) bool {
		return !skipPath(p) && strings.HasPrefix(p, "/admin/")
	}, 120) {
		seen[p] = true
	}
	paths := make([]string, 0, len(seen))
	for p := range seen {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	t.Logf("checked %d pages: %s", len(paths), strings.Join(paths, " "))
}

// signIn signs a council officer in through the form.
func signIn(t *testing.T, tb *tab, email, password string) {
	t.Helper()
	tb.open("/admin/signin")
	tb.typeInto("#email", email)
	tb.typeInto("#password", password)
	tb.clickAndLoad("form[action='/admin/signin'] button[type=submit]")
	if got := tb.path(); !strings.HasPrefix(got, "/admin/") || got == "/admin/signin" {
		t.Fatalf("signing in as %s ended on %s, want the council dashboard", email, got)
	}
}

// TestAxeInjectionLeavesCSPInForce checks the premise of the axe-core
// checks: the test's scripts, sent through the DevTools protocol, run
// although the Content-Security-Policy allows no inline script, while the
// page itself is still held to the policy.
func TestAxeInjectionLeavesCSPInForce(t *testing.T) {
	srv := startServer(t)
	tb := newBrowser(t, srv).newTab("resident")
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(srv.URL+"/"))
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	csp, _ := res.Headers["Content-Security-Policy"].(string)
	if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("Content-Security-Policy %q: want script-src 'self' without unsafe-inline", csp)
	}
	// An inline script the page adds is refused...
	blocked := eval[bool](tb, `(() => {
		window.__inlineRan = false;
		const s = document.createElement("script");
		s.textContent = "window.__inlineRan = true";
		document.head.appendChild(s);
		return window.__inlineRan === false;
	})()`)
	if !blocked {
		t.Fatal("an inline script ran: the CSP is not in force, so this test proves nothing")
	}
	// ...while axe-core, injected the same way as in every check, runs.
	vs, err := tb.axe()
	if err != nil {
		t.Fatalf("axe-core did not run under the CSP: %v", err)
	}
	if len(vs) > 0 {
		t.Errorf("home page:%s", formatViolations(vs))
	}
}
