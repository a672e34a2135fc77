package web

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/oursay/oursay/ballot"
	"github.com/oursay/oursay/consult"
	"github.com/oursay/oursay/web/paper"
)

// page is what every template receives. Data carries the page's own values.
type page struct {
	Title string
	// Path is the request's path, for the navigation's current section.
	Path  string
	User  *consult.User
	Flash string
	// Errors lists field messages in form order for the error summary;
	// FieldErrors holds the same messages by field for inline display.
	Errors      []fieldError
	FieldErrors map[string]string
	// Form holds what the person typed, so a failed form keeps it.
	Form url.Values
	Data any
	// Now is the clock the page was drawn at, for lines that depend on it
	// ({{.C.Closing $.Now}}).
	Now time.Time
	// Preview is the manage page of something not yet published, shown
	// to staff at its public address under a "Preview: not published"
	// banner (see preview).
	Preview string
	// SessionIdle is, on staff pages, the seconds a session lasts without
	// a request, for the timeout warning.
	SessionIdle int
	// Council is the council's settings, for the header, footer and
	// title of every page.
	Council consult.Settings
}

type fieldError struct {
	Field, Message string
}

// setErrors fills the error summary from fields, in the order given, then
// any remaining fields alphabetically.
func (p *page) setErrors(fields map[string]string, order []string) {
	p.FieldErrors = fields
	seen := map[string]bool{}
	for _, f := range order {
		if m, ok := fields[f]; ok && !seen[f] {
			p.Errors = append(p.Errors, fieldError{f, m})
			seen[f] = true
		}
	}
	var rest []string
	for f := range fields {
		if !seen[f] {
			rest = append(rest, f)
		}
	}
	sortStrings(rest)
	for _, f := range rest {
		p.Errors = append(p.Errors, fieldError{f, fields[f]})
	}
}

var funcs = template.FuncMap{
	"date":                formatDate,
	"datetime":            formatDateTime,
	"closing":             consult.ClosingTime, // "11:59pm on 31 January 2027", after "closes at"
	"closed":              consult.ClosedTime,  // "31 January 2027 at 11:59pm", after "closed on"
	"lower":               lowerInitial,        // "Closes at …" inside a sentence
	"inputDate":           func(t time.Time) string { return inputTime(t, "2006-01-02") },
	"percent":             percent,
	"bar":                 newBarArgs,
	"asset":               assetURL,
	"nav":                 newNavItem,
	"scaleLabels":         func() [5]string { return consult.ScaleLabels },
	"stateLabel":          stateLabel,
	"proposals":           func() []consult.Proposal { return consult.Proposals },
	"exemptions":          func() []consult.Exemption { return consult.Exemptions },
	"kinds":               func() []consult.Kind { return consult.Kinds },
	"has":                 func(vs []string, v string) bool { return contains(vs, v) },
	"int64s":              func(n int) int64 { return int64(n) },
	"add":                 func(a, b int) int { return a + b },
	"half":                func(x, w float64) float64 { return x + w/2 },
	"docKind":             ballot.KindLabel,
	"auditAction":         consult.AuditActionName,
	"auditActionChoices":  auditActionChoices,
	"mailStatusChoices":   mailStatusChoices,
	"documentKindChoices": documentKindChoices,
	"redactionChoices":    func() []choice { return redactionChoices },
	"field":               newFieldArgs,
	"dateField":           newDateArgs,
	"revealRadios":        revealRadios,
	"asTextarea":          asTextarea,
	"limit":               limit,
	"counted":             counted,
	"errorAnchor":         errorAnchor,
	"staffEntry":          staffEntry,
	"codeFormatChoices": func() []choice {
		return []choice{{"csv", "CSV file for a letter printer"}, {"letters", "Letters (PDF), one page per voter"}}
	},
	"num":                func(n int) string { return groupThousands(int64(n)) },
	"petitionStateLabel": petitionStateLabel,
	"countPolicyChoices": func() []choice { return countPolicies },
	"questionPage":       questionPage,
	"radioArgs":          newRadioArgs,
	"selectArgs":         newSelectArgs,
	"proposalChoices":    proposalChoices,
	"exemptionChoices":   exemptionChoices,
	"claimedExemptions":  claimedExemptions,
	"recallKindChoices": func() []choice {
		return []choice{{"share", "A share of the electorate"}, {"fixed", "A fixed number of signatures"}}
	},
	"kindChoices":        kindChoices,
	"yesNoChoices":       func() []choice { return yesNo },
	"complianceChoices":  complianceChoices,
	"staffDate":          staffDate,
	"staffNumber":        staffNumber,
	"staffShort":         staffShort,
	"openDataLink":       openDataLink,
	"lines":              addressLines,
	"yesNoBlankChoices":  func() []choice { return yesNoBlank },
	"routeChoices":       routeChoices,
	"schemeChoices":      schemeChoices,
	"audienceChoices":    func() []choice { return audiences },
	"reviewRouteChoices": reviewRouteChoices,
	"breakSlots":         breakSlots,
	"breakKey":           breakKey,
	"paragraphs":         paragraphs,
	"reviewPointChoices": reviewPointChoices,
	"roleChoices": func() []choice {
		return []choice{{"moderator", "Moderator: reviews petitions and signatures"}, {"admin", "Administrator: can do everything"}}
	},
	"first": func(vs []string) string {
		if len(vs) == 0 {
			return ""
		}
		return vs[0]
	},
	"optionValue": func(id int64) string { return strconv.FormatInt(id, 10) },
	"scaleValue":  func(i int) string { return strconv.Itoa(i + 1) },
}

