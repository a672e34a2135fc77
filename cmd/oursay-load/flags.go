package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"sort"
	"strings"
	"time"
)

// errUsage means the command line was wrong; the reason is already printed.
var errUsage = errors.New("bad command line")

// config is the parsed command line.
type config struct {
	scenario    string
	duration    time.Duration
	requests    int // 0: no limit but the duration
	concurrency int

	target     string // base URL of a running server; "" starts one
	petition   int64  // 0: the first open petition with a live count
	smtpListen string

	// Only when the tool starts the server.
	dbPath     string   // an existing database to serve instead of a fresh one
	oursayBin  string   // the oursay binary; "" finds or builds one
	serveFlags []string // extra flags for oursay serve

	rate         int    // watch: signatures a second
	watchers     int    // watch: websocket connections
	signatures   int    // prefill: confirmed signatures to add
	consultation string // respond: slug
	ballotID     int64  // vote
	codesFile    string // vote: CSV from `oursay codes generate`
	codesCount   int    // vote, codes: codes to generate
	letters      int    // codes: letters to print
	repeat       int    // start: how many starts to time
	readWhat     string // read: api, page, both, consultation or ballot
	results      string // report: a `make bench` results file
	cpuProfile   string // write this tool's own CPU profile here

	// read, respond, vote: alternate slices this long of the scenario and
	// of the ceiling on the same server (0: off); see pairedLoop.
	pairedSlice time.Duration
}

// stringList is a repeatable flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, " ") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("oursay-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.scenario, "scenario", "", "one of: "+strings.Join(scenarioNames(), ", "))
	fs.DurationVar(&c.duration, "duration", 10*time.Second, "how long to drive load")
	fs.IntVar(&c.requests, "requests", 0, "stop after this many operations (0: only --duration)")
	fs.DurationVar(&c.pairedSlice, "paired-ceiling", 0, "read, respond, vote: alternate slices this long of the scenario and of GET /healthz on the same server, count each after a guard of a fifth of the slice, and report that ceiling beside the rate (0: off). Respond and vote run the ceiling on a second server and stop theirs (SIGSTOP) during its slices")
	fs.IntVar(&c.concurrency, "concurrency", 32, "concurrent clients")
	fs.StringVar(&c.target, "target", "", "base URL of a running server on loopback (default: start one)")
	fs.Int64Var(&c.petition, "petition", 0, "petition ID (default: the first open petition with a live count)")
	fs.StringVar(&c.smtpListen, "smtp-listen", "127.0.0.1:0", "where the in-process SMTP server listens")
	fs.StringVar(&c.dbPath, "db", "", "database file: prefill and start work on it; other scenarios serve it instead of a fresh demo database")
	fs.StringVar(&c.oursayBin, "oursay", "", "oursay binary to start (default: beside this one, else go build)")
	fs.Var((*stringList)(&c.serveFlags), "serve-flag", "extra flag for oursay serve (repeatable)")
	fs.IntVar(&c.rate, "rate", 1000, "watch: signatures a second while watching")
	fs.IntVar(&c.watchers, "watchers", 1000, "watch: websocket watchers")
	fs.IntVar(&c.signatures, "signatures", 1_000_000, "prefill: confirmed signatures to add")
	fs.StringVar(&c.consultation, "consultation", "", "respond: consultation slug (default: the first open one)")
	fs.Int64Var(&c.ballotID, "ballot", 0, "vote: ballot ID (default: the first open one)")
	fs.StringVar(&c.codesFile, "codes", "", "vote: voter codes CSV (default: generate them when starting the server)")
	fs.IntVar(&c.codesCount, "codes-count", 100_000, "vote (without --codes or --requests) and codes: voter codes to generate")
	fs.IntVar(&c.letters, "letters", 10_000, "codes: voter letters to print")
	fs.StringVar(&c.readWhat, "read", "both", "read: api (/api/petitions/ID), page (/petitions/ID) or both, alternately; consultation or ballot: the first open one's page")
	fs.StringVar(&c.results, "results", "", "report: the results file of a `make bench` run")
	fs.IntVar(&c.repeat, "repeat", 5, "start: how many starts to time")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write this tool's own CPU profile to this file (for the server's, see README: Performance)")
	if err := fs.Parse(args); err != nil {
		return nil, errUsage
	}
	if err := c.check(); err != nil {
		fmt.Fprintln(stderr, "oursay-load:", err)
		fs.Usage()
		return nil, errUsage
	}
	return c, nil
}

