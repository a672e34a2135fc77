package web_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/oursay/oursay/ballot"
)

// The checks below are the OCDS 1.1 release-package and release schema
// rules (and the metrics extension's) that this package's fields are
// subject to: required fields, closed codelists, formats and types. They
// stand in for validating against the schema files themselves, which
// could not be obtained on this machine: web/testdata/ocds/README.md says
// what was tried and how to add them.

var (
	releaseTags      = set("planning", "planningUpdate", "tender", "tenderAmendment", "tenderUpdate", "tenderCancellation", "award", "awardUpdate", "awardCancellation", "contract", "contractUpdate", "contractAmendment", "implementation", "implementationUpdate", "contractTermination", "compiled")
	awardStatuses    = set("pending", "active", "cancelled", "unsuccessful")
	contractStatuses = set("pending", "active", "cancelled", "terminated")
	versionRE        = regexp.MustCompile(`^(\d+\.)(\d+)$`)
)

func set(vs ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vs {
		m[v] = true
	}
	return m
}

// ocdsChecker collects every rule broken, each with its JSON path.
type ocdsChecker struct{ errs []string }

func (c *ocdsChecker) fail(path, format string, args ...any) {
	c.errs = append(c.errs, path+": "+fmt.Sprintf(format, args...))
}

func (c *ocdsChecker) object(v any, path string, required ...string) map[string]any {
	m, ok := v.(map[string]any)
	if !ok {
		c.fail(path, "want an object, got %T", v)
		return map[string]any{}
	}
	for _, k := range required {
		if _, ok := m[k]; !ok {
			c.fail(path+"."+k, "required")
		}
	}
	return m
}

func (c *ocdsChecker) array(v any, path string, minItems int) []any {
	a, ok := v.([]any)
	if !ok {
		c.fail(path, "want an array, got %T", v)
	} else if len(a) < minItems {
		c.fail(path, "want at least %d items", minItems)
	}
	return a
}

func (c *ocdsChecker) str(v any, path string) string {
	s, ok := v.(string)
	if !ok || s == "" {
		c.fail(path, "want a non-empty string, got %#v", v)
	}
	return s
}

func (c *ocdsChecker) dateTime(v any, path string) {
	if _, err := time.Parse(time.RFC3339, c.str(v, path)); err != nil {
		c.fail(path, "not an RFC 3339 date-time: %v", v)
	}
}

func (c *ocdsChecker) uri(v any, path string) {
	if u, err := url.Parse(c.str(v, path)); err != nil || !u.IsAbs() {
		c.fail(path, "not an absolute URI: %v", v)
	}
}

func (c *ocdsChecker) enum(v any, path string, allowed map[string]bool) {
	if s, _ := v.(string); !allowed[s] {
		c.fail(path, "%#v is not in the closed codelist", v)
	}
}

func (c *ocdsChecker) value(v any, path string) {
	m := c.object(v, path, "amount", "currency")
	if _, ok := m["amount"].(json.Number); !ok {
		c.fail(path+".amount", "want a number, got %#v", m["amount"])
	}
	if s, _ := m["currency"].(string); !regexp.MustCompile(`^[A-Z]{3}$`).MatchString(s) {
		c.fail(path+".currency", "want an ISO 4217 code, got %#v", m["currency"])
	}
}

func (c *ocdsChecker) period(v any, path string) {
	m := c.object(v, path)
	for _, k := range []string{"startDate", "endDate"} {
		if d, ok := m[k]; ok {
			c.dateTime(d, path+"."+k)
		}
	}
}

func (c *ocdsChecker) orgRef(v any, path string) {
	m := c.object(v, path, "id", "name")
	c.str(m["id"], path+".id")
	c.str(m["name"], path+".name")
}

func (c *ocdsChecker) metrics(v any, path string) {
	for i, mv := range c.array(v, path, 1) {
		p := fmt.Sprintf("%s[%d]", path, i)
		m := c.object(mv, p, "id", "observations")
		c.str(m["id"], p+".id")
		for j, ov := range c.array(m["observations"], p+".observations", 1) {
			op := fmt.Sprintf("%s.observations[%d]", p, j)
			o := c.object(ov, op, "id")
			c.str(o["id"], op+".id")
			if pv, ok := o["period"]; ok {
				c.period(pv, op+".period")
			}
			switch o["measure"].(type) {
			case string, json.Number:
			default:
				c.fail(op+".measure", "want a string or number, got %#v", o["measure"])
			}
		}
	}
}