// barArgs is what the bar partial needs: the fill's width in whole per
// cent, 0 to 100 (the stylesheet has a class for each), and the data-live
// key of the number it illustrates, if live.js should move it.
type barArgs struct {
	Width int
	Live  string
}

func newBarArgs(percent int, live string) barArgs {
	return barArgs{Width: max(0, min(100, percent)), Live: live}
}

// navSections are the service navigation's links (base.html).
var navSections = []string{"/consultations", "/petitions", "/ballots", "/contracts", "/admin/", "/admin/audit"}

// navItem is one link of the service navigation. Current is its
// aria-current, as GOV.UK's service navigation sets it: "page" on the
// section's own page, "true" on a page inside it (the deepest section that
// holds the path), and empty elsewhere.
type navItem struct {
	Href, Label, Current string
}

func newNavItem(path, href, label string) navItem {
	it := navItem{Href: href, Label: label}
	if path == href {
		it.Current = "page"
		return it
	}
	deepest := ""
	for _, s := range navSections {
		holds := path == s || strings.HasPrefix(path, strings.TrimSuffix(s, "/")+"/")
		if holds && len(s) > len(deepest) {
			deepest = s
		}
	}
	if deepest == href {
		it.Current = "true"
	}
	return it
}

// fieldArgs is what the input and textarea partials need about one field.
type fieldArgs struct {
	Name, Label, Hint, Value, Error string
	// Max, on a textarea, is the most characters it takes, shown with
	// the GOV.UK character count (see limit).
	Max int
	inputPurpose
}

// inputPurpose is what an input tells browsers and assistive technology
// about the data it takes (WCAG 2.2 SC 1.3.5): its type, its autocomplete
// token, and whether spelling correction and capitals would corrupt it.
type inputPurpose struct {
	Type         string // "text" unless set
	Autocomplete string
	Class        string // a GOV.UK width for short values
	Literal      bool   // spellcheck and autocapitalise off: emails and codes
}

