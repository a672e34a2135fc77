//go:build browser

package browsertest

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// stepTimeout bounds one step (a navigation, a click and what it loads);
// generous, because a CI machine may be busy.
const stepTimeout = 30 * time.Second

// browser is one test's browser context: its own cookies and storage, in the
// Chromium that TestMain started. On failure, every open tab is saved.
type browser struct {
	t       *testing.T
	ctx     context.Context
	srv     *server
	mu      sync.Mutex
	tabs    []*tab
	cancels []context.CancelFunc // the browser context's, then each tab's
}

// tab is one browser tab.
type tab struct {
	b    *browser
	t    *testing.T
	ctx  context.Context
	name string
}

// newBrowser opens a fresh browser context for t against srv.
func newBrowser(t *testing.T, srv *server) *browser {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	b := &browser{t: t, ctx: ctx, srv: srv, cancels: []context.CancelFunc{cancel}}
	// On failure, save every tab while it is still open; then close the
	// tabs, newest first, and the browser context.
	t.Cleanup(func() {
		b.mu.Lock()
		tabs := append([]*tab(nil), b.tabs...)
		cancels := append([]context.CancelFunc(nil), b.cancels...)
		b.mu.Unlock()
		if t.Failed() {
			for _, tb := range tabs {
				tb.saveArtifacts("at-failure")
			}
		}
		for i := len(cancels) - 1; i >= 0; i-- {
			cancels[i]()
		}
	})
	return b
}

// tab returns the browser's first tab, opening it on the first call, or a
// new tab after that (same cookies).
func (b *browser) newTab(name string) *tab {
	b.t.Helper()
	b.mu.Lock()
	first := len(b.tabs) == 0
	b.mu.Unlock()
	ctx := b.ctx
	if !first {
		var cancel context.CancelFunc
		ctx, cancel = chromedp.NewContext(b.ctx)
		b.mu.Lock()
		b.cancels = append(b.cancels, cancel)
		b.mu.Unlock()
	}
	tb := &tab{b: b, t: b.t, ctx: ctx, name: name}
	// The first Run creates the tab; it must not carry a timeout, or the
	// tab would close when the timeout's context ends.
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx, chromedp.EmulateViewport(1024, 800)) }()
	select {
	case err := <-done:
		if err != nil {
			b.t.Fatalf("open tab %s: %v", name, err)
		}
	case <-time.After(60 * time.Second):
		b.t.Fatalf("open tab %s: no answer from Chromium within 60s", name)
	}
	b.mu.Lock()
	b.tabs = append(b.tabs, tb)
	b.mu.Unlock()
	return tb
}

// try runs actions with the step timeout and returns the error.
func (tb *tab) try(actions ...chromedp.Action[chromedp.Void]) error {
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	return chromedp.Do(ctx, actions...)
}

// run runs actions, failing the test on error (the cleanup saves the page).
func (tb *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := tb.try(actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v (on %s)", tb.name, what, err, tb.location())
	}
}

// get runs one action that returns a value, failing the test on error.
func get[T any](tb *tab, what string, a chromedp.Action[T]) T {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		tb.t.Fatalf("%s: %s: %v (on %s)", tb.name, what, err, tb.location())
	}
	return v
}

// eval evaluates a JavaScript expression in the page and decodes its
// value. It goes through the DevTools protocol's Runtime.evaluate, which
// the page's Content-Security-Policy does not govern.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	return get(tb, "evaluate "+short(expr), chromedp.Evaluate[T](expr))
}

// open navigates to a path on the server and waits for the load event.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.run("open "+path, chromedp.Navigate(tb.b.srv.URL+path))
}

// location is the tab's current URL, for messages.
func (tb *tab) location() string {
	ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown page"
	}
	return u
}

// path is the current URL's path and query.
func (tb *tab) path() string {
	tb.t.Helper()
	u, err := url.Parse(tb.location())
	if err != nil {
		return ""
	}
	return u.RequestURI()
}

// text is the trimmed text content of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	return strings.TrimSpace(get(tb, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// exists reports whether sel matches an element now.
func (tb *tab) exists(sel string) bool {
	tb.t.Helper()
	return eval[bool](tb, fmt.Sprintf(`document.querySelector(%q) !== null`, sel))
}