func scenarioNames() []string {
	names := []string{"prefill", "start", "report"}
	for n := range scenarios {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (c *config) check() error {
	if c.scenario != "prefill" && c.scenario != "start" && c.scenario != "report" && scenarios[c.scenario] == nil {
		return fmt.Errorf("--scenario: want one of %s", strings.Join(scenarioNames(), ", "))
	}
	switch {
	case c.duration <= 0 || c.duration > time.Hour:
		return errors.New("--duration: want more than 0 and at most 1h")
	case c.concurrency < 1 || c.concurrency > 10_000:
		return errors.New("--concurrency: want 1 to 10000")
	case c.requests < 0:
		return errors.New("--requests: want 0 or more")
	case c.watchers < 1 || c.watchers > 100_000:
		return errors.New("--watchers: want 1 to 100000")
	case c.codesCount < 1 || c.letters < 1:
		return errors.New("--codes-count and --letters: want 1 or more")
	case c.readWhat != "api" && c.readWhat != "page" && c.readWhat != "both" && c.readWhat != "consultation" && c.readWhat != "ballot":
		return errors.New("--read: want api, page, both, consultation or ballot")
	case c.rate < 1:
		return errors.New("--rate: want 1 or more")
	case c.pairedSlice < 0 || c.pairedSlice > 0 && (c.pairedSlice < 100*time.Millisecond || c.pairedSlice > c.duration/4):
		return errors.New("--paired-ceiling: want 0 (off), or from 100ms to a quarter of --duration")
	case c.pairedSlice > 0 && c.scenario != "read" && c.scenario != "respond" && c.scenario != "vote":
		return fmt.Errorf("--paired-ceiling is for read, respond and vote, not %s", c.scenario)
	case c.pairedSlice > 0 && pairedStops(c.scenario) && c.target != "":
		return fmt.Errorf("--paired-ceiling with %s stops the server between slices: leave out --target so that this tool starts it", c.scenario)
	case c.scenario == "report" && c.results == "":
		return errors.New("--scenario report needs --results FILE")
	case (c.scenario == "prefill" || c.scenario == "start") && c.dbPath == "":
		return fmt.Errorf("--scenario %s needs --db", c.scenario)
	case c.target != "" && c.dbPath != "":
		return errors.New("--db is for a server this tool starts; leave it out with --target")
	}
	if err := checkLoopbackAddr(c.smtpListen); err != nil {
		return fmt.Errorf("--smtp-listen: %w", err)
	}
	if c.target != "" {
		u, err := url.Parse(c.target)
		if err != nil || u.Scheme != "http" || u.Host == "" {
			return errors.New("--target: want http://127.0.0.1:PORT")
		}
		if err := checkLoopbackAddr(u.Host); err != nil {
			return fmt.Errorf("--target: %w", err)
		}
		c.target = strings.TrimRight(c.target, "/")
	}
	return nil
}

// checkLoopbackAddr refuses anything but a loopback host: this tool sends
// thousands of requests a second and must never point them at someone else.
// A name must resolve to loopback addresses only.
func checkLoopbackAddr(hostport string) error {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	if ip := net.ParseIP(host); ip != nil {
		if !ip.IsLoopback() {
			return fmt.Errorf("%s is not a loopback address", host)
		}
		return nil
	}
	if host != "localhost" {
		return fmt.Errorf("%s: use 127.0.0.1 or localhost", host)
	}
	addrs, err := net.LookupHost(host)
	if err != nil {
		return err
	}
	for _, a := range addrs {
		if ip := net.ParseIP(a); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("localhost resolves to %s, which is not loopback", a)
		}
	}
	return nil
}