// inputPurposes are the personal-data fields, by form field name, the same
// on every form that has one. TestInputPurpose holds every form to them.
var inputPurposes = map[string]inputPurpose{
	"name":     {Autocomplete: "name"},
	"email":    {Type: "email", Autocomplete: "email", Literal: true},
	"postcode": {Autocomplete: "postal-code", Class: "govuk-input--width-10"},
	"code":     {Autocomplete: "off", Class: "govuk-input--width-20", Literal: true}, // a code from a letter: nothing to fill in
	// A staff member's own passwords (never echoed back: Form holds none).
	"current_password": {Type: "password", Autocomplete: "current-password", Literal: true},
	"password":         {Type: "password", Autocomplete: "new-password", Literal: true},
	"password_again":   {Type: "password", Autocomplete: "new-password", Literal: true},
	// The council's settings: its own contacts, not the officer's.
	"contact_email": {Type: "email", Autocomplete: "off", Literal: true},
	"contact_phone": {Type: "tel", Autocomplete: "off", Class: "govuk-input--width-20"},
	"paper_phone":   {Type: "tel", Autocomplete: "off", Class: "govuk-input--width-20"},
	"ocid_prefix":   {Autocomplete: "off", Class: "govuk-input--width-20", Literal: true},
	"feedback_url":  {Type: "url", Autocomplete: "off", Literal: true},
}

func newFieldArgs(p *page, name, label, hint string) fieldArgs {
	f := fieldArgs{Name: name, Label: label, Hint: hint, Value: p.Form.Get(name), Error: p.FieldErrors[name],
		inputPurpose: inputPurposes[name]}
	if f.Type == "" {
		f.Type = "text"
	}
	return f
}

// staffEntry is a field an officer fills in from a paper form: the
// name or postcode is the resident's, so the browser must not offer the
// officer's own (autocomplete="off"); type and spelling settings stay.
func staffEntry(f fieldArgs) fieldArgs {
	if f.Autocomplete != "" {
		f.Autocomplete = "off"
	}
	return f
}

// parseTemplates parses each page, once, at start, with base.html and only
// the partial files it uses (directly or through another partial). Every
// page parsed with every partial held 22.5 MiB of parse trees for 69 pages;
// a page rarely uses more than three of the thirteen files.
func parseTemplates() (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	names, err := fs.Glob(templateFS, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := newPartialIndex()
	if err != nil {
		return nil, err
	}
	base, err := fs.ReadFile(templateFS, "templates/base.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		src, err := fs.ReadFile(templateFS, name)
		if err != nil {
			return nil, err
		}
		files := append([]string{"templates/base.html"}, partials.filesFor(string(base), string(src))...)
		t, err := template.New("base.html").Funcs(funcs).ParseFS(templateFS, append(files, name)...)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", name, err)
		}
		pages[strings.TrimSuffix(path.Base(name), ".html")] = t
	}
	return pages, nil
}

var (
	defineRE   = regexp.MustCompile(`\{\{-?\s*define\s+"([^"]+)"`)
	templateRE = regexp.MustCompile(`\{\{-?\s*template\s+"([^"]+)"`)
)

// partialIndex knows which partial file defines each template name, and
// which names each file calls.
type partialIndex struct {
	definedIn map[string]string   // template name -> file
	calls     map[string][]string // file -> template names it calls
}