// typeInto clicks into a field and types, as a person would.
func (tb *tab) typeInto(sel, text string) {
	tb.t.Helper()
	tb.run("type into "+sel, chromedp.Click(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// replace empties a field, then types into it.
func (tb *tab) replace(sel, text string) {
	tb.t.Helper()
	tb.run("replace the text of "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// click clicks the first element matching sel (no navigation expected).
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.settle() // as clickAndLoad: the press lands where the element is now
	tb.run("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// clickAndLoad clicks sel, which submits a form or follows a link, and
// waits until the next page has loaded.
//
// A click lands where the element was laid out when Chromium measured it,
// so clickAndLoad first lets two animation frames pass (a viewport change
// just before, as checkPage makes, may not be laid out yet). A link is
// clicked again if no new page has come within linkRetry: following a link
// twice is harmless, and a press that missed is not a failure of the page
// under test. A button is never pressed twice, since its form may be on its
// way to the server.
func (tb *tab) clickAndLoad(sel string) {
	tb.t.Helper()
	tb.markPage()
	tb.settle()
	link := eval[bool](tb, fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e !== null && e.tagName === "A"; })()`, sel))
	tb.run("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	if link && !tb.newPageWithin(linkRetry) && tb.stillOldPage() {
		tb.t.Logf("%s: no page %v after clicking the link %s: clicking it again", tb.name, linkRetry, sel)
		tb.settle()
		tb.run("click "+sel, chromedp.Click(chromedp.CSS(sel)))
	}
	tb.waitNewPage("after clicking " + sel)
}

// linkRetry is how long clickAndLoad waits before following a link again.
const linkRetry = 5 * time.Second

// settle waits for two animation frames, so that layout is up to date.
func (tb *tab) settle() {
	tb.t.Helper()
	get(tb, "wait for layout", chromedp.Evaluate[bool](`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, chromedp.EvalAwaitPromise))
}

// stillOldPage reports whether the marked page is still shown, loaded, with
// no navigation under way.
func (tb *tab) stillOldPage() bool {
	ctx, cancel := context.WithTimeout(tb.ctx, time.Second)
	defer cancel()
	old, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__oursayOldPage === true && document.readyState === "complete"`))
	return err == nil && old
}

// newPageWithin reports whether the marked page has been replaced by a
// loaded one within d.
func (tb *tab) newPageWithin(d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(tb.ctx, time.Second)
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__oursayOldPage === undefined && document.readyState === "complete"`))
		cancel()
		if err == nil && loaded {
			return true
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// markPage marks the current document, so that waitNewPage can tell when
// it has been replaced.
func (tb *tab) markPage() {
	tb.t.Helper()
	tb.run("mark page", chromedp.Evaluate[chromedp.Void](`window.__oursayOldPage = true`))
}

// waitNewPage waits until the document marked by clickAndLoad (or a key
// press) has been replaced by a new one that has finished loading.
func (tb *tab) waitNewPage(what string) {
	tb.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		// Errors are expected while the old page is going away.
		ctx, cancel := context.WithTimeout(tb.ctx, 5*time.Second)
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__oursayOldPage === undefined && document.readyState === "complete"`))
		cancel()
		if err == nil && loaded {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s: no new page loaded %s within %v (still on %s)", tb.name, what, stepTimeout, tb.location())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// activeElement describes the focused element: its id, or tag and name.
func (tb *tab) activeElement() string {
	tb.t.Helper()
	return eval[string](tb, `(() => { const e = document.activeElement; if (!e) return ""; return e.id || (e.tagName.toLowerCase() + (e.name ? "[name=" + e.name + "]" : "") + (e.className ? "." + String(e.className).split(" ")[0] : "")); })()`)
}

// artifactDir is where failure screenshots and HTML go: the directory in
// OURSAY_BROWSER_ARTIFACTS, or browser-artifacts/ in the repository root.
func artifactDir(t *testing.T) string {
	dir := os.Getenv("OURSAY_BROWSER_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(repoRoot, "browser-artifacts")
	}
	return filepath.Join(dir, safeName(t.Name()))
}

var unsafeRE = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func safeName(s string) string { return strings.Trim(unsafeRE.ReplaceAllString(s, "_"), "_") }

// saveArtifacts writes a full-page screenshot and the page's HTML, and
// logs both paths.
func (tb *tab) saveArtifacts(label string) {
	dir := artifactDir(tb.t)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.t.Logf("artifacts: %v", err)
		return
	}
	base := filepath.Join(dir, safeName(fmt.Sprintf("%s-%s-%s", time.Now().Format("150405.000"), tb.name, label)))
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		tb.t.Logf("artifacts for tab %s: HTML: %v", tb.name, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.t.Logf("artifacts for tab %s: screenshot: %v", tb.name, err)
	}
	if html != "" {
		if err := os.WriteFile(base+".html", []byte("<!-- "+loc+" -->\n"+html), 0o644); err == nil {
			tb.t.Logf("saved the HTML of %s to %s", loc, base+".html")
		}
	}
	if len(png) > 0 {
		if err := os.WriteFile(base+".png", png, 0o644); err == nil {
			tb.t.Logf("saved a screenshot of %s to %s", loc, base+".png")
		}
	}
}

func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return s
}

// goBack goes back one page as the Back button does, and fails if the
// browser shows its own error page (such as "Confirm form resubmission")
// instead of one of the site's. The page may come from the back/forward
// cache, which fires no load event, so it waits for the document to change.
func (tb *tab) goBack() {
	tb.t.Helper()
	tb.markPage()
	tb.run("Back", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		h, err := cdp.Call(ctx, tg, page.GetNavigationHistory, cdp.Empty{})
		if err != nil {
			return err
		}
		if h.CurrentIndex < 1 {
			return fmt.Errorf("no page to go back to")
		}
		_, err = cdp.Call(ctx, tg, page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: h.Entries[h.CurrentIndex-1].ID})
		return err
	}))
	tb.waitNewPage("after Back")
	if loc := tb.location(); !strings.HasPrefix(loc, tb.b.srv.URL+"/") {
		tb.t.Fatalf("%s: after Back the browser shows %s, not a page of the site", tb.name, loc)
	}
}
