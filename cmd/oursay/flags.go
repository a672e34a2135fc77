package main

import (
	"errors"
	"flag"
	"io"
	"os"
	"strings"
)

// errUsage means the command line was wrong; the usage is already printed.
var errUsage = errors.New("bad command line")

// errFailed means a check failed; what failed is already printed.
var errFailed = errors.New("check failed")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// newFlags returns a flag set that prints to stderr and returns errors.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("oursay "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

// parse reads flags, letting each unset flag take OURSAY_<NAME> from the
// environment (dashes become underscores, letters upper case).
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errUsage
		}
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if set[f.Name] || err != nil {
			return
		}
		env := "OURSAY_" + strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_"))
		if v, ok := os.LookupEnv(env); ok {
			if e := fs.Set(f.Name, v); e != nil {
				err = errors.New(env + ": " + e.Error())
			}
		}
	})
	if err == nil && fs.NArg() > 0 {
		err = errors.New("unexpected argument " + fs.Arg(0))
	}
	return err
}