func newPartialIndex() (*partialIndex, error) {
	files, err := fs.Glob(templateFS, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	ix := &partialIndex{definedIn: map[string]string{}, calls: map[string][]string{}}
	for _, f := range files {
		src, err := fs.ReadFile(templateFS, f)
		if err != nil {
			return nil, err
		}
		for _, m := range defineRE.FindAllStringSubmatch(string(src), -1) {
			if other, dup := ix.definedIn[m[1]]; dup {
				return nil, fmt.Errorf("template %q is defined in both %s and %s", m[1], other, f)
			}
			ix.definedIn[m[1]] = f
		}
		ix.calls[f] = calledNames(string(src))
	}
	return ix, nil
}

func calledNames(src string) []string {
	var out []string
	for _, m := range templateRE.FindAllStringSubmatch(src, -1) {
		out = append(out, m[1])
	}
	return out
}

// filesFor lists, in a stable order, the partial files that the given
// sources call into, following calls between partials.
func (ix *partialIndex) filesFor(srcs ...string) []string {
	need := map[string]bool{}
	var todo []string
	for _, src := range srcs {
		todo = append(todo, calledNames(src)...)
	}
	for len(todo) > 0 {
		name := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		f, ok := ix.definedIn[name]
		if !ok || need[f] {
			continue // defined by the page itself, or already taken
		}
		need[f] = true
		todo = append(todo, ix.calls[f]...)
	}
	out := make([]string, 0, len(need))
	for f := range need {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// render writes the page into a buffer first, so a template error becomes a
// clean 500 rather than half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	body, err := s.execute(r, name, p)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(body)
}

// execute fills in what every page shows (the user, the path, the flash,
// the time) and renders it.
func (s *Server) execute(r *http.Request, name string, p *page) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("no template %q", name)
	}
	if p.User == nil {
		p.User = s.currentUser(r)
	}
	if p.User != nil {
		p.SessionIdle = int(s.sessions.IdleTimeout.Seconds())
	}
	p.Path = r.URL.Path
	if p.Flash == "" {
		p.Flash = s.sessions.PopString(r.Context(), "flash")
	}
	if p.Now.IsZero() {
		p.Now = s.cfg.Now()
	}
	p.Council = s.settings()
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base.html", p); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// stampMarker stands in a shared page where the sign form's stamp goes:
// a stamp is each visitor's own (it is good for one submission), so
// renderShared puts a fresh one in its place in every answer.
const stampMarker = "oursay-stamp-goes-here"

// renderShared answers a public page that looks the same to every visitor
// without a session, from the hub's body cache under topic: rendered once
// per committed change to topic, and at least every second, as the read API
// is, so a page never shows a count older than the last commit it could
// have seen without the cache. A request with any cookie (staff, anyone
// with a message waiting, a voter part-way through) or a query string gets
// it rendered afresh: what one visitor's cookies change must never be kept
// for the next. build
// loads the page; its error goes to fail, and nothing is kept.
func (s *Server) renderShared(w http.ResponseWriter, r *http.Request, topic, name string, build func() (*page, error), fail func(error)) {
	s.renderSharedAs(w, r, topic, "page "+r.URL.Path, name, build, fail)
}

// renderSharedAs is renderShared for a path that shows more than one page
// about the topic: variant names the one built.
func (s *Server) renderSharedAs(w http.ResponseWriter, r *http.Request, topic, variant, name string, build func() (*page, error), fail func(error)) {
	var body []byte
	var err error
	if r.Header.Get("Cookie") != "" || r.URL.RawQuery != "" {
		body, err = s.freshPage(r, name, build)
		if err == nil {
			body = markPage(body, stampMarker)
		}
	} else {
		body, err = s.live.BodyVariant(topic, variant, func() ([]byte, error) {
			b, err := s.freshPage(r, name, build)
			if err != nil {
				return nil, err
			}
			return markPage(b, stampMarker), nil
		})
	}
	if err != nil {
		fail(err)
		return
	}
	before, after, ok := splitMarked(body, stampMarker)
	if !ok {
		writeHTML(w, before)
		return
	}
	writeHTML(w, before, []byte(s.forms.stamp()), after)
}

// markPage keeps a page with where marker is in it, found once: a shared
// page is answered thousands of times a second, and looking for the
// marker in each answer was a sixth of the CPU of reading a 22 KB
// consultation page, which has none. The result is 4 bytes of the
// marker's offset + 1 (0 for none), then the page.
func markPage(page []byte, marker string) []byte {
	out := make([]byte, 4, 4+len(page))
	binary.BigEndian.PutUint32(out, uint32(bytes.Index(page, []byte(marker))+1))
	return append(out, page...)
}

// splitMarked returns the page markPage kept, cut around its marker, or
// the whole page and false if it has none.
func splitMarked(kept []byte, marker string) (before, after []byte, ok bool) {
	at, page := int(binary.BigEndian.Uint32(kept)), kept[4:]
	if at == 0 {
		return page, nil, false
	}
	return page[:at-1], page[at-1+len(marker):], true
}

// writeHTML answers 200 with an HTML page made of parts, in one write with
// its length: net/http would otherwise send a large page in chunks, a
// system call each, and a shared page is read thousands of times a second.
func writeHTML(w http.ResponseWriter, parts ...[]byte) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(n))
	w.WriteHeader(http.StatusOK)
	if len(parts) == 1 {
		w.Write(parts[0])
		return
	}
	// The parts are put together in a buffer used again and again: a
	// fresh one per page was a sixth of what signing allocated.
	bp := pageBufs.Get().(*[]byte)
	buf := (*bp)[:0]
	for _, p := range parts {
		buf = append(buf, p...)
	}
	w.Write(buf) // net/http has copied or sent it when Write returns
	if cap(buf) <= maxPooledPage {
		*bp = buf[:0]
		pageBufs.Put(bp)
	}
}

