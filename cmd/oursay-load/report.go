package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"strconv"
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

// pairedKey is the ceiling a run measured in slices taking turns with its
// own (oursay-load --paired-ceiling).
const pairedKey = "ceiling_paired_per_s"

// ceilingFor is the ceiling that run's ratios are taken to: the one it
// measured in slices taking turns with its own, when it did (the machine's
// speed changes by a fifth or more between runs minutes apart, and such
// slices see the same machine), or else the `ceiling` run's.
func (rs runs) ceilingFor(run string) (c float64, paired, ok bool) {
	if c, ok := rs.num(run, pairedKey); ok {
		// A /healthz that failed lowers the paired ceiling and so lifts
		// the ratio: such a run measures nothing.
		errs, _ := rs.num(run, "ceiling_paired_errors")
		return c, true, errs == 0
	}
	c, ok = rs.num("ceiling", "ops_per_s")
	return c, false, ok
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
	// Ceiling is the rate the ratio is to; Paired says it was measured in
	// slices taking turns with the target's run; RatioToCeilingRun is the
	// figure ÷ the separate ceiling run, shown beside a paired ratio.
	Ceiling           *float64 `json:"ceiling,omitempty"`
	Paired            bool     `json:"paired,omitempty"`
	RatioToCeilingRun *float64 `json:"ratio_to_ceiling_run,omitempty"`
	Limit             string   `json:"limit"`
	Result            string   `json:"result"` // met, missed, not measured
}

// judge compares each target with the runs. A target whose run or figure
// is missing (or, for a ratio, whose ceiling is) is "not measured", never
// met.
func judge(rs runs, ts []target) []verdict {
	sepCeiling, haveSep := rs.num("ceiling", "ops_per_s")
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
			ceiling, paired, ok := rs.ceilingFor(t.run)
			if !ok || ceiling <= 0 {
				out = append(out, v)
				continue
			}
			cmp = f / ceiling
			r := math.Round(cmp*1000) / 1000
			v.Ratio, v.Ceiling, v.Paired = &r, &ceiling, paired
			if paired && haveSep && sepCeiling > 0 {
				r2 := math.Round(f/sepCeiling*1000) / 1000
				v.RatioToCeilingRun = &r2
			}
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

// cpuUse is where one run's machine time went: the CPU the server and this
// tool (with its SMTP server) used per operation, how many cores that kept
// busy, and how many the run's rate target would need at that cost.
type cpuUse struct {
	Run       string   `json:"run"`
	OpsPerS   float64  `json:"ops_per_s"`
	CPUms     float64  `json:"cpu_ms_per_op"`
	CoresBusy float64  `json:"cores_busy"`
	Needed    *float64 `json:"cores_needed,omitempty"`
}

// cpuRuns are the runs whose CPU per operation the report shows, in order.
var cpuRuns = []string{"ceiling", "read:api", "read:page", "read:consultation", "read:ballot", "sign", "respond", "vote"}

// cpuUses measures each of cpuRuns that recorded its server's and its own
// CPU. The cores a target needs are its rate (ratio × ceiling) × the CPU
// per operation measured in the same run: more than the machine has means
// the target cannot be met without making each operation cheaper.
func cpuUses(rs runs, ts []target) []cpuUse {
	var out []cpuUse
	for _, run := range cpuRuns {
		ops, ok1 := rs.num(run, "ops")
		perS, ok2 := rs.num(run, "ops_per_s")
		elapsed, ok3 := rs.num(run, "elapsed_s")
		server, ok4 := rs.num(run, "server_cpu_s")
		tool, ok5 := rs.num(run, "tool_cpu_s")
		if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || ops <= 0 || elapsed <= 0 {
			continue
		}
		cpu := server + tool
		u := cpuUse{Run: run, OpsPerS: perS,
			CPUms:     math.Round(cpu/ops*1e6) / 1e3,
			CoresBusy: math.Round(cpu/elapsed*100) / 100}
		ceiling, _, haveCeiling := rs.ceilingFor(run)
		for _, t := range ts {
			if t.run == run && t.ratio && t.key == "ops_per_s" && haveCeiling {
				n := math.Round(t.limit*ceiling*cpu/ops*100) / 100
				u.Needed = &n
				break
			}
		}
		out = append(out, u)
	}
	return out
}

// coresRe finds the machine's core count in the header `make bench` writes.
var coresRe = regexp.MustCompile(`(?m)^# .*?\b(\d+) CPUs`)

// runReport prints the targets table for cfg.results, then one JSON
// object holding the ceiling and every verdict as the last line.
func runReport(cfg *config, stdout io.Writer) error {
	text, err := os.ReadFile(cfg.results)
	if err != nil {
		return err
	}
	rs, err := readRuns(bytes.NewReader(text))
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.results, err)
	}
	vs := judge(rs, benchTargets)
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	ceiling, _ := rs.num("ceiling", "ops_per_s")
	fmt.Fprintf(tw, "target\tfigure\tratio\tto the ceiling\tlimit\tresult\n")
	fmt.Fprintf(tw, "ceiling GET /healthz\t%.1f/s\t1\t\t\t\n", ceiling)
	for _, v := range vs {
		fig, ratio, to := "-", "", ""
		if v.Figure != nil {
			fig = fmt.Sprint(*v.Figure)
		}
		if v.Ratio != nil {
			ratio, to = fmt.Sprintf("%.3f", *v.Ratio), "run"
			if v.Paired {
				to = fmt.Sprintf("paired %.1f/s", *v.Ceiling)
				if v.RatioToCeilingRun != nil {
					to += fmt.Sprintf(" (run: %.3f)", *v.RatioToCeilingRun)
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", v.Target, fig, ratio, to, v.Limit, v.Result)
	}
	tw.Flush()
	fmt.Fprintln(stdout, "(to the ceiling: \"run\" is the ceiling run above; \"paired\" is the ceiling measured in slices taking turns with that target's own run, with the ratio to the ceiling run beside it)")
	met := 0
	for _, v := range vs {
		if v.Result == "met" {
			met++
		}
	}
	var cores any // null when the results do not say
	shownCores := "not recorded"
	if m := coresRe.FindSubmatch(text); m != nil {
		n, _ := strconv.Atoi(string(m[1]))
		cores, shownCores = n, strconv.Itoa(n)
	}
	uses := cpuUses(rs, benchTargets)
	if len(uses) > 0 {
		fmt.Fprintf(stdout, "\nCPU per operation (server + this tool and its SMTP server), machine cores: %s\n", shownCores)
		tw = tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "run\tops/s\tCPU ms/op\tcores busy\tcores the target rate needs at this cost\n")
		for _, u := range uses {
			need := ""
			if u.Needed != nil {
				need = fmt.Sprint(*u.Needed)
			}
			fmt.Fprintf(tw, "%s\t%.1f\t%.3f\t%.2f\t%s\n", u.Run, u.OpsPerS, u.CPUms, u.CoresBusy, need)
		}
		tw.Flush()
	}
	if d99, ok := rs.num("watch", "delay_p99_ms"); ok {
		if f99, ok := rs.num("watch", "fanout_p99_ms"); ok {
			fmt.Fprintf(stdout, "\nwatch: delay p99 %.1f ms = the wait for the next push (up to the live interval) + one push reaching every watcher (fan-out p99 %.1f ms)\n", d99, f99)
		}
	}
	line, err := jsonObject([]kv{{"scenario", "report"}, {"ceiling_per_s", ceiling},
		{"met", met}, {"targets", len(vs)}, {"cores", cores}, {"cpu", uses}, {"verdicts", vs}})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", line)
	return err
}
