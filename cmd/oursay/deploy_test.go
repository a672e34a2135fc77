package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// deployDir holds the systemd units the README's "Running it for real"
// section installs.
const deployDir = "../../testdata/deploy"

// TestDeployUnits: the systemd units pass systemd-analyze verify (where
// systemd is installed), the service keeps its sandboxing, and every flag
// its ExecStart lines give exists.
func TestDeployUnits(t *testing.T) {
	units := map[string]string{}
	for _, name := range []string{"oursay.service", "oursay-backup.service", "oursay-backup.timer"} {
		b, err := os.ReadFile(filepath.Join(deployDir, name))
		if err != nil {
			t.Fatal(err)
		}
		units[name] = string(b)
	}
	for _, want := range []string{
		"User=oursay", "StateDirectory=oursay oursay-key", "ProtectSystem=strict", "NoNewPrivileges=yes",
		"PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=\n", "--trusted-proxies 127.0.0.1,::1", "--addr 127.0.0.1:8080",
	} {
		if !strings.Contains(units["oursay.service"], want) {
			t.Errorf("oursay.service lacks %q", want)
		}
	}
	// The flags the units give are flags the commands take.
	help := map[string]string{}
	for _, cmd := range []string{"serve", "backup"} {
		out, _, err := runSplit(t, "", cmd, "-h")
		if err != nil {
			t.Fatal(err)
		}
		help[cmd] = out
	}
	flagRe := regexp.MustCompile(`--([a-z-]+)`)
	for name, cmd := range map[string]string{"oursay.service": "serve", "oursay-backup.service": "backup"} {
		flags := flagRe.FindAllStringSubmatch(execStart(units[name]), -1)
		if len(flags) < 2 {
			t.Fatalf("%s: found %d flags in ExecStart", name, len(flags))
		}
		for _, f := range flags {
			if !strings.Contains(help[cmd], "  -"+f[1]+" ") {
				t.Errorf("%s gives --%s, which oursay %s does not take", name, f[1], cmd)
			}
		}
	}

	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the units' syntax is not verified here")
	}
	// verify wants each ExecStart binary to exist; stand this test binary in
	// for oursay.
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var paths []string
	for name, text := range units {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.ReplaceAll(text, "/usr/local/bin/oursay", self)), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	if out, err := exec.Command(analyze, append([]string{"verify"}, paths...)...).CombinedOutput(); err != nil || len(out) != 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// execStart returns a unit's ExecStart= line with its continuation lines.
func execStart(unit string) string {
	var b strings.Builder
	in := false
	for line := range strings.Lines(unit) {
		if strings.HasPrefix(line, "ExecStart=") {
			in = true
		}
		if in {
			b.WriteString(line)
			if !strings.HasSuffix(strings.TrimRight(line, "\n"), "\\") {
				break
			}
		}
	}
	return b.String()
}