// checkReleasePackage applies the rules to a decoded release package.
func checkReleasePackage(doc map[string]any) []string {
	c := &ocdsChecker{}
	pkg := c.object(doc, "$", "uri", "publisher", "publishedDate", "releases", "version")
	c.uri(pkg["uri"], "$.uri")
	c.dateTime(pkg["publishedDate"], "$.publishedDate")
	c.str(c.object(pkg["publisher"], "$.publisher", "name")["name"], "$.publisher.name")
	if s, _ := pkg["version"].(string); !versionRE.MatchString(s) {
		c.fail("$.version", "%#v is not major.minor", pkg["version"])
	}
	for i, e := range c.array(pkg["extensions"], "$.extensions", 0) {
		c.uri(e, fmt.Sprintf("$.extensions[%d]", i))
	}
	ids := map[string]bool{}
	for i, rv := range c.array(pkg["releases"], "$.releases", 1) {
		p := fmt.Sprintf("$.releases[%d]", i)
		r := c.object(rv, p, "ocid", "id", "date", "tag", "initiationType")
		c.str(r["ocid"], p+".ocid")
		id := c.str(r["id"], p+".id")
		if ids[id] || strings.Contains(id, "#") {
			c.fail(p+".id", "release ids must be unique and contain no #")
		}
		ids[id] = true
		c.dateTime(r["date"], p+".date")
		for j, t := range c.array(r["tag"], p+".tag", 1) {
			c.enum(t, fmt.Sprintf("%s.tag[%d]", p, j), releaseTags)
		}
		c.enum(r["initiationType"], p+".initiationType", set("tender"))
		checkReleaseBody(c, r, p)
	}
	return c.errs
}

func checkReleaseBody(c *ocdsChecker, r map[string]any, p string) {
	partyIDs := map[string]bool{}
	for i, pv := range c.array(r["parties"], p+".parties", 1) {
		pp := fmt.Sprintf("%s.parties[%d]", p, i)
		party := c.object(pv, pp, "id", "name", "roles")
		partyIDs[c.str(party["id"], pp+".id")] = true
		for j, role := range c.array(party["roles"], pp+".roles", 1) {
			c.str(role, fmt.Sprintf("%s.roles[%d]", pp, j))
		}
	}
	c.orgRef(r["buyer"], p+".buyer")
	if b, _ := r["buyer"].(map[string]any); !partyIDs[fmt.Sprint(b["id"])] {
		c.fail(p+".buyer.id", "does not refer to a party")
	}
	awardIDs := map[string]bool{}
	for i, av := range c.array(r["awards"], p+".awards", 1) {
		ap := fmt.Sprintf("%s.awards[%d]", p, i)
		a := c.object(av, ap, "id")
		awardIDs[c.str(a["id"], ap+".id")] = true
		c.enum(a["status"], ap+".status", awardStatuses)
		c.value(a["value"], ap+".value")
		c.period(a["contractPeriod"], ap+".contractPeriod")
		for j, s := range c.array(a["suppliers"], ap+".suppliers", 1) {
			c.orgRef(s, fmt.Sprintf("%s.suppliers[%d]", ap, j))
		}
	}
	for i, cv := range c.array(r["contracts"], p+".contracts", 1) {
		cp := fmt.Sprintf("%s.contracts[%d]", p, i)
		k := c.object(cv, cp, "id", "awardID")
		c.str(k["id"], cp+".id")
		if !awardIDs[fmt.Sprint(k["awardID"])] {
			c.fail(cp+".awardID", "does not refer to an award")
		}
		c.enum(k["status"], cp+".status", contractStatuses)
		c.period(k["period"], cp+".period")
		c.value(k["value"], cp+".value")
		if m, ok := k["agreedMetrics"]; ok {
			c.metrics(m, cp+".agreedMetrics")
		}
		if impl, ok := k["implementation"]; ok {
			c.metrics(c.object(impl, cp+".implementation", "metrics")["metrics"], cp+".implementation.metrics")
		}
	}
}

