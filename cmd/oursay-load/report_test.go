package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const sampleResults = `# 2026-12-03T20:00:00Z 2 CPUs
scenario  ceiling
{"scenario":"ceiling","ops":200000,"ops_per_s":20000,"p99_ms":3,"elapsed_s":10,"server_cpu_s":12,"tool_cpu_s":6}
{"scenario":"read","read":"api","ops_per_s":18000}
{"scenario":"read","read":"page","ops_per_s":11999}
{"scenario":"sign","ops":31000,"elapsed_s":10,"server_cpu_s":15.5,"tool_cpu_s":3.1,"ops_per_s":3100,"p99_ms":50,"errors":0,"unconfirmed":0,"server_rss_kib":204800}
{"scenario":"vote","ops":45000,"elapsed_s":10,"server_cpu_s":6,"tool_cpu_s":3,"ops_per_s":4500,"p99_ms":20.5,"ceiling_paired_per_s":15000}
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
		"vote":                    "met",          // 0.3 of its paired ceiling (0.225 of the ceiling run)
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
	if v := got["petition JSON"]; v.Paired || v.Ceiling == nil || *v.Ceiling != 20000 || v.RatioToCeilingRun != nil {
		t.Errorf("petition JSON: paired %v, ceiling %v, ratio to the run %v; want the ceiling run's 20000", v.Paired, fig(v.Ceiling), fig(v.RatioToCeilingRun))
	}
	if v := got["vote"]; !v.Paired || v.Ceiling == nil || *v.Ceiling != 15000 || v.RatioToCeilingRun == nil || *v.RatioToCeilingRun != 0.225 {
		t.Errorf("vote: paired %v, ceiling %v, ratio to the run %v; want its paired 15000, and 0.225 beside it", v.Paired, fig(v.Ceiling), fig(v.RatioToCeilingRun))
	}

	rs["vote"]["ceiling_paired_errors"] = 3.0
	for _, v := range judge(rs, benchTargets) {
		if v.Target == "vote" && (v.Result != "not measured" || v.Ratio != nil) {
			t.Errorf("vote with /healthz errors in its paired ceiling: %s, ratio %v; want not measured", v.Result, fig(v.Ratio))
		}
	}
	delete(rs, "ceiling")
	delete(rs["vote"], pairedKey)
	for _, v := range judge(rs, benchTargets) {
		if v.Ratio != nil || (v.Target == "vote" && v.Result != "not measured") {
			t.Errorf("without a ceiling, %s: %s, ratio %v; want not measured", v.Target, v.Result, fig(v.Ratio))
		}
	}
}

// TestCPUUses checks the CPU table's arithmetic on the sample: the ceiling
// used 18 CPU-seconds for 200,000 requests in 10 s, sign 18.6 for 31,000,
// vote 9 for 45,000.
func TestCPUUses(t *testing.T) {
	rs, err := readRuns(strings.NewReader(sampleResults))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]cpuUse{}
	for _, u := range cpuUses(rs, benchTargets) {
		got[u.Run] = u
	}
	if len(got) != 3 {
		t.Fatalf("runs with CPU figures: %v, want ceiling, sign and vote", got)
	}
	c := got["ceiling"]
	if c.CPUms != 0.09 || c.CoresBusy != 1.8 || c.Needed != nil {
		t.Errorf("ceiling = %+v (needed %v), want 0.09 ms/op, 1.8 cores busy, no target", c, fig(c.Needed))
	}
	s := got["sign"]
	// 0.15 × 20,000/s = 3,000/s at 0.6 ms each = 1.8 cores.
	if s.CPUms != 0.6 || s.CoresBusy != 1.86 || s.Needed == nil || *s.Needed != 1.8 {
		t.Errorf("sign = %+v (needed %v), want 0.6 ms/op, 1.86 cores busy, 1.8 needed", s, fig(s.Needed))
	}
	v := got["vote"]
	// 0.30 × 15,000/s (vote's paired ceiling) at 0.2 ms = 0.9 cores.
	if v.CPUms != 0.2 || v.Needed == nil || *v.Needed != 0.9 {
		t.Errorf("vote = %+v (needed %v), want 0.2 ms/op, 0.9 needed", v, fig(v.Needed))
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
	if !strings.Contains(out.String(), "petition JSON") || !strings.Contains(out.String(), "machine cores: 2\n") {
		t.Errorf("no table:\n%s", out.String())
	}

	if err := os.WriteFile(path, []byte("{\"ops\": 1}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := run(t.Context(), []string{"--scenario", "report", "--results", path}, &out, &out); err == nil || !strings.Contains(err.Error(), "line 1") {
		t.Errorf("a line without a scenario: %v, want an error naming line 1", err)
	}
}

// TestFanOut: three watchers are given counts 10 (on connecting), 11 and
// 12; the last watcher gets each push 40 ms after the first one does.
func TestFanOut(t *testing.T) {
	t0 := time.Now()
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ws := []*watcher{
		{msgs: []watchMsg{{at(0), 10}, {at(200), 11}, {at(400), 12}}},
		{msgs: []watchMsg{{at(500), 10}, {at(220), 11}, {at(410), 12}}}, // connected late
		{msgs: []watchMsg{{at(900), 10}, {at(240), 11}, {at(440), 12}}},
		{},
	}
	h := fanOut(ws)
	if h.n != 6 {
		t.Fatalf("%d messages counted, want 6 (not the ones sent on connecting)", h.n)
	}
	if _, _, mx := h.quantiles(); mx != 40 {
		t.Errorf("max fan-out %v ms, want 40", mx)
	}
}
