package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"text/tabwriter"
)

// runs is the JSON line of each scenario in one results file, by key: the
// scenario's name, or "read:MODE" for the read scenario.
type runs map[string]map[string]any

// readRuns collects the JSON lines (those starting with '{') of a `make
// bench` results file. A later line of the same key replaces an earlier one.
func readRuns(r io.Reader) (runs, error) {
	out := runs{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			return nil, fmt.Errorf("line %d: not a JSON object: %w", n, err)
		}
		name, _ := m["scenario"].(string)
		if name == "" {
			return nil, fmt.Errorf("line %d: no \"scenario\"", n)
		}
		if mode, ok := m["read"].(string); ok && name == "read" {
			name += ":" + mode
		}
		out[name] = m
	}
	return out, sc.Err()
}

// num is a figure of one run, and whether it is there.
func (rs runs) num(run, key string) (float64, bool) {
	m, ok := rs[run]
	if !ok {
		return 0, false
	}
	f, ok := m[key].(float64)
	return f, ok
}

// target is one line of the targets: a figure of one run compared
// with a limit, as a ratio to the ceiling when ratio is set.
type target struct {
	name   string
	run    string
	key    string
	ratio  bool    // compare figure ÷ ceiling ops_per_s
	scale  float64 // multiply the figure first (0: 1), e.g. KiB → MiB
	atMost bool    // the figure must be ≤ limit (else ≥)
	limit  float64
	unit   string
}

// benchTargets are issue 22's targets. Each names the run and figure that
// the standard `make bench` set records.
var benchTargets = []target{
	{name: "petition JSON", run: "read:api", key: "ops_per_s", ratio: true, limit: 0.88},
	{name: "petition page", run: "read:page", key: "ops_per_s", ratio: true, limit: 0.60},
	{name: "consultation page", run: "read:consultation", key: "ops_per_s", ratio: true, limit: 0.50},
	{name: "ballot page", run: "read:ballot", key: "ops_per_s", ratio: true, limit: 0.50},
	{name: "sign (submit + confirm)", run: "sign", key: "ops_per_s", ratio: true, limit: 0.15},
	{name: "sign ack p99", run: "sign", key: "p99_ms", atMost: true, limit: 50, unit: "ms"},
	{name: "sign errors", run: "sign", key: "errors", atMost: true, limit: 0},
	{name: "sign unconfirmed", run: "sign", key: "unconfirmed", atMost: true, limit: 0},
	{name: "sign server RSS", run: "sign", key: "server_rss_kib", scale: 1.0 / 1024, atMost: true, limit: 100, unit: "MiB"},
	{name: "consultation response", run: "respond", key: "ops_per_s", ratio: true, limit: 0.30},
	{name: "response p99", run: "respond", key: "p99_ms", atMost: true, limit: 50, unit: "ms"},
	{name: "response errors", run: "respond", key: "errors", atMost: true, limit: 0},
	{name: "vote", run: "vote", key: "ops_per_s", ratio: true, limit: 0.30},
	{name: "vote p99", run: "vote", key: "p99_ms", atMost: true, limit: 20, unit: "ms"},
	{name: "watch delay p99", run: "watch", key: "delay_p99_ms", atMost: true, limit: 250, unit: "ms"},
	{name: "watch dropped", run: "watch", key: "dropped", atMost: true, limit: 0},
	{name: "watch RSS per idle connection", run: "watch", key: "rss_per_conn_kib", atMost: true, limit: 10, unit: "KiB"},
	{name: "watch server RSS", run: "watch", key: "server_rss_kib", scale: 1.0 / 1024, atMost: true, limit: 200, unit: "MiB"},
	{name: "100,000 voter codes", run: "codes", key: "codes_s", atMost: true, limit: 5, unit: "s"},
	{name: "10,000 letters", run: "codes", key: "letters_s", atMost: true, limit: 30, unit: "s"},
	{name: "start on the 1M database (p50)", run: "start", key: "p50_ms", atMost: true, limit: 1000, unit: "ms"},
}

// verdict is one target's outcome.
type verdict struct {
	Target string   `json:"target"`
	Figure *float64 `json:"figure"`
	Ratio  *float64 `json:"ratio,omitempty"`
	Limit  string   `json:"limit"`
	Result string   `json:"result"` // met, missed, not measured
}

// judge compares each target with the runs. A target whose run or figure
// is missing (or, for a ratio, whose ceiling is) is "not measured", never
// met.
func judge(rs runs, ts []target) []verdict {
	ceiling, haveCeiling := rs.num("ceiling", "ops_per_s")
	var out []verdict
	for _, t := range ts {
		v := verdict{Target: t.name, Result: "not measured"}
		op := "≥"
		if t.atMost {
			op = "≤"
		}
		if t.ratio {
			v.Limit = fmt.Sprintf("%s %.2f× ceiling", op, t.limit)
		} else {
			v.Limit = strings.TrimSpace(fmt.Sprintf("%s %g %s", op, t.limit, t.unit))
		}
		f, ok := rs.num(t.run, t.key)
		if !ok {
			out = append(out, v)
			continue
		}
		if t.scale != 0 {
			f *= t.scale
		}
		// Compare the figures as measured; only what is shown is rounded.
		shown := math.Round(f*100) / 100
		v.Figure = &shown
		cmp := f
		if t.ratio {
			if !haveCeiling || ceiling <= 0 {
				out = append(out, v)
				continue
			}
			cmp = f / ceiling
			r := math.Round(cmp*1000) / 1000
			v.Ratio = &r
		}
		if (t.atMost && cmp <= t.limit) || (!t.atMost && cmp >= t.limit) {
			v.Result = "met"
		} else {
			v.Result = "missed"
		}
		out = append(out, v)
	}
	return out
}

// runReport prints the targets table for cfg.results, then one JSON
// object holding the ceiling and every verdict as the last line.
func runReport(cfg *config, stdout io.Writer) error {
	f, err := os.Open(cfg.results)
	if err != nil {
		return err
	}
	defer f.Close()
	rs, err := readRuns(f)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.results, err)
	}
	vs := judge(rs, benchTargets)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	ceiling, _ := rs.num("ceiling", "ops_per_s")
	fmt.Fprintf(tw, "target\tfigure\tratio\tlimit\tresult\n")
	fmt.Fprintf(tw, "ceiling GET /healthz\t%.1f/s\t1\t\t\n", ceiling)
	for _, v := range vs {
		fig, ratio := "-", ""
		if v.Figure != nil {
			fig = fmt.Sprint(*v.Figure)
		}
		if v.Ratio != nil {
			ratio = fmt.Sprintf("%.3f", *v.Ratio)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Target, fig, ratio, v.Limit, v.Result)
	}
	tw.Flush()
	met := 0
	for _, v := range vs {
		if v.Result == "met" {
			met++
		}
	}
	line, err := jsonObject([]kv{{"scenario", "report"}, {"ceiling_per_s", ceiling},
		{"met", met}, {"targets", len(vs)}, {"verdicts", vs}})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", line)
	return err
}
