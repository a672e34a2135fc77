// Command oursay-load drives an OurSay server on this machine through its
// public HTTP and websocket interfaces and reports what it sustained.
//
//	oursay-load --scenario NAME --duration 10s --concurrency C
//	    [--target URL --petition ID --smtp-listen HOST:PORT]
//
// Without --target it builds or finds the oursay binary, starts
// `oursay serve --demo` on a temporary database (or on --db) with
// --smtp-addr pointed at its own in-process SMTP server, and stops it at the
// end. It only ever talks to loopback addresses. The last line it prints is
// one JSON object; see result.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
)

func main() {
	if os.Getenv("GOGC") == "" {
		// The tool shares the machine with the server it measures: it
		// trades memory for CPU, as a load generator may.
		debug.SetGCPercent(400)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "oursay-load:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// scenarios maps each name to its runner. prefill and start work on a
// database file rather than through a server's interfaces; see prefill.go.
var scenarios = map[string]func(ctx context.Context, e *env) (*result, error){
	"sign":    runSign,
	"watch":   runWatch,
	"read":    runRead,
	"ceiling": runCeiling,
	"respond": runRespond,
	"vote":    runVote,
	"codes":   runCodes,
	"print":   runPrint,
}

// run parses the command line, sets up the target and runs one scenario.
// Tests call it directly.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if cfg.scenario == "report" {
		return runReport(cfg, stdout)
	}
	raiseFileLimit(stderr)
	switch cfg.scenario {
	case "prefill":
		return runPrefill(ctx, cfg, stdout, stderr)
	case "start":
		return runStart(ctx, cfg, stdout, stderr)
	}
	fn := scenarios[cfg.scenario]
	e, err := setUp(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer e.tearDown()
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	e.markCPU()
	res, err := fn(ctx, e)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.scenario, err)
	}
	res.finish(e)
	return res.print(stdout)
}
