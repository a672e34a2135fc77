// Command oursay is the OurSay binary: the web server and the council's
// command-line tools. It wires the packages together and decides nothing.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `usage: oursay <command> [flags]

commands:
  serve          run the web server
  admin create   create a council staff account (password on standard input)
  audit verify   check the audit log's hash chain
  codes generate make voter codes for a recall ballot (CSV, optionally letters)
  backup         copy the database safely while it is in use
  version        print the version

Run "oursay <command> -h" for a command's flags. Every flag can also be set
with an OURSAY_… environment variable, e.g. --smtp-addr as OURSAY_SMTP_ADDR.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "oursay:", err)
		os.Exit(exitCode(err))
	}
}

// run dispatches to a command; tests call it directly.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch cmd, rest := args[0], args[1:]; {
	case cmd == "serve":
		return serve(ctx, rest, stdout, stderr)
	case cmd == "admin" && len(rest) > 0 && rest[0] == "create":
		return adminCreate(ctx, rest[1:], stdin, stdout, stderr)
	case cmd == "audit" && len(rest) > 0 && rest[0] == "verify":
		return auditVerify(ctx, rest[1:], stdout, stderr)
	case cmd == "codes" && len(rest) > 0 && rest[0] == "generate":
		return codesGenerate(ctx, rest[1:], stdout, stderr)
	case cmd == "backup":
		return backup(ctx, rest, stdout, stderr)
	case cmd == "version":
		fmt.Fprintln(stdout, "oursay", version)
		return nil
	case cmd == "-h" || cmd == "--help" || cmd == "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return errUsage
}
