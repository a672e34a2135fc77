// Command oursay is the OurSay binary: the web server and the council's
// command-line tools. It wires the packages together and decides nothing.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

const usage = `usage: oursay <command> [flags]

commands:
  serve                 run the web server
  admin create          create a council staff account (password on standard input)
  admin reset-password  set a staff account's password (from standard input, or a printed random one)
  audit verify          check the audit log's hash chain, its seals and a saved head
  codes generate        make voter codes for a recall ballot (CSV, optionally letters)
  backup                copy the database safely while it is in use
  retention             remove personal data past its retention period (also daily in serve)
  version               print the version

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

// run dispatches to a command; tests call it directly. Help asked for is
// printed on stdout and is not an error.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	err := dispatch(ctx, args, stdin, stdout, stderr)
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}

// topUsage is a usage error about the command itself.
func topUsage(format string, a ...any) error {
	return &usageError{help: "oursay -h", msg: fmt.Sprintf(format, a...)}
}

func dispatch(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return topUsage("no command given")
	}
	cmd, rest := args[0], args[1:]
	// The two-word commands: admin create, admin reset-password, audit
	// verify, codes generate.
	subs := map[string][]string{"admin": {"create", "reset-password"}, "audit": {"verify"}, "codes": {"generate"}}
	if want, ok := subs[cmd]; ok {
		if len(rest) == 0 || strings.HasPrefix(rest[0], "-") {
			return topUsage("%s: give a subcommand: %s", cmd, strings.Join(want, " or "))
		}
		if !slices.Contains(want, rest[0]) {
			return topUsage("unknown command %q", cmd+" "+rest[0])
		}
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, rest, stdout, stderr)
	case "admin create":
		return adminCreate(ctx, rest, stdin, stdout)
	case "admin reset-password":
		return adminResetPassword(ctx, rest, stdin, stdout)
	case "audit verify":
		return auditVerify(ctx, rest, stdout)
	case "codes generate":
		return codesGenerate(ctx, rest, stdout)
	case "backup":
		return backup(ctx, rest, stdout)
	case "retention":
		return retention(ctx, rest, stdout)
	case "version":
		if len(rest) > 0 && rest[0] != "-h" && rest[0] != "--help" {
			return topUsage("version: unexpected argument %q", rest[0])
		}
		fmt.Fprintln(stdout, "oursay", version)
		return nil
	case "-h", "--help", "-help", "help":
		if cmd == "help" && len(rest) > 0 { // oursay help serve
			return dispatch(ctx, append(rest, "-h"), stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	if strings.HasPrefix(cmd, "-") {
		return topUsage("give a command before any flag, not %q", cmd)
	}
	return topUsage("unknown command %q", cmd)
}
