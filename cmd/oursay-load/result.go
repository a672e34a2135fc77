package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
)

// samples collects latencies. Workers each keep their own and merge them
// at the end, so recording takes no lock.
type samples []time.Duration

func (s *samples) add(d time.Duration) { *s = append(*s, d) }

// series is one named latency distribution in the table.
type series struct {
	name string
	d    samples
}

// merged is a set of samples that several goroutines add to under a lock,
// for places where per-worker slices are awkward.
type merged struct {
	mu sync.Mutex
	s  samples
}

func (m *merged) add(d time.Duration) {
	m.mu.Lock()
	m.s = append(m.s, d)
	m.mu.Unlock()
}

func (m *merged) addAll(s samples) {
	m.mu.Lock()
	m.s = append(m.s, s...)
	m.mu.Unlock()
}

func (m *merged) get() samples {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.s
}

// quantiles returns the p50, p99 and max of d in milliseconds, sorting d.
// Empty samples give zeros.
func (d samples) quantiles() (p50, p99, max float64) {
	if len(d) == 0 {
		return 0, 0, 0
	}
	slices.Sort(d)
	return ms(d[rank(len(d), 0.50)]), ms(d[rank(len(d), 0.99)]), ms(d[len(d)-1])
}

// rank is the nearest-rank index of quantile q in n sorted values.
func rank(n int, q float64) int {
	i := int(math.Ceil(q*float64(n))) - 1
	return min(max(i, 0), n-1)
}

func ms(d time.Duration) float64 { return round3(float64(d) / float64(time.Millisecond)) }

func round3(f float64) float64 { return math.Round(f*1000) / 1000 }

// result is what a scenario measured. The fixed keys come first in the
// JSON line; extra holds the scenario's own figures in the order added.
type result struct {
	scenario string
	ops      int64 // operations completed and acknowledged
	errors   int64
	elapsed  time.Duration
	main     samples // the acknowledgement latencies behind p50/p99/max
	table    []series
	extra    []kv
	notes    []string

	rssKiB    *int64   // the server's VmRSS at the end, when it is known
	serverCPU *float64 // CPU seconds the server used during the run
	toolCPU   float64  // CPU seconds this tool used during the run
	e         *env
}

type kv struct {
	k string
	v any
}

func (r *result) set(k string, v any) { r.extra = append(r.extra, kv{k, v}) }

func (r *result) note(format string, args ...any) {
	r.notes = append(r.notes, fmt.Sprintf(format, args...))
}

// finish reads the server's memory, if this tool started it.
func (r *result) finish(e *env) {
	r.e = e
	if kib, ok := e.serverRSS(); ok {
		r.rssKiB = &kib
	}
	r.serverCPU, r.toolCPU = e.cpuSince()
	if p := e.paired; p != nil {
		// The scenario's figures are its own slices'; the ceiling's side
		// is reported beside them.
		r.serverCPU = nil
		if p.serverKnown {
			v := round3(p.serverCPU[0].Seconds())
			r.serverCPU = &v
		}
		r.toolCPU = round3(p.toolCPU[0].Seconds())
		r.set("paired_slice_s", round3(p.slice.Seconds()))
		r.set("paired_guard_s", round3(p.guard.Seconds()))
		r.set("paired_slices", p.slices)
		r.set("ceiling_paired_per_s", rate(p.ceilingOps.Load(), p.time[1]))
		r.set("ceiling_paired_ops", p.ceilingOps.Load())
		r.set("ceiling_paired_errors", p.ceilingErrs.Load())
		r.set("ceiling_paired_s", round3(p.time[1].Seconds()))
		if p.ceilingSrv != nil {
			// The ceiling ran on a second server while this one was stopped.
			r.set("paired_stopped_checks", p.stoppedChecks)
		}
	}
}

func (r *result) opsPerSec() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return math.Round(float64(r.ops)/r.elapsed.Seconds()*10) / 10
}

// print writes the table, then the JSON object as the very last line.
func (r *result) print(w io.Writer) error {
	p50, p99, mx := r.main.quantiles()
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "latency\tn\tp50 ms\tp99 ms\tmax ms\t\n")
	for _, s := range r.table {
		a, b, c := s.d.quantiles()
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t\n", s.name, len(s.d), a, b, c)
	}
	tw.Flush()
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "scenario\t%s\n", r.scenario)
	if r.e != nil {
		fmt.Fprintf(tw, "target\t%s\n", r.e.describe())
	}
	fmt.Fprintf(tw, "ops\t%d in %.2f s = %.1f/s\n", r.ops, r.elapsed.Seconds(), r.opsPerSec())
	fmt.Fprintf(tw, "errors\t%d\n", r.errors)
	for _, x := range r.extra {
		fmt.Fprintf(tw, "%s\t%v\n", x.k, fmtValue(x.v))
	}
	if r.rssKiB != nil {
		fmt.Fprintf(tw, "server RSS\t%.1f MiB\n", float64(*r.rssKiB)/1024)
	}
	if r.e != nil {
		fmt.Fprintf(tw, "CPU (of %d cores)\tserver %s s, this tool %.2f s\n", runtime.NumCPU(), fmtValue(r.serverCPU), r.toolCPU)
	}
	tw.Flush()
	for _, n := range r.notes {
		fmt.Fprintln(w, "note:", n)
	}
	fields := []kv{{"scenario", r.scenario}, {"ops", r.ops}, {"ops_per_s", r.opsPerSec()},
		{"p50_ms", p50}, {"p99_ms", p99}, {"max_ms", mx}, {"errors", r.errors},
		{"server_rss_kib", r.rssKiB}, {"elapsed_s", round3(r.elapsed.Seconds())},
		{"server_cpu_s", r.serverCPU}, {"tool_cpu_s", r.toolCPU}}
	line, err := jsonObject(append(fields, r.extra...))
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", line)
	return err
}

func fmtValue(v any) string {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return "n/a"
		}
		return fmt.Sprint(rv.Elem().Interface())
	}
	return fmt.Sprint(v)
}

// jsonObject encodes fields as one JSON object in their order.
func jsonObject(fields []kv) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range fields {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", f.k, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	if strings.ContainsRune(b.String(), '\n') {
		return nil, fmt.Errorf("result has a line break")
	}
	return b.Bytes(), nil
}