// pageBufs are writeHTML's buffers; one larger than maxPooledPage (a page
// far bigger than any shared one) is left to the collector.
var pageBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

const maxPooledPage = 256 << 10

// executePart renders one partial of a page's templates (a fragment, not
// a page) with data.
func (s *Server) executePart(name, part string, data any) ([]byte, error) {
	t, ok := s.pages[name]
	if !ok {
		return nil, fmt.Errorf("no template %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, part, data); err != nil {
		return nil, fmt.Errorf("render %s of %s: %w", part, name, err)
	}
	return buf.Bytes(), nil
}

func (s *Server) freshPage(r *http.Request, name string, build func() (*page, error)) ([]byte, error) {
	p, err := build()
	if err != nil {
		return nil, err
	}
	return s.execute(r, name, p)
}

// flash stores a one-time message shown on the next page.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), "flash", msg)
}

// london is the time zone of every date shown or read: the one paper prints.
var london = paper.London

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london).Format("2 January 2006")
}

func formatDateTime(t time.Time) string { return paper.DateTime(t) }

// lowerInitial lowers the first letter of a line that starts a sentence
// ("Closes at 11:59pm on 31 January 2027") to go inside another.
func lowerInitial(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// closingOf puts what closes before a closing line (consult.Closing):
// ("Signing", "Closes at 11:59pm on …") is "Signing closes at 11:59pm on …".
func closingOf(what, line string) string {
	if line == "" {
		return ""
	}
	return what + " " + lowerInitial(line)
}

func inputTime(t time.Time, layout string) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london).Format(layout)
}

func percent(n, total int) int {
	if total <= 0 {
		return 0
	}
	return (n*100 + total/2) / total
}

func stateLabel(s consult.Status) string {
	switch s {
	case consult.StatusDraft:
		return "Draft"
	case consult.StatusScheduled:
		return "Opens soon"
	case consult.StatusOpen:
		return "Open"
	case consult.StatusClosed:
		return "Closed"
	case consult.StatusOutcome:
		return "Outcome published"
	}
	return string(s)
}

func contains(vs []string, v string) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// questionPage gives the add-question form on the manage page its own
// values and errors, apart from the page's.
func questionPage(p *page) *page {
	v, _ := p.Data.(*adminConsultationView)
	if v == nil {
		return &page{}
	}
	return &page{Form: v.QuestionForm, FieldErrors: v.QErrors}
}

func petitionStateLabel(s ballot.Status) string {
	switch s {
	case ballot.StatusUnconfirmed:
		return "Awaiting email confirmation"
	case ballot.StatusSponsoring:
		return "Gathering sponsors"
	case ballot.StatusModeration:
		return "Awaiting council check"
	case ballot.StatusOpen:
		return "Open"
	case ballot.StatusThresholdMet:
		return "Threshold met"
	case ballot.StatusClosed:
		return "Closed"
	case ballot.StatusRejected:
		return "Rejected"
	}
	return string(s)
}

var countPolicies = []choice{{"live", "Yes, show the count as it grows"}, {"sealed", "No, keep it sealed until signing closes"}}
