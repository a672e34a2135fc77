package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// errHelp means -h or --help was asked for and the usage is printed on
// standard output: run returns nil for it, so the exit status is 0.
var errHelp = errors.New("help printed")

// errFailed means a check failed; what failed is already printed.
var errFailed = errors.New("check failed")

// usageError is a wrong command line: a flag or command that does not
// exist, a missing or bad argument. It prints as one line that names what
// was wrong and where the help is, and exits 2.
type usageError struct {
	help string // the command that prints the help, e.g. `oursay serve -h`
	msg  string
}

func (e *usageError) Error() string { return e.msg + ` (see "` + e.help + `")` }

func exitCode(err error) int {
	if _, ok := errors.AsType[*usageError](err); ok {
		return 2
	}
	return 1
}

// cmdline is one command's flags. Each unset flag takes its value from
// OURSAY_<NAME> in the environment (dashes become underscores, letters
// upper case); fromEnv remembers which did, so an error can name the
// variable rather than a flag nobody typed.
type cmdline struct {
	*flag.FlagSet
	name    string // e.g. "serve" or "admin create"
	stdout  io.Writer
	fromEnv map[string]string
}

// newFlags returns the flag set of command name. Parse errors are returned,
// never printed with the usage; -h prints the usage to stdout.
func newFlags(name string, stdout io.Writer) *cmdline {
	c := &cmdline{FlagSet: flag.NewFlagSet("oursay "+name, flag.ContinueOnError), name: name, stdout: stdout, fromEnv: map[string]string{}}
	// The flag package prints the usage on any parse error; parse prints
	// it only for -h.
	c.SetOutput(io.Discard)
	c.Usage = func() {}
	return c
}

// printUsage writes the command's usage and flags to stdout.
func (c *cmdline) printUsage() {
	fmt.Fprintf(c.stdout, "usage: oursay %s [flags]\n\nflags (each also read from OURSAY_<FLAG> in the environment):\n", c.name)
	c.SetOutput(c.stdout)
	c.PrintDefaults()
	c.SetOutput(io.Discard)
}

// envName is the environment variable for flag name.
func envName(name string) string {
	return "OURSAY_" + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// usage returns a usage error for this command.
func (c *cmdline) usage(format string, a ...any) error {
	return &usageError{help: "oursay " + c.name + " -h", msg: c.name + ": " + fmt.Sprintf(format, a...)}
}

// bad returns a usage error about flag name's value: it names the flag and
// the value, or the environment variable the value came from.
func (c *cmdline) bad(name, want string) error {
	v := c.Lookup(name).Value.String()
	switch {
	case c.fromEnv[name] != "":
		return c.usage("%s=%q: %s", c.fromEnv[name], v, want)
	case v == "":
		return c.usage("--%s: %s", name, want)
	}
	return c.usage("--%s %s: %s", name, v, want)
}

// parse reads the command line, then the environment for unset flags.
func (c *cmdline) parse(args []string) error {
	if err := c.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.printUsage()
			return errHelp
		}
		return c.usage("%v", err)
	}
	set := map[string]bool{}
	c.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	c.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := envName(f.Name)
		if v, ok := os.LookupEnv(env); ok {
			if e := c.Set(f.Name, v); e != nil {
				err = c.usage("%s=%q: %s", env, v, expected(f, e))
				return
			}
			c.fromEnv[f.Name] = env
		}
	})
	if err == nil && c.NArg() > 0 {
		err = c.usage("unexpected argument %q", c.Arg(0))
	}
	return err
}

// expected says in words what flag f takes, for an error about a bad value.
func expected(f *flag.Flag, err error) string {
	if g, ok := f.Value.(flag.Getter); ok {
		switch g.Get().(type) {
		case time.Duration:
			return "want a duration such as 200ms, 3s or 1m"
		case int, int64, uint, uint64:
			return "want a whole number"
		case bool:
			return "want true or false"
		case float64:
			return "want a number"
		}
	}
	return err.Error()
}
