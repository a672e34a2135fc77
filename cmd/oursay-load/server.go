package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// serverProc is an `oursay serve` this tool started and will stop.
type serverProc struct {
	cmd     *exec.Cmd
	bin     string
	args    []string
	dir     string // temporary directory: binary, database, log
	logPath string
	addr    string
	dbPath  string
	exited  chan struct{}
	waitErr error
	startUp time.Duration // from exec to the first good /healthz
}

// startServer starts `oursay serve` on a free loopback port with mail going
// to smtpAddr ("" for none). dbPath "" means a fresh database in a
// temporary directory; a new database is loaded with the demo council, an
// existing one is served as it is.
func startServer(ctx context.Context, cfg *config, dbPath, smtpAddr string, stderr io.Writer) (*serverProc, error) {
	dir, err := os.MkdirTemp("", "oursay-load-")
	if err != nil {
		return nil, err
	}
	s := &serverProc{dir: dir, logPath: filepath.Join(dir, "server.log"), exited: make(chan struct{})}
	if err := s.start(ctx, cfg, dbPath, smtpAddr, stderr); err != nil {
		s.stop()
		return nil, err
	}
	return s, nil
}

func (s *serverProc) start(ctx context.Context, cfg *config, dbPath, smtpAddr string, stderr io.Writer) error {
	var err error
	if s.bin, err = oursayBinary(ctx, cfg.oursayBin, s.dir, stderr); err != nil {
		return err
	}
	if s.addr, err = freeAddr(); err != nil {
		return err
	}
	s.dbPath = dbPath
	if s.dbPath == "" {
		s.dbPath = filepath.Join(s.dir, "oursay.db")
	}
	args := []string{"serve", "--addr", s.addr, "--db", s.dbPath, "--base-url", "http://" + s.addr}
	if fi, err := os.Stat(s.dbPath); err != nil || fi.Size() == 0 {
		args = append(args, "--demo") // a new database gets the demo council
	}
	if smtpAddr != "" {
		args = append(args, "--smtp-addr", smtpAddr, "--smtp-tls", "none")
	}
	if cfg.scenario != "print" && serveHasFlag(s.bin, "no-rate-limits") {
		// Every request comes from loopback: per-client limits would
		// measure the limiter, not the server. print keeps them: the
		// limit on print routes is part of what it measures.
		args = append(args, "--no-rate-limits")
	}
	args = append(args, cfg.serveFlags...)
	s.args = args
	logf, err := os.Create(s.logPath)
	if err != nil {
		return err
	}
	defer logf.Close()
	s.cmd = exec.Command(s.bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	s.cmd.Env = cleanEnv()
	t0 := time.Now()
	if err := s.cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", s.bin, err)
	}
	go func() { s.waitErr = s.cmd.Wait(); close(s.exited) }()
	if err := s.waitHealthy(ctx, 3*time.Minute); err != nil {
		return err
	}
	s.startUp = time.Since(t0)
	return nil
}

// serveHasFlag reports whether `oursay serve` knows --name, from its help.
func serveHasFlag(bin, name string) bool {
	out, _ := exec.Command(bin, "serve", "-h").CombinedOutput() // -h exits 2
	return bytes.Contains(out, []byte("-"+name+" ")) || bytes.Contains(out, []byte("-"+name+"\n"))
}

// cleanEnv drops OURSAY_ variables, so a developer's settings cannot turn
// the server this tool starts into something other than what it reports.
// OURSAY_PPROF_ADDR stays, for a binary built with -tags pprof.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "OURSAY_") || strings.HasPrefix(kv, "OURSAY_PPROF_ADDR=") {
			out = append(out, kv)
		}
	}
	return out
}

// waitHealthy polls /healthz until it answers 200, the server exits or
// the limit passes.
func (s *serverProc) waitHealthy(ctx context.Context, limit time.Duration) error {
	c := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(limit)
	for {
		resp, err := c.Get("http://" + s.addr + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-s.exited:
			return fmt.Errorf("oursay serve exited (%v):\n%s", s.waitErr, s.logTail(20))
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("oursay serve not healthy after %v:\n%s", limit, s.logTail(20))
		}
	}
}

