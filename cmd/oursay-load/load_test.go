package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// oursayBin is the server binary the smoke tests start, built once.
var oursayBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "oursay-load-test-")
	if err != nil {
		panic(err)
	}
	oursayBin = filepath.Join(dir, "oursay")
	build := exec.Command("go", "build", "-o", oursayBin, "github.com/oursay/oursay/cmd/oursay")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	code := 1
	if build.Run() == nil {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

// requiredKeys are in every scenario's JSON line.
var requiredKeys = []string{"scenario", "ops", "ops_per_s", "p50_ms", "p99_ms", "max_ms", "errors", "server_rss_kib"}

// smoke runs the tool as its command line would and returns the decoded
// last line, failing unless it is one JSON object with the required keys,
// the scenario's name and no errors.
func smoke(t *testing.T, args ...string) map[string]any {
	t.Helper()
	got, _ := smokeOut(t, args...)
	return got
}

// smokeOut is smoke that also returns all the tool printed on stdout.
func smokeOut(t *testing.T, args ...string) (map[string]any, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	args = append([]string{"--oursay", oursayBin}, args...)
	if err := run(ctx, args, &stdout, &stderr); err != nil {
		t.Fatalf("run %v: %v\nstdout:\n%s\nstderr:\n%s", args, err, stdout.String(), stderr.String())
	}
	out := strings.TrimRight(stdout.String(), "\n")
	last := out[strings.LastIndexByte(out, '\n')+1:]
	var got map[string]any
	if err := json.Unmarshal([]byte(last), &got); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
	for _, k := range requiredKeys {
		if _, ok := got[k]; !ok {
			t.Errorf("last line has no %q: %s", k, last)
		}
	}
	if got["errors"] != 0.0 {
		t.Errorf("errors = %v, want 0\n%s\nstderr:\n%s", got["errors"], out, stderr.String())
	}
	return got, out
}

func TestScenarios(t *testing.T) {
	smokeArgs := []string{"--duration", "3s", "--concurrency", "4"}
	for _, tc := range []struct {
		scenario string
		args     []string
	}{
		{"ceiling", nil},
		{"read", nil},
		{"sign", nil},
		{"respond", nil},
		{"vote", []string{"--codes-count", "2000"}},
		{"codes", []string{"--codes-count", "500", "--letters", "5"}},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			args := append(append([]string{"--scenario", tc.scenario}, smokeArgs...), tc.args...)
			got := smoke(t, args...)
			if got["scenario"] != tc.scenario {
				t.Errorf("scenario = %v, want %s", got["scenario"], tc.scenario)
			}
			if ops, _ := got["ops"].(float64); ops < 1 {
				t.Errorf("ops = %v, want some", got["ops"])
			}
			if _, ok := got["server_rss_kib"].(float64); !ok {
				t.Errorf("server_rss_kib = %v, want a number for a server the tool started", got["server_rss_kib"])
			}
		})
	}
}

// TestScenarios_Watch checks what watch adds: every watcher connected and
// stayed, and saw the confirmations.
func TestScenarios_Watch(t *testing.T) {
	got := smoke(t, "--scenario", "watch", "--duration", "3s", "--concurrency", "4", "--watchers", "40", "--rate", "50")
	for k, want := range map[string]float64{"connected": 40, "dropped": 0, "unseen": 0} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if n, _ := got["delays"].(float64); n < 1 {
		t.Errorf("delays = %v, want some", got["delays"])
	}
}

// TestPrefillAndStart fills a demo database and times starting on it.
func TestPrefillAndStart(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "bench.db")
	got := smoke(t, "--scenario", "prefill", "--db", dbPath, "--signatures", "5000")
	if got["ops"] != 5000.0 {
		t.Errorf("prefill ops = %v, want 5000", got["ops"])
	}
	if c, _ := got["signature_count"].(float64); c < 5000 {
		t.Errorf("signature_count = %v, want at least 5000", got["signature_count"])
	}
	got = smoke(t, "--scenario", "start", "--db", dbPath, "--repeat", "1")
	if got["ops"] != 1.0 {
		t.Errorf("start ops = %v, want 1", got["ops"])
	}
	// The server started on the prefilled file counts what prefill added.
	got = smoke(t, "--scenario", "read", "--db", dbPath, "--duration", "1s", "--concurrency", "2")
	if c, _ := got["signature_count"].(float64); c < 5000 {
		t.Errorf("read saw signature_count %v, want at least 5000", got["signature_count"])
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, args := range [][]string{
		{"--scenario", "read", "--target", "http://192.0.2.1:8080"},
		{"--scenario", "read", "--target", "http://example.com"},
		{"--scenario", "sign", "--smtp-listen", "0.0.0.0:2525"},
	} {
		var stderr bytes.Buffer
		if err := run(context.Background(), args, &bytes.Buffer{}, &stderr); err == nil {
			t.Errorf("run %v: got nil error, want a refusal", args)
		}
	}
}

// TestScenarios_Print: while one client hammers the print routes over 64
// connections (the attack in issue 16 took RSS to 778 MB and page p50 to
// 766 ms), the petition page keeps p99 under 50 ms, the hammer is refused
// with 429 past its limit, and the server stays small.
func TestScenarios_Print(t *testing.T) {
	got := smoke(t, "--scenario", "print", "--duration", "5s", "--concurrency", "4")
	t.Logf("page p50 %v ms, p99 %v ms; print 200 %v, 304 %v, 429 %v; RSS %v KiB",
		got["p50_ms"], got["p99_ms"], got["print_200"], got["print_304"], got["print_429"], got["server_rss_kib"])
	// The 50 ms target is a figure of `make bench` on a quiet machine; this
	// smoke run shares the cores with other tests, so it checks only that
	// pages are not starved (before the print limit and cache: p99 2.7 s).
	if p99, _ := got["p99_ms"].(float64); p99 <= 0 || p99 >= 500 {
		t.Errorf("page p99 = %v ms, want well under 500", got["p99_ms"])
	}
	if n, _ := got["print_429"].(float64); n < 1 {
		t.Errorf("print_429 = %v, want refusals past the limit", got["print_429"])
	}
	if n, _ := got["print_200"].(float64); n < 1 {
		t.Errorf("print_200 = %v, want some served within the limit", got["print_200"])
	}
	if rss, _ := got["server_rss_kib"].(float64); rss > 200<<10 {
		t.Errorf("server RSS %v KiB, want under 200 MiB", rss)
	}
}