func TestOCDS_ReleasePackage(t *testing.T) {
	e := newEnv(t)
	e.addContract(wasteContract())
	unreported := leisureContract()
	unreported.KPIs = []ballot.KPI{{Name: "Visits", Target: "≥ 900,000"}}
	e.addContract(unreported)

	status, doc := e.getJSON("/api/contracts/1/ocds")
	if status != 200 {
		t.Fatalf("got %d", status)
	}
	if errs := checkReleasePackage(doc); len(errs) > 0 {
		t.Errorf("release package breaks OCDS 1.1:\n%s", strings.Join(errs, "\n"))
	}
	r := doc["releases"].([]any)[0].(map[string]any)
	k := r["contracts"].([]any)[0].(map[string]any)
	checks := map[string]any{
		"ocid":      r["ocid"],
		"tag":       r["tag"].([]any)[0],
		"amount":    k["value"].(map[string]any)["amount"],
		"supplier":  r["parties"].([]any)[1].(map[string]any)["name"],
		"buyer":     r["buyer"].(map[string]any)["name"],
		"publisher": doc["publisher"].(map[string]any)["name"],
		"extension": doc["extensions"].([]any)[0],
		"version":   doc["version"],
	}
	want := map[string]any{
		// The council's own publisher name and prefix (DefaultSettings).
		"ocid": "ocds-demo01-1", "buyer": "Demo Borough Council", "publisher": "Demo Borough Council", "tag": "implementation", "amount": json.Number("1250000.50"),
		"supplier": "CleanCo Services Ltd", "version": "1.1",
		"extension": "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json",
	}
	for key, w := range want {
		if checks[key] != w {
			t.Errorf("%s = %#v, want %#v", key, checks[key], w)
		}
	}
	agreed := k["agreedMetrics"].([]any)
	observed := k["implementation"].(map[string]any)["metrics"].([]any)
	if len(agreed) != 2 || len(observed) != 2 {
		t.Fatalf("agreed %d, observed %d metrics; want 2 and 2 (KPI rows grouped by name)", len(agreed), len(observed))
	}
	first := observed[0].(map[string]any)["observations"].([]any)[0].(map[string]any)
	if p := first["period"].(map[string]any); p["startDate"] != "2026-04-01T00:00:00Z" || p["endDate"] != "2026-06-30T23:59:59Z" ||
		first["measure"] != "72" || !strings.Contains(first["notes"].(string), "Rating: Inadequate") {
		t.Errorf("first observation %v, want 2026-Q2, 72, rated Inadequate", first)
	}

	t.Run("ContractTagBeforeAnyReport", func(t *testing.T) {
		_, doc := e.getJSON("/api/contracts/2/ocds")
		if errs := checkReleasePackage(doc); len(errs) > 0 {
			t.Errorf("release package breaks OCDS 1.1:\n%s", strings.Join(errs, "\n"))
		}
		r := doc["releases"].([]any)[0].(map[string]any)
		k := r["contracts"].([]any)[0].(map[string]any)
		if r["tag"].([]any)[0] != "contract" || k["implementation"] != nil || len(k["agreedMetrics"].([]any)) != 1 {
			t.Errorf("tag %v, implementation %v; want contract and none", r["tag"], k["implementation"])
		}
	})

	t.Run("CheckerCatchesBreaks", func(t *testing.T) {
		_, doc := e.getJSON("/api/contracts/1/ocds")
		r := doc["releases"].([]any)[0].(map[string]any)
		r["tag"] = []any{"signed"}
		delete(r, "initiationType")
		r["contracts"].([]any)[0].(map[string]any)["status"] = "running"
		doc["uri"] = "/relative"
		errs := strings.Join(checkReleasePackage(doc), "\n")
		for _, want := range []string{"$.releases[0].tag[0]", "$.releases[0].initiationType: required", "$.releases[0].contracts[0].status", "$.uri"} {
			if !strings.Contains(errs, want) {
				t.Errorf("checker missed %s in:\n%s", want, errs)
			}
		}
	})

	if status, _ := e.getJSON("/api/contracts/7/ocds"); status != 404 {
		t.Errorf("unknown contract: got %d, want 404", status)
	}
}