// stop sends SIGTERM, waits up to 20 seconds for a clean exit, then kills
// the server, and removes the temporary directory. Only this process is
// ever signalled, by its own PID.
func (s *serverProc) stop() {
	if s.cmd != nil && s.cmd.Process != nil {
		select {
		case <-s.exited:
		default:
			s.cmd.Process.Signal(syscall.SIGTERM)
			s.cmd.Process.Signal(syscall.SIGCONT) // a paired run may have left it stopped
			select {
			case <-s.exited:
			case <-time.After(20 * time.Second):
				s.cmd.Process.Kill()
				<-s.exited
			}
		}
	}
	os.RemoveAll(s.dir)
}

// rssKiB reads the server's resident set size from /proc, or false once it
// has exited or on a system without /proc.
func (s *serverProc) rssKiB() (int64, bool) {
	select {
	case <-s.exited:
		return 0, false
	default:
	}
	return procStatusKiB(s.cmd.Process.Pid, "VmRSS:")
}

// cpuTime is the CPU time (user + system) the server has used so far.
func (s *serverProc) cpuTime() (time.Duration, bool) {
	f := s.procStat()
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, true
}

// clockTicks is USER_HZ, which Linux fixes at 100 for /proc.
const clockTicks = 100

// procStatusKiB reads one "Name: N kB" line of /proc/PID/status.
func procStatusKiB(pid int, field string) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, false
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// logTail returns the last n lines of the server's log.
func (s *serverProc) logTail(n int) string {
	b, _ := os.ReadFile(s.logPath)
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// oursayBinary returns the binary to start: --oursay, else an oursay beside
// this executable, else one built with `go build` into dir (which needs the
// source: run from inside the module).
func oursayBinary(ctx context.Context, flagged, dir string, stderr io.Writer) (string, error) {
	if flagged != "" {
		return filepath.Abs(flagged)
	}
	if self, err := os.Executable(); err == nil {
		near := filepath.Join(filepath.Dir(self), "oursay")
		if fi, err := os.Stat(near); err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0 {
			return near, nil
		}
	}
	out := filepath.Join(dir, "oursay")
	fmt.Fprintln(stderr, "oursay-load: building oursay (pass --oursay to skip)")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", out, "github.com/oursay/oursay/cmd/oursay")
	cmd.Stdout, cmd.Stderr = stderr, stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("go build oursay: %w (pass --oursay PATH, or run inside the module)", err)
	}
	return out, nil
}

// freeAddr returns a loopback address with a port nobody is using now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// raiseFileLimit lifts this process's open-file limit as far as it may:
// the hard limit too when running with the privilege to, since every
// watcher is a socket. It reports a limit that is still low.
func raiseFileLimit(stderr io.Writer) uint64 {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return 0
	}
	want := max(lim.Max, 1<<20)
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &syscall.Rlimit{Cur: want, Max: want}); err == nil {
		return want
	}
	lim.Cur = lim.Max
	if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil && !errors.Is(err, syscall.EPERM) {
		fmt.Fprintln(stderr, "oursay-load: raise open-file limit:", err)
	}
	return lim.Cur
}

// pause stops (SIGSTOP) or resumes (SIGCONT) the server's process.
func (s *serverProc) pause(stop bool) {
	sig := syscall.SIGCONT
	if stop {
		sig = syscall.SIGSTOP
	}
	if s.cmd != nil && s.cmd.Process != nil {
		s.cmd.Process.Signal(sig)
	}
}

// stopped reports whether the server's process is stopped now (state T
// in /proc).
func (s *serverProc) stopped() bool {
	f := s.procStat()
	return len(f) > 0 && f[0] == "T"
}

// procStat is the server's /proc/PID/stat after the command name, which is
// in parentheses and may hold spaces: the state first. Nil when it cannot
// be read.
func (s *serverProc) procStat() []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(s.cmd.Process.Pid) + "/stat")
	if err != nil {
		return nil
	}
	return strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
}
