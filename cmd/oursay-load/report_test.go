package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const sampleResults = `# 2026-12-03T20:00:00Z 2 CPUs
scenario  ceiling
{"scenario":"ceiling","ops":200000,"ops_per_s":20000,"p99_ms":3}
{"scenario":"read","read":"api","ops_per_s":18000}
{"scenario":"read","read":"page","ops_per_s":11999}
{"scenario":"sign","ops_per_s":3100,"p99_ms":50,"errors":0,"unconfirmed":0,"server_rss_kib":204800}
{"scenario":"vote","ops_per_s":6000,"p99_ms":20.5}
BenchmarkSignatures_Insert/batch=512  1  110000 rows/s
`

func TestJudge(t *testing.T) {
	rs, err := readRuns(strings.NewReader(sampleResults))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]verdict{}
	for _, v := range judge(rs, benchTargets) {
		got[v.Target] = v
	}
	for name, want := range map[string]string{
		"petition JSON":           "met",          // 0.9 ≥ 0.88
		"petition page":           "missed",       // 0.59995: shown as 0.6, compared as measured
		"sign (submit + confirm)": "met",          // 0.155
		"sign ack p99":            "met",          // exactly the limit
		"sign server RSS":         "missed",       // 200 MiB > 100
		"vote":                    "met",          // 0.3
		"vote p99":                "missed",       // 20.5 > 20
		"consultation response":   "not measured", // no respond line
		"ballot page":             "not measured",
	} {
		if got[name].Result != want {
			t.Errorf("%s: %s (figure %v, ratio %v), want %s", name, got[name].Result, fig(got[name].Figure), fig(got[name].Ratio), want)
		}
	}
	if r := got["petition JSON"].Ratio; r == nil || *r != 0.9 {
		t.Errorf("petition JSON ratio = %v, want 0.9", fig(r))
	}

	delete(rs, "ceiling")
	for _, v := range judge(rs, benchTargets) {
		if v.Ratio != nil || (v.Target == "vote" && v.Result != "not measured") {
			t.Errorf("without a ceiling, %s: %s, ratio %v; want not measured", v.Target, v.Result, fig(v.Ratio))
		}
	}
}

func fig(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// TestReport_LastLineIsJSON runs the report command on a results file: the
// last line is one JSON object with every target's verdict.
func TestReport_LastLineIsJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "results.txt")
	if err := os.WriteFile(path, []byte(sampleResults), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(t.Context(), []string{"--scenario", "report", "--results", path}, &out, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var last struct {
		Ceiling  float64   `json:"ceiling_per_s"`
		Met      int       `json:"met"`
		Targets  int       `json:"targets"`
		Verdicts []verdict `json:"verdicts"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatalf("last line %q: %v", lines[len(lines)-1], err)
	}
	if last.Ceiling != 20000 || last.Targets != len(benchTargets) || len(last.Verdicts) != len(benchTargets) || last.Met == 0 {
		t.Errorf("report = %+v", last)
	}
	if !strings.Contains(out.String(), "petition JSON") {
		t.Errorf("no table:\n%s", out.String())
	}

	if err := os.WriteFile(path, []byte("{\"ops\": 1}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(t.Context(), []string{"--scenario", "report", "--results", path}, &out, &out); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a line without a scenario: %v, want an error naming line 1", err)
	}
}
